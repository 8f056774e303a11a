"""A preset already checked by the pydantic models, as plain data: the one preset type.

:class:`CheckedPreset` holds what the app, the history and the commands need of a preset (its
words and its expanded plan); the models (:mod:`trackside.presets.models`) only parse and check
a file and make one. It converts to and from JSON with the standard library only, so a preset
file checked once is read back from the cache (:mod:`trackside.presets.cache`) without pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from trackside.core.plan import Display, Plan, Step, StepKind

_STEP_TYPES: dict[str, type] = {
    "distance_m": float,
    "distance_text": str,
    "time_s": float,
    "min_s": float,
    "max_s": float,
    "effort": str,
    "activity": str,
    "note": str,
    "rep": int,
}
_WORD_TYPES: dict[str, type] = {
    "name": str,
    "description": str,
    "designed_for": str,
    "periodization": str,
    "exertion": int,
}


@dataclass(frozen=True, slots=True)
class CheckedPreset:
    """A valid preset: its words and the plan it expands to (made by ``Preset.checked``)."""

    name: str
    description: str | None
    designed_for: str | None
    periodization: str | None
    exertion: int | None
    plan: Plan

    def to_plan(self) -> Plan:
        """The steps the engine runs (expanded when the preset was checked)."""
        return self.plan

    @property
    def total_reps(self) -> int:
        """Reps in the whole workout."""
        return self.plan.total_reps

    @property
    def step_count(self) -> int:
        """Steps the workout expands to."""
        return len(self.plan.steps)

    def to_json(self) -> dict[str, Any]:
        """The preset as JSON values (see :func:`from_json`)."""
        words = {name: getattr(self, name) for name in _WORD_TYPES}
        names = [item.name for item in fields(Step)]
        steps = [{name: getattr(step, name) for name in names} for step in self.plan.steps]
        return {**words, "display": self.plan.display.value, "steps": steps}


def from_json(data: Any) -> CheckedPreset:
    """The preset :meth:`CheckedPreset.to_json` gave. Raises ValueError, KeyError or TypeError
    on anything else: a damaged or foreign cache file is never half read."""
    words = {name: _typed(data[name], kind) for name, kind in _WORD_TYPES.items()}
    if words["name"] is None:
        raise ValueError("a preset has a name")
    steps = tuple(_step(step) for step in _typed(data["steps"], list))
    plan = Plan(name=words["name"], steps=steps, display=Display(_typed(data["display"], str)))
    return CheckedPreset(plan=plan, **words)


def _step(data: Any) -> Step:
    if type(data) is not dict or data.keys() != {item.name for item in fields(Step)}:
        raise ValueError("not a step")
    values = {name: _typed(data[name], kind) for name, kind in _STEP_TYPES.items()}
    all_out = data["all_out"]
    if type(all_out) is not bool:
        raise TypeError("all_out is true or false")
    return Step(kind=StepKind(_typed(data["kind"], str)), all_out=all_out, **values)


def _typed(value: Any, kind: type) -> Any:
    """``value`` if it is None or exactly a ``kind`` (an int is not a bool here)."""
    if value is not None and type(value) is not kind:
        raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
    return value
