"""One athlete's row on the coach's screen: their key, their words, the clock of their step.

Given room (a few athletes), the key and the clock are drawn in big digits beside the words; with
many, the row is one line (``row_line``). Each part is a :class:`LinesWidget`, so a second
going by repaints the cells of the digits that changed, in that row only; the row's state
(rep, recovery, window open, go) is a class the stylesheet colours, changed only when it
changes.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import var

from trackside.tui.coach_view import RowView, info_lines, row_line
from trackside.tui.widgets.big_text import BigText
from trackside.tui.widgets.board import Board
from trackside.tui.widgets.lines import LinesWidget

ROW_CLASSES = frozenset(
    {
        "ready",
        "countdown",
        "warmup",
        "rep",
        "recovery",
        "cooldown",
        "window-open",
        "last-seconds",
        "go",
        "final",
        "final-next",
        "paused",
        "done",
        "ended",
    }
)
"""Every state class a row may carry (the stylesheet colours them)."""


class RowWords(LinesWidget):
    """The row's words: the whole row on one line, or a few lines beside the big digits."""

    DEFAULT_CSS = """
    RowWords {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
    }
    """

    row: var[RowView | None] = var(None, init=False)
    notice: var[str | None] = var(None, init=False)
    one_line: var[bool] = var(False, init=False)
    """Whether the row is one line (many athletes), with no big digits beside it."""

    def watch_row(self) -> None:
        """Repaint what changed."""
        self.redraw()

    def watch_notice(self) -> None:
        """Repaint what changed."""
        self.redraw()

    def watch_one_line(self) -> None:
        """Lay the words out again."""
        self.redraw()

    def drawn_from(self) -> Hashable:
        """The row, its notice and the layout."""
        return (self.row, self.notice, self.one_line)

    def lines(self, width: int, height: int) -> list[str]:
        """The words, vertically centred."""
        row = self.row
        if row is None:
            return []
        if self.one_line:
            return [row_line(row, self.notice, width)]
        words = info_lines(row, self.notice, width, height)
        top = max(0, (height - len(words)) // 2)
        return [""] * top + words


class AthleteRow(Horizontal):
    """An athlete's key, words and clock; :meth:`show` puts a new moment on it."""

    DEFAULT_CSS = """
    AthleteRow {
        height: 1;
        width: 1fr;
    }
    """

    def __init__(self, index: int) -> None:
        super().__init__(id=f"athlete-{index + 1}", classes="athlete")
        self.index = index
        self.shown: tuple[RowView, str | None, bool] | None = None
        self._parts: tuple[BigText, RowWords, BigText] | None = None

    def compose(self) -> ComposeResult:
        """The key, the words, the clock."""
        yield BigText(id="key", classes="row-key")
        yield RowWords(id="words")
        yield BigText(id="clock", classes="row-clock")

    def show(self, row: RowView, notice: str | None, one_line: bool) -> None:
        """Show ``row`` (and a notice in place of its window's words); only what changed is
        repainted, and the state classes are touched only if they change."""
        if self.shown == (row, notice, one_line):
            return
        self.shown = (row, notice, one_line)
        if self._parts is None:  # found once: a query a row a second adds up over twenty
            self._parts = (
                self.query_one("#key", BigText),
                self.query_one(RowWords),
                self.query_one("#clock", BigText),
            )
        key, words, clock = self._parts
        words.one_line = one_line
        words.row = row
        words.notice = notice
        if not one_line:  # hidden, a big digit would only cost a repaint of the whole screen
            key.board = Board(row.key)
            clock.board = Board(row.clock)
        wanted = set(row.classes & ROW_CLASSES) | ({"notice"} if notice is not None else set())
        current = set(self.classes) & (ROW_CLASSES | {"notice"})
        if current != wanted:
            self.remove_class(*(current - wanted))
            self.add_class(*(wanted - current))
