"""The preset format: every validation rule, and how a preset expands into a plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from trackside.core.plan import Display, StepKind
from trackside.presets.models import MAX_STEPS, Preset
from trackside.presets.units import parse_distance, parse_duration

WORK = {"distance": "400m"}


def preset(**top: Any) -> dict[str, Any]:
    """A valid preset document with ``top`` merged in (``block`` replaces the default)."""
    return {"name": "Test", "block": [{"work": dict(WORK)}], **top}


def block(**fields: Any) -> dict[str, Any]:
    return {"work": dict(WORK), **fields}


def problems(data: dict[str, Any]) -> list[tuple[tuple[int | str, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        Preset.model_validate(data)
    return [(tuple(e["loc"]), e["type"]) for e in caught.value.errors()]


# -- durations and distances ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("2:30", 150), ("0:45", 45), ("10:00", 600), ("1:02:05", 3725), (90, 90), (" 3:00 ", 180)],
)
def test_durations_read_as_runners_write_them(text: object, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2:3", "expected"),
        ("2:60", "expected"),
        ("1:60:00", "expected"),
        ("90", "expected"),
        ("abc", "expected"),
        (0, "above zero"),
        ("0:00", "above zero"),
        (-5, "above zero"),
        (90.5, "whole seconds"),
        (True, "expected a duration"),
        ([1], "expected a duration"),
        (dt.time(0, 2, 30), 'in quotes, e.g. "2:30"'),
        (100_000, "at most"),
    ],
)
def test_bad_durations_say_what_is_wrong(value: object, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_duration(value)


@pytest.mark.parametrize(
    ("text", "metres"),
    [("400m", 400.0), ("1.5km", 1500.0), ("1mi", 1609.344), ("200 m", 200.0), ("2MI", 3218.688)],
)
def test_distances_carry_a_unit(text: str, metres: float) -> None:
    distance = parse_distance(text)
    assert distance.metres == pytest.approx(metres)
    assert distance.text == text


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (400, "needs a unit"),
        ("400", "expected a distance"),
        ("400 furlongs", "unknown unit"),
        ("0m", "above zero"),
        ("-400m", "expected a distance"),
        ("400km", "at most 100km"),
        (True, "expected a distance"),
    ],
)
def test_bad_distances_say_what_is_wrong(value: object, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_distance(value)


# -- the rules of the format ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "loc", "kind"),
    [
        ({"block": [block()]}, ("name",), "missing"),
        (preset(name=""), ("name",), "string_too_short"),
        (preset(name=3), ("name",), "string_type"),
        (preset(block=[]), ("block",), "too_short"),
        ({"name": "x"}, ("block",), "missing"),
        (preset(block={"work": WORK}), ("block",), "list_type"),
        (preset(exertion=0), ("exertion",), "greater_than_equal"),
        (preset(exertion=11), ("exertion",), "less_than_equal"),
        (preset(exertion="8"), ("exertion",), "int_type"),
        (preset(display="clock"), ("display",), "enum"),
        (preset(recovey=1), ("recovey",), "extra_forbidden"),
        (preset(block=[{"reps": 2}]), ("block", 0, "work"), "missing"),
        (preset(block=[block(reps=0)]), ("block", 0, "reps"), "greater_than_equal"),
        (preset(block=[block(sets=0)]), ("block", 0, "sets"), "greater_than_equal"),
        (preset(block=[block(reps=1.5)]), ("block", 0, "reps"), "int_type"),
        (preset(block=[block(recovey={})]), ("block", 0, "recovey"), "extra_forbidden"),
        (
            preset(block=[{"work": {"pace": "4:00"}}]),
            ("block", 0, "work", "pace"),
            "extra_forbidden",
        ),
        (
            preset(block=[{"work": {"all_out": "yes"}}]),
            ("block", 0, "work", "all_out"),
            "bool_type",
        ),
        (preset(block=[{"work": {"time": 0}}]), ("block", 0, "work", "time"), "value_error"),
        (
            preset(block=[{"work": {"distance": 400}}]),
            ("block", 0, "work", "distance"),
            "value_error",
        ),
        (preset(block=[{"work": {"effort": 8}}]), ("block", 0, "work", "effort"), "string_type"),
        (preset(block=[block(recovery="2:00")]), ("block", 0, "recovery"), "model_type"),
        (
            preset(block=[block(recovery={"min": "3:00", "max": "2:30"})]),
            ("block", 0, "recovery", "max"),
            "value_error",
        ),
        (
            preset(block=[block(recovery={"min": "2:30", "max": "2:30"})]),
            ("block", 0, "recovery", "max"),
            "value_error",
        ),
        (
            preset(block=[block(set_recovery={"time": 60, "min": 30})]),
            ("block", 0, "set_recovery", "min"),
            "value_error",
        ),
        (preset(warmup={"time": -1}), ("warmup", "time"), "value_error"),
        (preset(cooldown={"walk": True}), ("cooldown", "walk"), "extra_forbidden"),
        (preset(warmup={"activity": ""}), ("warmup", "activity"), "string_too_short"),
    ],
)
def test_each_rule_is_enforced(data: dict[str, Any], loc: tuple[int | str, ...], kind: str) -> None:
    assert (loc, kind) in problems(data)


def test_a_workout_may_not_expand_past_the_step_limit() -> None:
    # 500 reps and 499 recoveries between them: 999 steps, then warmup and cooldown make 1001.
    big = block(reps=500, recovery={"time": 30})
    assert Preset.model_validate(preset(block=[big], warmup={"time": 60})).step_count == MAX_STEPS
    assert problems(preset(block=[big], warmup={"time": 60}, cooldown={"time": 60})) == [
        ((), "value_error")
    ]


def test_huge_counts_are_refused_without_expanding_them() -> None:
    # A million reps: counted arithmetically, so validation stays instant.
    assert problems(preset(block=[block(reps=1000, sets=1000)])) == [((), "value_error")]


def test_models_are_frozen() -> None:
    model = Preset.model_validate(preset())
    with pytest.raises(ValidationError):
        model.name = "changed"  # type: ignore[misc]


def test_defaults() -> None:
    model = Preset.model_validate(preset())
    assert model.display is Display.TIME
    assert model.blocks[0].reps == 1
    assert model.blocks[0].sets == 1
    assert model.blocks[0].work.all_out is False


# -- expansion -------------------------------------------------------------------------------


def kinds(model: Preset) -> list[str]:
    """Each step as a short code: w<rep>, r (recovery), s (set recovery), W (warmup), C."""
    out = []
    for step in model.to_plan().steps:
        if step.kind is StepKind.WORK:
            out.append(f"w{step.rep}")
        elif step.kind is StepKind.RECOVERY:
            out.append("s" if step.note == "set" else "r")
        else:
            out.append("W" if step.kind is StepKind.WARMUP else "C")
    return out


def test_sets_end_with_the_set_recovery_and_nothing_follows_the_last_rep() -> None:
    model = Preset.model_validate(
        preset(
            block=[
                block(
                    sets=2, reps=3, recovery={"time": 30}, set_recovery={"time": 240, "note": "set"}
                )
            ]
        )
    )
    assert kinds(model) == ["w1", "r", "w2", "r", "w3", "s", "w4", "r", "w5", "r", "w6"]
    assert model.step_count == len(model.to_plan().steps)


def test_set_recovery_alone_only_follows_the_last_rep_of_each_set() -> None:
    model = Preset.model_validate(
        preset(block=[block(sets=3, reps=2, set_recovery={"time": 120, "note": "set"})])
    )
    assert kinds(model) == ["w1", "w2", "s", "w3", "w4", "s", "w5", "w6"]


def test_the_last_rep_of_a_block_is_followed_by_its_recovery_before_the_next_block() -> None:
    model = Preset.model_validate(
        preset(
            block=[
                block(reps=2, recovery={"time": 60}),
                block(reps=2, recovery={"time": 90}, set_recovery={"time": 300, "note": "set"}),
                block(recovery={"time": 30}),
            ]
        )
    )
    assert kinds(model) == ["w1", "r", "w2", "r", "w3", "r", "w4", "s", "w5"]
    assert model.step_count == 9


def test_warmup_first_cooldown_last() -> None:
    model = Preset.model_validate(
        preset(
            block=[block(reps=2, recovery={"time": 60})],
            warmup={"activity": "jog"},
            cooldown={"distance": "1mi"},
        )
    )
    assert kinds(model) == ["W", "w1", "r", "w2", "C"]


def test_steps_carry_what_the_engine_and_the_screens_need() -> None:
    model = Preset.model_validate(
        preset(
            display="effort",
            block=[
                block(
                    work={"distance": "1.5km", "effort": "10K effort", "note": "relax"},
                    reps=2,
                    recovery={"distance": "400m", "activity": "jog", "min": "2:30", "max": "3:00"},
                ),
                {"work": {"time": "0:20", "effort": "All You Got", "all_out": True}},
            ],
        )
    )
    plan = model.to_plan()
    assert plan.name == "Test"
    assert plan.display is Display.EFFORT
    first, recovery, *_, last = plan.steps
    assert (first.distance_m, first.distance_text, first.effort, first.note, first.rep) == (
        1500.0,
        "1.5km",
        "10K effort",
        "relax",
        1,
    )
    assert (recovery.min_s, recovery.max_s, recovery.time_s, recovery.activity) == (
        150.0,
        180.0,
        None,
        "jog",
    )
    assert (last.time_s, last.all_out, last.rep, last.distance_m) == (20.0, True, 3, None)
    assert plan.final_rep_index == len(plan.steps) - 1
