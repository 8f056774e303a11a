"""Mangled presets never escape as anything but clear lines: hypothesis mutates the built-ins."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trackside import paths
from trackside.presets.checked import CheckedPreset
from trackside.presets.loader import PresetError, load_preset, parse_preset
from trackside.presets.models import Preset

SOURCES = [p.read_text() for p in sorted(paths.builtin_presets_dir().glob("*.toml"))]
VALUES = st.sampled_from(
    ['"2:30"', '"0:00"', "0", "-1", "1e9", "true", '"400m"', '"400"', "[]", "{}", '""', "2:30"]
)


@st.composite
def mangled(draw: st.DrawFn) -> str:
    """A built-in preset with lines deleted, duplicated, swapped or given odd values."""
    lines = draw(st.sampled_from(SOURCES)).splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "value", "cut", "swap"]))
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "value" and "=" in lines[at]:
            key = lines[at].split("=", 1)[0]
            lines[at] = f"{key}= {draw(VALUES)}"
        elif action == "cut":
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
        else:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
    return "\n".join(lines)


def attempt(
    load: Callable[[], CheckedPreset],
) -> tuple[CheckedPreset | None, tuple[str, ...]]:
    """The preset, or the error lines: anything else (a traceback) fails the test."""
    try:
        return load(), ()
    except PresetError as error:
        return None, error.lines


@settings(max_examples=300, deadline=None)
@given(mangled())
def test_mangled_presets_load_or_give_one_line_per_problem(text: str) -> None:
    preset, lines = attempt(lambda: parse_preset(text, "m.toml"))
    if preset is None:
        assert lines
        assert all(line.startswith("m.toml: ") and "\n" not in line for line in lines)
    else:
        # The models count the steps without expanding them: the count that holds the limit.
        model = Preset.model_validate(tomllib.loads(text))
        assert len(preset.plan.steps) == model.step_count


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "random.toml"
    path.write_bytes(raw)
    preset, lines = attempt(lambda: load_preset(path))
    assert preset is not None or all(line.startswith(f"{path}: ") for line in lines)
