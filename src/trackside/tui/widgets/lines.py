"""A widget drawn as plain lines of text, exactly as given: no wrapping, no trimmed spaces."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


def changed_regions(
    old: Sequence[str], new: Sequence[str], width: int, height: int
) -> list[Region]:
    """The cells where ``new`` differs from ``old`` (both drawn ``width`` x ``height``): one
    region per changed row, from its first to its last changed cell."""
    regions = []
    for y in range(height):
        before = old[y][:width].ljust(width) if y < len(old) else " " * width
        after = new[y][:width].ljust(width) if y < len(new) else " " * width
        if before != after:
            first = _same_start(before, after)
            last = width - _same_start(before[::-1], after[::-1])
            regions.append(Region(first, y, last - first, 1))
    return regions


def _same_start(a: str, b: str) -> int:
    """How many leading characters two different strings of one length share (slices compare
    in C: a binary search beats a loop over the characters)."""
    low, high = 0, len(a) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


class LinesWidget(Widget):
    """Base for widgets whose look is a list of lines worked out from their data and size.

    Subclasses implement :meth:`lines` and :meth:`drawn_from` (the data the lines depend on)
    and call :meth:`redraw` when that data changes. The lines are drawn cell for cell in the
    widget's colour, since big digits and bars need their spaces kept, and worked out again only
    when the data or the size changes. A change repaints only the cells that differ: a clock
    going from 1:23 to 1:24 sends the last digit to the terminal, not the whole clock.
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._drawn: tuple[tuple[int, int, Hashable], list[str]] | None = None
        self._pass: tuple[Style, int, list[str]] | None = None
        """The colour, width and lines during one redraw."""

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

    def redraw(self) -> None:
        """The data changed: repaint the cells that differ from what is on screen.

        Before the first frame, or at another size, everything is drawn again.
        """
        width, height = self.content_size
        drawn = self._drawn
        if not self.is_mounted or drawn is None:
            self.refresh()
            return
        key = (width, height, self.drawn_from())
        if drawn[0] == key:
            return
        if drawn[0][:2] != key[:2]:
            self.refresh()
            return
        lines = self.lines(width, height)
        self._drawn = (key, lines)
        regions = changed_regions(drawn[1], lines, width, height)
        if regions:
            self.refresh(*regions)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the lines a redraw needs, with what they share worked out once for all of them."""
        # rich_style walks every ancestor's styles and content_size works out the region:
        # once per redraw, not once per line.
        self._pass = (self.rich_style, self.content_size.width, self.shown_lines())
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def render_line(self, y: int) -> Strip:
        """One line, cropped or padded to the width."""
        if self._pass is None:
            style, width, drawn = self.rich_style, self.content_size.width, self.shown_lines()
        else:
            style, width, drawn = self._pass
        text = drawn[y] if 0 <= y < len(drawn) else ""
        return Strip([Segment(text[:width].ljust(width), style)], width)
