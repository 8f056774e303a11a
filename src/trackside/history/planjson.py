"""The plan as it was run, as JSON, kept with each session: editing a preset never changes history.

The format is ours and versioned (``"format": 1``). Every field of :class:`Step` is written,
defaults included, so a later default change in the engine cannot reinterpret an old session.
"""

from __future__ import annotations

import json
import math
from dataclasses import fields
from typing import Any

from trackside.core.plan import Display, Plan, Step, StepKind

FORMAT = 1
"""Bumped when the JSON layout changes; readers refuse a format they do not know."""

_STEP_FIELDS = tuple(f.name for f in fields(Step))


class PlanFormatError(ValueError):
    """Stored plan JSON that cannot be read back into a :class:`Plan`."""


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON-ready data."""
    return {
        "format": FORMAT,
        "name": plan.name,
        "display": plan.display.value,
        "steps": [_step_to_dict(step) for step in plan.steps],
    }


def _step_to_dict(step: Step) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(step, name) for name in _STEP_FIELDS}
    out["kind"] = step.kind.value
    return out


def plan_to_json(plan: Plan) -> str:
    """The plan as compact JSON text (UTF-8 safe, non-ASCII kept as is)."""
    return json.dumps(plan_to_dict(plan), ensure_ascii=False, separators=(",", ":"))


def plan_from_dict(data: Any) -> Plan:
    """Rebuild a plan from :func:`plan_to_dict` output; raises :class:`PlanFormatError`."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PlanFormatError("stored plan has an unknown format")
    try:
        steps = tuple(_step_from_dict(item) for item in data["steps"])
        return Plan(str(data["name"]), steps, Display(data["display"]))
    except (KeyError, TypeError, ValueError) as error:
        raise PlanFormatError(f"stored plan cannot be read: {error}") from error


def _step_from_dict(item: Any) -> Step:
    if not isinstance(item, dict):
        raise TypeError("a step is not an object")
    unknown = set(item) - set(_STEP_FIELDS)
    if unknown:
        raise ValueError(f"unknown step fields {sorted(unknown)}")
    values = dict(item)
    values["kind"] = StepKind(values["kind"])
    for name, value in values.items():
        _check(name, value)
    return Step(**values)


_NUMBERS = frozenset({"distance_m", "time_s", "min_s", "max_s"})
_TEXTS = frozenset({"distance_text", "effort", "activity", "note"})


def _check(name: str, value: Any) -> None:
    """Raise ValueError for a field of the wrong type: a plan edited by hand must fail here,
    in one line, not deep in the engine or in a spreadsheet cell."""
    if value is None or name == "kind":
        return
    if name in _NUMBERS:
        ok = isinstance(value, float | int) and not isinstance(value, bool)
        if not (ok and math.isfinite(value) and value > 0):
            raise ValueError(f"{name} is {value!r}, not a number above zero")
    elif name in _TEXTS and not isinstance(value, str):
        raise ValueError(f"{name} is {value!r}, not text")
    elif name == "all_out" and not isinstance(value, bool):
        raise ValueError(f"all_out is {value!r}, not true or false")
    elif name == "rep" and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError(f"rep is {value!r}, not a rep number")


def plan_from_json(text: str) -> Plan:
    """Rebuild a plan from :func:`plan_to_json` text; raises :class:`PlanFormatError`."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:  # RecursionError: [[[[… nested
        raise PlanFormatError(f"stored plan is not JSON: {error}") from error
    return plan_from_dict(data)
