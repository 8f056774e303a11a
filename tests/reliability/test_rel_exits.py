"""Bounded input and clear exits: what the runner can fix is one line and exit code 2, the
unexpected one line and exit code 1, never a traceback or Python's own text (``[Errno 17]``,
``OverflowError``, ``datetime.datetime(...)``).

Each case runs the real program in a real process, on real files: a preset or a config.toml
holding an integer of 5,000 digits, a session id of 23 digits, a config.toml that is not UTF-8,
a config or data folder that is a file, standard output on ``/dev/full`` or closed, a history
written by a newer trackside, a data folder on a full disk (a 1 MiB tmpfs, when this process
may mount one), and the app with standard input or output not a terminal.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from rel_support import stored_session
from test_rel_text import FIELDS, preset_text

from trackside.history.schema import SCHEMA_VERSION
from trackside.history.store import HistoryStore

HUGE = "1" * 5000
"""Over Python's 4,300-digit bound on turning text into an integer."""
PYTHON_WORDS = ("Traceback", "Errno", "Error:", "datetime.", "unexpected error")


class Home:
    """Config, data and cache folders of one test, and the program run on them."""

    def __init__(self, root: Path) -> None:
        self.config = root / "config"
        self.data = root / "data"
        self.env = {
            **os.environ,
            "XDG_CONFIG_HOME": str(self.config),
            "XDG_DATA_HOME": str(self.data),
            "XDG_CACHE_HOME": str(root / "cache"),
        }
        self.env.pop("TRACKSIDE_DEBUG", None)

    @property
    def presets(self) -> Path:
        folder = self.config / "trackside" / "presets"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def run(self, *argv: str, **streams: object) -> subprocess.CompletedProcess[str]:
        """``trackside ARGV`` in a new process (standard input ``/dev/null`` unless given)."""
        streams.setdefault("stdin", subprocess.DEVNULL)
        streams.setdefault("stdout", subprocess.PIPE)
        return subprocess.run(
            [sys.executable, "-m", "trackside", *argv],
            stderr=subprocess.PIPE,
            env=self.env,
            text=True,
            timeout=60,
            check=False,
            **streams,  # type: ignore[call-overload]
        )


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path)


def one_line(done: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The one line the program said on standard error, after checking the exit code and that
    nothing of Python's own showed."""
    assert done.returncode == code, (done.returncode, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    for words in PYTHON_WORDS:
        assert words not in done.stderr, done.stderr
    return lines[0]


def test_an_integer_over_4300_digits_in_a_preset(home: Home) -> None:
    (home.presets / "big.toml").write_text(
        f'name = "big"\nexertion = {HUGE}\n[[block]]\nwork = {{ distance = "400m" }}\n'
    )
    said = one_line(home.run("show", "big"))
    assert "over 4300 digits" in said
    assert len(said) < 300, "the number is not quoted back"
    listed = home.run("presets")
    assert listed.returncode == 0, listed.stderr
    assert "big          BROKEN" in listed.stdout


def test_an_integer_over_4300_digits_in_the_config(home: Home) -> None:
    (home.config / "trackside").mkdir(parents=True)
    (home.config / "trackside" / "config.toml").write_text(f"volume = {HUGE}\n")
    done = home.run("run", "21x400m")  # the settings are read before the terminal is asked for
    assert done.returncode == 2
    said = done.stderr.splitlines()
    assert len(said) == 2, done.stderr
    assert (
        "config.toml: not valid TOML: a number of over 4300 digits (using the defaults)" in said[0]
    )
    assert "needs a terminal" in said[1]
    assert "Traceback" not in done.stderr


def test_a_config_that_is_not_utf8(home: Home) -> None:
    (home.config / "trackside").mkdir(parents=True)
    (home.config / "trackside" / "config.toml").write_bytes(b"volume = 0.5 # \xff\xfe\n")
    done = home.run("run", "21x400m")
    assert done.returncode == 2
    assert "config.toml: cannot read: not UTF-8 text (using the defaults)" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("ref", ["99999999999999999999999", "-1", "1e3", "٣", HUGE])
def test_a_session_id_out_of_bounds(home: Home, ref: str) -> None:
    (home.data / "trackside").mkdir(parents=True)
    store = HistoryStore(home.data / "trackside" / "history.db")
    store.open()
    store.close()
    for command in (["history", ref], ["export", ref]):
        said = one_line(home.run(*command))
        assert "is not a session id" in said
        assert len(said) < 150


def test_a_config_folder_that_is_a_file(home: Home) -> None:
    home.config.mkdir()
    (home.config / "trackside").write_text("not a folder")
    listed = home.run("presets")
    assert listed.returncode == 0, listed.stderr
    assert "your presets folder" in listed.stdout
    assert "a file stands where a folder should be" in listed.stdout
    assert "Errno" not in listed.stdout + listed.stderr
    shown = home.run("show", "21x400m")
    assert shown.returncode == 0, shown.stderr
    done = home.run("run", "21x400m")
    assert done.returncode == 2
    said = done.stderr.splitlines()
    assert "the config folder" in said[0]
    assert "a file stands where a folder should be" in said[0]
    assert "Errno" not in done.stderr
    assert "Traceback" not in done.stderr


def test_a_data_folder_that_is_a_file(home: Home) -> None:
    home.data.mkdir()
    (home.data / "trackside").write_text("not a folder")
    for command in (["history"], ["export"], ["resume"]):
        said = one_line(home.run(*command))
        assert "the data folder" in said
        assert "a file stands where a folder should be" in said


def test_a_history_from_a_newer_trackside(home: Home) -> None:
    folder = home.data / "trackside"
    folder.mkdir(parents=True)
    store = HistoryStore(folder / "history.db")
    store.open()
    store.close()
    with sqlite3.connect(folder / "history.db") as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    for command in (["history"], ["export"]):
        said = one_line(home.run(*command))
        assert "newer trackside" in said


def test_standard_output_full_or_closed(home: Home) -> None:
    with open("/dev/full", "w") as full:
        done = home.run("presets", stdout=full)
    assert one_line(done) == "trackside: cannot write to standard output: the device is full"
    done = home.run("show", "21x400m", stdout=subprocess.DEVNULL, pass_fds=())
    assert done.returncode == 0
    closed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, runpy, sys; os.close(1); sys.argv = ['trackside', "
            "'show', '21x400m']; runpy.run_module('trackside', run_name='__main__')",
        ],
        stderr=subprocess.PIPE,
        env=home.env,
        text=True,
        timeout=60,
        check=False,
    )
    assert one_line(closed) == "trackside: cannot write to standard output: it is closed"


def test_the_app_needs_a_terminal_and_the_rest_work_in_pipes(home: Home) -> None:
    """``trackside run 21x400m < /dev/null`` used to spin at full CPU forever: it says so and
    exits at once (the timeout of ``run`` would fail the test otherwise)."""
    said = one_line(home.run("run", "21x400m"))
    assert "needs a terminal" in said
    assert "standard input" in said
    said = one_line(home.run("run", "nope"))
    assert 'no preset with id "nope"' in said, "a wrong preset is said first, even in a pipe"
    piped = home.run("presets")
    assert piped.returncode == 0
    assert "21x400m" in piped.stdout
    shown = home.run("show", "21x400m", "--json")
    assert shown.returncode == 0


def fill(path: Path) -> None:
    """Write to ``path`` until the disk is full."""
    with open(path, "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError as error:
            if error.errno != errno.ENOSPC:
                raise


def _can_mount() -> bool:
    return sys.platform == "linux" and os.geteuid() == 0


@pytest.mark.skipif(not _can_mount(), reason="mounting a small tmpfs needs root on Linux")
def test_a_data_folder_on_a_full_disk(home: Home, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)])
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        home.env["XDG_DATA_HOME"] = str(disk)
        preset = home.presets / "short.toml"
        preset.write_text(preset_text(dict.fromkeys(FIELDS, "x")))
        stored_session(disk, preset, "kept")
        fill(disk / "filler")
        for command in (["history"], ["history", "1"], ["export"]):
            done = home.run(*command)  # read on a full disk, or one line why not
            if done.returncode != 0:
                assert "full" in one_line(done)
        done = home.run("export", "--all", "-o", str(disk / "out.csv"))
        assert "full" in one_line(done)
    finally:
        subprocess.run(["umount", str(disk)], check=False)


@pytest.mark.skipif(not _can_mount(), reason="mounting a read-only tmpfs needs root on Linux")
def test_a_read_only_config_folder(home: Home, tmp_path: Path) -> None:
    disk = tmp_path / "ro"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(disk)])
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        home.env["XDG_CONFIG_HOME"] = str(disk)
        listed = home.run("presets")
        assert listed.returncode == 0, listed.stderr
        assert "no permission (read-only?): only the built-in presets are listed" in listed.stdout
        done = home.run("run", "21x400m")
        said = done.stderr.splitlines()
        assert done.returncode == 2
        assert "the config folder" in said[0]
        assert "read-only" in said[0]
        assert "Errno" not in done.stderr
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_bug_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from trackside.__main__ import main
    from trackside.cli import preset_commands

    def broken(_args: object) -> int:
        raise KeyError("a bug")

    monkeypatch.setattr(preset_commands, "list_presets", broken)
    monkeypatch.delenv("TRACKSIDE_DEBUG", raising=False)
    assert main(["presets"]) == 1
    err = capsys.readouterr().err
    assert err == "trackside: unexpected error: KeyError: 'a bug' (TRACKSIDE_DEBUG=1 shows where)\n"
