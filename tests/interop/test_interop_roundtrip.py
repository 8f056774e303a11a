"""Round trips through the real command line: every built-in preset to a FIT workout and back,
and to intervals.icu text and back, shows the same steps (``trackside show --json``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from interop_support import BUILT_IN, fitdecode_read, garmin_read, of, run_cli, show_steps


@pytest.mark.parametrize("preset", BUILT_IN)
@pytest.mark.parametrize("via", ["fit", "txt"])
def test_a_built_in_preset_comes_back_with_the_same_steps(
    preset: str, via: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    middle = tmp_path / f"{preset}.{via}"
    back = tmp_path / f"{preset}-back.toml"
    assert run_cli(capsys, "convert", preset, str(middle)) == (0, "", "")
    assert run_cli(capsys, "convert", str(middle), str(back)) == (0, "", "")
    assert show_steps(capsys, str(back)) == show_steps(capsys, preset)


@pytest.mark.parametrize("preset", BUILT_IN)
def test_a_preset_written_as_a_preset_again_is_the_same(
    preset: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    back = tmp_path / "again.toml"
    assert run_cli(capsys, "convert", preset, str(back)) == (0, "", "")
    assert show_steps(capsys, str(back)) == show_steps(capsys, preset)


def test_the_fit_workout_is_what_a_watch_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "21x400m.fit"
    assert run_cli(capsys, "convert", "21x400m", str(out))[0] == 0
    data = out.read_bytes()
    garmin = garmin_read(data)
    frames = fitdecode_read(data)
    (file_id,) = of(frames, "file_id")
    (workout,) = of(frames, "workout")
    assert file_id["type"] == "workout"
    assert (workout["sport"], workout["wkt_name"], workout["num_valid_steps"]) == (
        "running",
        "21 x 400m",
        4,
    )
    steps = garmin["workout_step_mesgs"]
    assert [s["duration_type"] for s in steps] == [
        "distance",
        "open",
        "repeat_until_steps_cmplt",
        "distance",
    ]
    rep, recovery, repeat, final = steps
    assert (rep["duration_value"], rep["intensity"], rep["wkt_step_name"]) == (
        40_000,
        "active",
        "3K effort 400m",
    )
    # The window cannot be run by a watch: a lap-button step whose words say it.
    assert (recovery["intensity"], recovery["wkt_step_name"]) == (
        "recovery",
        "jog 400m, go 2:30–3:00",
    )
    assert (repeat["duration_step"], repeat["repeat_steps"]) == (0, 20)
    assert final["wkt_step_name"] == "All You Got 400m, all out"


def test_intervals_text_is_what_its_builder_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "6x800m.txt"
    assert run_cli(capsys, "convert", "6x800m", str(out)) == (0, "", "")
    assert out.read_text() == (
        "Warmup\n"
        "- jog — easy, then drills and strides 2mi press lap\n"
        "\n"
        "Main set 5x\n"
        "- 10K effort 800mtr press lap\n"
        "- jog, go 2:00–3:00 3m press lap\n"
        "\n"
        "- 10K effort 800mtr press lap\n"
        "\n"
        "Cooldown\n"
        "- jog 1.5km press lap\n"
    )


def test_convert_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "convert", "tabata", "-", "--to", "txt")
    assert (code, err) == (0, "")
    assert out.splitlines()[:4] == [
        "Warmup",
        "- jog — build to steady, finish with two strides 10m",
        "",
        "Main set 7x",
    ]


def test_an_unknown_format_or_preset_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "convert", "21x400m", str(tmp_path / "out.gpx"))
    assert (code, out) == (2, "")
    assert err == (
        f"{tmp_path / 'out.gpx'}: cannot tell its format from its name; "
        "use .toml, .fit or .txt, or --from/--to\n"
    )
    code, out, err = run_cli(capsys, "convert", "21x4000m", str(tmp_path / "out.fit"))
    assert (code, out, err) == (2, "", 'no preset with id "21x4000m" (did you mean 21x400m?)\n')
    assert not (tmp_path / "out.fit").exists()
