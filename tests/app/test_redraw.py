"""Repainting only the cells that changed leaves on screen exactly what a full redraw would."""

from __future__ import annotations

from app_helpers import Rig, rig, shipped
from textual.pilot import Pilot

from trackside.settings import Settings
from trackside.widgets.big_text import BigText
from trackside.widgets.headline import Headline
from trackside.widgets.lines import LinesWidget, changed_regions
from trackside.widgets.rep_strip import RepStrip
from trackside.widgets.window_bar import WindowBar


def painted(widget: LinesWidget) -> list[str]:
    """The widget's rows as the compositor has them (rows not repainted come from its cache)."""
    return [strip.text for strip in widget.render_lines(widget.outer_size.region)]


def expected(widget: LinesWidget) -> list[str]:
    """The widget's rows drawn from scratch: its lines in its content area, inside the padding."""
    width, height = widget.content_size
    left, right = widget.styles.padding.left, widget.styles.padding.right
    lines = widget.lines(width, height)
    rows = [lines[y] if y < len(lines) else "" for y in range(height)]
    return [" " * left + row[:width].ljust(width) + " " * right for row in rows]


def check_painted(rigged: Rig) -> None:
    for kind in (BigText, Headline, WindowBar, RepStrip):
        widget = rigged.screen.query_one(kind)
        if widget.display and widget.outer_size.area:
            assert painted(widget) == expected(widget), f"{kind.__name__} at {rigged.session.now}"


async def every_second(rigged: Rig, pilot: Pilot[int], seconds: int) -> None:
    for _ in range(seconds):
        await rigged.advance(pilot, 1)
        check_painted(rigged)


async def test_a_recovery_second_by_second_paints_what_a_full_redraw_would() -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await every_second(rigged, pilot, 3)
        await rigged.advance(pilot, 67)
        await pilot.press("space")  # the recovery: its clock, the bar, the window opening
        check_painted(rigged)
        await every_second(rigged, pilot, 185)  # into rep 2 by itself
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await every_second(rigged, pilot, 3)


async def test_the_time_display_rep_clock_and_pause_paint_what_a_full_redraw_would() -> None:
    rigged = rig(shipped("10x400m-90s"), settings=Settings(countdown_s=0))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await every_second(rigged, pilot, 75)  # 0:59 to 1:00 and on
        await pilot.press("p")
        check_painted(rigged)
        await pilot.press("p")
        await every_second(rigged, pilot, 2)


def test_changed_regions_cover_exactly_the_changed_cells() -> None:
    old = ["  12:34  ", "abc"]
    new = ["  12:35  ", "abc", "x"]
    regions = changed_regions(old, new, 9, 4)
    assert [(r.x, r.y, r.width, r.height) for r in regions] == [(6, 0, 1, 1), (0, 2, 1, 1)]
    assert changed_regions(new, new, 9, 4) == []
    assert changed_regions(["abcdefghijk"], ["abcdefghijX"], 5, 1) == []  # beyond the width
