"""Random sequences of actions at random times keep the engine's invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trackside.core.events import ActionKind, IllegalAction, Phase
from trackside.core.plan import Display, Plan, Step, StepKind
from trackside.core.session import LEGAL, Session

A = ActionKind


def _plan(reps: int, window: tuple[float, float] | None, timed: bool, warmup: bool) -> Plan:
    steps: list[Step] = []
    if warmup:
        steps.append(Step(StepKind.WARMUP, time_s=30 if timed else None))
    for rep in range(1, reps + 1):
        steps.append(Step(StepKind.WORK, 400, "400m", time_s=20 if timed else None, rep=rep))
        if rep < reps:
            low, high = window if window else (None, None)
            steps.append(Step(StepKind.RECOVERY, min_s=low, max_s=high))
    steps.append(Step(StepKind.COOLDOWN))
    return Plan("random", tuple(steps), Display.EFFORT)


plans = st.builds(
    _plan,
    reps=st.integers(1, 6),
    window=st.one_of(st.none(), st.just((20.0, 30.0)), st.just((5.0, 8.0))),
    timed=st.booleans(),
    warmup=st.booleans(),
)
steps = st.lists(
    st.tuples(st.sampled_from(list(ActionKind)), st.floats(0, 40, allow_nan=False)),
    max_size=60,
)


def check_invariants(session: Session) -> None:
    plan = session.plan
    records = session.records
    assert [r.index for r in records] == list(range(len(records)))
    for earlier, later in zip(records, records[1:], strict=False):
        assert earlier.ended == pytest.approx(later.started)
    for record in records:
        assert record.started <= record.ended
        assert record.duration >= -1e-9
    splits = session.splits()
    assert len(splits) <= plan.total_reps
    assert [rep for rep, _ in splits] == sorted(rep for rep, _ in splits)
    assert all(seconds >= 0 for _, seconds in splits)
    rep = session.current_rep
    assert rep is None or 1 <= rep <= plan.total_reps
    assert session.elapsed() >= 0
    left = session.step_left()
    assert left is None or left >= 0
    if session.state.phase is Phase.DONE:
        assert len(records) == len(plan.steps)


@settings(max_examples=300, deadline=None)
@given(plan=plans, script=steps)
def test_random_actions_keep_the_invariants(
    plan: Plan, script: list[tuple[ActionKind, float]]
) -> None:
    session = Session(plan, countdown_s=2)
    now = 0.0
    accepted = 0
    for kind, wait in script:
        now += wait
        legal = session.allowed(now)
        problem = session.check(kind, now)
        if problem is not None:
            assert kind not in legal
            assert str(problem)
            with pytest.raises(IllegalAction):
                session.apply(kind, now)
            session = session.advance(now).session
            check_invariants(session)
            continue
        outcome = session.apply(kind, now)
        assert kind in legal
        assert kind in LEGAL[session.advance(now).session.phase]
        due = [event.due for event in outcome.events]
        assert due == sorted(due)
        assert all(d <= now + 1e-9 for d in due)
        session = outcome.session
        accepted += 1
        # nothing recorded is ever lost, and the fold restores the session exactly
        assert len(session.actions) == accepted
        assert session.actions[-1].kind is kind
        assert Session.replay(plan, session.actions, now, countdown_s=2).state == session.state
        check_invariants(session)


@settings(max_examples=200, deadline=None)
@given(plan=plans, script=steps, probe=st.floats(0, 40, allow_nan=False))
def test_undo_is_an_exact_inverse(
    plan: Plan, script: list[tuple[ActionKind, float]], probe: float
) -> None:
    session = Session(plan, countdown_s=0)
    now = 0.0
    for kind, wait in script:
        now += wait
        try:
            session = session.apply(kind, now).session
        except IllegalAction:
            session = session.advance(now).session
    now += probe
    reference = session.advance(now).session
    for kind in (A.MARK, A.GO_NOW, A.SKIP):
        if session.check(kind, now) is not None:
            continue
        marked = session.apply(kind, now).session
        undone = marked.apply(A.UNDO, now).session
        assert undone.state == reference.state
        assert undone.actions[-2:] == (marked.actions[-1], undone.actions[-1])
