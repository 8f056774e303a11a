"""The big area: the clock (or the effort), the rep count and the last split, drawn as large as
the widget's space allows."""

from __future__ import annotations

from collections.abc import Hashable

from textual.reactive import var

from trackside.tui.widgets.board import Board, draw_board
from trackside.tui.widgets.lines import LinesWidget


class BigText(LinesWidget):
    """Text in big half-block digits and letters that grow and shrink with the widget: the
    clock, with the rep count and the last split beside it (see :mod:`board`).

    With no room for even the smallest big font it shows the clock plain, so it stays readable
    down to the smallest terminal.
    """

    DEFAULT_CSS = """
    BigText {
        width: 1fr;
        height: 1fr;
        min-height: 1;
    }
    """

    board: var[Board] = var(Board(""), init=False)
    """The clock (or the effort), the rep count and the last split; setting it repaints only
    the cells that changed."""

    @property
    def text(self) -> str:
        """The clock (or the effort) as shown."""
        return self.board.main

    def watch_board(self) -> None:
        """Repaint what changed."""
        self.redraw()

    def drawn_from(self) -> Hashable:
        """The texts."""
        return self.board

    def lines(self, width: int, height: int) -> list[str]:
        """The texts as big as fits."""
        return draw_board(self.board, width, height)
