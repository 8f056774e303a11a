"""The runner's settings: ``config.toml`` in the platform's config directory, checked on reading.

The app reads them once at start and writes the file back whenever the runner changes a setting
in the app (theme, rep clock, volume). A file that does not parse is reported in one line per
problem (``config.toml: volume: must be a number from 0 to 1, got 1.5``) and left untouched: the
app then runs on the defaults and does not overwrite it.

:class:`Settings` is the one representation: a frozen dataclass that checks its own values with
the standard library (seven settings do not need pydantic, whose import would cost the start-up
about 100 ms and 10 MB). Values a hand-edited file may hold in another form are taken as
meant: ``volume = "0.5"``, ``countdown_s = 3.0``, ``show_rep_clock = "yes"``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

ThemeName = Literal["trackside-dark", "trackside-light"]
_THEMES: tuple[str, ...] = get_args(ThemeName)
VOLUME_RANGE = (0.0, 1.0)
COUNTDOWN_RANGE = (0, 60)
"""The 3-2-1 before the first step, in whole seconds (a minute to walk to the line)."""
_FLAGS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


class SettingsError(ValueError):
    """Settings that cannot be used; ``lines`` says what is wrong, one problem a line."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything in ``config.toml``, each value checked when the settings are made (a bad one
    raises :class:`SettingsError`). Unknown keys are refused by :meth:`from_mapping`, so a typo
    is reported rather than ignored."""

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
    say_names: bool = True
    """A coach's group hears each athlete's name where espeak-ng is installed (else numbers)."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id to keys, e.g. ``mark = "space,enter,b"`` (ids are listed by ``?``)."""

    def __post_init__(self) -> None:
        lines = []
        for name, check in _CHECKS.items():
            try:
                object.__setattr__(self, name, check(getattr(self, name)))
            except ValueError as error:
                lines.append(f"{name}: {error}")
        if lines:
            raise SettingsError(lines)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Settings:
        """The settings ``data`` holds (a parsed ``config.toml``); raises SettingsError with a
        line for every value that is wrong and every key that is not a setting."""
        unknown = [_unknown_key(key) for key in data if key not in _CHECKS]
        known: dict[str, Any] = {key: value for key, value in data.items() if key in _CHECKS}
        try:
            settings = cls(**known)
        except SettingsError as error:
            raise SettingsError(error.lines + unknown) from None
        if unknown:
            raise SettingsError(unknown)
        return settings

    def to_mapping(self) -> dict[str, Any]:
        """Every setting by name, as ``config.toml`` holds it (the keymap copied)."""
        return dataclasses.asdict(self)

    def changed(self, **changes: Any) -> Settings:
        """These settings with ``changes`` applied (checked like any new settings)."""
        return dataclasses.replace(self, **changes)


def _shown(value: object) -> str:
    """``value`` as it would be written in the file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _theme(value: object) -> str:
    if isinstance(value, str) and value in _THEMES:
        return value
    raise ValueError(f'must be "trackside-dark" or "trackside-light", got {_shown(value)}')


def _volume(value: object) -> float:
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    low, high = VOLUME_RANGE
    if number is None or not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"must be a number from 0 to 1, got {_shown(value)}")
    return number


def _countdown(value: object) -> int:
    seconds = value
    if isinstance(value, str) and value.strip().isdigit():
        seconds = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        seconds = int(value)
    low, high = COUNTDOWN_RANGE
    if type(seconds) is not int or not low <= seconds <= high:
        raise ValueError(f"must be whole seconds from {low} to {high}, got {_shown(value)}")
    return seconds


def _backend(value: object) -> str:
    if isinstance(value, str):
        return value
    raise ValueError(f'must be the name of a player, e.g. "auto", got {_shown(value)}')


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _FLAGS:
        return _FLAGS[value.strip().lower()]
    raise ValueError(f"must be true or false, got {_shown(value)}")


def _keymap(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError(f"must be a table of binding ids and keys, got {_shown(value)}")
    for name, keys in value.items():
        if not isinstance(keys, str):
            raise ValueError(f'{name} takes its keys as text, e.g. "space,b", got {_shown(keys)}')
    return dict(value)


_CHECKS: dict[str, Callable[[object], Any]] = {
    "theme": _theme,
    "volume": _volume,
    "audio_backend": _backend,
    "countdown_s": _countdown,
    "show_rep_clock": _flag,
    "say_names": _flag,
    "keymap": _keymap,
}
"""Each setting's check, in the order of the fields: the value as it is used, or ValueError."""


def _unknown_key(key: str) -> str:
    import difflib  # only for a typo: not on the way to the first frame

    close = difflib.get_close_matches(key, list(_CHECKS), n=1)
    hint = f"did you mean {close[0]}?" if close else f"the settings are {', '.join(_CHECKS)}"
    return f"{key}: unknown setting ({hint})"


def load_settings(path: Path) -> Settings:
    """The settings in ``path``, or the defaults if there is no file (raises SettingsError)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise SettingsError([f"{path}: cannot read: {reason}"]) from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError([f"{path}: not valid TOML: {error}"]) from error
    except ValueError:
        # tomllib's int() refuses a number of over 4300 digits (CVE-2020-10735's bound).
        raise SettingsError([f"{path}: not valid TOML: a number of over 4300 digits"]) from None
    except RecursionError:
        raise SettingsError([f"{path}: not valid TOML: nested too deeply"]) from None
    try:
        return Settings.from_mapping(data)
    except SettingsError as error:
        raise SettingsError([f"{path}: {line}" for line in error.lines]) from None


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
    data = settings.to_mapping()
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
