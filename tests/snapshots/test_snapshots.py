"""SVG snapshots of the key screens at fixed sizes, on a fake clock.

Update them after a deliberate change of look with ``pytest tests/snapshots --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from trackside.core.clock import FakeClock
from trackside.presets.loader import PresetEntry, load_library
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.session import SessionScreen

BUILTIN = Path(__file__).resolve().parents[2] / "presets"
SnapCompare = Callable[..., bool]
Steps = list[tuple[str, float]]


def entries() -> list[PresetEntry]:
    """A fixed library: two shipped presets and a broken user preset (new files change nothing)."""
    shipped = load_library(BUILTIN, BUILTIN / "none")
    chosen = [entry for entry in shipped if entry.id in ("21x400m", "6x800m")]
    broken = PresetEntry(
        "my-typo",
        Path("my-typo.toml"),
        "user",
        None,
        ('line 4, column 20: invalid TOML; distances go in quotes, e.g. "400m"',),
    )
    return [*chosen, broken]


def session_app() -> tuple[TracksideApp, FakeClock]:
    clock = FakeClock()
    preset = next(entry.preset for entry in entries() if entry.id == "21x400m")
    app = TracksideApp(clock=clock, preset=preset, settings=Settings(countdown_s=0))
    return app, clock


def driving(clock: FakeClock, steps: Steps) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A run_before that presses keys and moves the fake clock: ("space", 0), ("wait", 70)."""

    async def run(pilot: Pilot[Any]) -> None:
        for key, seconds in steps:
            if key == "wait":
                clock.advance(seconds)
                if isinstance(pilot.app.screen, SessionScreen):
                    pilot.app.screen.tick()
            else:
                await pilot.press(key)
            await pilot.pause()

    return run


def reps(count: int) -> Steps:
    """Run ``count`` reps of 70 s, each followed by 2:40 of recovery and Space."""
    steps: Steps = []
    for _ in range(count):
        steps += [("wait", 70), ("space", 0), ("wait", 160), ("space", 0)]
    return steps


def test_picker(snap_compare: SnapCompare) -> None:
    app = TracksideApp(clock=FakeClock(), library=entries())
    assert snap_compare(app, terminal_size=(100, 30))


def test_rep(snap_compare: SnapCompare) -> None:
    app, clock = session_app()
    steps = [("space", 0), *reps(6), ("wait", 30)]
    assert snap_compare(app, terminal_size=(80, 24), run_before=driving(clock, steps))


def test_recovery_with_the_window_open(snap_compare: SnapCompare) -> None:
    app, clock = session_app()
    steps = [("space", 0), *reps(6), ("wait", 71), ("space", 0), ("wait", 163)]
    assert snap_compare(app, terminal_size=(80, 24), run_before=driving(clock, steps))


def test_final_rep(snap_compare: SnapCompare) -> None:
    app, clock = session_app()
    steps = [("space", 0), *reps(20), ("wait", 20)]
    assert snap_compare(app, terminal_size=(80, 24), run_before=driving(clock, steps))


def test_summary(snap_compare: SnapCompare) -> None:
    app, clock = session_app()
    steps: Steps = [("space", 0)]
    for rep in range(1, 21):
        steps += [("wait", 68 + rep % 5), ("space", 0), ("wait", 150 if rep != 9 else 90)]
        steps.append(("g", 0) if rep == 9 else ("space", 0))
    steps += [("wait", 64), ("space", 0)]
    assert snap_compare(app, terminal_size=(100, 30), run_before=driving(clock, steps))
