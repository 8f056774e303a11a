"""Where trackside keeps things: platformdirs locations, created when asked for, never at import.

On Linux the user's presets live in ``$XDG_CONFIG_HOME/trackside/presets/`` (default
``~/.config``), a coach's rosters in ``rosters/`` beside them, and the history in
``$XDG_DATA_HOME/trackside/history.db`` (default ``~/.local/share``); preset files already
checked are remembered in ``$XDG_CACHE_HOME/trackside/presets/`` (default ``~/.cache``; safe to
delete), and a coach's athletes' spoken names in ``names/`` beside them. macOS and Windows get
their platform's equivalents. The environment is read on every call, so tests point these at
``tmp_path`` with ``monkeypatch.setenv``.

The built-in presets and sounds ship inside the wheel as ``trackside/_data/``; in a source or
editable checkout they are the repository's top-level ``presets/`` and ``sounds/`` folders.
"""

from __future__ import annotations

import errno
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "trackside"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _dirs() -> PlatformDirs:
    # appauthor=False: no "trackside/trackside" nesting on Windows.
    return PlatformDirs(APP_NAME, appauthor=False)


def _created(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def folder_problem(error: OSError, what: str) -> str:
    """Why ``what`` (``"the data folder"``) cannot be used, in the runner's words, naming the
    path: an :class:`OSError`'s own text (``[Errno 17] File exists: ...``) is Python's."""
    where = f"{what} {error.filename}" if error.filename else what
    if error.errno in (errno.EEXIST, errno.ENOTDIR):
        return f"{where} cannot be made: a file stands where a folder should be"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{where} cannot be made or written: no permission (read-only?)"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{where} cannot be made: the disk is full"
    return f"{where} cannot be used: {error.strerror or type(error).__name__}"


def config_dir() -> Path:
    """The user's trackside config directory (created if missing)."""
    return _created(Path(_dirs().user_config_dir))


def user_presets_dir() -> Path:
    """Where the user keeps their own presets (created if missing)."""
    return _created(config_dir() / "presets")


def user_rosters_dir() -> Path:
    """Where the coach keeps saved rosters of athletes (created if missing)."""
    return _created(config_dir() / "rosters")


def config_file() -> Path:
    """The settings file, ``config.toml`` in the config directory (its directory is created)."""
    return config_dir() / "config.toml"


def data_dir() -> Path:
    """The user's trackside data directory (created if missing)."""
    return _created(Path(_dirs().user_data_dir))


def history_db(*, create: bool = True) -> Path:
    """The SQLite history file in the data directory (its directory is created, unless
    ``create`` is False: a command that only needs to know where it is makes no folder)."""
    folder = data_dir() if create else Path(_dirs().user_data_dir)
    return folder / "history.db"


def preset_cache_dir() -> Path:
    """Where checked presets are cached, in the user's cache directory (created if missing)."""
    return _created(Path(_dirs().user_cache_dir) / "presets")


def name_clips_dir() -> Path:
    """Where a coach's athletes' spoken names are kept, one WAV file each, in the user's cache
    directory (created if missing; safe to delete: they are made again)."""
    return _created(Path(_dirs().user_cache_dir) / "names")


def _shipped(name: str) -> Path:
    """A data folder shipped with trackside: inside the installed package, else the checkout."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    # src/trackside/paths.py -> the repository root is two levels above the package.
    return _PACKAGE_DIR.parent.parent / name


def builtin_presets_dir() -> Path:
    """The folder of the presets that ship with trackside."""
    return _shipped("presets")


def sounds_dir() -> Path:
    """The folder of the sounds that ship with trackside."""
    return _shipped("sounds")
