"""The session engine driven through whole workouts with a fake clock."""

from __future__ import annotations

import pytest

from trackside.core.clock import FakeClock
from trackside.core.events import (
    ActionKind,
    EndReason,
    EndsByItself,
    EventKind,
    IllegalAction,
    NothingToUndo,
    Phase,
    WindowNotOpen,
)
from trackside.core.plan import Display, Plan, Step, StepKind
from trackside.core.session import LEGAL, Session

A = ActionKind
E = EventKind


def plan_21x400() -> Plan:
    steps: list[Step] = []
    for rep in range(1, 22):
        final = rep == 21
        effort = "All You Got" if final else "3K effort"
        steps.append(Step(StepKind.WORK, 400, "400m", effort=effort, all_out=final, rep=rep))
        if not final:
            steps.append(Step(StepKind.RECOVERY, 400, "400m", min_s=150, max_s=180, activity="jog"))
    return Plan("21 x 400m", tuple(steps), Display.EFFORT)


def plan_tabata() -> Plan:
    steps = [Step(StepKind.WARMUP, time_s=60, activity="jog")]
    for rep in range(1, 9):
        steps.append(Step(StepKind.WORK, time_s=20, effort="hard", rep=rep))
        if rep < 8:
            steps.append(Step(StepKind.RECOVERY, time_s=10, activity="rest"))
    steps.append(Step(StepKind.COOLDOWN, activity="walk"))
    return Plan("Tabata", tuple(steps))


def plan_sets() -> Plan:
    """2 sets x 3 x 300m, 100m jog (open) between reps, a 4:00 set recovery between sets."""
    steps: list[Step] = []
    rep = 0
    for set_no in range(2):
        for i in range(3):
            rep += 1
            steps.append(Step(StepKind.WORK, 300, "300m", effort="mile", rep=rep))
            last_of_workout = set_no == 1 and i == 2
            if last_of_workout:
                continue
            if i == 2:
                steps.append(Step(StepKind.RECOVERY, time_s=240, activity="walk"))
            else:
                steps.append(Step(StepKind.RECOVERY, 100, "100m", activity="jog"))
    return Plan("Sets", tuple(steps))


class Driver:
    """A session and a fake clock, with the events collected on the way."""

    def __init__(self, plan: Plan, countdown_s: int = 3) -> None:
        self.clock = FakeClock(0.0)
        self.session = Session(plan, countdown_s)
        self.events: list[tuple[EventKind, float, float | None]] = []

    def act(self, kind: ActionKind) -> None:
        self.session, events = self.session.apply(kind, self.clock.now())
        self.events += [(e.kind, e.due, e.value) for e in events]

    def wait(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.session, events = self.session.advance(self.clock.now())
        self.events += [(e.kind, e.due, e.value) for e in events]

    def kinds(self) -> list[EventKind]:
        return [kind for kind, _due, _value in self.events]


def test_whole_21x400_with_varied_reps_and_recoveries() -> None:
    d = Driver(plan_21x400())
    d.act(A.START)
    assert d.session.phase is Phase.COUNTDOWN
    d.wait(3)
    assert d.session.phase is Phase.REP
    rep_started = d.clock.now()
    expected: list[tuple[int, float]] = []
    recoveries: list[float] = []
    for rep in range(1, 22):
        assert d.session.current_rep == rep
        d.wait(70.0 + (rep % 5) * 1.5)
        d.act(A.MARK)
        expected.append((rep, d.clock.now() - rep_started))
        if rep == 21:
            break
        assert d.session.phase is Phase.RECOVERY
        recovery_started = d.clock.now()
        if rep % 3 == 0:
            d.wait(200)  # past the maximum: the next rep started by itself at exactly 3:00
            rep_started = recovery_started + 180
            assert d.session.elapsed() == pytest.approx(20.0)
            assert d.session.records[-1].reason is EndReason.AUTO
        else:
            d.wait(150 + rep % 7)
            d.act(A.MARK)
            rep_started = d.clock.now()
        recoveries.append(rep_started - recovery_started)
    assert d.session.phase is Phase.DONE
    assert d.kinds()[-1] is E.SESSION_DONE
    assert d.session.splits() == [(rep, pytest.approx(s)) for rep, s in expected]
    recorded = [r.duration for r in d.session.records if r.index % 2 == 1]
    assert recorded == [pytest.approx(s) for s in recoveries]
    assert all(150 <= s <= 180 for s in recorded)
    assert d.kinds().count(E.FINAL_REP_NEXT) == 1
    assert d.kinds().count(E.FINAL_REP_STARTED) == 1
    assert d.kinds().count(E.REP_STARTED) == 20
    assert d.kinds().count(E.REP_MARKED) == 21
    assert d.kinds().count(E.WINDOW_OPENED) == 20
    assert d.kinds().count(E.AUTO_ENDED) == 6


def test_early_press_is_refused_and_says_when_the_window_opens() -> None:
    d = Driver(plan_21x400(), countdown_s=0)
    d.act(A.START)
    d.wait(72)
    d.act(A.MARK)
    d.wait(127)
    with pytest.raises(WindowNotOpen) as refused:
        d.act(A.MARK)
    assert str(refused.value) == "window opens in 0:23"
    assert refused.value.opens_in == pytest.approx(23)
    assert d.session.phase is Phase.RECOVERY
    d.act(A.GO_NOW)
    assert d.session.current_rep == 2
    assert d.session.records[-1].reason is EndReason.EARLY
    assert d.session.records[-1].duration == pytest.approx(127)


def test_window_events_come_at_their_due_times() -> None:
    d = Driver(plan_21x400(), countdown_s=0)
    d.act(A.START)
    d.wait(60)
    d.act(A.MARK)  # recovery starts at 60
    d.wait(400)
    timed = [(k, due, v) for k, due, v in d.events if k in (E.WINDOW_OPENED, E.COUNTDOWN)]
    assert timed[0] == (E.WINDOW_OPENED, 210.0, None)
    assert timed[1:] == [(E.COUNTDOWN, 235.0 + i, 5.0 - i) for i in range(5)]
    assert (E.AUTO_ENDED, 240.0, 180.0) in d.events
    assert (E.REP_STARTED, 240.0, None) in d.events


def test_pause_freezes_every_clock() -> None:
    d = Driver(plan_21x400(), countdown_s=0)
    d.act(A.START)
    d.wait(30)
    d.act(A.PAUSE)
    assert d.session.phase is Phase.PAUSED
    assert d.session.running_phase is Phase.REP
    d.wait(500)
    assert d.session.elapsed() == pytest.approx(30)
    assert d.session.next_due() is None
    with pytest.raises(IllegalAction, match="paused"):
        d.act(A.MARK)
    d.act(A.RESUME)
    d.wait(40)
    d.act(A.MARK)
    assert d.session.splits() == [(1, pytest.approx(70))]
    # a pause in a recovery moves the window and the maximum on by the pause
    d.wait(100)
    d.act(A.PAUSE)
    d.wait(60)
    d.act(A.RESUME)
    assert d.session.next_due() == pytest.approx(d.clock.now() + 50)
    d.wait(79)
    assert d.session.phase is Phase.RECOVERY
    d.wait(1)
    assert d.session.phase is Phase.REP
    assert d.session.records[-1].duration == pytest.approx(180)


def test_undo_restores_the_exact_previous_timing() -> None:
    d = Driver(plan_21x400(), countdown_s=0)
    d.act(A.START)
    d.wait(65)
    before = d.session.advance(d.clock.now() + 2).session.state
    d.act(A.MARK)
    d.wait(2)
    d.act(A.UNDO)
    assert d.session.state.records == before.records
    assert d.session.phase is Phase.REP
    assert d.session.elapsed() == pytest.approx(67)
    assert d.session.state.step_started == before.step_started
    with pytest.raises(NothingToUndo):
        d.act(A.UNDO)
    assert len(d.session.actions) == 3  # start, mark, undo: all recorded


def test_undo_after_done_reopens_the_final_rep() -> None:
    plan = Plan("2 reps", (Step(StepKind.WORK, rep=1), Step(StepKind.WORK, rep=2)))
    d = Driver(plan, countdown_s=0)
    d.act(A.START)
    d.wait(10)
    d.act(A.MARK)
    d.wait(12)
    d.act(A.MARK)
    assert d.session.phase is Phase.DONE
    d.act(A.UNDO)
    assert d.session.phase is Phase.REP
    assert d.session.current_rep == 2
    assert d.session.elapsed() == pytest.approx(12)


def test_timed_reps_end_by_themselves_and_the_key_is_refused() -> None:
    d = Driver(plan_tabata(), countdown_s=0)
    d.act(A.START)
    assert d.session.phase is Phase.WARMUP
    d.wait(60)
    assert d.session.phase is Phase.REP
    with pytest.raises(EndsByItself, match="ends by itself in 0:20"):
        d.act(A.MARK)
    d.wait(8 * 20 + 7 * 10)
    assert d.session.phase is Phase.COOLDOWN
    assert [round(s) for _, s in d.session.splits()] == [20] * 8
    d.wait(300)
    d.act(A.MARK)
    assert d.session.phase is Phase.DONE
    assert d.session.records[-1].duration == pytest.approx(300)


def test_one_long_gap_runs_every_step_that_ends_by_itself() -> None:
    d = Driver(plan_tabata(), countdown_s=3)
    d.act(A.START)
    d.wait(10_000)
    assert d.session.phase is Phase.COOLDOWN
    dues = [due for _, due, _ in d.events]
    assert dues == sorted(dues)
    assert d.kinds().count(E.REP_ENDED) == 8


def test_sets_use_the_set_recovery_and_open_recoveries_end_on_the_key() -> None:
    d = Driver(plan_sets(), countdown_s=0)
    d.act(A.START)
    for rep in range(1, 7):
        d.wait(55)
        d.act(A.MARK)
        if rep == 6:
            break
        assert d.session.phase is Phase.RECOVERY
        if rep == 3:
            assert d.session.step_left() == pytest.approx(240)
            d.wait(240)
        else:
            assert d.session.step_left() is None
            d.wait(30)
            d.act(A.MARK)
    assert d.session.phase is Phase.DONE
    assert len(d.session.splits()) == 6


def test_skip_and_end_early_keep_what_was_run() -> None:
    d = Driver(plan_21x400(), countdown_s=3)
    d.act(A.START)
    d.act(A.SKIP)  # skip the countdown
    assert d.session.current_rep == 1
    d.wait(70)
    d.act(A.MARK)
    d.act(A.SKIP)  # skip the recovery
    assert d.session.current_rep == 2
    d.wait(20)
    d.act(A.END)
    assert d.session.phase is Phase.ENDED
    assert d.session.allowed(d.clock.now()) == frozenset()
    reasons = [r.reason for r in d.session.records]
    assert reasons == [EndReason.MARKED, EndReason.SKIPPED, EndReason.ENDED]
    assert d.session.splits() == [(1, pytest.approx(70))]


def test_replay_restores_the_session_exactly() -> None:
    d = Driver(plan_21x400())
    d.act(A.START)
    d.wait(75)
    d.act(A.MARK)
    d.wait(100)
    d.act(A.PAUSE)
    d.wait(20)
    d.act(A.RESUME)
    d.wait(55)
    d.act(A.MARK)
    d.act(A.UNDO)
    d.wait(3)
    replayed = Session.replay(d.session.plan, d.session.actions, d.clock.now())
    assert replayed.state == d.session.state


def session_in(phase: Phase) -> tuple[Session, float]:
    """A session in ``phase`` (warmup, two reps, a window, cooldown; all on the key), and
    its time."""
    plan = Plan(
        "warmup, 2 x 400m, cooldown",
        (
            Step(StepKind.WARMUP, activity="jog"),
            Step(StepKind.WORK, 400, "400m", rep=1),
            Step(StepKind.RECOVERY, min_s=60, max_s=90),
            Step(StepKind.WORK, 400, "400m", rep=2),
            Step(StepKind.COOLDOWN, activity="walk"),
        ),
    )
    if phase is Phase.COUNTDOWN:
        return Session(plan, 3).apply(A.START, 0).session, 1
    session = Session(plan, 0)
    # The actions that lead to each phase, in order: the first n of them reach it.
    path = [(A.START, 0), (A.MARK, 10), (A.MARK, 80), (A.MARK, 150), (A.MARK, 230), (A.MARK, 300)]
    reached = [Phase.READY, Phase.WARMUP, Phase.REP, Phase.RECOVERY, Phase.REP, Phase.COOLDOWN]
    aside = {Phase.PAUSED: (A.PAUSE, 20), Phase.ENDED: (A.END, 20)}
    steps = {Phase.DONE: len(path), Phase.PAUSED: 2, Phase.ENDED: 2}.get(phase)
    for kind, at in path[: steps if steps is not None else reached.index(phase)]:
        session = session.apply(kind, at).session
    if phase in aside:
        kind, at = aside[phase]
        session = session.apply(kind, at).session
    return session, session.now + 1


@pytest.mark.parametrize("phase", list(Phase))
def test_every_illegal_action_raises_a_named_error(phase: Phase) -> None:
    session, now = session_in(phase)
    assert session.phase is phase
    illegal = set(ActionKind) - LEGAL[phase]
    assert illegal, "every phase refuses something"
    for kind in illegal:
        with pytest.raises(IllegalAction) as raised:
            session.apply(kind, now)
        assert (raised.value.action, raised.value.phase) == (kind, phase)
        assert session.check(kind, now) is not None
        assert kind not in session.allowed(now)


@pytest.mark.parametrize(
    ("phase", "kind", "line"),
    [
        (Phase.READY, A.MARK, "the session has not started"),
        (Phase.COUNTDOWN, A.MARK, "the session is about to start"),
        (Phase.WARMUP, A.GO_NOW, "cannot go now during warmup"),
        (Phase.REP, A.START, "cannot start during rep"),
        (Phase.RECOVERY, A.RESUME, "cannot resume during recovery"),
        (Phase.PAUSED, A.MARK, "paused: resume first"),
        (Phase.DONE, A.MARK, "the session is done"),
        (Phase.ENDED, A.UNDO, "the session has ended"),
    ],
)
def test_a_refusal_is_a_line_the_runner_can_read(phase: Phase, kind: ActionKind, line: str) -> None:
    session, now = session_in(phase)
    with pytest.raises(IllegalAction) as raised:
        session.apply(kind, now)
    assert str(raised.value) == line


def test_illegal_actions_in_ready_and_done() -> None:
    d = Driver(plan_21x400())
    for kind in (A.MARK, A.PAUSE, A.UNDO, A.GO_NOW, A.SKIP, A.RESUME):
        with pytest.raises(IllegalAction, match="not started"):
            d.act(kind)
    assert d.session.allowed(0) == {A.START, A.END}


def test_engine_imports_nothing_but_the_standard_library() -> None:
    import subprocess
    import sys

    code = (
        "import sys, trackside.core.session, trackside.core.clock, trackside.core.runner;"
        "bad = [m for m in ('textual', 'pydantic', 'sqlite3', 'rich') if m in sys.modules];"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_undo_keeps_a_pause_taken_after_the_mark() -> None:
    d = Driver(plan_21x400(), countdown_s=0)
    d.act(A.START)
    d.wait(40)
    d.act(A.MARK)  # by accident, 40 s into rep 1
    d.wait(5)
    d.act(A.PAUSE)
    d.wait(30)
    d.act(A.RESUME)
    d.wait(5)
    d.act(A.UNDO)
    assert d.session.current_rep == 1
    assert d.session.elapsed() == pytest.approx(50)  # 80 s since the start, 30 of them paused


def test_end_while_paused_does_not_count_the_pause() -> None:
    d = Driver(plan_21x400(), countdown_s=0)
    d.act(A.START)
    d.wait(40)
    d.act(A.PAUSE)
    d.wait(100)
    d.act(A.END)
    assert d.session.records[-1].duration == pytest.approx(40)
    assert d.session.records[-1].reason is EndReason.ENDED
