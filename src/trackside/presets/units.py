"""Durations and distances as runners write them in a preset: ``"2:30"``, ``90``, ``"1.5km"``.

Pure parsing functions: each takes the value TOML produced and returns seconds or a
:class:`Distance`, or raises :class:`ValueError` with a message a runner can act on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MAX_DURATION_S = 24 * 3600
"""Longer than any step of a track workout; a larger value is a typo."""
MAX_DISTANCE_M = 100_000.0
"""A 100 km step is already an ultra; anything beyond is a typo (``"400km"``)."""

_METRES_PER_UNIT = {"m": 1.0, "km": 1000.0, "mi": 1609.344}
_DISTANCE = re.compile(r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>[a-z]+)")
_CLOCK = re.compile(r"(?:(?P<h>\d+):(?P<m2>[0-5]\d)|(?P<m>\d+)):(?P<s>[0-5]\d)")
_DURATION_FORMS = '"m:ss", "h:mm:ss" or whole seconds'


@dataclass(frozen=True, slots=True)
class Distance:
    """A distance as written (``text``) and in metres (``metres``)."""

    text: str
    metres: float

    def __str__(self) -> str:
        return self.text


def parse_duration(value: object) -> int:
    """Seconds from ``"m:ss"``, ``"h:mm:ss"`` or a whole number of seconds (above zero)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a duration ({_DURATION_FORMS}), got {value_repr(value)}")
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, float):
        raise ValueError(f'use whole seconds or "m:ss", got {value!r}')
    elif isinstance(value, dt.time):
        # TOML reads an unquoted 00:02:30 as a time of day; the fix is quotes.
        raise ValueError(f'durations go in quotes, e.g. "{value.strftime("%M:%S").lstrip("0")}"')
    elif isinstance(value, str):
        seconds = _clock_seconds(value)
    else:
        raise ValueError(f"expected a duration ({_DURATION_FORMS}), got {value_repr(value)}")
    if seconds <= 0:
        raise ValueError(f"must be above zero, got {value_repr(value)}")
    if seconds > MAX_DURATION_S:
        raise ValueError(f"must be at most 24:00:00, got {value_repr(value)}")
    return seconds


def _clock_seconds(text: str) -> int:
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"expected {_DURATION_FORMS}, got {value_repr(text)}")
    if match["h"] is not None:
        return int(match["h"]) * 3600 + int(match["m2"]) * 60 + int(match["s"])
    return int(match["m"]) * 60 + int(match["s"])


def parse_distance(value: object) -> Distance:
    """A :class:`Distance` from text with a unit: ``"400m"``, ``"1.5km"``, ``"1mi"``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f'expected a distance like "400m", got {value_repr(value)}')
    if not isinstance(value, str):
        raise ValueError(f'a distance needs a unit (m, km or mi), e.g. "{value}m"')
    text = value.strip()
    match = _DISTANCE.fullmatch(text.lower())
    if match is None:
        raise ValueError(
            f'expected a distance like "400m", "1.5km" or "1mi", got {value_repr(value)}'
        )
    unit = match["unit"]
    if unit not in _METRES_PER_UNIT:
        raise ValueError(f"unknown unit {value_repr(unit)} (use m, km or mi)")
    metres = float(match["number"]) * _METRES_PER_UNIT[unit]
    if metres <= 0:
        raise ValueError(f"must be above zero, got {value_repr(value)}")
    if not metres <= MAX_DISTANCE_M:  # a number too long for a float reads as infinity
        raise ValueError(f"must be at most 100km, got {value_repr(value)}")
    return Distance(text, metres)


def value_repr(value: object) -> str:
    """A short, TOML-like rendering of a value for an error message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 40 else f'"{value[:37]}..."'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)
