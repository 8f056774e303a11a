"""SVG snapshots of the coach's screen: 3, 10 and 20 athletes at 100x30 and 40x12, both themes,
and the group's Summary; the group built by the engine on a fake clock, shown as a resumed
group is.

Update them after a deliberate change of look with ``pytest tests/snapshots --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind
from trackside.core.group import Athlete, Group
from trackside.history.groups import GroupLog, ResumedGroup
from trackside.history.resume import OffsetClock
from trackside.history.service import HistoryAtStart
from trackside.presets.loader import load_library
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.group_summary import GroupSummaryScreen

from test_snapshots import BUILTIN  # isort: skip

SnapCompare = Callable[..., bool]
NAMES = [
    "Ann",
    "Ben",
    "Cid",
    "Dee",
    "Eli",
    "Fay",
    "Gus",
    "Hal",
    "Ivy",
    "Jon",
    "Kim",
    "Lou",
    "Max",
    "Nia",
    "Oli",
    "Pam",
    "Quin",
    "Rui",
    "Sam",
    "Tia",
]
KEYS = "1234567890abcdefhijk"
NOW = 200.0


def plan_21() -> object:
    entry = next(e for e in load_library(BUILTIN, BUILTIN / "none") if e.id == "21x400m")
    assert entry.preset is not None
    return entry.preset.plan


def group_at(count: int) -> Group:
    """``count`` athletes of the 21 x 400m (a 2:30-3:00 window), 200 s after the start: some
    still in rep 1, some in a recovery before the window, some with it open, some about to go
    by themselves, one just sent off by the coach."""
    plan = plan_21()
    athletes = [Athlete(NAMES[i], plan) for i in range(count)]  # type: ignore[arg-type]
    group = Group(athletes, 3).apply_all(ActionKind.START, 0).group
    marks = {1: 50.0, 2: 40.0, 3: 20.0}
    keys = sorted((3 + marks[i % 4] + i / 10, i) for i in range(count) if i % 4)
    for at, i in keys:  # in time order, as a group is driven
        group = group.apply(i, ActionKind.MARK, at).group
    group = group.apply(1, ActionKind.GO_NOW, NOW - 2).group
    return group.advance(NOW).group


def app_on(group: Group, theme: str) -> TracksideApp:
    clock = FakeClock(NOW)
    log = GroupLog(None, "Tuesday squad", 3, [])
    keys = tuple(KEYS[: len(group.athletes)])
    resumed = ResumedGroup(group, OffsetClock(clock, 0.0), log, keys, "Tuesday squad", ())
    settings = Settings(countdown_s=3, theme=theme)
    return TracksideApp(clock=clock, settings=settings, history=HistoryAtStart(group=resumed))


@pytest.mark.parametrize("theme", ["trackside-dark", "trackside-light"])
@pytest.mark.parametrize("size", [(100, 30), (40, 12)])
@pytest.mark.parametrize("count", [3, 10, 20])
def test_coach(snap_compare: SnapCompare, count: int, size: tuple[int, int], theme: str) -> None:
    assert snap_compare(app_on(group_at(count), theme), terminal_size=size)


def test_group_summary(snap_compare: SnapCompare) -> None:
    group = group_at(5).apply_all(ActionKind.END, NOW + 1).group

    async def to_summary(pilot: object) -> None:
        app = pilot.app  # type: ignore[attr-defined]
        screen = GroupSummaryScreen(group, tuple(KEYS[:5]), title="Tuesday squad")
        await app.push_screen(screen)

    app = app_on(group_at(5), "trackside-dark")
    assert snap_compare(app, terminal_size=(100, 30), run_before=to_summary)
