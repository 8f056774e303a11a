"""Where trackside keeps things: platformdirs locations, created on call, never at import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from trackside import paths


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


@pytest.mark.skipif(sys.platform != "linux", reason="XDG variables apply on Linux")
def test_xdg_locations_are_created_on_call(home: Path) -> None:
    assert not (home / "config").exists()
    assert paths.user_presets_dir() == home / "config" / "trackside" / "presets"
    assert paths.user_presets_dir().is_dir()
    assert paths.config_file() == home / "config" / "trackside" / "config.toml"
    assert not paths.config_file().exists()
    assert paths.history_db() == home / "data" / "trackside" / "history.db"
    assert paths.data_dir().is_dir()
    assert not paths.history_db().exists()


def test_importing_creates_nothing(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_DATA_HOME": str(tmp_path / "d")}
    code = "import trackside.paths, trackside.__main__, trackside.presets.loader"
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)
    assert list(tmp_path.iterdir()) == []


def test_shipped_folders_are_found() -> None:
    assert (paths.builtin_presets_dir() / "21x400m.toml").is_file()
    assert paths.sounds_dir().is_dir()
    assert any(paths.sounds_dir().glob("*.wav"))


def test_shipped_folders_prefer_the_installed_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "src" / "trackside"
    (package / "_data" / "presets").mkdir(parents=True)
    monkeypatch.setattr(paths, "_PACKAGE_DIR", package)
    assert paths.builtin_presets_dir() == package / "_data" / "presets"
    # Sounds are not in this fake wheel: the checkout's folder is the fallback.
    assert paths.sounds_dir() == tmp_path / "sounds"
