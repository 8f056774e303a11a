"""The runner's settings: ``config.toml`` in the platform's config directory, checked by pydantic.

The app reads them once at start and writes the file back whenever the runner changes a setting
in the app (theme, rep clock). A file that does not parse is reported in one line per problem and
left untouched: the app then runs on the defaults and does not overwrite it.

:class:`Settings` is a plain dataclass, so starting the app does not import pydantic (about
100 ms and 10 MB) for a config file that is plainly valid. Any value that is not plainly valid
(a wrong type, out of range, an unknown key) goes through the pydantic model, which either
converts it as it always did or gives the same errors as before.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    from pydantic import BaseModel

ThemeName = Literal["trackside-dark", "trackside-light"]
_THEMES = get_args(ThemeName)
VOLUME_RANGE = (0.0, 1.0)
COUNTDOWN_RANGE = (0, 60)
"""The 3-2-1 before the first step, in whole seconds (a minute to walk to the line)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything in ``config.toml``. Unknown keys are refused, so a typo is reported.

    Values are checked when a :class:`Settings` is made, as the pydantic model it replaced did
    (a bad value raises pydantic's ``ValidationError``); the ``model_*`` methods are that
    model's, so callers did not change.
    """

    theme: ThemeName = "trackside-dark"
    """``trackside-dark``, or ``trackside-light`` for sunshine."""
    volume: float = 0.8
    """Cue volume, 0 to 1."""
    audio_backend: str = "auto"
    """Which player plays the cues (``auto`` picks the first that works)."""
    countdown_s: int = 3
    """Length of the 3-2-1 before the first step; 0 starts at once."""
    show_rep_clock: bool = False
    """Show the running clock during reps of effort-display presets (``t`` toggles it)."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id to keys, e.g. ``mark = "space,enter,b"`` (ids are listed by ``?``)."""

    def __post_init__(self) -> None:
        values = {name: getattr(self, name) for name in _FIELDS}
        if _plainly_valid(values):
            checked = {
                **values,
                "volume": float(values["volume"]),
                "keymap": dict(values["keymap"]),
            }
        else:
            checked = _by_pydantic(values)
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    @classmethod
    def model_validate(cls, data: object) -> Settings:
        """The settings in ``data`` (a mapping of keys to values); raises ValidationError."""
        if isinstance(data, dict) and data.keys() <= _FIELDS:
            return cls(**data)
        return cls(**_by_pydantic(data))

    def model_dump(self) -> dict[str, Any]:
        """Every setting by name (the keymap copied)."""
        values = {name: getattr(self, name) for name in _FIELDS}
        values["keymap"] = dict(values["keymap"])
        return values

    def model_copy(self, *, update: dict[str, Any]) -> Settings:
        """These settings with ``update`` applied (checked like any new settings)."""
        return dataclasses.replace(self, **update)


_FIELDS = frozenset(item.name for item in dataclasses.fields(Settings))


def _plainly_valid(values: dict[str, Any]) -> bool:
    """Whether pydantic would take ``values`` as they are (exact types, in range)."""
    volume, countdown, keymap = values["volume"], values["countdown_s"], values["keymap"]
    return (
        type(values["theme"]) is str
        and values["theme"] in _THEMES
        and type(volume) in (float, int)
        and VOLUME_RANGE[0] <= volume <= VOLUME_RANGE[1]
        and type(values["audio_backend"]) is str
        and type(countdown) is int
        and COUNTDOWN_RANGE[0] <= countdown <= COUNTDOWN_RANGE[1]
        and type(values["show_rep_clock"]) is bool
        and type(keymap) is dict
        and all(type(key) is str and type(keys) is str for key, keys in keymap.items())
    )


def _by_pydantic(data: object) -> dict[str, Any]:
    """``data`` checked and converted by the pydantic model; raises its ValidationError."""
    checked: dict[str, Any] = _model().model_validate(data).model_dump()
    return checked


@functools.cache
def _model() -> type[BaseModel]:
    """The pydantic model of the settings, built the first time a value needs it."""
    from pydantic import BaseModel, ConfigDict, Field

    class Settings(BaseModel):  # the same name: its errors read as they always did
        model_config = ConfigDict(frozen=True, extra="forbid")

        theme: ThemeName = "trackside-dark"
        volume: float = Field(default=0.8, ge=VOLUME_RANGE[0], le=VOLUME_RANGE[1])
        audio_backend: str = "auto"
        countdown_s: int = Field(default=3, ge=COUNTDOWN_RANGE[0], le=COUNTDOWN_RANGE[1])
        show_rep_clock: bool = False
        keymap: dict[str, str] = Field(default_factory=dict)

    return Settings


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
    if data.keys() <= _FIELDS and _plainly_valid({**_DEFAULTS, **data}):
        return Settings(**data)
    from pydantic import ValidationError

    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        lines = [
            f"{path}: {'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        ]
        raise SettingsError(lines) from error


_DEFAULTS = Settings().model_dump()


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
