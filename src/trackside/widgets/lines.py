"""A widget drawn as plain lines of text, exactly as given: no wrapping, no trimmed spaces."""

from __future__ import annotations

from collections.abc import Hashable

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


class LinesWidget(Widget):
    """Base for widgets whose look is a list of lines worked out from their data and size.

    Subclasses implement :meth:`lines` and :meth:`drawn_from` (the data the lines depend on);
    the lines are drawn cell for cell in the widget's colour, since big digits and bars need
    their spaces kept, and worked out again only when the data or the size changes.
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._drawn: tuple[Hashable, list[str]] | None = None
        self._style: Style | None = None

    def drawn_from(self) -> Hashable:
        """The data the lines are drawn from (compared to know when to draw again)."""
        raise NotImplementedError

    def lines(self, width: int, height: int) -> list[str]:
        """The lines to draw in ``width`` x ``height``."""
        raise NotImplementedError

    def shown_lines(self) -> list[str]:
        """The lines as they are on screen now."""
        width, height = self.content_size
        key = (width, height, self.drawn_from())
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self.lines(width, height))
        return self._drawn[1]

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the lines a redraw needs, with the colour worked out once for all of them."""
        # rich_style walks every ancestor's styles: once per redraw, not once per line.
        self._style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._style = None

    def render_line(self, y: int) -> Strip:
        """One line, cropped or padded to the width."""
        width = self.content_size.width
        drawn = self.shown_lines()
        text = drawn[y] if 0 <= y < len(drawn) else ""
        style = self._style if self._style is not None else self.rich_style
        return Strip([Segment(text[:width].ljust(width), style)], width)
