"""``trackside export``: one row per step, as CSV for a spreadsheet or JSON for a program.

Times are ISO 8601 in the runner's time zone with its UTC offset; durations are plain seconds
with two decimals (a spreadsheet sums them); yes/no for whether a recovery window was met. The
session's statistics (:mod:`trackside.core.stats`) are a ``"stats"`` object in JSON and the
last columns of every row in CSV. Sessions are written as they are read, so exporting ten
thousand of them never holds them all in memory.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, TextIO

from trackside.history.views import Detail, Overview, StepRow

STEP_COLUMNS = (
    "session",
    "step",
    "kind",
    "rep",
    "final",
    "distance_m",
    "distance",
    "effort",
    "started",
    "ended",
    "duration_s",
    "paused_s",
    "window_min_s",
    "window_max_s",
    "window_met",
    "ended_by",
    "all_out",
)
STATS = ("sdec_pct", "cv_pct", "window_adherence_pct", "final_vs_rest_pct")
"""The session's statistics: in JSON its ``"stats"``, in CSV the columns after each step's."""
COLUMNS = (*STEP_COLUMNS, *STATS)
FORMATS = ("csv", "json")
ATHLETE = "athlete"
"""The field a group's export adds: who ran the session."""


@lru_cache(maxsize=64)
def _zone(offset_s: int) -> timezone:
    return timezone(timedelta(seconds=offset_s))


@lru_cache(maxsize=4)
def iso(wall: float) -> str:
    """A wall-clock time as ISO 8601 with the local UTC offset (of that moment), to the ms.
    (The last few remembered: a step starts when the one before it ended.)"""
    offset = getattr(time.localtime(wall), "tm_gmtoff", None)
    if offset is None:  # a C library without it
        moment = datetime.fromtimestamp(wall).astimezone()
    else:  # the same, without looking the zone up again for each of 400,000 steps
        moment = datetime.fromtimestamp(wall, _zone(offset))
    return moment.isoformat(timespec="milliseconds")


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def row_values(session_id: int, row: StepRow) -> dict[str, Any]:
    """One step as JSON-ready values, keyed by :data:`STEP_COLUMNS`."""
    return {
        "session": session_id,
        "step": row.step,
        "kind": row.kind,
        "rep": row.rep,
        "final": row.final,
        "distance_m": row.distance_m,
        "distance": row.distance,
        "effort": row.effort,
        "started": iso(row.started_wall),
        "ended": iso(row.ended_wall),
        "duration_s": _seconds(row.duration_s),
        "paused_s": _seconds(row.paused_s),
        "window_min_s": _seconds(row.window_min_s),
        "window_max_s": _seconds(row.window_max_s),
        "window_met": row.window_met,
        "ended_by": row.ended_by,
        "all_out": row.all_out,
    }


def stats_values(line: Overview) -> dict[str, float | None]:
    """The session's statistics, keyed by :data:`STATS` (None where it has none)."""
    workout = line.workout
    return {
        "sdec_pct": _seconds(workout.sdec_pct),
        "cv_pct": _seconds(workout.cv_pct),
        "window_adherence_pct": _seconds(workout.window_adherence_pct),
        "final_vs_rest_pct": _seconds(workout.final_vs_rest_pct),
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 400, not 400.0
    return str(value)


def _number(value: float | None) -> str:
    """A number as ``_cell`` writes it, rounded to the hundredth: ``400``, ``71.25``, empty."""
    if value is None:
        return ""
    value = round(value, 2)
    return str(int(value)) if value.is_integer() else str(value)


_YES_NO = {None: "", True: "yes", False: "no"}

_FORMULA_START = frozenset("=+-@\t\r")
"""What a spreadsheet may read as the start of a formula (OWASP's list for CSV injection)."""


def text_cell(text: str) -> str:
    """``text`` (a distance label, an effort, from a preset or a damaged history row) made
    safe to open in a spreadsheet: a leading ``'`` when it could start a formula.

    Only text cells go through here: a number trackside writes (a negative one too) stays a
    number the spreadsheet can sum.
    """
    return f"'{text}" if text and text[0] in _FORMULA_START else text


def csv_cells(session_id: int, row: StepRow) -> list[str]:
    """One step's cells of :data:`STEP_COLUMNS`, as :func:`row_values` then ``_cell`` would
    write them, without the dictionary: an export of every session writes 400,000 of them."""
    distance = row.distance_m
    return [
        str(session_id),
        str(row.step),
        text_cell(row.kind),
        "" if row.rep is None else str(row.rep),
        _YES_NO[row.final],
        "" if distance is None else _cell(distance),
        text_cell(row.distance or ""),
        text_cell(row.effort or ""),
        iso(row.started_wall),
        iso(row.ended_wall),
        _number(row.duration_s),
        _number(row.paused_s),
        _number(row.window_min_s),
        _number(row.window_max_s),
        _YES_NO[row.window_met],
        text_cell(row.ended_by),
        _YES_NO[row.all_out],
    ]


def write_csv(
    details: Iterable[Detail], out: TextIO, athletes: Mapping[int, str] | None = None
) -> None:
    """A header row, then one row per step of each session (CRLF line ends, as RFC 4180 says);
    with ``athletes`` (a group's: session id to name), an ``athlete`` column after ``session``."""
    iso.cache_clear()
    writer = csv.writer(out, lineterminator="\r\n")
    if athletes is None:
        writer.writerow(COLUMNS)
    else:
        writer.writerow([COLUMNS[0], ATHLETE, *COLUMNS[1:]])
    for detail in details:
        stats = [_cell(value) for value in stats_values(detail.overview).values()]
        session_id = detail.overview.id
        if athletes is None:
            writer.writerows([*csv_cells(session_id, row), *stats] for row in detail.steps)
            continue
        who = athletes.get(session_id, "")
        for row in detail.steps:
            first, *rest = csv_cells(session_id, row)
            writer.writerow([first, who, *rest, *stats])


def session_values(detail: Detail, athlete: str | None = None) -> dict[str, Any]:
    """One session with its rating, note, statistics and steps, as JSON-ready values (and
    the athlete who ran it, for a group's)."""
    line = detail.overview
    who = {} if athlete is None else {ATHLETE: athlete}
    return {
        "session": line.id,
        **who,
        "preset": line.preset_id,
        "preset_name": line.preset_name,
        "started": iso(line.started_wall),
        "status": line.status.value,
        "reps_done": line.reps_done,
        "reps_planned": line.reps_planned,
        "average_s": _seconds(line.average_s),
        "exertion": line.exertion,
        "rating": line.rating,
        "note": line.note,
        "stats": stats_values(line),
        "steps": [row_values(line.id, row) for row in detail.steps],
    }


def write_json(
    details: Iterable[Detail], out: TextIO, athletes: Mapping[int, str] | None = None
) -> None:
    """``{"sessions": [...]}``, indented, written a session at a time (the same text as
    ``json.dumps(..., indent=2)`` of the whole); each with its athlete, for a group's."""
    out.write('{\n  "sessions": [')
    first = True
    for detail in details:
        who = None if athletes is None else athletes.get(detail.overview.id, "")
        text = json.dumps(session_values(detail, who), ensure_ascii=False, indent=2)
        # Indented at line feeds only: textwrap.indent (str.splitlines) also breaks lines at
        # NEL, U+2028 and the like, which a name or a note may hold, and put spaces in them.
        out.write(("\n" if first else ",\n") + "    " + text.replace("\n", "\n    "))
        first = False
    out.write("]\n}\n" if first else "\n  ]\n}\n")


def write(
    details: Iterable[Detail], fmt: str, out: TextIO, athletes: Mapping[int, str] | None = None
) -> None:
    """Write the export in ``fmt`` (``csv`` or ``json``) to ``out``; ``athletes`` names who
    ran each session of a coach's group."""
    if fmt == "csv":
        write_csv(details, out, athletes)
    elif fmt == "json":
        write_json(details, out, athletes)
    else:
        raise ValueError(f"unknown export format {fmt!r} (expected {' or '.join(FORMATS)})")


def render(details: Iterable[Detail], fmt: str) -> str:
    """The export text in ``fmt`` (``csv`` or ``json``)."""
    out = io.StringIO()
    write(details, fmt, out)
    return out.getvalue()


def to_csv(details: Iterable[Detail]) -> str:
    """The sessions as CSV text."""
    return render(details, "csv")


def to_json(details: Iterable[Detail]) -> str:
    """The sessions as JSON text."""
    return render(details, "json")
