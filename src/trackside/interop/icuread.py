"""intervals.icu workout text read as trackside steps (its "Workout Builder" syntax).

A line starting with ``-`` is a step: ``- [words] LENGTH [target] [press lap]``. Other lines are
section headers: ``Warmup`` and ``Cooldown`` make their steps a warmup or cooldown, and a header
ending in ``Nx`` (or ``Nx`` alone) repeats the steps under it N times, up to the next blank line
or header. Lengths are times (``10m``, ``30s``, ``1m30``, ``1h2m30s``, ``5'``, ``30"``) or
distances (``400mtr``, ``2km``, ``1mi``; ``m`` alone is minutes). ``press lap`` makes a step
end on the key.

In the main set a step is a recovery when its words start with rest, recovery, recover, jog,
walk, easy, float or stand, or its target is Z1; any other step is a rep. Targets a runner
reads (``Z2``, ``5:00/km Pace``, ``75% HR``) are kept as the step's words; power targets and
ramps are refused, one line each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trackside.core.plan import Step, StepKind
from trackside.interop import InteropError
from trackside.interop.words import (
    MAX_DISTANCE_M,
    NOTE_MARK,
    clean,
    distance_metres,
    first_word,
    length_words,
    read_words,
)
from trackside.interop.workout import MAX_STEPS, Workout, numbered

RECOVERY_WORDS = frozenset(
    {"rest", "recovery", "recover", "jog", "walk", "easy", "float", "stand", "standing"}
)
"""A main-set step whose words start with one of these is a recovery."""
REP_MARK = "rep"
RECOVERY_MARK = "recovery"

_HMS = re.compile(
    r"(?=\d)(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m)?(?:(?P<s>\d+(?:\.\d+)?)s)?",
    re.IGNORECASE,
)
_MINUTES_SECONDS = re.compile(r"(?:(?P<h>\d+)h)?(?P<m>\d+)m(?P<s>[0-5]?\d)", re.IGNORECASE)
_PRIMES = re.compile(r"(?:(?P<m>\d+)')?(?:(?P<s>\d+)\")?")
_DISTANCE = re.compile(r"(?P<number>\d+(?:\.\d+)?)(?P<unit>mtr|km|mi)", re.IGNORECASE)
_REPEAT = re.compile(r"^(?:(?P<words>.*?)\s+)?(?P<count>\d+)\s*x$", re.IGNORECASE)
_NESTED = re.compile(r"\d+x", re.IGNORECASE)
_WATTS = re.compile(r"\d+(?:-\d+)?w", re.IGNORECASE)
_INTENSITY = {
    "active": StepKind.WORK,
    "interval": StepKind.WORK,
    "rest": StepKind.RECOVERY,
    "recovery": StepKind.RECOVERY,
    "warmup": StepKind.WARMUP,
    "cooldown": StepKind.COOLDOWN,
}


def time_seconds(token: str) -> float | None:
    """Seconds from an intervals.icu time (``10m``, ``1m30``, ``5'``, ``30"``), else None."""
    for pattern in (_HMS, _MINUTES_SECONDS, _PRIMES):
        match = pattern.fullmatch(token)
        if match is None or not any(match.groupdict().values()):
            continue
        parts = match.groupdict()
        return (
            float(parts.get("h") or 0) * 3600
            + float(parts.get("m") or 0) * 60
            + float(parts.get("s") or 0)
        )
    return None


def distance_words(token: str) -> str | None:
    """A distance as trackside writes it (``400m``, ``2km``, ``1mi``), else None."""
    match = _DISTANCE.fullmatch(token)
    if match is None:
        return None
    unit = match["unit"].lower()
    return match["number"] + ("m" if unit == "mtr" else unit)


def is_length(token: str) -> bool:
    """Whether intervals.icu reads ``token`` as a step's length (or a repeat count)."""
    return (
        time_seconds(token) is not None
        or distance_words(token) is not None
        or _NESTED.fullmatch(token) is not None
    )


@dataclass
class _Reader:
    file: str
    steps: list[Step] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    section: StepKind | None = None
    """Warmup or cooldown under such a header; None in the main set."""
    repeat: tuple[int, int] | None = None
    """``(count, first step)`` while under a repeat header."""

    def close(self) -> None:
        if self.repeat is not None:
            count, first = self.repeat
            group, where = self.steps[first:], self.origins[first:]
            if len(self.steps) + len(group) * (count - 1) > MAX_STEPS:
                raise InteropError([f"{self.file}: expands to more than {MAX_STEPS} steps"])
            self.steps.extend(group * (count - 1))
            self.origins.extend(where * (count - 1))
        self.repeat = None

    def header(self, number: int, text: str) -> None:
        self.close()
        match = _REPEAT.fullmatch(text)
        words = (match["words"] or "") if match else text
        lowered = words.lower()
        self.section = (
            StepKind.WARMUP
            if re.match(r"warm[\s-]?up\b", lowered)
            else StepKind.COOLDOWN
            if re.match(r"cool[\s-]?down\b", lowered)
            else None
        )
        if match is not None:
            count = int(match["count"])
            if not 1 <= count <= MAX_STEPS:
                self.problems.append(f"{self.file}: line {number}: {count}x (1 to {MAX_STEPS})")
                count = 1
            self.repeat = (count, len(self.steps))

    def step(self, number: int, text: str) -> None:
        where = f"{self.file}: line {number}"
        step = _parse_step(text, self.section, where, self.problems)
        if step is not None:
            self.steps.append(step)
            self.origins.append(f"line {number}")
        if len(self.steps) > MAX_STEPS:
            raise InteropError([f"{self.file}: expands to more than {MAX_STEPS} steps"])


def read_text(text: str, file: str, name: str) -> tuple[Workout, list[str]]:
    """The workout in intervals.icu ``text`` (``file`` names it in the lines, ``name`` is its
    name), and the lines to tell. Raises :class:`InteropError`, one line per problem."""
    reader = _Reader(file)
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            reader.close()
            reader.section = None
        elif stripped.startswith("-"):
            reader.step(number, stripped[1:].strip())
        else:
            reader.header(number, stripped)
    reader.close()
    if reader.problems:
        raise InteropError(reader.problems)
    if not reader.steps:
        raise InteropError([f"{file}: no steps (a step is a line starting with -)"])
    return Workout(name, numbered(reader.steps), None, tuple(reader.origins)), []


@dataclass
class _Line:
    cue: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    time_s: float | None = None
    distance: str | None = None
    press_lap: bool = False
    kind: StepKind | None = None


def _tokens(text: str, where: str, problems: list[str]) -> _Line:
    """The line's words, length, targets and options; problems added for what is refused."""
    line = _Line()
    tokens = text.split()
    seen_length = False
    i = 0
    while i < len(tokens):
        token, lowered = tokens[i], tokens[i].lower()
        if lowered == "press" and i + 1 < len(tokens) and tokens[i + 1].lower() == "lap":
            line.press_lap = True
            i += 2
            continue
        if _NESTED.fullmatch(token):
            problems.append(f"{where}: a repeat inside a step ({token}); repeats do not nest")
        elif lowered == "ramp":
            problems.append(f"{where}: a ramp; trackside runs each step at one effort")
        elif _WATTS.fullmatch(token) or lowered in ("mmp", "ftp"):
            problems.append(f"{where}: a power target ({token}); trackside has no power meter")
        elif lowered.startswith("intensity=") and lowered[10:] in _INTENSITY:
            line.kind = _INTENSITY[lowered[10:]]
        elif not seen_length and (time_seconds(token) is not None or distance_words(token)):
            seen_length = True
            line.time_s, line.distance = time_seconds(token), distance_words(token)
            if not _sensible(line.time_s, line.distance):
                problems.append(f"{where}: a length of {token} (above 0, up to a day or 100 km)")
        else:
            (line.targets if seen_length else line.cue).append(token)
        i += 1
    return line


def _sensible(seconds: float | None, distance: str | None) -> bool:
    if seconds is not None:
        return 0 < seconds <= 86_400
    return distance is not None and 0 < distance_metres(distance) <= MAX_DISTANCE_M


def _parse_step(
    text: str, section: StepKind | None, where: str, problems: list[str]
) -> Step | None:
    before = len(problems)
    line = _tokens(clean(text) or "", where, problems)
    # A step with a note and no other words starts with the mark: a space before it finds it.
    cue, _, note = (" " + " ".join(line.cue)).partition(NOTE_MARK)
    cue = cue.strip()
    kind, cue = _kind(line, section, cue)
    if line.time_s is None and line.distance is None and not line.press_lap:
        problems.append(
            f"{where}: no length (a time like 10m, a distance like 400mtr, or press lap)"
        )
    if len(problems) > before:
        return None
    timed = line.time_s is not None and not line.press_lap
    words = read_words(
        cue or None, window=not timed and kind is not StepKind.WORK, all_out=kind is StepKind.WORK
    )
    said = words.distance.replace(" ", "") if words.distance else None
    distance = line.distance or said
    extras = [said if line.distance and said else "", " ".join(line.targets)]
    if line.time_s is not None and not timed and line.time_s not in (words.max_s, words.min_s):
        extras.append(f"about {length_words(line.time_s)}")
    what = ", ".join(part for part in (words.what, *extras) if part) or None
    return Step(
        kind=kind,
        distance_m=None if distance is None else distance_metres(distance),
        distance_text=distance,
        time_s=line.time_s if timed else None,
        min_s=words.min_s,
        max_s=words.max_s,
        effort=what if kind is StepKind.WORK else None,
        activity=None if kind is StepKind.WORK else what,
        all_out=words.all_out,
        note=clean(note, 2000),
    )


def _kind(line: _Line, section: StepKind | None, cue: str) -> tuple[StepKind, str]:
    """The step's kind, and its words without the mark that said it (``rep``, ``recovery``)."""
    word = first_word(cue)
    if line.kind is not None:
        return line.kind, cue
    if section is not None:
        return section, cue
    if word in (REP_MARK, RECOVERY_MARK):
        kind = StepKind.WORK if word == REP_MARK else StepKind.RECOVERY
        return kind, cue.split(maxsplit=1)[1] if " " in cue else ""
    if word in RECOVERY_WORDS or any(t.lower() == "z1" for t in line.targets):
        return StepKind.RECOVERY, cue
    return StepKind.WORK, cue
