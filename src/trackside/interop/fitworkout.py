"""FIT workouts (``.fit``: ``file_id`` type workout, ``workout``, ``workout_step``s), both ways.

Written the way Garmin Connect writes them: one ``workout_step`` per step, repeats as a
``repeat_until_steps_cmplt`` step after the steps it repeats (its value the first step's index,
its target the number of times), times in milliseconds and distances in centimetres. A step that
ends on the key with a distance is a distance step (a watch's lap key ends it early too); a
recovery window is an open (lap-button) step whose words say the window (see
:mod:`~trackside.interop.words`). Reading accepts what a watch can run and trackside can too; the
rest is refused one line per step (see :mod:`~trackside.interop.fitsteps`).
"""

from __future__ import annotations

from typing import Any

from garmin_fit_sdk import Encoder, Profile

from trackside.core.plan import Step, StepKind
from trackside.interop import InteropError
from trackside.interop.fitfile import decode, file_type
from trackside.interop.fitsteps import read_steps
from trackside.interop.words import clean, first_word, say
from trackside.interop.workout import MAX_STEPS, Repeat, Workout, compress, numbered

FIT_EPOCH_S = 631_065_600
"""1989-12-31T00:00:00Z, where FIT's clock starts, in Unix seconds."""
MAX_STRING_BYTES = 254
"""A FIT string field holds 255 bytes with its terminating zero."""
WATCH_STEPS = 50
"""Garmin watches load at most this many workout steps."""
MESG = Profile["mesg_num"]
_INTENSITY = {
    StepKind.WORK: "active",
    StepKind.RECOVERY: "recovery",
    StepKind.WARMUP: "warmup",
    StepKind.COOLDOWN: "cooldown",
}
_STANDING = frozenset({"rest", "stand", "standing"})
"""Recoveries spent standing are FIT's ``rest``; the others (jog, walk, float) ``recovery``."""


def write_workout(workout: Workout, created_s: int) -> tuple[bytes, list[str]]:
    """The workout as a FIT workout file, and the lines to tell (a name cut to fit, more steps
    than a watch loads). ``created_s``: the file's creation time, in Unix seconds."""
    notices: list[str] = []
    steps = _workout_steps(workout, notices)
    if len(steps) > WATCH_STEPS:
        notices.append(
            f"{len(steps)} FIT steps: Garmin watches load at most {WATCH_STEPS} (split it in two)"
        )
    header: dict[str, Any] = {
        "mesg_num": MESG["WORKOUT"],
        "sport": "running",
        "num_valid_steps": len(steps),
        "wkt_name": _fit_string(workout.name, "its name", notices),
    }
    if workout.description:
        header["wkt_description"] = _fit_string(workout.description, "its description", notices)
    encoder = Encoder()
    encoder.write_mesg(
        {
            "mesg_num": MESG["FILE_ID"],
            "type": "workout",
            "manufacturer": "development",
            "product": 0,
            "time_created": created_s - FIT_EPOCH_S,
            "product_name": "trackside",
        }
    )
    for mesg in (header, *steps):
        encoder.write_mesg(mesg)
    return encoder.close(), notices


def _workout_steps(workout: Workout, notices: list[str]) -> list[dict[str, Any]]:
    """The ``workout_step`` messages, numbered, repeats pointing at their first step."""
    steps = [mesg for segment in compress(workout.steps) for mesg in _step_mesgs(segment)]
    for index, mesg in enumerate(steps):
        mesg["message_index"] = index
        if mesg.get("duration_type") == "repeat_until_steps_cmplt":
            # Written relative to its group (-n); the first step's index is needed.
            mesg["duration_value"] = index + mesg["duration_value"]
        for field, what in (("wkt_step_name", "words"), ("notes", "note")):
            if field in mesg:
                mesg[field] = _fit_string(mesg[field], f"step {index + 1}: its {what}", notices)
    return steps


def read_workout(data: bytes, file: str) -> tuple[Workout, list[str]]:
    """The workout in FIT file ``data`` (``file`` names it in the lines), and the lines to tell.
    Raises :class:`InteropError`, one line per problem, for anything trackside cannot run."""
    messages = decode(data, file)
    kind = file_type(messages)
    if kind != "workout":
        what = f"a FIT {kind} file" if kind else "a FIT file without a file type"
        raise InteropError([f"{file}: {what}, not a workout"])
    header = (messages.get("workout_mesgs") or [{}])[0]
    _check_sport(header, file)
    raw = messages.get("workout_step_mesgs") or []
    if not raw:
        raise InteropError([f"{file}: a workout without steps"])
    if len(raw) > 2 * MAX_STEPS:
        raise InteropError([f"{file}: {len(raw)} workout steps, more than trackside runs"])
    segments, origins = read_steps(raw, file)
    count = sum(len(s.steps) * s.count if isinstance(s, Repeat) else 1 for s in segments)
    if count > MAX_STEPS:
        raise InteropError([f"{file}: the workout expands to {count} steps, at most {MAX_STEPS}"])
    steps: list[Step] = []
    where: list[str] = []
    for segment, origin in zip(segments, origins, strict=True):
        group = segment.steps * segment.count if isinstance(segment, Repeat) else (segment,)
        steps.extend(group)
        where.extend(origin * (len(group) // len(origin)))
    name = clean(header.get("wkt_name"), 200) or _stem(file)
    description = clean(header.get("wkt_description"), 2000)
    return Workout(name, numbered(steps), description, tuple(where)), []


def _check_sport(header: dict[str, Any], file: str) -> None:
    sport = header.get("sport")
    if sport in (None, "running", "generic"):
        return
    name = str(sport).replace("_", " ") if isinstance(sport, str) else f"sport {sport}"
    raise InteropError([f"{file}: a {name} workout; trackside times running workouts"])


def _step_mesgs(segment: Step | Repeat) -> list[dict[str, Any]]:
    if isinstance(segment, Step):
        return [_step_mesg(segment)]
    group = [_step_mesg(step) for step in segment.steps]
    repeat = {
        "mesg_num": MESG["WORKOUT_STEP"],
        "duration_type": "repeat_until_steps_cmplt",
        "duration_value": -len(group),
        "target_type": "open",
        "target_value": segment.count,
    }
    return [*group, repeat]


def _step_mesg(step: Step) -> dict[str, Any]:
    """One step: its length as FIT holds it, its words, its intensity, its note."""
    windowed = not step.is_rep and step.has_window
    what = step.effort if step.is_rep else step.activity
    window = (step.min_s, step.max_s) if windowed else (None, None)
    words = say(what, step.distance_text, window, all_out=step.all_out and step.is_rep)
    mesg: dict[str, Any] = {"mesg_num": MESG["WORKOUT_STEP"]}
    if words:
        mesg["wkt_step_name"] = words
    if step.time_s is not None:
        mesg.update(duration_type="time", duration_value=round(step.time_s * 1000))
    elif step.distance_m is not None and not windowed:
        mesg.update(duration_type="distance", duration_value=round(step.distance_m * 100))
    else:
        mesg["duration_type"] = "open"
    intensity = _INTENSITY[step.kind]
    if step.kind is StepKind.RECOVERY and first_word(step.activity) in _STANDING:
        intensity = "rest"
    mesg.update(target_type="open", target_value=0, intensity=intensity)
    if step.note:
        mesg["notes"] = step.note
    return mesg


def _fit_string(text: str, what: str, notices: list[str]) -> str:
    raw = text.encode("utf-8")
    if len(raw) <= MAX_STRING_BYTES:
        return text
    notices.append(f"{what} was cut to {MAX_STRING_BYTES} bytes, as long as FIT allows")
    return raw[:MAX_STRING_BYTES].decode("utf-8", errors="ignore")


def _stem(file: str) -> str:
    name = file.replace("\\", "/").rsplit("/", 1)[-1]
    return clean(name.rsplit(".", 1)[0], 200) or "Imported workout"
