"""Fixtures for the interop tests: the runner's folders under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The config, data and cache folders under ``tmp_path``; returns the user presets folder."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "config" / "trackside" / "presets"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the history lives for the commands (the folder created, the file not)."""
    folder = tmp_path / "data" / "trackside"
    folder.mkdir(parents=True)
    return folder / "history.db"
