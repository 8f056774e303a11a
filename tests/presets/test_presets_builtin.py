"""The built-in library: every preset loads and expands; 21x400m is exactly the issue's session;
and the summary the picker and ``show`` print."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from trackside import paths
from trackside.core.plan import Plan, Step, StepKind
from trackside.presets.loader import load_library, load_preset
from trackside.presets.models import Preset
from trackside.presets.outline import (
    format_distance,
    format_range,
    step_length,
    step_range_s,
    summarize,
)

BUILTIN = sorted(paths.builtin_presets_dir().glob("*.toml"))


def test_the_library_has_21x400m_and_five_more() -> None:
    assert {p.stem for p in BUILTIN} >= {"21x400m", "10x400m-90s", "ladder", "3x4x300m"}
    assert len(BUILTIN) >= 6


@pytest.mark.parametrize("path", BUILTIN, ids=[p.stem for p in BUILTIN])
def test_every_builtin_preset_loads_and_expands(path: Path) -> None:
    preset = load_preset(path)
    plan = preset.to_plan()
    # The models count reps and steps without expanding the blocks; the expansion agrees.
    model = Preset.model_validate(tomllib.loads(path.read_text()))
    assert plan.total_reps == model.total_reps > 0
    assert len(plan.steps) == model.step_count
    assert plan.steps[plan.final_rep_index or 0].is_rep
    assert preset.description
    assert preset.designed_for
    assert preset.exertion


def test_builtin_library_has_no_broken_entries() -> None:
    entries = load_library(user_dir=paths.builtin_presets_dir() / "no-such-folder")
    assert [e.errors for e in entries if not e.ok] == []
    assert entries[0].id == "21x400m"


def test_21x400m_is_the_issues_session() -> None:
    plan = load_preset(paths.builtin_presets_dir() / "21x400m.toml").to_plan()
    reps = [s for s in plan.steps if s.kind is StepKind.WORK]
    recoveries = [s for s in plan.steps if s.kind is StepKind.RECOVERY]
    assert len(plan.steps) == 41
    assert [s.rep for s in reps] == list(range(1, 22))
    assert all(s.distance_m == 400 and s.effort == "3K effort" for s in reps[:20])
    assert not any(s.all_out for s in reps[:20])
    assert (reps[-1].all_out, reps[-1].effort) == (True, "All You Got")
    assert len(recoveries) == 20
    assert {(s.distance_m, s.activity, s.min_s, s.max_s, s.time_s) for s in recoveries} == {
        (400, "jog", 150, 180, None)
    }
    assert plan.display.value == "effort"


def test_each_builtin_exercises_its_part_of_the_format() -> None:
    plans = {p.stem: load_preset(p).to_plan() for p in BUILTIN}
    fixed = [s for s in plans["10x400m-90s"].steps if not s.is_rep]
    assert {s.time_s for s in fixed} == {90}
    ladder = [s.distance_m for s in plans["ladder"].steps if s.is_rep]
    assert ladder == [200, 400, 600, 800, 600, 400, 200]
    set_rests = [s.time_s for s in plans["3x4x300m"].steps if s.time_s == 240]
    assert len(set_rests) == 2  # between 3 sets; nothing after the last rep
    tabata = plans["tabata"].steps
    assert tabata[0].kind is StepKind.WARMUP
    assert tabata[0].time_s == 600
    assert all(s.time_s == 20 for s in tabata if s.is_rep)
    open_ends = plans["6x800m"].steps
    assert (open_ends[0].kind, open_ends[-1].kind) == (StepKind.WARMUP, StepKind.COOLDOWN)
    assert open_ends[0].auto_end_s is None
    assert open_ends[-1].auto_end_s is None


# -- the summary -------------------------------------------------------------------------


def test_summary_of_21x400m() -> None:
    summary = summarize(load_preset(paths.builtin_presets_dir() / "21x400m.toml").to_plan())
    assert (summary.reps, summary.steps, summary.work_distance_m) == (21, 41, 8400)
    assert summary.recovery_s == (3000, 3600)
    # 21 reps of 400m at 3:00-5:00 per km (72-120 s each), plus 20 windows of 150-180 s.
    assert summary.duration_s == (21 * 72 + 3000, 21 * 120 + 3600)


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (Step(StepKind.WORK, time_s=20), (20, 20)),
        (Step(StepKind.WORK, distance_m=1000), (180, 300)),
        (Step(StepKind.WORK), (0, None)),
        (Step(StepKind.RECOVERY, min_s=120, max_s=180), (120, 180)),
        (Step(StepKind.RECOVERY, min_s=120), (120, None)),
        (Step(StepKind.RECOVERY, max_s=90), (0, 90)),
        (Step(StepKind.WARMUP, distance_m=2000), (600, 960)),
        (Step(StepKind.COOLDOWN), (0, None)),
    ],
)
def test_step_ranges(step: Step, expected: tuple[float, float | None]) -> None:
    assert step_range_s(step) == expected


def test_an_open_step_leaves_the_estimate_open() -> None:
    plan = Plan("x", (Step(StepKind.WARMUP), Step(StepKind.WORK, time_s=60, rep=1)))
    assert summarize(plan).duration_s == (60, None)
    assert format_range(summarize(plan).duration_s) == "1:00 or more"


@pytest.mark.parametrize(
    ("value", "text"),
    [((150, 180), "2:30-3:00"), ((90, 90), "1:30"), ((3000, 3600), "50:00-1:00:00")],
)
def test_format_range(value: tuple[float, float | None], text: str) -> None:
    assert format_range(value) == text


def test_formats_for_people() -> None:
    assert [format_distance(m) for m in (400, 8400, 1609.344, 3000)] == [
        "400 m",
        "8.4 km",
        "1.6 km",
        "3 km",
    ]
    assert step_length(Step(StepKind.RECOVERY, min_s=150, max_s=180)) == "2:30-3:00 window"
    assert step_length(Step(StepKind.RECOVERY, min_s=150)) == "at least 2:30"
    assert step_length(Step(StepKind.RECOVERY, max_s=180)) == "up to 3:00"
    assert step_length(Step(StepKind.RECOVERY, time_s=90)) == "1:30"
    assert step_length(Step(StepKind.WORK)) == "on the key"


def test_the_figures_are_true_for_tabata_and_6x800m() -> None:
    from trackside.cli.render import totals_text
    from trackside.presets.outline import extras_text, reps_text

    tabata = load_preset(paths.builtin_presets_dir() / "tabata.toml").to_plan()
    summary = summarize(tabata)
    assert summary.recovery_s == (70, 70)  # 7 x 0:10, not the 10:00 warmup
    assert reps_text(summary) == "8"  # no "(0 m)": the reps are timed
    assert extras_text(tabata) == "with the warmup"  # it has no cooldown
    assert totals_text(tabata)[-2:] == [
        "recovery time: 1:10",
        "estimated time: 13:50 (with the warmup)",
    ]
    both = load_preset(paths.builtin_presets_dir() / "6x800m.toml").to_plan()
    assert extras_text(both) == "with the warmup and cooldown"
    assert reps_text(summarize(both)) == "6 (4.8 km)"
    ladder = load_preset(paths.builtin_presets_dir() / "ladder.toml").to_plan()
    assert extras_text(ladder) == ""
    assert "with the" not in totals_text(ladder)[-1]
