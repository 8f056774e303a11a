"""The Summary's figures and the guard rule: pure functions over the engine's records."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from trackside.core.events import ActionKind, EndReason
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.results import (
    RepStats,
    chart,
    implausible_below_s,
    implausibly_short,
    rep_stats,
    rows,
    world_record_s,
)
from trackside.core.session import Session
from trackside.tui.screens.summary import figures

A = ActionKind


def plan(reps: int = 4) -> Plan:
    steps: list[Step] = []
    for rep in range(1, reps + 1):
        steps.append(Step(StepKind.WORK, distance_m=400, distance_text="400m", rep=rep))
        if rep < reps:
            steps.append(Step(StepKind.RECOVERY, min_s=150, max_s=180))
    return Plan("test", tuple(steps))


def run(actions: Sequence[tuple[A, float]], reps: int = 4) -> Session:
    session = Session(plan(reps), countdown_s=0)
    now = 0.0
    for kind, wait in actions:
        now += wait
        session = session.apply(kind, now).session
    return session


def test_rows_flag_recoveries_outside_their_window() -> None:
    session = run(
        [
            (A.START, 0),
            (A.MARK, 70),  # rep 1
            (A.MARK, 160),  # recovery inside the window
            (A.MARK, 72),  # rep 2
            (A.GO_NOW, 100),  # recovery started early
            (A.MARK, 68),  # rep 3
            (A.SKIP, 10),  # recovery skipped
            (A.MARK, 65),  # rep 4, the final
        ]
    )
    listed = rows(session.plan, session.records)
    assert [(row.rep, row.seconds, row.flag) for row in listed] == [
        (1, 70, None),
        (None, 160, None),
        (2, 72, None),
        (None, 100, "early"),
        (3, 68, None),
        (None, 10, "skipped"),
        (4, 65, None),
    ]
    assert listed[-1].final
    assert not listed[0].final


def test_a_recovery_ended_by_itself_at_the_maximum_is_not_flagged() -> None:
    session = run([(A.START, 0), (A.MARK, 70)]).advance(70 + 180).session
    listed = rows(session.plan, session.records)
    assert listed[1].reason is EndReason.AUTO
    assert listed[1].seconds == 180
    assert listed[1].flag is None


def test_rep_stats() -> None:
    session = run(
        [(A.START, 0), (A.MARK, 70), (A.MARK, 150), (A.MARK, 74), (A.MARK, 150)]
        + [(A.MARK, 72), (A.MARK, 150), (A.MARK, 66)]
    )
    stats = rep_stats(session.plan, session.records)
    assert stats is not None
    assert stats.count == 4
    assert stats.fastest == (4, 66)
    assert stats.slowest == (2, 74)
    assert stats.average == pytest.approx(70.5)
    assert stats.spread == 8
    assert stats.final == 66
    assert stats.rest_average == pytest.approx(72)
    assert stats.final_vs_rest == pytest.approx(-6)


def test_no_rep_no_stats() -> None:
    session = run([(A.START, 0), (A.SKIP, 5)])
    assert rep_stats(session.plan, session.records) is None


def test_an_unrun_final_rep_compares_nothing() -> None:
    session = run([(A.START, 0), (A.MARK, 70), (A.END, 5)])
    stats = rep_stats(session.plan, session.records)
    assert stats is not None
    assert stats.final is None
    assert stats.final_vs_rest is None


def test_chart_slower_is_taller() -> None:
    lines = chart([70, 74, 66], rows=2)
    assert len(lines) == 2
    assert all(len(line) == 3 for line in lines)
    heights = [sum(" ▁▂▃▄▅▆▇█".index(line[i]) for line in lines) for i in range(3)]
    assert heights[1] > heights[0] > heights[2] > 0
    assert chart([], rows=3) == []


def test_world_records_and_the_guard() -> None:
    assert world_record_s(400) == pytest.approx(43.03)
    assert world_record_s(50) == pytest.approx(4.79)
    assert 43.03 < world_record_s(500) < 100.91
    assert implausible_below_s(400) == pytest.approx(25.818)
    assert implausible_below_s(None) is None
    assert implausibly_short(400, 25.0)
    assert not implausibly_short(400, 26.0)
    assert not implausibly_short(None, 1.0)
    assert implausible_below_s(100_000) is not None


def test_figures_say_how_the_final_rep_compares() -> None:
    stats = RepStats(3, (1, 60.0), (2, 62.0), 61.0, 2.0, final=61.0, rest_average=61.02)
    assert "Final    1:01.0  level with the rest" in figures(stats)
    faster = RepStats(3, (3, 58.0), (2, 62.0), 60.0, 4.0, final=58.0, rest_average=61.0)
    assert "Final    58.0  3.0 s faster than the rest" in figures(faster)
    assert figures(None) == "No rep was run to its end."
