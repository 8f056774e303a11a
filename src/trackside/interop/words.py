"""The words of a step, as a watch or intervals.icu shows them, and reading them back.

Neither a FIT workout nor intervals.icu text has a place for a recovery window, "all out", or a
distance on a timed step, so those go into the step's words, in one fixed order::

    WHAT [DISTANCE][, go MIN–MAX | go after MIN | go by MAX][, all out]

``WHAT`` is the rep's effort or the recovery's activity: ``jog 400m, go 2:30–3:00``,
``All You Got 400m, all out``. Reading takes the clauses back off the end, so trackside reads
its own steps back exactly; anything else stays words. Text from a file is hostile: every
string passes :func:`clean` (a control character reaches neither the terminal nor a preset
file, only its visible escape).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from trackside.core.safe import visible
from trackside.core.timefmt import clock

METRES_PER_UNIT = {"m": 1.0, "km": 1000.0, "mi": 1609.344}
MAX_DISTANCE_M = 100_000.0
"""The preset format's longest step; a longer distance in words is left as words."""
SAME_DISTANCE_M = 0.006
"""FIT keeps distances in whole centimetres: within this, a distance in words is the same one."""

_DISTANCE = re.compile(
    r"^(?:(?P<what>.*\S)\s+)?(?P<distance>(?P<number>\d{1,6}(?:\.\d{1,3})?)(?P<space>\s?)"
    r"(?P<unit>km|mi|m))$",
    re.IGNORECASE,
)
_CLOCK = r"\d{1,2}(?::[0-5]\d){1,2}"
_WINDOW = re.compile(rf"^go (?P<min>{_CLOCK})\s?[-–—]\s?(?P<max>{_CLOCK})$", re.IGNORECASE)
_AFTER = re.compile(rf"^go after (?P<min>{_CLOCK})$", re.IGNORECASE)
_BY = re.compile(rf"^go by (?P<max>{_CLOCK})$", re.IGNORECASE)
_ALL_OUT = "all out"
NOTE_MARK = " — "
"""Between a step's words and its note, where the format has no field of its own for notes."""


def clean(text: object, limit: int | None = None) -> str | None:
    """``text`` safe to show and to store, on one line: runs of white space (line breaks and
    tabs too) one space, every other control or direction-changing character a visible escape
    (``\\x1b``, as :func:`~trackside.core.safe.visible` writes it), cut to ``limit``
    characters; None when nothing is left (or ``text`` is not a string)."""
    if not isinstance(text, str):
        return None
    words = visible(" ".join(text.split()))
    if limit is not None:
        words = words[:limit].rstrip()
    return words or None


def distance_metres(text: str) -> float:
    """Metres from a distance written ``400m``, ``1.5km``, ``2 mi`` (raises ValueError)."""
    match = _DISTANCE.fullmatch(text.strip())
    if match is None or match["what"] is not None:
        raise ValueError(f"not a distance: {text!r}")
    return float(match["number"]) * METRES_PER_UNIT[match["unit"].lower()]


def distance_text(metres: float) -> str:
    """A distance known only in metres, written: ``400m``, ``5km``, ``0.25mi``, ``402.34m``."""
    if abs(metres - round(metres)) < SAME_DISTANCE_M:
        whole = round(metres)
        if whole >= 5000 and whole % 1000 == 0:
            return f"{whole // 1000}km"
        return f"{whole}m"
    quarters = metres / (METRES_PER_UNIT["mi"] / 4)
    if abs(quarters - round(quarters)) * METRES_PER_UNIT["mi"] / 4 < SAME_DISTANCE_M:
        return f"{round(quarters) / 4:g}mi"
    return f"{metres:.2f}m"


def clock_seconds(text: str) -> int:
    """Seconds from ``2:30`` or ``1:02:30`` (raises ValueError)."""
    parts = [int(part) for part in text.split(":")]
    if len(parts) not in (2, 3) or any(part >= 60 for part in parts[1:]):
        raise ValueError(f"not a clock time: {text!r}")
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def length_words(seconds: float) -> str:
    """A length as a runner reads it: ``2:30``, ``1:00:00``, ``0:20.5`` for a part second."""
    if float(seconds).is_integer():
        return clock(seconds)
    return f"{clock(seconds)}{f'{seconds % 1:.3f}'.rstrip('0')[1:]}"


def pace_words(low_mps: float | None, high_mps: float | None) -> str | None:
    """A speed range as a pace per km: ``4:30–5:00/km pace``; None without a usable speed."""
    paces = sorted(
        1000 / speed for speed in (low_mps, high_mps) if speed is not None and speed > 0.1
    )
    if not paces:
        return None
    words = [clock(round(pace)) for pace in paces]
    if words[0] == words[-1]:
        return f"{words[0]}/km pace"
    return f"{words[0]}–{words[-1]}/km pace"


@dataclass(frozen=True, slots=True)
class Words:
    """A step's words read back: what it is, its distance, its window, whether all out."""

    what: str | None = None
    distance: str | None = None
    """The distance as written in the words (``400m``), if they end with one."""
    min_s: float | None = None
    max_s: float | None = None
    all_out: bool = False

    @property
    def has_window(self) -> bool:
        return self.min_s is not None or self.max_s is not None


def say(
    what: str | None,
    distance: str | None = None,
    window: tuple[float | None, float | None] = (None, None),
    all_out: bool = False,
) -> str:
    """The words of a step (see the module): ``jog 400m, go 2:30–3:00``."""
    clauses = [" ".join(part for part in (what, distance) if part)]
    low, high = window
    if low is not None and high is not None:
        clauses.append(f"go {clock(low)}–{clock(high)}")
    elif low is not None:
        clauses.append(f"go after {clock(low)}")
    elif high is not None:
        clauses.append(f"go by {clock(high)}")
    if all_out:
        clauses.append(_ALL_OUT)
    return ", ".join(clause for clause in clauses if clause)


def read_words(text: str | None, *, window: bool, all_out: bool) -> Words:
    """The words :func:`say` wrote, taken apart; a window or "all out" is read only where the
    step can have one (``window``: a step ending on the key; ``all_out``: a rep)."""
    if not text:
        return Words()
    clauses = text.split(", ")
    low = high = None
    out = False
    while clauses:
        last = clauses[-1]
        if all_out and not out and last.lower() == _ALL_OUT:
            out = True
        elif window and low is None and high is None and (found := _window(last)) is not None:
            low, high = found
        else:
            break
        clauses.pop()
    first = ", ".join(clauses)
    what, distance = first, None
    match = _DISTANCE.fullmatch(first)
    if match is not None and 0 < distance_metres(match["distance"]) <= MAX_DISTANCE_M:
        what, distance = match["what"], match["distance"]
    return Words(what or None, distance, low, high, out)


def _window(clause: str) -> tuple[float | None, float | None] | None:
    both = _WINDOW.fullmatch(clause)
    if both is not None:
        low, high = clock_seconds(both["min"]), clock_seconds(both["max"])
        return (float(low), float(high)) if 0 < low < high else None
    after = _AFTER.fullmatch(clause)
    if after is not None:
        low = clock_seconds(after["min"])
        return (float(low), None) if low > 0 else None
    by = _BY.fullmatch(clause)
    if by is not None:
        high = clock_seconds(by["max"])
        return (None, float(high)) if high > 0 else None
    return None


def first_word(text: str | None) -> str:
    """The first word of ``text``, lower case, without punctuation around it."""
    if not text:
        return ""
    return text.split(maxsplit=1)[0].strip(".,:;!?()-–—").lower()


def whole_seconds(seconds: float) -> bool:
    """Whether a length is a whole number of seconds (to a millisecond)."""
    return math.isclose(seconds, round(seconds), abs_tol=0.0005)
