"""FIT ``workout_step`` messages read as trackside steps: lengths, repeats, words and targets.

A step ends on time, on distance or on the lap key (open); anything else (heart rate, calories,
power, "repeat until") is refused, one line per step. Targets a runner reads (a pace, a pace or
heart-rate zone, a heart-rate or cadence range) are kept as words on the step; power, grade and
the like are refused. A repeat inside a repeat is refused too (intervals.icu and most watches
have none).
"""

from __future__ import annotations

from typing import Any

from trackside.core.plan import Step, StepKind
from trackside.interop import InteropError
from trackside.interop.words import (
    MAX_DISTANCE_M,
    SAME_DISTANCE_M,
    Words,
    clean,
    distance_metres,
    distance_text,
    pace_words,
    read_words,
)
from trackside.interop.workout import MAX_STEPS, Repeat, Segment

_KIND = {
    "active": StepKind.WORK,
    "interval": StepKind.WORK,
    "other": StepKind.WORK,
    "rest": StepKind.RECOVERY,
    "recovery": StepKind.RECOVERY,
    "warmup": StepKind.WARMUP,
    "cooldown": StepKind.COOLDOWN,
}
_ENDS = {
    "hr_less_than": "on heart rate",
    "hr_greater_than": "on heart rate",
    "calories": "on calories",
    "reps": "on a count of reps (a strength step)",
    "training_peaks_tss": "on training stress",
}
_POWER = frozenset({"power", "power_3s", "power_10s", "power_30s", "power_lap"})


def read_steps(raw: list[dict[str, Any]], file: str) -> tuple[list[Segment], list[tuple[str, ...]]]:
    """The steps and repeats of a FIT workout and where each came from (``step 3``); raises
    :class:`InteropError` with one line per step that cannot be run."""
    ordered = sorted(raw, key=_index) if all(_index(m) >= 0 for m in raw) else list(raw)
    problems: list[str] = []
    segments: list[Segment] = []
    origins: list[tuple[str, ...]] = []
    pending: list[tuple[int, Step]] = []
    last_repeat = -1
    for index, mesg in enumerate(ordered):
        if mesg.get("duration_type") != "repeat_until_steps_cmplt":
            step = _step(mesg, f"{file}: step {index + 1}", problems)
            if step is not None:
                pending.append((index, step))
            continue
        first = _repeat_start(mesg, index, last_repeat, file, problems)
        count = mesg.get("repeat_steps")
        if not isinstance(count, int) or not 1 <= count <= MAX_STEPS:
            problems.append(f"{file}: step {index + 1}: repeats {count!r} times (1 to {MAX_STEPS})")
            count = 1
        group = [(i, step) for i, step in pending if i >= first]
        _flush([(i, step) for i, step in pending if i < first], segments, origins)
        if count >= 2 and group:
            segments.append(Repeat(tuple(step for _, step in group), count))
            origins.append(tuple(f"step {i + 1}" for i, _ in group))
        else:
            _flush(group, segments, origins)
        pending, last_repeat = [], index
    _flush(pending, segments, origins)
    if problems:
        raise InteropError(problems)
    return segments, origins


def _index(mesg: dict[str, Any]) -> int:
    value = mesg.get("message_index")
    return value if isinstance(value, int) else -1


def _flush(
    steps: list[tuple[int, Step]], segments: list[Segment], origins: list[tuple[str, ...]]
) -> None:
    for index, step in steps:
        segments.append(step)
        origins.append((f"step {index + 1}",))


def _repeat_start(
    mesg: dict[str, Any], index: int, last_repeat: int, file: str, problems: list[str]
) -> int:
    first = mesg.get("duration_step")
    if not isinstance(first, int) or not 0 <= first < index:
        problems.append(f"{file}: step {index + 1}: repeats from a step that is not before it")
        return index
    if first <= last_repeat:
        problems.append(
            f"{file}: steps {first + 1}-{index + 1}: a repeat inside a repeat "
            "(trackside repeats one group of steps at a time)"
        )
        return index
    return first


def _step(mesg: dict[str, Any], where: str, problems: list[str]) -> Step | None:
    """One step, or None with its problems added."""
    kind = _KIND.get(mesg.get("intensity") or "active")
    if kind is None:
        problems.append(f"{where}: an intensity of {mesg.get('intensity')!r} is not known")
        return None
    length = _length(mesg, where, problems)
    target = _target(mesg, where, problems)
    if length is None:
        return None
    time_s, distance_m = length
    on_key = time_s is None
    words = read_words(
        clean(mesg.get("wkt_step_name"), 200),
        window=on_key and kind is not StepKind.WORK,
        all_out=kind is StepKind.WORK,
    )
    what, metres, text = _distance(words, distance_m)
    what = ", ".join(part for part in (what, target) if part) or None
    return Step(
        kind=kind,
        distance_m=metres,
        distance_text=text,
        time_s=time_s,
        min_s=words.min_s,
        max_s=words.max_s,
        effort=what if kind is StepKind.WORK else None,
        activity=None if kind is StepKind.WORK else what,
        all_out=words.all_out,
        note=clean(mesg.get("notes"), 2000),
    )


def _length(
    mesg: dict[str, Any], where: str, problems: list[str]
) -> tuple[float | None, float | None] | None:
    """``(time_s, distance_m)``: one of them for a timed or distance step, neither for open."""
    kind = mesg.get("duration_type")
    if kind in ("time", "time_only"):
        seconds = mesg.get("duration_time")
        if isinstance(seconds, int | float) and 0 < seconds <= 86_400:
            return float(seconds), None
        problems.append(f"{where}: a timed step of {seconds!r} seconds (above 0, up to a day)")
        return None
    if kind == "distance":
        metres = mesg.get("duration_distance")
        if isinstance(metres, int | float) and 0 < metres <= MAX_DISTANCE_M:
            return None, float(metres)
        problems.append(f"{where}: a distance step of {metres!r} m (above 0, up to 100 km)")
        return None
    if kind == "open":
        return None, None
    if isinstance(kind, str) and kind.startswith("repeat_until_"):
        until = kind.removeprefix("repeat_until_").replace("_", " ")
        problems.append(f"{where}: repeats until {until}; trackside repeats a set number of times")
        return None
    ends = _ENDS.get(str(kind)) or ("on power" if "power" in str(kind) else f"by {kind!r}")
    problems.append(f"{where}: ends {ends}; trackside ends a step on time, distance or the key")
    return None


def _distance(words: Words, metres: float | None) -> tuple[str | None, float | None, str | None]:
    """The step's words without the distance, and its distance in metres and as written: the
    words' own when they agree with the FIT length (or there is none), else the FIT length."""
    said = None if words.distance is None else distance_metres(words.distance)
    if said is not None and (metres is None or abs(said - metres) <= SAME_DISTANCE_M):
        return words.what, said, words.distance
    what = " ".join(part for part in (words.what, words.distance) if part) or None
    if metres is None:
        return what, None, None
    # Centimetres again: 160,934 cm is written 1mi, and is then the mile (1609.344 m).
    text = distance_text(metres)
    return what, distance_metres(text), text


def _target(mesg: dict[str, Any], where: str, problems: list[str]) -> str | None:
    """A target as words a runner reads, or None; a power target or the like is a problem."""
    kind = mesg.get("target_type")
    if kind in (None, "open"):
        return None
    if kind in _POWER:
        problems.append(f"{where}: a power target; trackside has no power meter (remove it)")
        return None
    if kind in ("speed", "speed_lap"):
        zone = _zone(mesg, "target_speed_zone", "target_value")
        if zone:
            return f"pace zone {zone}"
        return pace_words(mesg.get("custom_target_speed_low"), mesg.get("custom_target_speed_high"))
    if kind in ("heart_rate", "heart_rate_lap"):
        zone = _zone(mesg, "target_hr_zone", "target_value")
        if zone:
            return f"HR zone {zone}"
        return _heart_rate(mesg)
    if kind == "cadence":
        low, high = mesg.get("custom_target_cadence_low"), mesg.get("custom_target_cadence_high")
        if isinstance(low, int) and isinstance(high, int) and 0 < low <= high:
            return f"cadence {low}–{high}"
        return None
    problems.append(f"{where}: a {str(kind).replace('_', ' ')} target, which trackside cannot use")
    return None


def _zone(mesg: dict[str, Any], *fields: str) -> int | None:
    for field in fields:
        value = mesg.get(field)
        if isinstance(value, int) and 0 < value <= 10:
            return value
    return None


def _heart_rate(mesg: dict[str, Any]) -> str | None:
    # FIT's workout_hr: up to 100 is a percent of maximum heart rate, above it bpm + 100.
    low, high = (mesg.get(f"custom_target_heart_rate_{end}") for end in ("low", "high"))
    if not (isinstance(low, int) and isinstance(high, int) and 0 < low <= high <= 355):
        return None
    if high <= 100:
        return f"{low}–{high}% max HR"
    if low > 100:
        return f"{low - 100}–{high - 100} bpm"
    return None
