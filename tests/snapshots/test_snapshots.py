"""SVG snapshots of the key screens at fixed sizes, on a fake clock.

Update them after a deliberate change of look with ``pytest tests/snapshots --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.service import HistoryAtStart
from trackside.presets.checked import CheckedPreset
from trackside.presets.loader import PresetEntry, load_library
from trackside.settings import Settings, ThemeName
from trackside.tui.app import TracksideApp

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


def shipped_21x400m() -> CheckedPreset:
    preset = next(entry.preset for entry in entries() if entry.id == "21x400m")
    assert preset is not None
    return preset


def session_at(steps: Steps, theme: ThemeName = "trackside-dark") -> TracksideApp:
    """The app opened on the 21 x 400m session those keys make (Space starts it, then marks; g
    starts a rep early), the session built by the engine on the fake clock, not walked rep by
    rep through the app: the screen shows what it holds, as it does for a resumed session."""
    clock = FakeClock()
    session = Session(shipped_21x400m().plan, 0)
    for key, seconds in steps:
        clock.advance(seconds)
        if key != "wait":
            kind = ActionKind.GO_NOW if key == "g" else ActionKind.MARK
            session = session.apply(kind if session.actions else ActionKind.START, clock.now())
            session = session.session
    runner = Runner(session, clock)
    start = HistoryAtStart(resume=runner)
    settings = Settings(countdown_s=0, theme=theme)
    return TracksideApp(clock=clock, settings=settings, history=start)


def reps(count: int) -> Steps:
    """Run ``count`` reps of 70 s, each followed by 2:40 of recovery and Space."""
    steps: Steps = []
    for _ in range(count):
        steps += [("wait", 70), ("space", 0), ("wait", 160), ("space", 0)]
    return steps


def test_picker(snap_compare: SnapCompare) -> None:
    app = TracksideApp(clock=FakeClock(), library=entries())
    assert snap_compare(app, terminal_size=(100, 30))


# The track screen at the sizes a runner meets it (a laptop, a small window, a phone-sized
# split), in both themes: the rep count big, the headline naming phase and rep at 20x8.
SIZES = [(100, 30), (40, 12), (20, 8)]
THEMES: list[ThemeName] = ["trackside-dark", "trackside-light"]
on_track = pytest.mark.parametrize("theme", THEMES)
at_sizes = pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")


def test_rep(snap_compare: SnapCompare) -> None:
    app = session_at([("space", 0), *reps(6), ("wait", 30)])
    assert snap_compare(app, terminal_size=(80, 24))


def test_recovery_with_the_window_open(snap_compare: SnapCompare) -> None:
    app = session_at([("space", 0), *reps(6), ("wait", 71), ("space", 0), ("wait", 163)])
    assert snap_compare(app, terminal_size=(80, 24))


def test_final_rep(snap_compare: SnapCompare) -> None:
    app = session_at([("space", 0), *reps(20), ("wait", 20)])
    assert snap_compare(app, terminal_size=(80, 24))


@on_track
@at_sizes
def test_rep_at(snap_compare: SnapCompare, size: tuple[int, int], theme: ThemeName) -> None:
    app = session_at([("space", 0), *reps(6), ("wait", 30)], theme)
    assert snap_compare(app, terminal_size=size)


@on_track
@at_sizes
def test_window_open_at(snap_compare: SnapCompare, size: tuple[int, int], theme: ThemeName) -> None:
    steps = [("space", 0), *reps(6), ("wait", 71), ("space", 0), ("wait", 163)]
    assert snap_compare(session_at(steps, theme), terminal_size=size)


@on_track
@at_sizes
def test_final_rep_at(snap_compare: SnapCompare, size: tuple[int, int], theme: ThemeName) -> None:
    app = session_at([("space", 0), *reps(20), ("wait", 20)], theme)
    assert snap_compare(app, terminal_size=size)


def test_summary(snap_compare: SnapCompare) -> None:
    steps: Steps = [("space", 0)]
    for rep in range(1, 21):
        steps += [("wait", 68 + rep % 5), ("space", 0), ("wait", 150 if rep != 9 else 90)]
        steps.append(("g", 0) if rep == 9 else ("space", 0))
    steps += [("wait", 64), ("space", 0)]
    assert snap_compare(session_at(steps), terminal_size=(100, 30))
