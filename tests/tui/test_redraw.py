"""Repainting only the cells that changed leaves on screen exactly what a full redraw would.

The app's frames go to a small terminal model (cursor moves and text), so a cell the partial
repaints miss stays stale there, as it would in the terminal."""

from __future__ import annotations

import pytest
from app_helpers import Rig, rig, shipped
from terminal import Terminal, expected, watch
from textual.pilot import Pilot

from trackside.settings import Settings
from trackside.tui.widgets.big_text import BigText
from trackside.tui.widgets.headline import Headline
from trackside.tui.widgets.lines import changed_regions
from trackside.tui.widgets.rep_strip import RepStrip
from trackside.tui.widgets.window_bar import WindowBar


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
        terminal.resize(80, 24)
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
