"""The command line, driven through ``main([...])``, plus the real program in a subprocess."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from trackside import __version__
from trackside.__main__ import main

DATA = Path(__file__).resolve().parents[1] / "data" / "presets"
GOOD = 'name = "Mine"\n\n[[block]]\nreps = 3\nwork = { distance = "400m" }\n'


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the user's real config out of the tests: user presets live under ``tmp_path``."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "config" / "trackside" / "presets"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- presets ---------------------------------------------------------------------------------


def test_presets_lists_builtin_and_user_with_broken_flagged(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    home.mkdir(parents=True)
    (home / "mine.toml").write_text(GOOD)
    (home / "10x400m-90s.toml").write_text(GOOD.replace("Mine", "My 10 x 400"))
    (home / "oops.toml").write_text(GOOD + "recovey = {}\n")
    code, out, err = run(capsys, "presets")
    assert (code, err) == (0, "")
    rows = out.splitlines()
    assert rows[0].split() == ["ID", "NAME", "REPS", "SOURCE"]
    assert rows[1].split() == ["21x400m", "21", "x", "400m", "21", "built-in"]
    assert any(r.split()[0] == "mine" and r.endswith("user") for r in rows)
    assert any(
        r.startswith("10x400m-90s") and "My 10 x 400" in r and r.endswith("user") for r in rows
    )
    oops = next(i for i, r in enumerate(rows) if r.startswith("oops"))
    assert "BROKEN" in rows[oops]
    assert "recovey: unknown key" in rows[oops + 1]
    assert str(home) in out


def test_presets_with_a_config_folder_that_cannot_be_made(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))  # mkdir under a file fails
    code, out, err = run(capsys, "presets")
    assert (code, err) == (0, "")
    assert out.splitlines()[1].startswith("21x400m")
    assert "cannot be made: a file stands where a folder should be" in out
    assert run(capsys, "show", "tabata")[0] == 0


# -- show ------------------------------------------------------------------------------------


def test_show_prints_every_step_and_the_totals(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "21x400m")
    assert code == 0
    assert out.startswith("21 x 400m\n")
    assert out.count("2:30-3:00 window") == 20
    assert "rep 21" in out
    assert "All You Got (all out)" in out
    assert "reps: 21" in out
    assert "work distance: 8.4 km" in out
    assert "recovery time: 50:00-1:00:00" in out
    assert "estimated time: 1:15:12-1:42:00" in out


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "3x4x300m", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["name"] == "3 x 4 x 300m"
    keys = {"kind", "distance_m", "time_s", "min_s", "max_s", "effort", "all_out", "activity"}
    assert all(keys | {"rep", "note"} <= set(step) for step in data["steps"])
    assert [s["time_s"] for s in data["steps"] if s["kind"] == "recovery"].count(240) == 2
    assert data["totals"]["reps"] == 12


def test_show_a_file_by_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text(GOOD)
    code, out, _ = run(capsys, "show", str(path), "--json")
    assert code == 0
    assert json.loads(out)["name"] == "Mine"


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("21x400", 'no preset with id "21x400" (did you mean 21x400m?)'),
        ("nothing/here.toml", "nothing/here.toml: no such file"),
        (str(DATA / "unknown_key.toml"), "recovey: unknown key"),
        (str(DATA), "is a directory"),
    ],
)
def test_show_errors_are_one_line_each(
    capsys: pytest.CaptureFixture[str], ref: str, message: str
) -> None:
    code, out, err = run(capsys, "show", ref)
    assert (code, out) == (2, "")
    assert message in err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1


# -- validate --------------------------------------------------------------------------------


def test_validate_good_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text(GOOD)
    code, out, _ = run(capsys, "validate", str(path))
    assert (code, out) == (0, f"{path}: ok (3 reps, 3 steps)\n")


def test_validate_every_kind_of_broken_file(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in DATA.glob("*.toml"))
    code, out, err = run(capsys, "validate", *files, str(DATA / "missing.toml"), str(DATA))
    assert (code, err) == (2, "")
    lines = out.splitlines()
    for expected in (DATA / "expected.txt").read_text().splitlines():
        file, fragment = expected.split(": ", 1)
        assert any(line.startswith(f"{DATA / file}: {fragment}") for line in lines), expected
    assert f"{DATA / 'missing.toml'}: no such file" in lines
    assert f"{DATA}: is a directory, not a preset file" in lines


def test_validate_mixes_good_and_bad(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(GOOD)
    code, out, _ = run(capsys, "validate", str(good), str(DATA / "empty.toml"))
    assert code == 2
    assert out.splitlines()[0].endswith(": ok (3 reps, 3 steps)")


# -- run, the app hand-over, and the parser --------------------------------------------------


def test_run_checks_the_preset_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "run", "no-such-preset")
    assert code == 2
    assert 'no preset with id "no-such-preset"' in err


def test_run_hands_the_options_to_the_app(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[argparse.Namespace] = []

    def run_app(args: argparse.Namespace) -> int:
        seen.append(args)
        return 0

    app = types.ModuleType("trackside.tui.launch")
    app.run_app = run_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "trackside.tui.launch", app)

    assert main(["run", "21x400m", "--countdown", "0", "--theme", "light", "--audio", "bell"]) == 0
    assert main(["--theme", "dark", "run", "tabata"]) == 0
    assert main([]) == 0
    first, second, picker = (vars(a) for a in seen)
    assert _pick(first) == ("21x400m", "bell", 0, "light")
    assert first["loaded_preset"].total_reps == 21
    assert _pick(second) == ("tabata", None, None, "dark")
    assert _pick(picker) == (None, None, None, None)
    assert picker["loaded_preset"] is None


def _pick(args: dict[str, Any]) -> tuple[Any, ...]:
    return args["preset"], args["audio"], args["countdown"], args["theme"]


@pytest.mark.parametrize("value", ["-1", "61", "abc", "2.5"])
def test_bad_countdown(capsys: pytest.CaptureFixture[str], value: str) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["run", "21x400m", "--countdown", value])
    assert caught.value.code == 2
    assert "expected whole seconds from 0 to 60" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "30", "45", "60"])
def test_every_countdown_the_command_line_takes_the_settings_take(value: str) -> None:
    from trackside.cli.run_command import countdown_seconds
    from trackside.settings import Settings
    from trackside.tui.launch import with_options

    args = argparse.Namespace(countdown=countdown_seconds(value), theme=None, audio=None)
    assert with_options(Settings(), args).countdown_s == int(value)


def test_numbers_is_for_a_group(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, out, err = run(capsys, "run", "21x400m", "--numbers")
    assert code == 2
    assert err == "trackside: --numbers is for a group (--athletes or --roster)\n"


@pytest.mark.parametrize("command", [[], ["run"], ["presets"], ["show"], ["validate"]])
def test_help_on_every_command(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([*command, "--help"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("usage: trackside")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out == f"trackside {__version__}\n"


# -- the real program ------------------------------------------------------------------------


def _python(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=60, env=env, check=False
    )


def test_python_m_trackside_show_21x400m_json() -> None:
    done = _python("-m", "trackside", "show", "21x400m", "--json")
    assert (done.returncode, done.stderr) == (0, "")
    steps = json.loads(done.stdout)["steps"]
    work = [s for s in steps if s["kind"] == "work"]
    recoveries = [s for s in steps if s["kind"] == "recovery"]
    assert len(work) == 21
    assert len(recoveries) == 20
    assert all(
        (s["distance_m"], s["activity"], s["min_s"], s["max_s"]) == (400, "jog", 150, 180)
        for s in recoveries
    )
    assert work[-1]["all_out"] is True
    assert not any(s["all_out"] for s in work[:-1])
    assert steps[-1] == work[-1]


def test_the_command_line_does_not_load_textual_and_core_stays_pure() -> None:
    # Building the parser loads every command module: none may pull in Textual.
    probe = (
        "import sys, trackside.__main__ as m\n"
        "m.build_parser()\n"
        "print([n for n in sys.modules if n == 'textual' or n.startswith('textual.')])\n"
    )
    done = _python("-c", probe)
    assert (done.returncode, done.stdout.strip()) == (0, "[]")
    core = _python(
        "-c",
        "import sys, trackside.core, trackside.core.session, trackside.core.plan, "
        "trackside.core.events, trackside.core.clock, trackside.core.timefmt\n"
        "print(sorted(m for m in ('textual', 'pydantic', 'sqlite3') if m in sys.modules))",
    )
    assert (core.returncode, core.stdout.strip()) == (0, "[]")
