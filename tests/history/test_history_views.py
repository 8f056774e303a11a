"""What the history shows: the list, one session step by step, and the comparison."""

from __future__ import annotations

import pytest
from history_support import (
    DAY,
    PLAN,
    WALL0,
    Process,
    new_session,
    record_session,
    whole_session,
)

from trackside.core.events import ActionKind
from trackside.core.plan import Plan
from trackside.core.runner import Runner
from trackside.history.resume import discard_unfinished, latest_unfinished, resume_session
from trackside.history.store import HistoryStore, Status
from trackside.history.views import compare, detail, latest_id, list_sessions

K = ActionKind


def _three_weeks(store: HistoryStore) -> list[int]:
    """The same preset three weeks running, a little faster each time; another preset between."""
    ids = []
    for week, (rep1, rep2, final) in enumerate([(74, 76, 70), (73, 74, 69), (71, 72, 66)]):
        process = Process(1000.0, WALL0 + week * 7 * DAY)
        runner = record_session(store, process, whole_session(rep1, rep2, final))
        ids.append(runner.log.session_id)  # type: ignore[union-attr]
        other = Plan("1 x 400m", PLAN.steps[:1])
        record_session(store, process, [(K.START, 600.0)], new_session(other, "1x400m"))
    return [i for i in ids if i is not None]


def test_the_list_has_date_preset_reps_average_and_status(store: HistoryStore) -> None:
    ids = _three_weeks(store)
    lines = list_sessions(store)
    assert [line.id for line in lines] == [1, 2, 3, 4, 5, 6]
    first = lines[0]
    assert (first.started_wall, first.preset_name, first.status) == (
        WALL0,
        "3 x 400m",
        Status.COMPLETED,
    )
    assert (first.reps_done, first.reps_planned) == (3, 3)
    assert first.average_s == pytest.approx((74 + 76 + 70) / 3)
    unfinished = lines[1]
    assert (unfinished.preset_id, unfinished.status, unfinished.reps_done) == (
        "1x400m",
        Status.RUNNING,
        0,
    )
    assert unfinished.average_s is None
    assert latest_id(store) == 6
    assert ids == [1, 3, 5]


def test_one_session_step_by_step(store: HistoryStore) -> None:
    _three_weeks(store)
    view = detail(store, 1)
    kinds = [(row.kind, row.rep, row.final) for row in view.steps]
    assert kinds == [
        ("rep", 1, False),
        ("recovery", None, False),
        ("rep", 2, False),
        ("recovery", None, False),
        ("rep", 3, True),
    ]
    durations = [row.duration_s for row in view.steps]
    assert durations == pytest.approx([74, 65, 76, 50, 70])
    recovery, short = view.steps[1], view.steps[3]
    assert (recovery.window_min_s, recovery.window_max_s, recovery.window_met) == (60, 90, True)
    assert (short.window_met, short.flag, short.ended_by) == (False, "early", "early")
    assert view.steps[0].window_met is None
    assert view.steps[0].started_wall == pytest.approx(WALL0)
    assert view.steps[-1].ended_wall == pytest.approx(WALL0 + 74 + 65 + 76 + 50 + 70)
    assert (view.steps[0].distance_m, view.steps[0].effort) == (400.0, "3K effort")
    assert view.comparison is None  # the first time this preset was run


def test_today_against_the_earlier_sessions_of_the_preset(store: HistoryStore) -> None:
    _three_weeks(store)
    view = detail(store, 5)
    comparison = view.comparison
    assert comparison is not None
    assert [o.id for o in comparison.previous] == [1, 3]
    assert comparison.today.average == pytest.approx((71 + 72 + 66) / 3)
    assert comparison.previous_average == pytest.approx(((74 + 76 + 70) + (73 + 74 + 69)) / 6)
    assert comparison.previous_spread == pytest.approx((6 + 5) / 2)
    assert comparison.previous_final == pytest.approx(69.5)
    assert comparison.chart_values() == pytest.approx([220 / 3, 216 / 3, 209 / 3])
    # An earlier session compares only with those before it.
    earlier = detail(store, 3).comparison
    assert earlier is not None
    assert [o.id for o in earlier.previous] == [1]


def test_discarded_sessions_are_left_out_unless_asked(store: HistoryStore) -> None:
    process = Process(1000.0, WALL0)
    record_session(store, process, [(K.START, 0.0)])
    found = latest_unfinished(store, wall=process.wall)
    assert found is not None
    discard_unfinished(store, found)
    assert list_sessions(store) == []
    assert [line.status for line in list_sessions(store, include_discarded=True)] == [
        Status.DISCARDED
    ]
    assert latest_id(store) is None


def test_wall_times_follow_each_process_across_a_resume(store: HistoryStore) -> None:
    process = Process(1000.0, WALL0)
    record_session(store, process, [(K.START, 0.0)])
    process.advance(30.0)  # killed 30 s into rep 1; the machine rebooted
    later = Process(7.0, process.wall() + 120.0)
    found = latest_unfinished(store, wall=later.wall)
    assert found is not None
    session, clock, log = resume_session(store, found, clock=later.clock, wall=later.wall)
    runner = Runner(session, clock, log=log, wall=later.wall)
    later.advance(10.0)
    runner.act(K.MARK)  # rep 1: 30 + 120 + 10 s
    (rep,) = detail(store, found.id).steps
    assert rep.duration_s == pytest.approx(160.0)
    assert rep.started_wall == pytest.approx(WALL0)
    assert rep.ended_wall == pytest.approx(WALL0 + 160.0)


def test_the_comparison_keeps_the_latest_earlier_sessions(store: HistoryStore) -> None:
    _three_weeks(store)
    today = detail(store, 5).overview
    comparison = compare(store, today, limit=1)
    assert comparison is not None
    assert [o.id for o in comparison.previous] == [3]
