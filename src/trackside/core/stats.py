"""Workout statistics: how a session faded, how even it was, how the windows were kept, the
runner's best efforts, and critical speed from them.

Pure Python over the engine's records, like :mod:`trackside.core.results`: the Summary, the
history and the exports read the same numbers. Every figure is None when the session cannot
support it (too few reps, no window), never a made-up zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, stdev

from trackside.core.events import EndReason
from trackside.core.plan import Plan, StepKind
from trackside.core.results import implausibly_short
from trackside.core.session import StepRecord

_EPS = 1e-6
_RUN = (EndReason.MARKED, EndReason.AUTO)
"""How a rep ends when it was run to its end (not skipped, not cut short by an early end)."""

# -- one session ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorkoutStats:
    """A session's fade, evenness, windows and final rep, as percentages."""

    sdec_pct: float | None
    """Percent decrement: 100 x (sum of rep times / (fastest x n) - 1) over the reps run, all-out
    reps left out; 0 is no fade at all. None with fewer than two such reps. Reps of different
    distances (a ladder) are compared by pace, time per metre, not by time."""
    cv_pct: float | None
    """Coefficient of variation of the same reps: sample standard deviation / mean x 100."""
    windows: int
    """Recoveries with a window that came to an end (the session did not stop during them)."""
    windows_met: int
    """Of those, the ones that ended inside their window."""
    final_vs_rest_pct: float | None
    """The final rep against the mean of the others: 100 x (final / mean - 1); negative is
    faster (by pace when the distances differ). None without a final rep run or without
    another rep."""

    @property
    def window_adherence_pct(self) -> float | None:
        """The share of recoveries with a window that ended inside it, or None if none had one."""
        return 100.0 * self.windows_met / self.windows if self.windows else None


def sdec_pct(times: Sequence[float]) -> float | None:
    """The percent decrement score of rep times (Glaister et al., 2008), or None for fewer than
    two reps or a rep of no time."""
    if len(times) < 2 or min(times) <= 0:
        return None
    return 100.0 * (sum(times) / (min(times) * len(times)) - 1.0)


def cv_pct(times: Sequence[float]) -> float | None:
    """The coefficient of variation of rep times, in percent, or None for fewer than two."""
    if len(times) < 2:
        return None
    mean = fmean(times)
    return 100.0 * stdev(times) / mean if mean > 0 else None


def _met(plan: Plan, record: StepRecord) -> bool:
    """Whether a recovery ended inside its window (the Summary flags the others)."""
    step = plan.steps[record.index]
    if record.reason in (EndReason.SKIPPED, EndReason.EARLY):
        return False
    if step.min_s is not None and record.duration + _EPS < step.min_s:
        return False
    return step.max_s is None or record.duration <= step.max_s + _EPS


Rep = tuple[float, float | None]
"""A rep run: (seconds, metres or None)."""


def comparable(reps: Sequence[Rep]) -> list[float] | None:
    """Rep times that can be compared: the times when the reps share a distance (or none has
    one), their paces in seconds a metre when every rep has a distance but they differ (a
    ladder), None when some have a distance and some do not."""
    distances = {metres for _seconds, metres in reps}
    if len(distances) <= 1:
        return [seconds for seconds, _metres in reps]
    if None in distances:
        return None
    return [seconds / metres for seconds, metres in reps if metres]


def _versus(final: Rep | None, others: Sequence[Rep]) -> float | None:
    if final is None or not others:
        return None
    values = comparable([*others, final])
    if values is None:
        return None
    return 100.0 * (values[-1] / fmean(values[:-1]) - 1.0)


def workout_stats(plan: Plan, records: Sequence[StepRecord]) -> WorkoutStats:
    """The statistics of the steps run (``records``, as the engine keeps them)."""
    steps = plan.steps
    final_index = plan.final_rep_index
    paced: list[Rep] = []  # reps run to their end, all-out ones left out
    final: Rep | None = None
    others: list[Rep] = []
    windows = met = 0
    for record in records:
        step = steps[record.index]
        if step.kind is StepKind.WORK and record.reason in _RUN:
            rep = (record.duration, step.distance_m)
            if not step.all_out:
                paced.append(rep)
            if record.index == final_index:
                final = rep
            else:
                others.append(rep)
        elif (
            step.kind is StepKind.RECOVERY
            and step.has_window
            and record.reason is not EndReason.ENDED
        ):
            windows += 1
            met += _met(plan, record)
    times = comparable(paced)
    if times is None:
        return WorkoutStats(None, None, windows, met, _versus(final, others))
    return WorkoutStats(sdec_pct(times), cv_pct(times), windows, met, _versus(final, others))


# -- best efforts ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Effort:
    """A rep run hard over a distance: the fastest at that distance in a session (or a span)."""

    distance_m: float
    seconds: float
    rep: int
    session_id: int | None = None
    wall: float | None = None
    """When the session started (wall clock), once known."""

    @property
    def speed(self) -> float:
        """Metres a second."""
        return self.distance_m / self.seconds


def session_bests(plan: Plan, records: Sequence[StepRecord]) -> tuple[Effort, ...]:
    """The fastest rep at each distance of a session, shortest distance first.

    A best effort is a rep with a distance, ended on the key (a timed rep is the plan's time,
    not the runner's), not paused midway, and not faster than anyone could run it (a stray
    press that was never taken back).
    """
    best: dict[float, Effort] = {}
    for record in records:
        step = plan.steps[record.index]
        distance = step.distance_m
        if step.kind is not StepKind.WORK or distance is None or step.rep is None:
            continue
        if record.reason is not EndReason.MARKED or step.time_s is not None:
            continue
        seconds = record.duration
        if record.paused_s > 0 or seconds <= 0 or implausibly_short(distance, seconds):
            continue
        if distance not in best or seconds < best[distance].seconds:
            best[distance] = Effort(distance, seconds, step.rep)
    return tuple(best[d] for d in sorted(best))


def personal_bests(efforts: Sequence[Effort]) -> tuple[Effort, ...]:
    """The fastest effort at each distance (the earliest of equal times), shortest first."""
    best: dict[float, Effort] = {}
    for effort in efforts:
        held = best.get(effort.distance_m)
        if held is None or effort.seconds < held.seconds:
            best[effort.distance_m] = effort
    return tuple(best[d] for d in sorted(best))


# -- critical speed -------------------------------------------------------------------------

CS_MIN_M = 400.0
CS_MAX_M = 5000.0
"""Distances whose best efforts the fit uses: 400 m to 5000 m, where a linear distance-time
model holds for runners (Smyth & Muniz-Pumares, MSSE 2020)."""
CS_MIN_EFFORTS = 3


@dataclass(frozen=True, slots=True)
class CriticalSpeed:
    """An estimate of critical speed and D' from a linear distance-time fit.

    distance = speed x time + D'. The speed is the fastest pace the runner could hold for a long
    while (roughly a 30-40 minute race); D' the metres they can run beyond it. From training
    reps it is an estimate: reps are rarely all-out, and D' from three efforts varies by about
    13 % between tests (Galbraith et al., 2014).
    """

    speed: float
    """Metres a second."""
    d_prime_m: float
    r_squared: float
    efforts: tuple[Effort, ...]

    @property
    def pace_per_km_s(self) -> float:
        """Seconds a kilometre at critical speed."""
        return 1000.0 / self.speed


@dataclass(frozen=True, slots=True)
class NoCriticalSpeed:
    """Why there is no estimate: the efforts there are cannot support one."""

    reason: str
    efforts: tuple[Effort, ...]


def line_fit(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float]:
    """Least squares ``y = slope x + intercept``: (slope, intercept, R²). Needs two distinct xs."""
    mean_x, mean_y = fmean(xs), fmean(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    total = sum((y - mean_y) ** 2 for y in ys)
    residual = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(xs, ys, strict=True))
    return slope, intercept, (1.0 - residual / total) if total > 0 else 1.0


def _metres(distance: float) -> str:
    return f"{distance:g}m" if distance < 1000 else f"{distance / 1000:g}km"


def critical_speed(bests: Sequence[Effort]) -> CriticalSpeed | NoCriticalSpeed:
    """Critical speed and D' from the best effort at each distance (see :class:`CriticalSpeed`).

    Only distances from :data:`CS_MIN_M` to :data:`CS_MAX_M` count, at least
    :data:`CS_MIN_EFFORTS` of them; a fit that gives no positive speed or D' is no estimate.
    """
    used = tuple(e for e in personal_bests(bests) if CS_MIN_M <= e.distance_m <= CS_MAX_M)
    if len(used) < CS_MIN_EFFORTS:
        have = ", ".join(_metres(e.distance_m) for e in used) or "none"
        return NoCriticalSpeed(
            f"needs best efforts at {CS_MIN_EFFORTS} or more distances from "
            f"{_metres(CS_MIN_M)} to {_metres(CS_MAX_M)} (marked reps); has {have}",
            used,
        )
    speed, d_prime, r_squared = line_fit([e.seconds for e in used], [e.distance_m for e in used])
    if speed <= 0 or not math.isfinite(speed):
        return NoCriticalSpeed("the longer efforts were not slower: no line fits them", used)
    if d_prime <= 0:
        return NoCriticalSpeed(
            f"the fit gives no positive D' ({d_prime:.0f} m): the efforts look paced alike, "
            "not run all out at each distance",
            used,
        )
    return CriticalSpeed(speed, d_prime, r_squared, used)


# -- across sessions ------------------------------------------------------------------------


def slope_per_session(values: Sequence[float]) -> float | None:
    """The least-squares change a session of ``values`` in order, or None for fewer than two."""
    if len(values) < 2:
        return None
    return line_fit([float(i) for i in range(len(values))], values)[0]
