"""The runner's settings: ``config.toml`` in the platform's config directory, checked by pydantic.

The app reads them once at start and writes the file back whenever the runner changes a setting
in the app (theme, rep clock). A file that does not parse is reported in one line per problem and
left untouched: the app then runs on the defaults and does not overwrite it.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

ThemeName = Literal["trackside-dark", "trackside-light"]


class Settings(BaseModel):
    """Everything in ``config.toml``. Unknown keys are refused, so a typo is reported."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    theme: ThemeName = "trackside-dark"
    """``trackside-dark``, or ``trackside-light`` for sunshine."""
    volume: float = Field(default=0.8, ge=0.0, le=1.0)
    """Cue volume, 0 to 1."""
    audio_backend: str = "auto"
    """Which player plays the cues (``auto`` picks the first that works)."""
    countdown_s: int = Field(default=3, ge=0, le=30)
    """Length of the 3-2-1 before the first step; 0 starts at once."""
    show_rep_clock: bool = False
    """Show the running clock during reps of effort-display presets (``t`` toggles it)."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Binding id to keys, e.g. ``mark = "space,enter,b"`` (ids are listed by ``?``)."""


class SettingsError(Exception):
    """``config.toml`` could not be read; ``lines`` says what is wrong, one problem a line."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def load_settings(path: Path) -> Settings:
    """The settings in ``path``, or the defaults if there is no file (raises SettingsError)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as error:
        raise SettingsError([f"{path}: cannot read: {error.strerror}"]) from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError([f"{path}: not valid TOML: {error}"]) from error
    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        lines = [
            f"{path}: {'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        ]
        raise SettingsError(lines) from error


def _value(value: object) -> str:
    # TOML basic strings accept JSON's escapes for everything json.dumps produces here.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def to_toml(settings: Settings) -> str:
    """The settings as the text of ``config.toml``."""
    lines = ["# trackside settings: written by the app when a setting changes.", ""]
    data = settings.model_dump()
    keymap: dict[str, str] = data.pop("keymap")
    lines += [f"{key} = {_value(value)}" for key, value in data.items()]
    lines += ["", "[keymap]"]
    lines += [f"{json.dumps(key)} = {_value(keys)}" for key, keys in sorted(keymap.items())]
    return "\n".join(lines) + "\n"


def save_settings(settings: Settings, path: Path) -> None:
    """Write ``settings`` to ``path`` atomically (a crash never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(to_toml(settings), encoding="utf-8")
    os.replace(temporary, path)
