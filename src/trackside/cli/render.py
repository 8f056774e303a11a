"""Text and JSON renderings of presets for the command line (pure: data in, strings out).

Text from a preset or a path is made visible (:func:`~trackside.core.safe.visible`) before a
column's width is measured, so an escape shown as ``\\x1b`` keeps the table aligned; the JSON
keeps the exact text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trackside.core.plan import Plan, Step, StepKind
from trackside.core.safe import visible
from trackside.core.timefmt import clock
from trackside.presets.checked import CheckedPreset
from trackside.presets.loader import PresetEntry
from trackside.presets.outline import (
    REP_PACE_S_PER_KM,
    extras_text,
    format_distance,
    format_range,
    step_label,
    step_length,
    step_what,
    summarize,
)


def library_table(entries: Sequence[PresetEntry]) -> list[str]:
    """``ID NAME REPS SOURCE`` rows; a broken preset says so and lists its problems under it."""
    rows = [("ID", "NAME", "REPS", "SOURCE")]
    for entry in entries:
        ident = visible(entry.id)
        if entry.preset is None:
            rows.append((ident, "BROKEN: see below", "-", entry.source))
        else:
            rows.append((ident, visible(entry.name), str(entry.preset.total_reps), entry.source))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    problems: list[tuple[str, ...]] = [(), *(entry.errors for entry in entries)]
    for (ident, name, reps, source), errors in zip(rows, problems, strict=True):
        lines.append(f"{ident:<{widths[0]}}  {name:<{widths[1]}}  {reps:>{widths[2]}}  {source}")
        lines.extend(f"    {visible(problem)}" for problem in errors)
    return lines


def plan_text(preset: CheckedPreset, plan: Plan) -> list[str]:
    """The preset's header, every step of the expanded plan, and the totals."""
    lines = [visible(preset.name)]
    if preset.description:
        lines.append(visible(preset.description, newlines=True))
    about = [
        f"designed for {preset.designed_for}" if preset.designed_for else "",
        preset.periodization or "",
        f"exertion {preset.exertion}/10" if preset.exertion is not None else "",
        f"reps show the {plan.display.value}",
    ]
    lines += [visible("; ".join(part for part in about if part)), ""]
    rows = [("#", "STEP", "DISTANCE", "LENGTH", "WHAT")]
    rows += [
        (str(i), step_label(s), visible(s.distance_text or "-"), step_length(s), step_what(s))
        for i, s in enumerate(plan.steps, start=1)
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        number, label, distance, length, what = row
        cells = [f"{number:>{widths[0]}}", f"{label:<{widths[1]}}", f"{distance:<{widths[2]}}"]
        lines.append("  ".join([*cells, f"{length:<{widths[3]}}", what]).rstrip())
    return [*lines, "", *totals_text(plan)]


def totals_text(plan: Plan) -> list[str]:
    """Reps, work distance, recovery time and the estimated duration, one per line."""
    summary = summarize(plan)
    distance = summary.work_distance_m
    paced = any(step.is_rep and step.auto_end_s is None and step.distance_m for step in plan.steps)
    fast, slow = (clock(pace) for pace in REP_PACE_S_PER_KM)
    notes = [extras_text(plan), f"reps on the key at {fast} to {slow} per km" if paced else ""]
    said = "; ".join(note for note in notes if note)
    recovers = any(step.kind is StepKind.RECOVERY for step in plan.steps)
    return [
        f"reps: {summary.reps}",
        f"work distance: {format_distance(distance) if distance else '-'}",
        f"recovery time: {format_range(summary.recovery_s) if recovers else '-'}",
        f"estimated time: {format_range(summary.duration_s)}" + (f" ({said})" if said else ""),
    ]


def plan_json(preset: CheckedPreset, plan: Plan) -> dict[str, Any]:
    """``{"name": ..., "steps": [...], "totals": {...}}`` for ``trackside show --json``."""
    summary = summarize(plan)
    return {
        "name": preset.name,
        "description": preset.description,
        "designed_for": preset.designed_for,
        "periodization": preset.periodization,
        "exertion": preset.exertion,
        "display": plan.display.value,
        "steps": [step_json(step) for step in plan.steps],
        "totals": {
            "reps": summary.reps,
            "steps": summary.steps,
            "work_distance_m": _number(summary.work_distance_m),
            "recovery_min_s": _number(summary.recovery_s[0]),
            "recovery_max_s": _number(summary.recovery_s[1]),
            "estimated_min_s": _number(summary.duration_s[0]),
            "estimated_max_s": _number(summary.duration_s[1]),
        },
    }


def step_json(step: Step) -> dict[str, Any]:
    """One plan step as JSON: kind, distance, how it ends, effort, activity, rep and note."""
    return {
        "kind": step.kind.value,
        "rep": step.rep,
        "distance_m": _number(step.distance_m),
        "distance": step.distance_text,
        "time_s": _number(step.time_s),
        "min_s": _number(step.min_s),
        "max_s": _number(step.max_s),
        "effort": step.effort,
        "all_out": step.all_out,
        "activity": step.activity,
        "note": step.note,
    }


def _number(value: float | None) -> float | int | None:
    """Whole numbers as ints (``400``, not ``400.0``); a mile stays ``1609.344``."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 3)
