"""A group of athletes: each one's session of the same engine, composed, on a fake clock."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trackside.core.events import ActionKind, EventKind, IllegalAction, Phase, WindowNotOpen
from trackside.core.group import MAX_ATHLETES, Athlete, Group
from trackside.core.plan import Display, Plan, Step, StepKind
from trackside.core.session import Session

A = ActionKind
E = EventKind


def reps(n: int, window: tuple[float, float] = (4.0, 6.0), name: str = "short") -> Plan:
    """``n`` x 200m, a jog recovery with a window between them (as a coach would try it)."""
    steps: list[Step] = []
    for rep in range(1, n + 1):
        steps.append(Step(StepKind.WORK, 200, "200m", rep=rep))
        if rep < n:
            steps.append(Step(StepKind.RECOVERY, min_s=window[0], max_s=window[1]))
    return Plan(name, tuple(steps), Display.EFFORT)


def trio(offsets: tuple[int, int, int] = (0, 0, 0)) -> Group:
    plan = reps(3)
    names = ("Ann", "Ben", "Cid")
    return Group([Athlete(n, plan, o) for n, o in zip(names, offsets, strict=True)], 3)


# -- the 3-2-1 pauses (the engine change the group needs) ----------------------------------


def test_a_paused_countdown_holds_and_picks_up_where_it_stopped() -> None:
    session = Session(reps(2), countdown_s=3).apply(A.START, 0.0).session
    session = session.apply(A.PAUSE, 1.0).session
    assert session.phase is Phase.PAUSED
    assert session.countdown_left(50.0) == 2.0
    session, events = session.apply(A.RESUME, 60.0)
    assert [e.kind for e in events] == [E.RESUMED]
    session, events = session.advance(62.0)
    assert [(e.kind, e.due) for e in events] == [(E.START_COUNTDOWN, 61.0), (E.REP_STARTED, 62.0)]
    assert session.records == ()
    assert session.state.step_started == 62.0


def test_ending_a_paused_countdown_ends_the_session() -> None:
    session = Session(reps(2), countdown_s=3).apply(A.START, 0.0).session
    session = session.apply(A.PAUSE, 1.0).session.apply(A.END, 2.0).session
    assert (session.phase, session.finished, session.paused) == (Phase.ENDED, True, False)


# -- starting ------------------------------------------------------------------------------


def test_the_group_starts_together_after_the_countdown() -> None:
    group, events = trio().apply_all(A.START, 100.0)
    assert {e.athlete for e in events if e.event.kind is E.SESSION_STARTED} == {0, 1, 2}
    group, events = group.advance(103.0)
    started = [(e.athlete, e.event.due) for e in events if e.event.kind is E.REP_STARTED]
    assert started == [(0, 103.0), (1, 103.0), (2, 103.0)]


def test_a_staggered_start_sends_each_athlete_off_at_their_offset() -> None:
    group = trio((0, 10, 20)).apply_all(A.START, 100.0).group
    group, events = group.advance(200.0)
    first = {e.athlete: e.event.due for e in events if e.event.kind is E.REP_STARTED}
    assert first == {0: 103.0, 1: 113.0, 2: 123.0}


def test_start_twice_is_refused() -> None:
    group = trio().apply_all(A.START, 0.0).group
    with pytest.raises(IllegalAction):
        group.apply_all(A.START, 1.0)


def test_athlete_actions_are_not_group_actions() -> None:
    with pytest.raises(ValueError, match="athlete by athlete"):
        trio().apply_all(A.MARK, 0.0)


@pytest.mark.parametrize("count", [0, MAX_ATHLETES + 1])
def test_a_group_has_one_to_twenty_athletes(count: int) -> None:
    with pytest.raises(ValueError, match="1 to 20"):
        Group([Athlete(f"A{i}", reps(1)) for i in range(count)])


# -- one athlete's key ----------------------------------------------------------------------


def test_an_athletes_key_ends_their_rep_only() -> None:
    group = trio().apply_all(A.START, 0.0).group
    group, events = group.apply(1, A.MARK, 63.0)
    assert [(e.athlete, e.event.kind) for e in events if e.event.kind is E.REP_MARKED] == [
        (1, E.REP_MARKED)
    ]
    phases = [s.running_phase for s in group.sessions]
    assert phases == [Phase.REP, Phase.RECOVERY, Phase.REP]
    assert group.sessions[1].splits() == [(1, 60.0)]


def test_an_early_press_is_refused_with_the_reason_for_that_athlete() -> None:
    group = trio().apply_all(A.START, 0.0).group.apply(0, A.MARK, 63.0).group
    with pytest.raises(WindowNotOpen) as caught:
        group.apply(0, A.MARK, 65.0)
    assert str(caught.value) == "window opens in 0:02"
    assert group.check(0, A.MARK, 67.0) is None


def test_an_athlete_left_alone_goes_by_themselves_at_the_maximum() -> None:
    group = trio().apply_all(A.START, 0.0).group.apply(2, A.MARK, 63.0).group
    group, events = group.advance(69.5)
    kinds = [(e.athlete, e.event.kind, e.event.due) for e in events]
    assert (2, E.WINDOW_OPENED, 67.0) in kinds
    assert (2, E.REP_STARTED, 69.0) in kinds
    assert group.sessions[2].current_rep == 2


def test_each_athlete_runs_their_own_plan_and_final_rep() -> None:
    athletes = [Athlete("Ann", reps(2)), Athlete("Ben", reps(3, name="pace group"))]
    group = Group(athletes, 0).apply_all(A.START, 0.0).group
    group, events = group.apply(0, A.MARK, 60.0)
    assert [(e.athlete, e.event.kind) for e in events] == [
        (0, E.REP_MARKED),
        (0, E.RECOVERY_STARTED),
        (0, E.FINAL_REP_NEXT),
    ]
    group, events = group.advance(66.0)
    assert {e.athlete for e in events} == {0}
    assert (events[-1].event.kind, events[-1].event.due) == (E.FINAL_REP_STARTED, 66.0)
    assert group.sessions[0].current_rep == 2
    assert group.sessions[1].current_rep == 1


# -- the coach's keys -----------------------------------------------------------------------


def test_pause_holds_everyone_still_running_and_resume_lets_them_go() -> None:
    group = trio().apply_all(A.START, 0.0).group
    group = group.apply(0, A.END, 10.0).group
    group, events = group.apply_all(A.PAUSE, 20.0)
    assert sorted(e.athlete for e in events if e.event.kind is E.PAUSED) == [1, 2]
    assert group.paused
    group = group.apply_all(A.RESUME, 50.0).group
    assert not group.paused
    assert group.sessions[1].elapsed(60.0) == pytest.approx(60.0 - 3.0 - 30.0)


def test_pause_during_a_staggered_start_holds_the_ones_still_waiting_too() -> None:
    group = trio((0, 10, 20)).apply_all(A.START, 0.0).group
    group = group.apply_all(A.PAUSE, 5.0).group.apply_all(A.RESUME, 105.0).group
    group, events = group.advance(200.0)
    first = {e.athlete: e.event.due for e in events if e.event.kind is E.REP_STARTED}
    assert first == {1: 113.0, 2: 123.0}


def test_end_ends_every_athlete_and_keeps_their_splits() -> None:
    group = trio().apply_all(A.START, 0.0).group.apply(0, A.MARK, 63.0).group
    group = group.apply_all(A.END, 70.0).group
    assert group.finished
    assert [s.phase for s in group.sessions] == [Phase.ENDED] * 3
    assert group.sessions[0].splits() == [(1, 60.0)]
    with pytest.raises(IllegalAction):
        group.apply_all(A.END, 71.0)


def test_the_next_event_names_the_athlete_and_what_happens() -> None:
    plan = reps(3, window=(20.0, 30.0))
    group = Group([Athlete("Ann", plan), Athlete("Ben", plan)], 3).apply_all(A.START, 0.0).group
    group = group.apply(1, A.MARK, 63.0).group.apply(0, A.MARK, 64.0).group
    assert group.next_due() == 83.0
    assert [(e.athlete, e.event.kind) for e in group.next_events()] == [(1, E.WINDOW_OPENED)]
    group = group.advance(90.5).group  # Ben's recovery ends at 93, Ann's at 94
    assert group.next_due() == 91.0
    assert [(e.athlete, e.event.kind, e.event.value) for e in group.next_events()] == [
        (0, E.COUNTDOWN, 3.0),
        (1, E.COUNTDOWN, 2.0),
    ]


# -- a group is N single sessions ------------------------------------------------------------

KINDS = [A.MARK, A.GO_NOW, A.UNDO, A.SKIP, A.PAUSE, A.RESUME, A.END]
presses = st.lists(
    st.tuples(
        st.integers(-1, 3),  # -1: the coach's key for everyone, else an athlete's
        st.sampled_from(KINDS),
        st.floats(0, 30, allow_nan=False),
    ),
    max_size=80,
)


@settings(max_examples=200, deadline=None)
@given(
    script=presses,
    offsets=st.lists(st.integers(0, 20), min_size=4, max_size=4),
    windows=st.lists(st.sampled_from([(4.0, 6.0), (20.0, 30.0)]), min_size=4, max_size=4),
)
def test_a_group_ends_as_its_athletes_would_alone(
    script: list[tuple[int, ActionKind, float]],
    offsets: list[int],
    windows: list[tuple[float, float]],
) -> None:
    athletes = [
        Athlete(f"A{i}", reps(2 + i % 3, window), offset)
        for i, (offset, window) in enumerate(zip(offsets, windows, strict=True))
    ]
    group = Group(athletes, 3).apply_all(A.START, 0.0).group
    alone = [Session(a.plan, 3 + a.start_offset_s).apply(A.START, 0.0).session for a in athletes]
    now = 0.0
    for who, kind, wait in script:
        now += wait
        targets = range(len(athletes)) if who < 0 else [who]
        if who < 0 and kind not in (A.PAUSE, A.RESUME, A.END):
            continue
        for i in targets:
            if alone[i].check(kind, now) is None:
                alone[i] = alone[i].apply(kind, now).session
        try:
            group = (
                group.apply_all(kind, now).group if who < 0 else group.apply(who, kind, now).group
            )
        except IllegalAction:
            assert all(alone[i].check(kind, now) is not None for i in targets)
    now += 600.0
    group = group.advance(now).group
    alone = [s.advance(now).session for s in alone]
    for mine, theirs in zip(group.sessions, alone, strict=True):
        assert mine.actions == theirs.actions
        assert mine.state == theirs.state
    again = Group.replay(athletes, [s.actions for s in group.sessions], now, 3)
    assert [s.state for s in again.sessions] == [s.state for s in group.sessions]
