"""The group runner: a group driven by a clock, its actions logged a key at a time, events heard."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from test_group import reps

from trackside.core.clock import FakeClock
from trackside.core.events import Action, ActionKind, EventKind, IllegalAction, Phase
from trackside.core.group import Athlete, AthleteEvent, Group
from trackside.core.group_runner import GroupRunner

A = ActionKind
E = EventKind


@dataclass
class Log:
    """Keeps each write as it came: one list per key."""

    writes: list[tuple[list[tuple[int, Action]], float]] = field(default_factory=list)

    def record(self, actions: Sequence[tuple[int, Action]], wall: float) -> None:
        self.writes.append((list(actions), wall))


@dataclass
class Ears:
    heard: list[AthleteEvent] = field(default_factory=list)

    def __call__(self, group: Group, events: tuple[AthleteEvent, ...]) -> None:
        self.heard.extend(events)


def runner(offsets: tuple[int, ...] = (0, 0, 0)) -> tuple[GroupRunner, FakeClock, Log, Ears]:
    clock, log, ears = FakeClock(0.0), Log(), Ears()
    athletes = [Athlete(f"A{i}", reps(3), offset) for i, offset in enumerate(offsets)]
    walls = iter(float(n) for n in range(1000, 2000))
    group_runner = GroupRunner(
        Group(athletes, 3), clock, log=log, listeners=[ears], wall=lambda: next(walls)
    )
    return group_runner, clock, log, ears


def test_the_group_start_is_one_write_of_everyones_start() -> None:
    group_runner, _clock, log, ears = runner()
    group_runner.act_all(A.START)
    assert log.writes == [([(0, Action(A.START, 0.0)), (1, Action(A.START, 0.0)),
                            (2, Action(A.START, 0.0))], 1000.0)]  # fmt: skip
    assert {e.athlete for e in ears.heard if e.event.kind is E.SESSION_STARTED} == {0, 1, 2}


def test_an_athletes_key_writes_their_action_only() -> None:
    group_runner, clock, log, _ears = runner()
    group_runner.act_all(A.START)
    clock.set(63.0)
    events = group_runner.act(1, A.MARK)
    assert log.writes[-1] == ([(1, Action(A.MARK, 63.0))], 1001.0)
    assert [(e.athlete, e.event.kind) for e in events if e.event.kind is E.REP_MARKED] == [
        (1, E.REP_MARKED)
    ]
    assert group_runner.group.sessions[1].running_phase is Phase.RECOVERY


def test_a_refused_key_writes_nothing_and_says_why() -> None:
    group_runner, clock, log, _ears = runner()
    group_runner.act_all(A.START)
    clock.set(63.0)
    group_runner.act(0, A.MARK)
    clock.set(64.0)
    assert str(group_runner.check(0, A.MARK)) == "window opens in 0:03"
    with pytest.raises(IllegalAction, match="window opens in 0:03"):
        group_runner.act(0, A.MARK)
    assert len(log.writes) == 2


def test_pause_is_written_for_those_still_running_only() -> None:
    group_runner, clock, log, _ears = runner()
    group_runner.act_all(A.START)
    clock.set(10.0)
    group_runner.act(2, A.END)
    assert group_runner.takers(A.PAUSE) == (0, 1)
    group_runner.act_all(A.PAUSE)
    assert log.writes[-1][0] == [(0, Action(A.PAUSE, 10.0)), (1, Action(A.PAUSE, 10.0))]


def test_a_tick_tells_what_came_due_and_writes_nothing() -> None:
    group_runner, clock, log, ears = runner((0, 5, 10))
    group_runner.act_all(A.START)
    clock.set(8.5)
    events = group_runner.tick()
    assert [(e.athlete, e.event.due) for e in events if e.event.kind is E.REP_STARTED] == [
        (0, 3.0),
        (1, 8.0),
    ]
    assert len(log.writes) == 1
    assert ears.heard[-len(events) :] == list(events)
