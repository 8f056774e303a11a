"""What the history shows, as data: a step as it was run, a session's line in the list, a
comparison across sessions, one session whole. Made by :mod:`trackside.history.views`; shown by
:mod:`trackside.history.text`, exported by :mod:`trackside.history.export`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from statistics import fmean
from typing import NamedTuple

from trackside.core.results import RepStats
from trackside.core.stats import WorkoutStats
from trackside.history.derived import Derived
from trackside.history.progress import BestSoFar
from trackside.history.stored import Status


class StepRow(NamedTuple):
    """A step that was run, with its plan and its times (what ``export`` writes). A named
    tuple: an export of every session makes 400,000 of them."""

    step: int
    """1-based position in the plan."""
    kind: str
    """``rep``, ``recovery``, ``warmup`` or ``cooldown``."""
    rep: int | None
    final: bool
    distance_m: float | None
    distance: str | None
    effort: str | None
    started_wall: float
    ended_wall: float
    duration_s: float
    """Active seconds (time paused left out)."""
    paused_s: float
    window_min_s: float | None
    window_max_s: float | None
    window_met: bool | None
    """None when the step has no window."""
    ended_by: str
    """``marked``, ``auto``, ``early``, ``skipped`` or ``ended``."""
    flag: str | None
    """The summary's flag: ``early``, ``short``, ``long``, ``skipped``, ``ended`` or None."""
    all_out: bool = False
    """Whether the plan asked for all you have on this rep."""


_NO_WORKOUT = WorkoutStats(None, None, 0, 0, None)


class Overview(NamedTuple):
    """One line of ``trackside history``. (A named tuple: ten thousand are made for a list, and
    a frozen dataclass takes three times as long to make.)"""

    id: int
    started_wall: float
    preset_id: str
    preset_name: str
    status: Status
    exertion: int | None
    rating: int | None
    note: str | None
    figures: Derived | None
    """The session's splits and statistics (None if it cannot be replayed)."""
    problem: str | None = None
    """Why the session cannot be shown (a hand-edited file it cannot be replayed from)."""

    @property
    def reps_done(self) -> int:
        """Reps run to their end."""
        return 0 if self.figures is None else self.figures.reps_done

    @property
    def reps_planned(self) -> int:
        """Reps in the plan."""
        return 0 if self.figures is None else self.figures.reps_planned

    @property
    def average_s(self) -> float | None:
        """The average rep, or None if no rep was run to its end."""
        return None if self.figures is None else self.figures.average_s

    @property
    def stats(self) -> RepStats | None:
        """Fastest, slowest, average, spread and final rep, or None if no rep was run."""
        return None if self.figures is None else self.figures.stats

    @property
    def workout(self) -> WorkoutStats:
        """Fade, evenness, windows kept and the final rep against the rest."""
        return _NO_WORKOUT if self.figures is None else self.figures.workout


@dataclass(frozen=True, slots=True)
class Comparison:
    """How a session compares with the earlier sessions of the same preset (oldest first)."""

    today: RepStats
    previous: tuple[Overview, ...]
    trend: tuple[Overview, ...] = ()
    """The latest sessions of the preset with a rep run, today last: the trend."""
    today_workout: WorkoutStats = _NO_WORKOUT
    bests: tuple[BestSoFar, ...] = ()
    """Today's fastest rep at each distance against the best before (the Summary's)."""

    def _mean(self, pick: Callable[[RepStats], float | None]) -> float | None:
        values = [v for o in self.previous if o.stats and (v := pick(o.stats)) is not None]
        return fmean(values) if values else None

    @property
    def previous_average(self) -> float | None:
        """The mean of the earlier sessions' average reps."""
        return self._mean(lambda s: s.average)

    @property
    def previous_spread(self) -> float | None:
        """The mean of the earlier sessions' spreads (slowest less fastest rep)."""
        return self._mean(lambda s: s.spread)

    @property
    def previous_final(self) -> float | None:
        """The mean of the earlier sessions' final reps (those that ran one)."""
        return self._mean(lambda s: s.final)

    def chart_values(self) -> list[float]:
        """The average rep of each earlier session, then today's: a chart across sessions."""
        return [o.stats.average for o in self.previous if o.stats] + [self.today.average]

    def trend_averages(self) -> list[float]:
        """The average rep of each session of the trend, today last."""
        return [o.stats.average for o in self.trend if o.stats]

    def trend_sdec(self) -> list[float]:
        """The percent decrement of each session of the trend that has one, today last."""
        return [s for o in self.trend if (s := o.workout.sdec_pct) is not None]


@dataclass(frozen=True, slots=True)
class Detail:
    """One session, like its summary: every step, the figures, and the comparison."""

    overview: Overview
    steps: tuple[StepRow, ...]
    comparison: Comparison | None
    bests: tuple[BestSoFar, ...] = ()
    """The session's fastest rep at each distance against the best before it."""
