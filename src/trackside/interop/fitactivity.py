"""A session as a FIT activity: what Strava, intervals.icu and Garmin Connect take as an upload.

No GPS: the file carries what trackside knows. ``file_id`` (type activity) and ``device_info``
name trackside; timer ``event``s start it, stop it at each pause and start it again on resume;
each step run is a ``lap`` (start, elapsed and timer time to the millisecond, the planned distance
of a step run to its end, intensity, manual or time trigger, the plan step's index); a
``record`` at every lap boundary gives the time and the distance so far; then the ``session``
(running, track; totals and the number of laps) and the ``activity``. FIT keeps timestamps in
whole seconds: a lap's ``start_time`` is its start's second, and its times carry the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from garmin_fit_sdk import Encoder

from trackside.core.plan import StepKind
from trackside.interop.fitworkout import FIT_EPOCH_S, MESG

Trigger = Literal["manual", "time", "session_end"]
"""How a lap ended: on the key (or skipped), by itself, or with the session."""
_INTENSITY = {
    StepKind.WORK: "active",
    StepKind.RECOVERY: "rest",
    StepKind.WARMUP: "warmup",
    StepKind.COOLDOWN: "cooldown",
}


@dataclass(frozen=True, slots=True)
class Lap:
    """A step as it was run. Times are Unix milliseconds."""

    step_index: int
    """0-based place of the step in the plan: the lap's ``wkt_step_index``."""
    kind: StepKind
    started_ms: int
    ended_ms: int
    timer_ms: int
    """Active time: elapsed less the time paused."""
    distance_m: float | None
    """The planned distance, for a step run to its end; None when not known."""
    trigger: Trigger


@dataclass(frozen=True, slots=True)
class Activity:
    """A session to write: its laps in order and its pauses (Unix ms; an open end is None)."""

    laps: tuple[Lap, ...]
    pauses: tuple[tuple[int, int | None], ...] = ()
    utc_offset_s: int = 0
    """The runner's offset from UTC when the session started: the activity's local time."""
    version: str = "0.1.0"
    """trackside's version, written as the device's software version."""


def fit_time(ms: int) -> int:
    """A FIT timestamp (whole seconds since 1989-12-31 UTC) from Unix milliseconds."""
    return ms // 1000 - FIT_EPOCH_S


def write_activity(activity: Activity) -> bytes:
    """The session as a FIT activity file. Raises ValueError for a session without a lap, or
    one whose values FIT cannot hold (a time before 1990)."""
    laps = activity.laps
    if not laps:
        raise ValueError("no step was run")
    start, end = laps[0].started_ms, laps[-1].ended_ms
    encoder = Encoder()
    for mesg in _opening(start, activity.version):
        encoder.write_mesg(mesg)
    pauses = _events(activity.pauses, start, end)
    pending = list(pauses)
    distance = 0.0 if any(lap.distance_m is not None for lap in laps) else None
    encoder.write_mesg(_record(start, distance))
    for index, lap in enumerate(laps):
        while pending and pending[0][0] <= lap.ended_ms:
            at, kind = pending.pop(0)
            encoder.write_mesg(_timer(at, kind))
        if distance is not None and lap.distance_m is not None:
            distance += lap.distance_m
        encoder.write_mesg(_record(lap.ended_ms, distance))
        encoder.write_mesg(_lap(index, lap))
    stopped = bool(pauses) and pauses[-1][1] == "stop_all"
    for mesg in _closing(activity, distance, stopped):
        encoder.write_mesg(mesg)
    return encoder.close()


def _opening(start: int, version: str) -> list[dict[str, Any]]:
    maker = {"manufacturer": "development", "product": 0, "product_name": "trackside"}
    return [
        {"mesg_num": MESG["FILE_ID"], "type": "activity", "time_created": fit_time(start), **maker},
        {
            "mesg_num": MESG["DEVICE_INFO"],
            "timestamp": fit_time(start),
            "device_index": 0,
            "software_version": _software(version),
            **maker,
        },
        _timer(start, "start"),
    ]


def _closing(activity: Activity, distance: float | None, stopped: bool) -> list[dict[str, Any]]:
    laps = activity.laps
    end = laps[-1].ended_ms
    timer_s = sum(lap.timer_ms for lap in laps) / 1000
    session: dict[str, Any] = {
        "mesg_num": MESG["SESSION"],
        "message_index": 0,
        "timestamp": fit_time(end),
        "start_time": fit_time(laps[0].started_ms),
        "event": "session",
        "event_type": "stop",
        "sport": "running",
        "sub_sport": "track",
        "total_elapsed_time": (end - laps[0].started_ms) / 1000,
        "total_timer_time": timer_s,
        "first_lap_index": 0,
        "num_laps": len(laps),
        "trigger": "activity_end",
    }
    if distance is not None:
        session["total_distance"] = distance
    # Ended while paused: the timer is already stopped.
    stop = [] if stopped else [_timer(end, "stop_all")]
    return [
        *stop,
        session,
        {
            "mesg_num": MESG["ACTIVITY"],
            "timestamp": fit_time(end),
            "local_timestamp": fit_time(end) + activity.utc_offset_s,
            "total_timer_time": timer_s,
            "num_sessions": 1,
            "type": "manual",
            "event": "activity",
            "event_type": "stop",
        },
    ]


def _events(
    pauses: tuple[tuple[int, int | None], ...], start: int, end: int
) -> list[tuple[int, str]]:
    """The timer's stops and starts inside the session, in order."""
    out: list[tuple[int, str]] = []
    for paused, resumed in pauses:
        if paused < start or paused > end:
            continue
        out.append((paused, "stop_all"))
        if resumed is not None and resumed <= end:
            out.append((resumed, "start"))
    return sorted(out, key=lambda event: event[0])


def _timer(ms: int, kind: str) -> dict[str, Any]:
    return {
        "mesg_num": MESG["EVENT"],
        "timestamp": fit_time(ms),
        "event": "timer",
        "event_type": kind,
        "data": 0,
        "event_group": 0,
    }


def _record(ms: int, distance: float | None) -> dict[str, Any]:
    record: dict[str, Any] = {"mesg_num": MESG["RECORD"], "timestamp": fit_time(ms)}
    if distance is not None:
        record["distance"] = distance
    return record


def _lap(index: int, lap: Lap) -> dict[str, Any]:
    mesg: dict[str, Any] = {
        "mesg_num": MESG["LAP"],
        "message_index": index,
        "timestamp": fit_time(lap.ended_ms),
        "start_time": fit_time(lap.started_ms),
        "event": "lap",
        "event_type": "stop",
        "sport": "running",
        "sub_sport": "track",
        "total_elapsed_time": (lap.ended_ms - lap.started_ms) / 1000,
        "total_timer_time": lap.timer_ms / 1000,
        "intensity": _INTENSITY[lap.kind],
        "lap_trigger": lap.trigger,
        "wkt_step_index": lap.step_index,
    }
    if lap.distance_m is not None:
        mesg["total_distance"] = lap.distance_m
    return mesg


def _software(version: str) -> float:
    """``0.1.0`` as FIT's software version (kept in hundredths, at most 655.35): 0.1."""
    parts = [int(part) for part in version.split(".")[:2] if part.isdigit()]
    major, minor = (parts + [0, 0])[:2]
    return min(float(f"{major}.{minor}"), 655.0)
