"""intervals.icu workout text, in its documented syntax ("Workout Builder Syntax Quick Guide"):
sections, ``- `` steps, ``Nx`` repeats in a header or alone, its times and distances, ``press
lap``, words before the length; what cannot be run refused one line per line."""

from __future__ import annotations

from pathlib import Path

import pytest
from interop_support import run_cli, show_steps

from trackside.core.plan import StepKind
from trackside.interop import InteropError
from trackside.interop.icuread import read_text, time_seconds

RUN = """\
Warmup
- 15m Z2

Main set 6x
- 800mtr 5:00/km Pace
- recovery 2m Z1

Cooldown
- 10m Z1
"""


def test_a_run_from_the_guide(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workout, notices = read_text(RUN, "run.txt", "run")
    assert notices == []
    kinds = [step.kind for step in workout.steps]
    assert kinds == [StepKind.WARMUP] + [StepKind.WORK, StepKind.RECOVERY] * 6 + [StepKind.COOLDOWN]
    warmup, rep, recovery = workout.steps[:3]
    assert (warmup.time_s, warmup.activity) == (900, "Z2")
    assert (rep.distance_m, rep.distance_text, rep.effort, rep.time_s) == (
        800,
        "800m",
        "5:00/km Pace",
        None,
    )
    assert (recovery.time_s, recovery.activity) == (120, "Z1")
    assert [s.rep for s in workout.steps if s.is_rep] == [1, 2, 3, 4, 5, 6]
    assert workout.origins[:3] == ("line 2", "line 5", "line 6")


@pytest.mark.parametrize(
    ("token", "seconds"),
    [
        ("10m", 600),
        ("30s", 30),
        ("1h", 3600),
        ("1m30", 90),
        ("1m30s", 90),
        ("1h2m30s", 3750),
        ("5'", 300),
        ('30"', 30),
        ("1'30\"", 90),
        ("400mtr", None),
        ("Z2", None),
        ("2:30", None),
    ],
)
def test_times_as_the_guide_writes_them(token: str, seconds: float | None) -> None:
    assert time_seconds(token) == seconds


def test_repeats_alone_distances_press_lap_and_words(tmp_path: Path) -> None:
    text = (
        "Warm up\n"
        "- easy jog 2km press lap\n"
        "\n"
        "4x\n"
        "- Strides 100mtr\n"
        "- walk back 45s\n"
        "\n"
        "- Tempo 1mi 4:00/km Pace\n"
        "- float 90s\n"
        "- RPE9 - not quite all out 1'30\" press lap\n"
        "Cool-down\n"
        "- 5' walk\n"
    )
    workout, _ = read_text(text, "mixed.txt", "mixed")
    steps = workout.steps
    assert [s.kind.value for s in steps] == [
        "warmup",
        *["work", "recovery"] * 4,
        "work",
        "recovery",
        "work",
        "cooldown",
    ]
    warmup, stride, walk = steps[:3]
    assert (warmup.activity, warmup.distance_text, warmup.time_s) == ("easy jog", "2km", None)
    # A distance step ends on the key in trackside: the runner marks the line.
    assert (stride.effort, stride.distance_m, stride.time_s) == ("Strides", 100, None)
    assert (walk.activity, walk.time_s) == ("walk back", 45)
    tempo, _, rpe, cooldown = steps[-4:]
    assert (tempo.effort, tempo.distance_text) == ("Tempo, 4:00/km Pace", "1mi")
    # press lap on a timed step: it ends on the key, its time kept as words.
    assert (rpe.effort, rpe.time_s) == ("RPE9 - not quite all out, about 1:30", None)
    assert (cooldown.time_s, cooldown.activity) == (300, "walk")


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("- 10m ramp 50%-75%", "a ramp; trackside runs each step at one effort"),
        ("- 5m 250-270w", "a power target (250-270w); trackside has no power meter"),
        ("- 3m 60% MMP 5m", "a power target (MMP); trackside has no power meter"),
        ("- 4x 30s", "a repeat inside a step (4x); repeats do not nest"),
        ("- just words", "no length (a time like 10m, a distance like 400mtr, or press lap)"),
        ("- 0m", "a length of 0m (above 0, up to a day or 100 km)"),
    ],
)
def test_what_cannot_be_run_names_the_line(
    line: str, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "odd.txt"
    source.write_text(f"Main set\n- 400mtr\n{line}\n")
    code, out, err = run_cli(capsys, "convert", str(source), str(tmp_path / "odd.fit"))
    assert (code, out, err) == (2, "", f"{source}: line 3: {problem}\n")
    assert not (tmp_path / "odd.fit").exists()


def test_several_problems_are_one_line_each() -> None:
    with pytest.raises(InteropError) as caught:
        read_text("- 10m ramp 50-75%\n- 200w 5m\n- 5m\n", "x.txt", "x")
    assert caught.value.lines == (
        "x.txt: line 1: a ramp; trackside runs each step at one effort",
        "x.txt: line 2: a power target (200w); trackside has no power meter",
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- 1m\n" * 10_000, "expands to more than 1000 steps"),
        ("Main set 1000000x\n- 1m\n", "line 1: 1000000x (1 to 1000)"),
        ("Main set 999x\n- 1m\n- 1m\n", "expands to more than 1000 steps"),
        ("Warmup\n\n", "no steps (a step is a line starting with -)"),
    ],
)
def test_hostile_texts_are_refused_in_one_line(
    text: str, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "big.txt"
    source.write_text(text)
    code, out, err = run_cli(capsys, "import", str(source))
    assert (code, out, err) == (2, "", f"{source}: {problem}\n")


def test_binary_or_huge_text_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bin.txt"
    source.write_bytes(b"- 10m\n\xff\xfe\x00garbage")
    assert run_cli(capsys, "import", str(source)) == (2, "", f"{source}: line 2: not UTF-8 text\n")
    source.write_bytes(b"- 1m\n" * 300_000)
    code, out, err = run_cli(capsys, "import", str(source))
    assert (code, out, err) == (2, "", f"{source}: too large for a workout (over 1000000 bytes)\n")


def test_our_own_words_read_back_exactly_even_when_marked(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home.mkdir(parents=True)
    (home / "odd.toml").write_text(
        'name = "Odd words"\n'
        'warmup = { activity = "jog", min = "5:00", note = "then drills" }\n\n'
        "[[block]]\nreps = 2\n"
        'work = { distance = "1.5km", effort = "easy strides", all_out = true }\n'
        'recovery = { activity = "drills", max = "1:00" }\n\n'
        "[[block]]\n"
        "work = { time = 30 }\n"
        'recovery = { distance = "200m", time = 45 }\n\n'
        "[[block]]\n"
        'work = { effort = "rep race", note = "last" }\n'
    )
    text = tmp_path / "odd.txt"
    assert run_cli(capsys, "convert", "odd", str(text)) == (0, "", "")
    assert text.read_text().splitlines()[:6] == [
        "Warmup",
        "- jog, go after 5:00 — then drills 5m press lap",
        "",
        "Main set 2x",
        "- rep easy strides, all out 1.5km press lap",
        "- recovery drills, go by 1:00 1m press lap",
    ]
    assert run_cli(capsys, "convert", str(text), str(tmp_path / "back.toml"))[0] == 0
    assert show_steps(capsys, str(tmp_path / "back.toml")) == show_steps(capsys, "odd")


def test_words_intervals_would_misread_are_said(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home.mkdir(parents=True)
    (home / "words.toml").write_text(
        'name = "Words"\n\n[[block]]\nreps = 2\nwork = { distance = "400m", note = "then 30s" }\n'
    )
    code, out, err = run_cli(capsys, "convert", "words", "-", "--to", "txt")
    assert code == 0
    assert err == (
        "words: step 1: intervals.icu reads '30s' in the words as the step's length; "
        "reword it before pasting\n"
    )
