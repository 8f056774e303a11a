"""What a plan amounts to, for the picker's preview and ``trackside show``: pure functions.

The estimated duration needs an assumption for steps that end on the key. It is deliberately
simple and wide:

- a rep with a distance and no ``time`` is run at 3:00 to 5:00 per km (a 400m in 1:12 to 2:00,
  which covers a 3K effort from a fast club runner to a steady jogger);
- an open warmup, cooldown or recovery with a distance is run at 5:00 to 8:00 per km;
- a window counts from its ``min`` (0 without one) to its ``max``;
- an open step with no distance has no upper bound, so the estimate says "or more".
"""

from __future__ import annotations

from dataclasses import dataclass

from trackside.core.plan import Plan, Step, StepKind
from trackside.core.safe import visible
from trackside.core.timefmt import clock

REP_PACE_S_PER_KM = (180.0, 300.0)
"""Fastest and slowest pace assumed for reps that end on the key (3:00 to 5:00 per km)."""
EASY_PACE_S_PER_KM = (300.0, 480.0)
"""Fastest and slowest pace assumed for open easy steps with a distance (5:00 to 8:00 per km)."""

Range = tuple[float, float | None]
"""Least and most seconds; most is None when there is no upper bound."""


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """The totals of a plan: what the runner is in for."""

    reps: int
    steps: int
    work_distance_m: float
    """Sum of the distances of the reps that have one."""
    recovery_s: Range
    """Total time of the recoveries between reps (not the warmup or cooldown)."""
    duration_s: Range
    """Estimated length of the whole session (see the module's assumptions)."""


def summarize(plan: Plan) -> PlanSummary:
    """Totals and an estimated duration range of ``plan``."""
    low = 0.0
    high: float | None = 0.0
    for step in plan.steps:
        step_low, step_high = step_range_s(step)
        low += step_low
        high = None if high is None or step_high is None else high + step_high
    distance = sum(step.distance_m or 0.0 for step in plan.steps if step.is_rep)
    return PlanSummary(
        reps=plan.total_reps,
        steps=len(plan.steps),
        work_distance_m=distance,
        recovery_s=plan.recovery_range_s(),
        duration_s=(low, high),
    )


def reps_text(summary: PlanSummary) -> str:
    """``21 (8.4 km)``, or just ``8`` when no rep has a distance."""
    distance = summary.work_distance_m
    return f"{summary.reps} ({format_distance(distance)})" if distance else str(summary.reps)


def extras_text(plan: Plan) -> str:
    """``with the warmup``, ``with the warmup and cooldown``, ``with the cooldown`` or empty:
    what the estimate holds beyond the reps and recoveries, named only if the plan has it."""
    kinds = {step.kind for step in plan.steps}
    extras = [kind.value for kind in (StepKind.WARMUP, StepKind.COOLDOWN) if kind in kinds]
    return f"with the {' and '.join(extras)}" if extras else ""


def step_range_s(step: Step) -> Range:
    """Least and most seconds ``step`` is expected to take."""
    if step.time_s is not None:
        return step.time_s, step.time_s
    if step.has_window:
        return step.min_s or 0.0, step.max_s
    if step.distance_m is None:
        return 0.0, None
    fast, slow = REP_PACE_S_PER_KM if step.is_rep else EASY_PACE_S_PER_KM
    km = step.distance_m / 1000
    return km * fast, km * slow


def format_range(seconds: Range) -> str:
    """``50:00-1:00:00``, ``2:30`` when both ends agree, ``5:00 or more`` with no upper bound."""
    low, high = seconds
    if high is None:
        return f"{clock(low)} or more"
    if clock(low) == clock(high):
        return clock(low)
    return f"{clock(low)}-{clock(high)}"


def format_distance(metres: float) -> str:
    """``8.4 km`` from 1 km up, ``800 m`` below."""
    if metres >= 1000:
        return f"{metres / 1000:.1f} km".replace(".0 km", " km")
    return f"{metres:.0f} m"


def step_length(step: Step) -> str:
    """How a step ends, in words: ``2:30-3:00 window``, ``1:30``, ``on the key``."""
    if step.time_s is not None:
        return clock(step.time_s)
    if step.min_s is not None and step.max_s is not None:
        return f"{clock(step.min_s)}-{clock(step.max_s)} window"
    if step.min_s is not None:
        return f"at least {clock(step.min_s)}"
    if step.max_s is not None:
        return f"up to {clock(step.max_s)}"
    return "on the key"


def step_label(step: Step) -> str:
    """``rep 7``, ``recovery``, ``warmup``, ``cooldown``."""
    if step.kind is StepKind.WORK and step.rep is not None:
        return f"rep {step.rep}"
    return step.kind.value


def step_what(step: Step) -> str:
    """The words of a step: the effort of a rep (``ALL OUT`` flagged), the activity otherwise,
    made safe to show (a control or bidi character as its escape, ``\\x1b``)."""
    words = [step.effort or ""] if step.is_rep else [step.activity or ""]
    if step.all_out:
        words.append("(all out)")
    if step.note:
        words.append(f"- {step.note}")
    return visible(" ".join(word for word in words if word))
