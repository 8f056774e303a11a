"""Every shipped preset runs from Ready to a Summary with one split per rep."""

from __future__ import annotations

import re

import pytest
from app_helpers import BUILTIN, rig, shipped

from trackside.core.events import Phase
from trackside.presets.loader import load_library
from trackside.settings import Settings
from trackside.tui.screens.summary import SummaryScreen

IDS = [entry.id for entry in load_library(BUILTIN, BUILTIN / "none") if entry.ok]
REP_FORM = re.compile(r"REP \d+/\d+")


@pytest.mark.parametrize("preset_id", IDS)
async def test_every_preset_runs_to_the_summary(preset_id: str) -> None:
    preset = shipped(preset_id)
    rigged = rig(preset, settings=Settings(countdown_s=0))
    total = preset.to_plan().total_reps
    async with rigged.app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        for _ in range(10 * len(preset.to_plan().steps)):
            session = rigged.session
            if session.finished:
                break
            step = session.step
            assert step is not None
            phase = rigged.phase()
            headline = rigged.headline()
            # The headline alone tells the phase.
            assert (REP_FORM.search(headline) is not None) == (phase is Phase.REP)
            assert ("RECOVERY" in headline) == (phase is Phase.RECOVERY)
            if step.auto_end_s is None:
                await rigged.advance(pilot, max(60.0, step.min_s or 0.0))
                await pilot.press("space")
            else:
                await rigged.advance(pilot, 15)
        await pilot.pause()
        assert isinstance(rigged.app.screen, SummaryScreen)
        assert len(rigged.session.splits()) == total
