"""``run_app``: one line and exit code 2 for what the runner got wrong; settings and options."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from trackside.settings import Settings
from trackside.tui.launch import read_settings, run_app, with_options


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def test_an_unknown_preset_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(preset="21x4000m", audio=None, countdown=None, theme=None)
    assert run_app(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "21x4000m" in err
    assert "did you mean 21x400m?" in err


def test_a_broken_config_is_reported_and_kept(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = home / "config.toml"
    path.write_text('theme = "purple"\n')
    settings, writable, problems = read_settings(path)
    assert settings == Settings()
    assert writable is None, "a file we cannot read is never overwritten"
    assert "theme" in problems[0]
    assert path.read_text() == 'theme = "purple"\n'


def test_command_line_options_go_over_the_settings() -> None:
    args = argparse.Namespace(theme="light", countdown=0, audio="silent")
    settings = with_options(Settings(), args)
    assert settings.theme == "trackside-light"
    assert settings.countdown_s == 0
    assert settings.audio_backend == "silent"
    assert with_options(Settings(), argparse.Namespace()) == Settings()
    # --numbers: a coach's group called by number for this run, whatever the file says.
    assert with_options(Settings(), argparse.Namespace(numbers=True)).say_names is False
    assert with_options(Settings(), argparse.Namespace(numbers=False)).say_names is True


def test_a_bad_audio_backend_is_one_line_before_the_app(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = argparse.Namespace(preset="21x400m", audio="nonsense", countdown=None, theme=None)
    assert run_app(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("trackside: unknown audio backend 'nonsense'")


def test_auto_needs_no_audio_check() -> None:
    from trackside.audio.factory import check_backend
    from trackside.tui.launch import audio_problem

    for name in ("auto", " AUTO "):
        assert check_backend(name) == "auto"
        assert audio_problem(name) is None
    assert audio_problem("nonsense") is not None
