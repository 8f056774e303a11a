"""What a session comes to: its splits and recoveries, and the figures a runner looks at after.

Pure Python over the engine's records (no Textual), so the Summary screen and the history both
read the same figures and the tests check them without a terminal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from trackside.core.events import EndReason
from trackside.core.plan import Plan, StepKind
from trackside.core.session import StepRecord

_EPS = 1e-6

# -- the rows -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One step that was run, as the Summary lists it."""

    index: int
    kind: StepKind
    rep: int | None
    seconds: float
    reason: EndReason
    flag: str | None = None
    """Why a recovery is outside its window (``"early"``, ``"short"``, ``"long"``), or a note
    on how a step ended (``"skipped"``, ``"ended"``); None when all is as planned."""
    final: bool = False


def _flag(plan: Plan, record: StepRecord) -> str | None:
    step = plan.steps[record.index]
    if record.reason is EndReason.SKIPPED:
        return "skipped"
    if record.reason is EndReason.ENDED:
        return "ended"
    if step.is_rep:
        return None
    if record.reason is EndReason.EARLY:
        return "early"
    if step.min_s is not None and record.duration + _EPS < step.min_s:
        return "short"
    if step.max_s is not None and record.duration > step.max_s + _EPS:
        return "long"
    return None


def rows(plan: Plan, records: Sequence[StepRecord]) -> list[Row]:
    """Every step run, in order, with recoveries outside their window flagged."""
    final = plan.final_rep_index
    return [
        Row(
            index=record.index,
            kind=plan.steps[record.index].kind,
            rep=plan.steps[record.index].rep,
            seconds=record.duration,
            reason=record.reason,
            flag=_flag(plan, record),
            final=record.index == final,
        )
        for record in records
    ]


# -- the figures ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RepStats:
    """Fastest, slowest, average and spread of the reps run to their end."""

    count: int
    fastest: tuple[int, float]
    """(rep number, seconds)."""
    slowest: tuple[int, float]
    average: float
    spread: float
    """Slowest less fastest, in seconds."""
    final: float | None
    """The final rep's time, if it was run to its end."""
    rest_average: float | None
    """The average of every other rep, if there were any."""

    @property
    def final_vs_rest(self) -> float | None:
        """Final rep less the average of the rest (negative: the final rep was faster)."""
        if self.final is None or self.rest_average is None:
            return None
        return self.final - self.rest_average


def splits(plan: Plan, records: Sequence[StepRecord]) -> list[tuple[int, float]]:
    """``(rep number, seconds)`` of every rep run to its end (skipped and ended reps left out)."""
    out = []
    for record in records:
        step = plan.steps[record.index]
        if step.rep is not None and record.reason in (EndReason.MARKED, EndReason.AUTO):
            out.append((step.rep, record.duration))
    return out


def rep_stats(plan: Plan, records: Sequence[StepRecord]) -> RepStats | None:
    """The figures of the reps run, or None if no rep was run to its end."""
    done = splits(plan, records)
    if not done:
        return None
    final_index = plan.final_rep_index
    final_rep = None if final_index is None else plan.steps[final_index].rep
    times = [seconds for _rep, seconds in done]
    fastest = min(done, key=lambda pair: pair[1])
    slowest = max(done, key=lambda pair: pair[1])
    final = next((seconds for rep, seconds in done if rep == final_rep), None)
    rest = [seconds for rep, seconds in done if rep != final_rep]
    return RepStats(
        count=len(done),
        fastest=fastest,
        slowest=slowest,
        average=fmean(times),
        spread=slowest[1] - fastest[1],
        final=final,
        rest_average=fmean(rest) if rest and final is not None else None,
    )


# -- the chart ------------------------------------------------------------------------------

_EIGHTHS = " ▁▂▃▄▅▆▇█"


def chart(values: Sequence[float], rows: int) -> list[str]:
    """A bar chart of ``values``, one column per value, ``rows`` high, top row first.

    Bars are scaled between a floor a little under the fastest and the slowest, so a spread of
    a few seconds shows; a slower rep is a taller bar. Every value gets at least one eighth.
    """
    if not values or rows < 1:
        return []
    low, high = min(values), max(values)
    floor = low - max((high - low) * 0.25, 0.5)
    top = rows * 8
    heights = [max(1, round((value - floor) / (high - floor) * top)) for value in values]
    lines = []
    for row in range(rows - 1, -1, -1):
        base = row * 8
        lines.append("".join(_EIGHTHS[min(8, max(0, h - base))] for h in heights))
    return lines


# -- the guard against a stray press --------------------------------------------------------

WORLD_RECORDS: tuple[tuple[float, float], ...] = (
    (100.0, 9.58),
    (200.0, 19.19),
    (400.0, 43.03),
    (800.0, 100.91),
    (1000.0, 131.96),
    (1500.0, 206.00),
    (1609.344, 223.13),
    (2000.0, 284.79),
    (3000.0, 437.55),
    (5000.0, 755.36),
    (10000.0, 1571.00),
    (21097.5, 3451.0),
    (42195.0, 7235.0),
)
"""Men's outdoor world records (metres, seconds), the fastest any human has run a distance."""

IMPLAUSIBLE_FRACTION = 0.6
"""A rep under this fraction of the world-record time for its distance is a stray press."""


def world_record_s(distance_m: float) -> float:
    """The world-record time for ``distance_m``, interpolated on a log-log scale between records.

    Below 100 m the 100 m pace is used; above the marathon, the marathon's slope continues.
    """
    if distance_m <= WORLD_RECORDS[0][0]:
        return WORLD_RECORDS[0][1] * distance_m / WORLD_RECORDS[0][0]
    for (d0, t0), (d1, t1) in zip(WORLD_RECORDS, WORLD_RECORDS[1:], strict=False):
        if distance_m <= d1:
            slope = math.log(t1 / t0) / math.log(d1 / d0)
            return t0 * float((distance_m / d0) ** slope)
    (d0, t0), (d1, t1) = WORLD_RECORDS[-2], WORLD_RECORDS[-1]
    slope = math.log(t1 / t0) / math.log(d1 / d0)
    return t1 * float((distance_m / d1) ** slope)


def implausible_below_s(distance_m: float | None) -> float | None:
    """The rep time under which a mark is taken for a stray press (None: no distance, no guard).

    The rule: under 60 % of the world-record time for the distance. For 400 m that is
    0.6 x 43.03 s = 25.8 s; for 1000 m, 79.2 s; for a mile, 2:13.9.
    """
    if distance_m is None or distance_m <= 0:
        return None
    return IMPLAUSIBLE_FRACTION * world_record_s(distance_m)


def implausibly_short(distance_m: float | None, seconds: float) -> bool:
    """Whether a rep of ``distance_m`` run in ``seconds`` is faster than anyone could run it."""
    limit = implausible_below_s(distance_m)
    return limit is not None and seconds < limit
