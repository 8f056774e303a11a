"""Repainting only the cells that changed leaves on screen exactly what a full redraw would.

The app's frames go to a small terminal model (cursor moves and text), so a cell the partial
repaints miss stays stale there, as it would in the terminal."""

from __future__ import annotations

import re

import pytest
from app_helpers import Rig, rig, shipped
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.pilot import Pilot

from trackside.settings import Settings
from trackside.tui.widgets.big_text import BigText
from trackside.tui.widgets.headline import Headline
from trackside.tui.widgets.lines import LinesWidget, changed_regions
from trackside.tui.widgets.rep_strip import RepStrip
from trackside.tui.widgets.window_bar import WindowBar


class Terminal:
    """A screen fed the app's frames as the terminal gets them: each partial update moves the
    cursor and writes cells; what it does not write stays as it was."""

    def __init__(self, width: int, height: int) -> None:
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


def check_painted(rigged: Rig, terminal: Terminal) -> None:
    shown = terminal.lines()
    for kind in (BigText, Headline, WindowBar, RepStrip):
        widget = rigged.screen.query_one(kind)
        region = widget.region
        if widget.display and region.area:
            painted = [row[region.x : region.right] for row in shown[region.y : region.bottom]]
            assert painted == expected(widget), f"{kind.__name__} at {rigged.session.now}"


async def every_second(rigged: Rig, pilot: Pilot[int], terminal: Terminal, seconds: int) -> None:
    for _ in range(seconds):
        await rigged.advance(pilot, 1)
        check_painted(rigged, terminal)


async def test_a_recovery_second_by_second_paints_what_a_full_redraw_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0))
    terminal = Terminal(100, 30)
    watch(rigged.app, terminal, monkeypatch)
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await every_second(rigged, pilot, terminal, 3)
        await rigged.advance(pilot, 67)
        await pilot.press("space")  # the recovery: its clock, the bar, the window opening
        check_painted(rigged, terminal)
        await every_second(rigged, pilot, terminal, 185)  # into rep 2 by itself
        terminal.rows = [[" "] * 80 for _ in range(24)]  # a resize redraws everything
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await every_second(rigged, pilot, terminal, 3)


async def test_the_time_display_rep_clock_and_pause_paint_what_a_full_redraw_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rigged = rig(shipped("10x400m-90s"), settings=Settings(countdown_s=0))
    terminal = Terminal(100, 30)
    watch(rigged.app, terminal, monkeypatch)
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await every_second(rigged, pilot, terminal, 75)  # 0:59 to 1:00 and on
        await pilot.press("p")
        check_painted(rigged, terminal)
        await pilot.press("p")
        await every_second(rigged, pilot, terminal, 2)


def test_changed_regions_cover_exactly_the_changed_cells() -> None:
    old = ["  12:34  ", "abc"]
    new = ["  12:35  ", "abc", "x"]
    regions = changed_regions(old, new, 9, 4)
    assert [(r.x, r.y, r.width, r.height) for r in regions] == [(6, 0, 1, 1), (0, 2, 1, 1)]
    assert changed_regions(new, new, 9, 4) == []
    assert changed_regions(["abcdefghijk"], ["abcdefghijX"], 5, 1) == []  # beyond the width
