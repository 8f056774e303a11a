"""What the terminal shows: the app's frames fed to a small terminal model, as the terminal gets
them (headless, Textual writes none), so a test reads the screen a runner would see."""

from __future__ import annotations

import re

import pytest
from textual._compositor import CompositorUpdate
from textual.app import App

from trackside.tui.widgets.lines import LinesWidget


class Terminal:
    """A screen fed the app's frames as the terminal gets them: each partial update moves the
    cursor and writes cells; what it does not write stays as it was."""

    def __init__(self, width: int, height: int) -> None:
        self.rows = [[" "] * width for _ in range(height)]

    def resize(self, width: int, height: int) -> None:
        """A new size, blank: a resize redraws everything."""
        self.rows = [[" "] * width for _ in range(height)]

    def feed(self, data: str) -> None:
        x = y = 0
        for part in re.split(r"(\x1b\[[0-9;?]*[A-Za-z])", data):
            if part.startswith("\x1b["):
                if part.endswith("H"):
                    row, _, column = part[2:-1].partition(";")
                    y, x = int(row or 1) - 1, int(column or 1) - 1
                continue
            for char in part:
                if char in "\r\n":
                    x, y = 0, y + (char == "\n")
                    continue
                if 0 <= y < len(self.rows) and 0 <= x < len(self.rows[y]):
                    self.rows[y][x] = char
                x += 1

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.rows]


def watch(app: App[int], terminal: Terminal, monkeypatch: pytest.MonkeyPatch) -> None:
    """Feed ``terminal`` every frame the app renders (headless, it would write none)."""

    def display(screen: object, update: object) -> None:
        if isinstance(update, CompositorUpdate):
            terminal.feed(update.render_segments(app.console))

    monkeypatch.setattr(app, "_display", display)


def expected(widget: LinesWidget) -> list[str]:
    """The widget's rows drawn from scratch: its lines in its content area, inside the padding."""
    width, height = widget.content_size
    left, right = widget.styles.padding.left, widget.styles.padding.right
    lines = widget.lines(width, height)
    rows = [lines[y] if y < len(lines) else "" for y in range(height)]
    return [" " * left + row[:width].ljust(width) + " " * right for row in rows]


def painted(widget: LinesWidget, terminal: Terminal) -> list[str]:
    """The rows of ``terminal`` in ``widget``'s region."""
    region = widget.region
    return [row[region.x : region.right] for row in terminal.lines()[region.y : region.bottom]]
