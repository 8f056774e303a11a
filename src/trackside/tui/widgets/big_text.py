"""The big clock: text drawn as large as the widget's space allows."""

from __future__ import annotations

from collections.abc import Hashable

from textual.reactive import var

from trackside.tui.widgets.font import render_big
from trackside.tui.widgets.lines import LinesWidget


class BigText(LinesWidget):
    """Text in big half-block digits and letters that grow and shrink with the widget.

    With no room for even the smallest big font it shows the text plain, so the clock stays
    readable down to the smallest terminal.
    """

    DEFAULT_CSS = """
    BigText {
        width: 1fr;
        height: 1fr;
        min-height: 1;
    }
    """

    text: var[str] = var("", init=False)
    """What is shown; setting it repaints only the cells that changed."""

    def watch_text(self) -> None:
        """Repaint what changed."""
        self.redraw()

    def drawn_from(self) -> Hashable:
        """The text."""
        return self.text

    def lines(self, width: int, height: int) -> list[str]:
        """The text as big as fits."""
        return render_big(self.text, width, height)
