"""``trackside export``: one row per step, as CSV for a spreadsheet or JSON for a program.

Times are ISO 8601 in the runner's time zone with its UTC offset; durations are plain seconds
with two decimals (a spreadsheet sums them); yes/no for whether a recovery window was met.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from trackside.history.views import Detail, StepRow

COLUMNS = (
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
)
FORMATS = ("csv", "json")


def iso(wall: float) -> str:
    """A wall-clock time as ISO 8601 with the local UTC offset, to the millisecond."""
    return datetime.fromtimestamp(wall).astimezone().isoformat(timespec="milliseconds")


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def row_values(session_id: int, row: StepRow) -> dict[str, Any]:
    """One step as JSON-ready values, keyed by :data:`COLUMNS`."""
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
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 400, not 400.0
    return str(value)


def to_csv(details: Sequence[Detail]) -> str:
    """A header row, then one row per step of each session (CRLF line ends, as RFC 4180 says)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for detail in details:
        for row in detail.steps:
            values = row_values(detail.overview.id, row)
            writer.writerow([_cell(values[name]) for name in COLUMNS])
    return out.getvalue()


def to_json(details: Sequence[Detail]) -> str:
    """The sessions with their rating and note, and their steps, as indented JSON."""
    sessions = []
    for detail in details:
        line = detail.overview
        sessions.append(
            {
                "session": line.id,
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
                "steps": [row_values(line.id, row) for row in detail.steps],
            }
        )
    return json.dumps({"sessions": sessions}, ensure_ascii=False, indent=2) + "\n"


def render(details: Sequence[Detail], fmt: str) -> str:
    """The export text in ``fmt`` (``csv`` or ``json``)."""
    if fmt == "csv":
        return to_csv(details)
    if fmt == "json":
        return to_json(details)
    raise ValueError(f"unknown export format {fmt!r} (expected {' or '.join(FORMATS)})")
