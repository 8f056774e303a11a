"""Whole sessions through the runner on the fake clock: the shipped 21 x 400m pressed key by key,
and every shipped preset from the start to the end (what the app does, without a screen)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from trackside.core.clock import FakeClock
from trackside.core.events import (
    Action,
    ActionKind,
    EndReason,
    Event,
    EventKind,
    Phase,
    WindowNotOpen,
)
from trackside.core.plan import Plan, StepKind
from trackside.core.results import rep_stats, rows
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.presets.loader import load_library

A = ActionKind
E = EventKind
BUILTIN = Path(__file__).resolve().parents[2] / "presets"
SHIPPED = {
    entry.id: entry.preset.plan
    for entry in load_library(BUILTIN, BUILTIN / "none")
    if entry.preset is not None
}


@dataclass
class Track:
    """A runner on a fake clock, its log and everything its listener heard."""

    plan: Plan
    countdown_s: int = 3
    clock: FakeClock = field(default_factory=FakeClock)
    heard: list[Event] = field(default_factory=list)
    logged: list[Action] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.runner = Runner(
            Session(self.plan, self.countdown_s),
            self.clock,
            log=self,
            listeners=[lambda _session, events: self.heard.extend(events)],
        )

    def record(self, action: Action, wall: float) -> None:
        self.logged.append(action)

    @property
    def session(self) -> Session:
        return self.runner.session

    def wait(self, seconds: float) -> None:
        """Let ``seconds`` pass, and the screen's timer fire once at the end of them."""
        self.clock.advance(seconds)
        self.runner.tick()

    def press(self, kind: ActionKind) -> None:
        self.runner.act(kind)

    def kinds(self) -> list[EventKind]:
        return [event.kind for event in self.heard]


def assert_rep(track: Track, rep: int) -> None:
    assert track.session.phase is Phase.REP
    assert track.session.current_rep == rep


def assert_recovery(track: Track, next_rep: int) -> None:
    session = track.session
    assert session.phase is Phase.RECOVERY
    assert session.next_rep_index is not None
    assert session.plan.steps[session.next_rep_index].rep == next_rep


def start_21x400m(track: Track) -> None:
    """The 3-2-1, then rep 1."""
    track.press(A.START)
    assert track.session.phase is Phase.COUNTDOWN
    track.wait(1)
    assert track.session.phase is Phase.COUNTDOWN
    track.wait(2)
    assert_rep(track, 1)
    assert track.kinds()[:5] == [E.SESSION_STARTED, *[E.START_COUNTDOWN] * 3, E.REP_STARTED]


def the_first_four_reps(track: Track) -> None:
    """An early press, the window, a recovery ending by itself, an undo and a pause."""
    track.wait(75)
    track.press(A.MARK)
    assert_recovery(track, 2)
    assert track.session.splits() == [(1, 75)]
    track.wait(60)
    with pytest.raises(WindowNotOpen, match="window opens in 1:30"):
        track.press(A.MARK)
    track.wait(90)
    assert track.heard[-1].kind is E.WINDOW_OPENED
    track.press(A.MARK)
    assert_rep(track, 2)
    # Rep 2, then the recovery runs to 3:00 and rep 3 starts by itself after five pips.
    track.wait(74)
    track.press(A.MARK)
    track.wait(176)
    assert track.session.phase is Phase.RECOVERY
    track.wait(4)
    assert_rep(track, 3)
    assert track.session.records[-1].reason is EndReason.AUTO
    assert track.kinds().count(E.COUNTDOWN) == 5
    # Undo: the mark taken back puts rep 3 back on, its time still running from its start.
    track.wait(70)
    track.press(A.MARK)
    track.wait(2)
    track.press(A.UNDO)
    assert_rep(track, 3)
    assert track.session.elapsed() == 72
    track.wait(1)
    track.press(A.MARK)
    assert track.session.splits()[-1] == (3, 73)
    # A pause in the recovery is not counted.
    track.wait(10)
    track.press(A.PAUSE)
    track.wait(100)
    track.press(A.RESUME)
    assert track.session.elapsed() == 10
    track.wait(140)
    track.press(A.MARK)
    assert_rep(track, 4)


def test_a_whole_21x400m_session_pressed_key_by_key() -> None:
    track = Track(SHIPPED["21x400m"])
    start_21x400m(track)
    the_first_four_reps(track)
    for rep in range(4, 21):
        assert_rep(track, rep)
        track.wait(70 + rep % 3)
        track.press(A.MARK)
        assert_recovery(track, rep + 1)
        if rep == 10:
            track.wait(100)
            track.press(A.GO_NOW)
        else:
            track.wait(155)
            track.press(A.MARK)
    assert_rep(track, 21)
    assert track.heard[-1].kind is E.FINAL_REP_STARTED
    track.wait(66)
    track.press(A.MARK)

    session = track.session
    assert session.phase is Phase.DONE
    assert track.logged == list(session.actions), "every action the runner took is in the log"
    assert Session.replay(session.plan, track.logged, session.now, 3).state == session.state
    stats = rep_stats(session.plan, session.records)
    assert stats is not None
    assert (stats.count, stats.fastest, stats.slowest, stats.final) == (21, (21, 66), (1, 75), 66)
    flagged = [(row.kind, row.seconds, row.flag) for row in rows(session.plan, session.records)]
    assert [row for row in flagged if row[2]] == [(StepKind.RECOVERY, 100, "early")]
    kinds = track.kinds()
    # Every recovery's window opened but the one left early (the one after rep 10).
    assert kinds.count(E.WINDOW_OPENED) == 19
    assert kinds.count(E.FINAL_REP_NEXT) == 1
    assert kinds[-1] is E.SESSION_DONE


def test_final_rep_next_comes_with_the_last_recovery() -> None:
    track = Track(SHIPPED["21x400m"])
    start_21x400m(track)
    for rep in range(1, 21):
        track.wait(70)
        heard = len(track.heard)
        track.press(A.MARK)
        news = [event.kind for event in track.heard[heard:]]
        assert (E.FINAL_REP_NEXT in news) == (rep == 20), rep
        track.wait(150)
        if rep < 20:
            track.press(A.MARK)
    assert_recovery(track, 21)
    assert track.session.plan.steps[track.session.next_rep_index or 0].all_out


@pytest.mark.parametrize("preset_id", sorted(SHIPPED))
def test_every_shipped_preset_runs_from_start_to_done(preset_id: str) -> None:
    plan = SHIPPED[preset_id]
    track = Track(plan, countdown_s=0)
    track.press(A.START)
    for _ in range(2 * len(plan.steps)):
        step = track.session.step
        if step is None:
            break
        if step.auto_end_s is None:
            track.wait(max(60.0, step.min_s or 0.0))
            track.press(A.MARK)
        else:
            track.wait(step.auto_end_s)  # ends by itself, exactly on time
    session = track.session
    assert session.phase is Phase.DONE
    assert [record.index for record in session.records] == list(range(len(plan.steps)))
    for step, record in zip(plan.steps, session.records, strict=True):
        by_itself = step.auto_end_s is not None
        wanted = EndReason.AUTO if by_itself else EndReason.MARKED
        assert record.reason is wanted, (step, record)
        if by_itself:
            assert record.duration == step.auto_end_s
    assert len(session.splits()) == plan.total_reps
    assert track.kinds().count(E.SESSION_DONE) == 1
    assert track.kinds()[-1] is E.SESSION_DONE
    assert track.logged == list(session.actions)
