"""Helpers for the coach's tests: a short preset, a line-up, an app on a fake clock."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.pilot import Pilot

from trackside.core.clock import FakeClock
from trackside.core.group import Group
from trackside.presets.checked import CheckedPreset
from trackside.presets.loader import load_checked
from trackside.presets.roster import LineUp, line_up, roster_from_names
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.coaching import CoachStart, GroupLogFactory
from trackside.tui.screens.coach import CoachScreen

SHORT = """
name = "3 x 100m, a 4-6 s window"
exertion = 7

[[block]]
reps = 3
work = { distance = "100m", effort = "fast" }
recovery = { activity = "walk", min = 4, max = 6 }
"""
"""Three reps of 100 m, each recovery a window from 4 to 6 seconds: what a coach tries first."""


def short_preset(folder: Path) -> CheckedPreset:
    """The short preset, written to ``folder`` and loaded as the app would."""
    path = folder / "short.toml"
    path.write_text(SHORT, encoding="utf-8")
    return load_checked(str(path))


def lineup_of(names: str, preset: CheckedPreset, stagger: int | None = None) -> LineUp:
    """The line-up ``--athletes NAMES`` makes with ``preset``."""
    roster = roster_from_names(names)
    if stagger is not None:
        roster = roster.staggered(stagger)
    return line_up(roster, preset, "short", load_checked, "--athletes")


@dataclass
class CoachRig:
    """An app opened on a group, with the fake clock it runs on."""

    app: TracksideApp
    clock: FakeClock

    @property
    def screen(self) -> CoachScreen:
        screen = self.app.screen
        assert isinstance(screen, CoachScreen), type(screen).__name__
        return screen

    @property
    def group(self) -> Group:
        run = self.app.coaching.run
        assert run is not None
        return run.runner.group

    async def advance(self, pilot: Pilot[int], seconds: float) -> None:
        """Move the clock on and let the coach's screen catch up, as its timer would."""
        self.clock.advance(seconds)
        if isinstance(self.app.screen, CoachScreen):
            self.app.screen.tick()
        await pilot.pause()


def coach_rig(
    lineup: LineUp, log_factory: GroupLogFactory | None = None, settings: Settings | None = None
) -> CoachRig:
    """The app opened on ``lineup`` (no history unless ``log_factory`` keeps one)."""
    clock = FakeClock()
    app = TracksideApp(
        clock=clock,
        library=[],
        settings=settings or Settings(countdown_s=3),
        coach=CoachStart(lineup=lineup, log_factory=log_factory),
    )
    return CoachRig(app, clock)
