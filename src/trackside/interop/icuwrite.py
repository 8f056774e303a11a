"""A workout written as intervals.icu workout text, to paste into its workout builder.

Sections ``Warmup``, ``Main set`` and ``Cooldown``; repeats as ``Main set 20x`` over the
repeated steps and a blank line after them; each step ``- WORDS[ — NOTE] LENGTH[ press lap]``.
A step that ends on the key says ``press lap`` (its length, a distance or a window's end, is what
intervals.icu plans with); a timed step has its time alone. The words follow
:mod:`~trackside.interop.words`, with a distance on a timed step spaced (``jog 100 m``) so it is
not read as minutes, and a main-set step marked ``rep`` or ``recovery`` when its words alone
would not say which it is (see :mod:`~trackside.interop.icuread`).
"""

from __future__ import annotations

from trackside.core.plan import Step, StepKind
from trackside.interop.icuread import RECOVERY_MARK, RECOVERY_WORDS, REP_MARK, is_length
from trackside.interop.words import NOTE_MARK, distance_metres, first_word, say
from trackside.interop.workout import Repeat, Workout, compress

_SECTION = {StepKind.WARMUP: "Warmup", StepKind.COOLDOWN: "Cooldown"}
MAIN = "Main set"


def write_text(workout: Workout) -> tuple[str, list[str]]:
    """The workout as intervals.icu text, and the lines to tell (words it would misread)."""
    lines: list[str] = []
    notices = _misread(workout)
    context: str | None = MAIN
    for segment in compress(workout.steps):
        if isinstance(segment, Repeat):
            section = _section(segment.steps)
            if lines and lines[-1]:
                lines.append("")
            lines.append(f"{section} {segment.count}x")
            lines.extend(_line(step) for step in segment.steps)
            lines.append("")
            context = None
            continue
        section = _section((segment,))
        if section != context and not (context is None and section == MAIN):
            if lines and lines[-1]:
                lines.append("")
            lines.append(section)
        context = section
        lines.append(_line(segment))
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n", notices


def _section(steps: tuple[Step, ...]) -> str:
    kinds = {step.kind for step in steps}
    if len(kinds) == 1:
        return _SECTION.get(next(iter(kinds)), MAIN)
    return MAIN


def _misread(workout: Workout) -> list[str]:
    """A line for each word intervals.icu (and trackside) would take for a step's length, and
    for words that hold the note mark."""
    out: list[str] = []
    seen: set[str] = set()
    for index, step in enumerate(workout.steps):
        what = step.effort if step.is_rep else step.activity
        if what and NOTE_MARK in what and "mark" not in seen:
            seen.add("mark")
            out.append(
                f"{workout.origin(index)}: its words contain '{NOTE_MARK.strip()}', which starts "
                "a note in this text: read back, what follows it becomes the note"
            )
        for token in _words(step).split():
            if is_length(token) and token not in seen:
                seen.add(token)
                out.append(
                    f"{workout.origin(index)}: intervals.icu reads {token!r} in the words as "
                    "the step's length; reword it before pasting"
                )
    return out


def _words(step: Step) -> str:
    """The step's words and note, as they go before its length."""
    timed = step.time_s is not None
    windowed = not step.is_rep and step.has_window
    distance = step.distance_text.replace(" ", "") if step.distance_text else None
    cue_distance = _spaced(distance) if timed and distance else None
    window = (step.min_s, step.max_s) if windowed else (None, None)
    words = say(_what(step), cue_distance, window, all_out=step.all_out and step.is_rep)
    if step.note:
        words = f"{words}{NOTE_MARK}{step.note}"
    return words.strip()


def _line(step: Step) -> str:
    windowed = not step.is_rep and step.has_window
    distance = step.distance_text.replace(" ", "") if step.distance_text else None
    window = (step.min_s, step.max_s) if windowed else (None, None)
    parts = ["-", _words(step), _length(step, distance, window)]
    if step.time_s is None:
        parts.append("press lap")
    return " ".join(part for part in parts if part)


def _what(step: Step) -> str | None:
    """The words that say what the step is, marked where the reader would mistake it."""
    if step.kind is StepKind.WORK:
        effort = step.effort
        word = first_word(effort)
        if word in RECOVERY_WORDS or word == REP_MARK:
            return f"{REP_MARK} {effort}"
        return effort
    if step.kind is not StepKind.RECOVERY:
        return step.activity
    activity = step.activity
    if activity is None:
        return RECOVERY_MARK
    if first_word(activity) in RECOVERY_WORDS - {RECOVERY_MARK}:
        return activity
    return f"{RECOVERY_MARK} {activity}"


def _length(step: Step, distance: str | None, window: tuple[float | None, float | None]) -> str:
    if step.time_s is not None:
        return time_text(step.time_s)
    if distance is not None:
        return distance_length(distance)
    low, high = window
    nominal = high if high is not None else low
    return "" if nominal is None else time_text(nominal)


def time_text(seconds: float) -> str:
    """A time as intervals.icu writes it: ``20s``, ``1m30s``, ``10m``, ``1h2m``."""
    whole = round(seconds)
    if abs(seconds - whole) > 0.0005:
        return f"{seconds:.3f}".rstrip("0") + "s"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return "".join(
        f"{value}{unit}" for value, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if value
    )


def distance_length(distance: str) -> str:
    """A distance as intervals.icu writes it: metres as ``400mtr`` (``m`` is minutes there)."""
    lowered = distance.lower()
    if lowered.endswith(("km", "mi")):
        return lowered
    distance_metres(lowered)  # the step's own distance: always one
    return lowered[:-1] + "mtr"


def _spaced(distance: str) -> str:
    """``100 m``: a distance in the words, where ``100m`` would read as 100 minutes."""
    for unit in ("km", "mi", "m"):
        if distance.lower().endswith(unit):
            return f"{distance[: -len(unit)]} {distance[-len(unit) :]}"
    return distance
