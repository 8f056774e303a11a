"""Every shipped preset on screen: the headline alone names the phase at every step (the view,
no terminal), and one preset walked through the app from Ready to the Summary.

Running each preset to its end is the engine's test (``tests/core/test_whole_sessions.py``);
the 21 x 400m is walked through the app in ``test_whole_session.py``.
"""

from __future__ import annotations

import re

import pytest
from app_helpers import BUILTIN, rig, shipped

from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind, Phase
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.presets.loader import load_library
from trackside.settings import Settings
from trackside.tui.screens.summary import SummaryScreen
from trackside.tui.view import view

IDS = [entry.id for entry in load_library(BUILTIN, BUILTIN / "none") if entry.ok]
REP_FORM = re.compile(r"REP \d+/\d+")


def assert_headline_names_the_phase(headline: str, phase: Phase) -> None:
    assert (REP_FORM.search(headline) is not None) == (phase is Phase.REP), headline
    assert ("RECOVERY" in headline) == (phase is Phase.RECOVERY), headline


@pytest.mark.parametrize("preset_id", IDS)
def test_the_headline_names_the_phase_at_every_step(preset_id: str) -> None:
    plan = shipped(preset_id).plan
    clock = FakeClock()
    runner = Runner(Session(plan, 0), clock)
    runner.act(ActionKind.START)
    seen = set()
    while (step := runner.session.step) is not None:
        phase = runner.session.running_phase
        seen.add(phase)
        for show_rep_clock in (False, True):
            shown = view(runner.session, clock.now(), show_rep_clock)
            assert_headline_names_the_phase(shown.headline[0], phase)
        if step.auto_end_s is None:
            clock.advance(max(60.0, step.min_s or 0.0))
            runner.act(ActionKind.MARK)
        else:
            clock.advance(step.auto_end_s)
            runner.tick()
    assert Phase.REP in seen
    assert runner.session.finished


async def test_tabata_runs_on_screen_to_the_summary() -> None:
    """Timed reps and recoveries end by themselves on screen, between an open warmup's key
    and the cooldown's."""
    preset = shipped("tabata")
    rigged = rig(preset, settings=Settings(countdown_s=0))
    plan = preset.plan
    async with rigged.app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        for _ in range(2 * len(plan.steps)):
            session = rigged.session
            if session.finished:
                break
            step = session.step
            assert step is not None
            assert_headline_names_the_phase(rigged.headline(), rigged.phase())
            if step.auto_end_s is None:
                await rigged.advance(pilot, max(60.0, step.min_s or 0.0))
                await pilot.press("space")
            else:
                await rigged.advance(pilot, step.auto_end_s)
        await pilot.pause()
        assert isinstance(rigged.app.screen, SummaryScreen)
        assert len(rigged.session.splits()) == plan.total_reps
