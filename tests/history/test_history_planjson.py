"""The plan as it was run survives a trip through JSON exactly, whatever its steps."""

from __future__ import annotations

import json

import pytest
from history_support import PLAN
from hypothesis import given
from hypothesis import strategies as st

from trackside.core.plan import Display, Plan, Step, StepKind
from trackside.history.planjson import (
    PlanFormatError,
    plan_from_json,
    plan_to_dict,
    plan_to_json,
)
from trackside.presets.loader import resolve

_seconds = st.none() | st.floats(min_value=0.5, max_value=7200, allow_nan=False)
_text = st.none() | st.text(max_size=20)
_steps = st.builds(
    Step,
    kind=st.sampled_from(StepKind),
    distance_m=st.none() | st.floats(min_value=1, max_value=50_000, allow_nan=False),
    distance_text=_text,
    time_s=_seconds,
    min_s=_seconds,
    max_s=_seconds,
    effort=_text,
    all_out=st.booleans(),
    activity=_text,
    note=_text,
    rep=st.none() | st.integers(min_value=1, max_value=100),
)


@given(
    name=st.text(min_size=1, max_size=40),
    steps=st.lists(_steps, min_size=1, max_size=12),
    display=st.sampled_from(Display),
)
def test_any_plan_round_trips(name: str, steps: list[Step], display: Display) -> None:
    plan = Plan(name, tuple(steps), display)
    assert plan_from_json(plan_to_json(plan)) == plan


def test_the_21x400m_preset_round_trips() -> None:
    plan = resolve("21x400m").to_plan()
    again = plan_from_json(plan_to_json(plan))
    assert again == plan
    assert again.total_reps == 21
    assert again.steps[-1].all_out


def test_every_step_field_is_written_even_at_its_default() -> None:
    # A later change of a default in the engine must not reinterpret an old session.
    step = plan_to_dict(PLAN)["steps"][0]
    assert set(step) == {
        "kind", "distance_m", "distance_text", "time_s", "min_s", "max_s",
        "effort", "all_out", "activity", "note", "rep",
    }  # fmt: skip
    assert step["all_out"] is False
    assert step["time_s"] is None


def test_non_ascii_is_kept_as_written() -> None:
    plan = Plan("Fartlek ½ — Ümit", PLAN.steps)
    text = plan_to_json(plan)
    assert "Fartlek ½ — Ümit" in text
    assert plan_from_json(text).name == plan.name


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        json.dumps({"format": 99, "name": "x", "display": "time", "steps": []}),
        json.dumps({"format": 1, "name": "x", "display": "time", "steps": []}),
        json.dumps({"format": 1, "name": "x", "display": "time", "steps": [{"kind": "sprint"}]}),
        '{"format": 1, "name": "x", "display": "time", "steps": [{"kind": "work", "x": 0}]}',
        json.dumps({"format": 1, "name": "x", "display": "loud", "steps": [{"kind": "work"}]}),
    ],
)
def test_unreadable_plans_raise_one_error(text: str) -> None:
    with pytest.raises(PlanFormatError):
        plan_from_json(text)
