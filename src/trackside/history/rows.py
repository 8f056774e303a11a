"""Rows of the history read back as hostile input: each value checked, and a session that
cannot be read is :class:`SessionDamaged` with one reason a runner can read.

A history file may have been edited by hand, written by a broken tool or damaged on disk in a
way SQLite's own checks accept: a start time that is text, a date in the year 30000, a status
no trackside wrote, an action whose time is not a number. Such a session is listed as damaged
and skipped; it never stops the others from being listed, shown or exported.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from typing import Any, cast

from trackside.core.events import Action, ActionKind
from trackside.core.plan import Plan
from trackside.history.sqlfile import HistoryError
from trackside.history.stored import Athlete, Status, StoredAction, StoredSession

LATEST_WALL = 253_402_300_799.0
"""9999-12-31 23:59:59 UTC: the last wall-clock time a date can be written for (a later one,
or one before 1970, is damage, not a session)."""
SOUND_SQL = (
    "typeof(sessions.started_wall) IN ('integer', 'real') "
    f"AND sessions.started_wall BETWEEN 0 AND {LATEST_WALL:.0f} "
    "AND sessions.status IN ('running', 'completed', 'ended-early')"
)
"""SQL true for a session row whose date and status can be read (not discarded): the rows a
personal best, a comparison or `latest` may come from."""
STATUSES = {status.value: status for status in Status}
_KINDS = {kind.value: kind for kind in ActionKind}


class SessionDamaged(HistoryError):
    """A session that cannot be read: its ``session_id`` and the ``reason``, in words."""

    def __init__(self, session_id: int, reason: str) -> None:
        self.session_id = session_id
        self.reason = reason
        super().__init__(f"session {session_id} is damaged ({reason})")


def is_wall(value: object) -> bool:
    """Whether ``value`` is a wall-clock time a date can be written for."""
    return (
        isinstance(value, float | int)
        and not isinstance(value, bool)
        and (0.0 <= value <= LATEST_WALL)
    )


def _date_problem(value: object) -> str:
    """What is wrong with a stored wall-clock time, in words."""
    if not _finite(value):
        return f"{_shown(value)} is not a time"
    if cast(float, value) < 0:
        return "is dated before 1970"
    year = int(1970.01 + cast(float, value) / 31_556_952)  # an average year, give or take a day
    return f"is dated in the year {year}"


class PlanUnreadable(HistoryError):
    """A stored plan that cannot be read; ``reason`` says why without naming the file."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shown(value: object) -> str:
    """A stored value as a reason quotes it: short, and never a raw control character."""
    from trackside.core.safe import visible

    text = repr(value)
    return visible(text if len(text) <= 40 else text[:39] + "…")


def row_problem(head: tuple[Any, ...]) -> str | None:
    """Why a session row's own values cannot be read, or None. ``head`` is (started_wall,
    status, exertion, rating, note, preset_id, preset_name)."""
    started, status, exertion, rating, note, preset_id, name = head
    if not is_wall(started):
        return f"its start {_date_problem(started)}"
    if status not in STATUSES:
        return f"its status {_shown(status)} is not one trackside writes"
    if rating is not None and not (_whole(rating) and 1 <= rating <= 10):
        return f"its rating {_shown(rating)} is not a whole number from 1 to 10"
    if exertion is not None and not (_whole(exertion) and 1 <= exertion <= 10):
        return f"its exertion {_shown(exertion)} is not a whole number from 1 to 10"
    if note is not None and not isinstance(note, str):
        return "its note is not text"
    if not isinstance(preset_id, str) or not isinstance(name, str):
        return "its preset is not named in text"
    return None


def session_of(row: tuple[Any, ...], plan_of: Callable[[int], Plan]) -> StoredSession:
    """A session row (the store's columns, in order) as a :class:`StoredSession`. Raises
    :class:`SessionDamaged`."""
    sid, preset_id, name, plan_id, countdown, exertion, started, status, ended = row[:9]
    rating, note = row[9:11]
    athlete = athlete_of(sid, *row[11:15])
    problem = row_problem((started, status, exertion, rating, note, preset_id, name))
    if problem is None and not (_whole(countdown) and 0 <= countdown <= 3600):
        problem = f"its countdown {_shown(countdown)} is not a number of seconds"
    if problem is None and ended is not None and not _finite(ended):
        problem = f"its end {_shown(ended)} is not a time"
    if problem is None and not _whole(plan_id):
        problem = "its plan is missing"
    if problem is not None:
        raise SessionDamaged(sid, problem)
    try:
        plan = plan_of(plan_id)
    except PlanUnreadable as error:
        raise SessionDamaged(sid, f"its plan cannot be read: {error.reason}") from error
    return StoredSession(
        id=int(sid), preset_id=preset_id, preset_name=name, plan=plan, countdown_s=countdown,
        exertion=exertion, started_wall=float(started), status=STATUSES[status],
        ended_at=None if ended is None else float(ended), rating=rating, note=note,
        plan_id=plan_id, athlete=athlete,
    )  # fmt: skip


def athlete_of(
    sid: int, group_id: object, name: object, key: object, offset: object
) -> Athlete | None:
    """The athlete and group a session row belongs to (None for a runner alone). Raises
    :class:`SessionDamaged`."""
    if group_id is None:
        return None
    if not _whole(group_id):
        raise SessionDamaged(sid, f"its group {_shown(group_id)} is not a number")
    if not (isinstance(name, str) and name.isprintable() and 0 < len(name) <= 40):
        raise SessionDamaged(sid, f"its athlete {_shown(name)} is not a name")
    if not (isinstance(key, str) and key.isprintable() and len(key) == 1):
        raise SessionDamaged(sid, f"its athlete's key {_shown(key)} is not a key")
    if not (_whole(offset) and 0 <= cast(int, offset) <= 3600):
        raise SessionDamaged(sid, f"its start offset {_shown(offset)} is not a number of seconds")
    return Athlete(cast(int, group_id), name, key, cast(int, offset))


def action_of(sid: int, seq: object, kind: object, at: object, wall: object) -> StoredAction:
    """An action row as a :class:`StoredAction`. Raises :class:`SessionDamaged`."""
    action_kind = _KINDS.get(kind) if isinstance(kind, str) else None
    if action_kind is None:
        raise SessionDamaged(sid, f"action {seq} is {_shown(kind)}, not an action")
    if not _finite(at):
        raise SessionDamaged(sid, f"action {seq}'s time {_shown(at)} is not a number")
    if not is_wall(wall):
        raise SessionDamaged(sid, f"action {seq}'s time of day {_date_problem(wall)}")
    if not _whole(seq):
        raise SessionDamaged(sid, f"an action's place {_shown(seq)} is not a number")
    return StoredAction(
        cast(int, seq), Action(action_kind, float(cast(float, at))), float(cast(float, wall))
    )


def _finite(value: object) -> bool:
    return isinstance(value, float | int) and not isinstance(value, bool) and math.isfinite(value)


def reason_of(error: Exception) -> str:
    """The one reason a session could not be read or replayed, in words."""
    if isinstance(error, SessionDamaged):
        return error.reason
    if isinstance(error, HistoryError):
        return str(error)
    return f"it cannot be replayed from its actions ({error})"


def leniently(
    conn: sqlite3.Connection, sql: str, params: tuple[object, ...]
) -> list[tuple[Any, ...]]:
    """The query again, text that is not UTF-8 (a hand-edited row) read with replacement
    characters: one bad note must not hide the whole history."""
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.Error as error:
        raise HistoryError(f"history file: {error}") from error
    finally:
        conn.text_factory = str
