"""What a group's session comes to: each athlete's splits, average and statistics, side by side.

Pure Python over each athlete's records (the same :mod:`~trackside.core.results` and
:mod:`~trackside.core.stats` figures the single runner's Summary reads), so the group's Summary,
``trackside history G3`` and the exports agree, and tests check them without a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trackside.core.plan import Plan
from trackside.core.results import RepStats, rep_stats, splits
from trackside.core.session import StepRecord
from trackside.core.stats import WorkoutStats, workout_stats
from trackside.core.timefmt import split


@dataclass(frozen=True, slots=True)
class AthleteResult:
    """One athlete's line of the group's table."""

    name: str
    plan: Plan
    how: str
    """``done``, ``ended early`` or ``running``."""
    splits: tuple[tuple[int, float], ...]
    """``(rep, seconds)`` of every rep run to its end."""
    stats: RepStats | None
    workout: WorkoutStats

    @property
    def reps_done(self) -> int:
        """Reps run to their end."""
        return len(self.splits)

    @property
    def reps_planned(self) -> int:
        """Reps in the athlete's plan."""
        return self.plan.total_reps


def athlete_result(name: str, plan: Plan, records: Sequence[StepRecord], how: str) -> AthleteResult:
    """An athlete's figures from the steps they ran."""
    return AthleteResult(
        name,
        plan,
        how,
        tuple(splits(plan, records)),
        rep_stats(plan, records),
        workout_stats(plan, records),
    )


def group_table(results: Sequence[AthleteResult], keys: Sequence[str] = ()) -> list[list[str]]:
    """The group's table as text cells, a header row first: athlete, reps, average, fade
    (Sdec), evenness (CV), windows kept and how they finished, then a column per rep (the
    figures first: a long session's reps scroll, its averages stay in sight). ``keys``, if
    given, goes first (the key that opens each athlete's own detail)."""
    most = max((r.reps_planned for r in results), default=0)
    head = ["athlete", "reps", "average", "fade", "CV", "windows", "finished"]
    head += [f"rep {n}" for n in range(1, most + 1)]
    rows = [(["key"] if keys else []) + head]
    for index, result in enumerate(results):
        by_rep = dict(result.splits)
        cells = [
            result.name,
            f"{result.reps_done}/{result.reps_planned}",
            "-" if result.stats is None else split(result.stats.average),
            _pct(result.workout.sdec_pct),
            _pct(result.workout.cv_pct),
            _windows(result.workout),
            result.how,
        ]
        cells += [split(by_rep[n]) if n in by_rep else "-" for n in range(1, most + 1)]
        rows.append(([keys[index].upper()] if keys else []) + cells)
    return rows


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _windows(workout: WorkoutStats) -> str:
    return f"{workout.windows_met}/{workout.windows}" if workout.windows else "-"
