"""The recovery window bar: elapsed time against the marks where the window opens and closes."""

from __future__ import annotations

from collections.abc import Hashable

from textual.reactive import var

from trackside.core.timefmt import clock
from trackside.tui.view import Window
from trackside.tui.widgets.lines import LinesWidget


def draw_window(window: Window, width: int) -> tuple[str, str]:
    """The bar and the line of mark labels under it, ``width`` wide."""
    if width < 3:
        return "", ""
    ends = [mark for mark in (window.opens, window.closes) if mark is not None]
    span = max(ends) * 1.05 if ends else 1.0
    cells = width - 1

    def at(seconds: float) -> int:
        return min(cells, round(seconds / span * cells))

    filled = at(window.elapsed)
    bar = ["█" if i < filled else "░" for i in range(width)]
    labels = [" "] * width
    for mark in ends:
        position = at(mark)
        bar[position] = "┃"
        text = clock(mark)
        start = max(0, min(width - len(text), position - len(text) // 2))
        labels[start : start + len(text)] = list(text)
    return "".join(bar), "".join(labels)


class WindowBar(LinesWidget):
    """A bar filling with the recovery, with marks where the window opens and closes."""

    DEFAULT_CSS = """
    WindowBar {
        width: 1fr;
        height: 2;
    }
    """

    window: var[Window | None] = var(None, init=False)
    """The window to draw, or None to draw nothing."""

    def watch_window(self) -> None:
        """Repaint what changed."""
        self.redraw()

    def drawn_from(self) -> Hashable:
        """The window."""
        return self.window

    def lines(self, width: int, height: int) -> list[str]:
        """The bar and its labels."""
        if self.window is None:
            return []
        return list(draw_window(self.window, width))
