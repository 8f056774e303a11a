"""From 200x60 down to 20x8, mid-session: no crash, and the phase, rep and clock stay visible."""

from __future__ import annotations

import pytest
from app_helpers import rig, shipped
from terminal import Terminal, expected, painted, watch
from textual.pilot import Pilot

from trackside.core.events import Phase
from trackside.settings import Settings
from trackside.tui.screens.summary import SummaryScreen
from trackside.tui.widgets.big_text import BigText
from trackside.tui.widgets.headline import Headline

SIZES = [(200, 60), (120, 40), (100, 30), (80, 24), (60, 16), (40, 12), (30, 10), (20, 8)]


def on_screen(pilot: Pilot[int]) -> str:
    """What the terminal shows, as the text of a screenshot (runs of one style each)."""
    return pilot.app.export_screenshot().replace("&#160;", " ")


async def test_resizing_through_every_size_keeps_the_essentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0))
    terminal = Terminal(*SIZES[0])
    watch(rigged.app, terminal, monkeypatch)
    async with rigged.app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("space")
        await rigged.advance(pilot, 70)
        await pilot.press("space")
        await rigged.advance(pilot, 151)
        assert rigged.screen.has_class("window-open")
        for size in [*SIZES, *reversed(SIZES)]:
            terminal.resize(*size)
            await pilot.resize_terminal(*size)
            await pilot.pause()
            headline = rigged.screen.query_one(Headline)
            assert headline.region.height == 1
            assert headline.region.width == size[0]
            # The phase and the rep to come, in words where they fit, else as "REC 2/21".
            words = painted(headline, terminal)[0].strip()
            assert words.startswith("RECOVERY") or words == "REC 2/21", size
            assert "2 of 21" in words or words == "REC 2/21", size
            # The clock shows the recovery's time, drawn as the widget draws it, not blank.
            big = rigged.screen.query_one(BigText)
            assert big.region.height >= 1, f"clock hidden at {size}"
            assert big.text == "2:31"
            clock = painted(big, terminal)
            assert clock == expected(big), f"clock not drawn at {size}"
            assert any(line.strip() for line in clock), f"clock blank at {size}"
        assert rigged.phase() is Phase.RECOVERY


@pytest.mark.parametrize("size", SIZES)
async def test_a_rep_at_every_size_names_the_rep(
    size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0, show_rep_clock=True))
    terminal = Terminal(*size)
    watch(rigged.app, terminal, monkeypatch)
    async with rigged.app.run_test(size=size) as pilot:
        await pilot.press("space")
        await rigged.advance(pilot, 5)
        headline = rigged.screen.query_one(Headline)
        assert painted(headline, terminal)[0].strip().startswith("REP 1/21"), size
        big = rigged.screen.query_one(BigText)
        assert big.region.height >= 1
        assert big.text == "0:05"
        assert painted(big, terminal) == expected(big)


async def test_the_clock_is_a_third_of_a_24_row_terminal_and_more_on_larger() -> None:
    heights = {}
    for size in [(80, 24), (100, 30), (200, 60)]:
        rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0))
        async with rigged.app.run_test(size=size) as pilot:
            await pilot.press("space")
            await rigged.advance(pilot, 70)
            await pilot.press("space")
            await rigged.advance(pilot, 42)
            lines = rigged.screen.query_one(BigText).shown_lines()
            heights[size] = sum(1 for line in lines if line.strip())
    assert heights[(80, 24)] >= 8
    assert heights[(80, 24)] < heights[(100, 30)] < heights[(200, 60)]


async def test_the_summary_fits_a_small_terminal() -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0))
    async with rigged.app.run_test(size=(40, 12)) as pilot:
        await pilot.press("space")
        await rigged.advance(pilot, 70)
        await pilot.press("space")
        await pilot.press("q")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(rigged.app.screen, SummaryScreen)
        await pilot.resize_terminal(20, 8)
        await pilot.pause()
        assert "Summary" in on_screen(pilot)
