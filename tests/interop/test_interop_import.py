"""``trackside import FILE``: a workout from elsewhere into the presets folder, under a new id."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from interop_support import run_cli, show_steps

from trackside.paths import builtin_presets_dir

RUN = "Warmup\n- 10m Z2\n\nMain set 5x\n- 1km 4:00/km Pace press lap\n- jog 2m\n"


def test_import_prints_the_new_id_and_the_preset_runs(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "Tuesday track (5 x 1k).txt"
    source.write_text(RUN)
    code, out, err = run_cli(capsys, "import", str(source))
    assert (code, out) == (0, "Tuesday-track-5-x-1k\n")
    saved = home / "Tuesday-track-5-x-1k.toml"
    assert err.splitlines()[-1] == f"saved as {saved}; `trackside run Tuesday-track-5-x-1k` runs it"
    assert saved.read_text().startswith(f"# Converted by trackside from {source}.\n")
    code, out, _ = run_cli(capsys, "presets")
    assert "Tuesday-track-5-x-1k  Tuesday track (5 x 1k)" in out
    steps = show_steps(capsys, "Tuesday-track-5-x-1k")
    assert [s["kind"] for s in steps] == ["warmup"] + ["work", "recovery"] * 4 + [
        "work",
        "cooldown",
    ]
    # Nothing but the preset in the folder: the temporary file was renamed into place.
    assert [p.name for p in home.iterdir()] == [saved.name]


def test_an_existing_id_is_kept_unless_force(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "mine.txt"
    source.write_text(RUN)
    assert run_cli(capsys, "import", str(source))[0] == 0
    before = (home / "mine.toml").read_bytes()
    source.write_text("- 400mtr\n- rest 1m\n- 400mtr\n")
    code, out, err = run_cli(capsys, "import", str(source))
    assert (code, out) == (2, "")
    assert err == (
        f'trackside: a preset with id "mine" exists ({home / "mine.toml"}); '
        "--force replaces it, --id ID names this one\n"
    )
    assert (home / "mine.toml").read_bytes() == before
    assert run_cli(capsys, "import", str(source), "--id", "mine-2")[1] == "mine-2\n"
    assert run_cli(capsys, "import", str(source), "--force")[:2] == (0, "mine\n")
    assert len(show_steps(capsys, "mine")) == 3


def test_a_built_in_id_is_kept_unless_force(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "21x400m.fit"
    assert run_cli(capsys, "convert", "ladder", str(source))[0] == 0
    code, _, err = run_cli(capsys, "import", str(source))
    built_in = builtin_presets_dir() / "21x400m.toml"
    assert (code, err) == (
        2,
        f'trackside: a preset with id "21x400m" exists ({built_in}); '
        "--force replaces it, --id ID names this one\n",
    )
    assert run_cli(capsys, "import", str(source), "--force")[:2] == (0, "21x400m\n")
    assert show_steps(capsys, "21x400m") == show_steps(capsys, "ladder")


def test_a_preset_file_is_checked_and_copied_as_it_is(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "hills.toml"
    text = '# my hills\nname = "Hills"\n\n[[block]]\nreps = 8\nwork = { time = 45 }  # up\n'
    source.write_text(text)
    assert run_cli(capsys, "import", str(source))[:2] == (0, "hills\n")
    assert (home / "hills.toml").read_text() == text
    source.write_text(text + "recovey = {}\n")
    code, out, err = run_cli(capsys, "import", str(source), "--id", "broken")
    assert (code, out) == (2, "")
    assert err.startswith(f"{source}: block 1, recovey: unknown key")
    assert not (home / "broken.toml").exists()


def test_a_missing_file_or_a_bad_id_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.fit"
    assert run_cli(capsys, "import", str(missing)) == (2, "", f"{missing}: no such file\n")
    source = tmp_path / "x.txt"
    source.write_text(RUN)
    code, out, err = run_cli(capsys, "import", str(source), "--id", "...")
    assert (code, out, err) == (
        2,
        "",
        "trackside: '...' cannot be a preset id; give one with --id\n",
    )


def test_the_real_program_imports_and_exits_cleanly(tmp_path: Path) -> None:
    source = tmp_path / "five.txt"
    source.write_text(RUN)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run(
        [sys.executable, "-m", "trackside", "import", str(source)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "five\n")
    assert "Traceback" not in done.stderr
