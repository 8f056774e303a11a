"""What the history shows: one line per session, one session step by step, and comparisons.

Everything is read from the derived rows (:mod:`trackside.history.derived`): the splits and
figures the engine's fold and :mod:`trackside.core.results` gave when the session was replayed
once, so the history of a session reads exactly like the summary the runner saw on the day,
and a list of ten thousand sessions replays none of them.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from trackside.core.plan import Plan
from trackside.core.results import rows
from trackside.core.safe import visible
from trackside.core.session import StepRecord
from trackside.history.derived import Derived, select, with_records
from trackside.history.progress import bests_so_far
from trackside.history.rows import LATEST_WALL, SOUND_SQL, STATUSES, is_wall, row_problem
from trackside.history.shown import Comparison, Detail, Overview, StepRow
from trackside.history.store import (
    HistoryError,
    HistoryStore,
    SessionDamaged,
    Status,
    StoredAction,
    StoredSession,
)

__all__ = [
    "Comparison",
    "Detail",
    "Overview",
    "StepRow",
    "compare",
    "count_sessions",
    "detail",
    "exported",
    "latest_id",
    "list_sessions",
    "local_time",
    "page",
    "step_rows",
    "wall_mapper",
]


# -- the list ---------------------------------------------------------------------------------

_HEAD = (
    "sessions.id, sessions.started_wall, sessions.preset_id, sessions.preset_name, "
    "sessions.status, sessions.exertion, sessions.rating, sessions.note"
)
OLDEST_FIRST = "sessions.started_wall, sessions.id"
NEWEST_FIRST = "sessions.started_wall DESC, sessions.id DESC"


_UNREPLAYABLE = "it cannot be replayed from its actions"


def _overview(head: Sequence[Any], derived: Derived | None, damage: str | None) -> Overview:
    sid, started, preset_id, name, status, exertion, rating, note = head
    known = STATUSES.get(status)
    # The common case checked inline: ten thousand lines make a list.
    if (
        known is None
        or type(started) is not float
        or not 0.0 <= started <= LATEST_WALL
        or not (rating is None or type(rating) is int)
        or not (exertion is None or type(exertion) is int)
        or not (note is None or type(note) is str)
        or type(name) is not str
        or type(preset_id) is not str
        or derived is None
    ):
        return _damaged(head, derived, damage)
    return Overview(sid, started, preset_id, name, known, exertion, rating, note, derived)


def _damaged(head: Sequence[Any], derived: Derived | None, damage: str | None) -> Overview:
    """A line for a session whose row or record cannot be read: its id and the reason, the
    rest as far as it can be shown."""
    sid, started, preset_id, name, status, exertion, rating, note = head
    problem = row_problem((started, status, exertion, rating, note, preset_id, name))
    if problem is None and derived is None:
        problem = damage or _UNREPLAYABLE
    if problem is None:  # a date or a rating stored as a whole number: all is well
        known, when = STATUSES[status], float(started)
        return Overview(sid, when, preset_id, name, known, exertion, rating, note, derived)
    return Overview(
        sid, float(started) if is_wall(started) else 0.0, visible(str(preset_id)),
        visible(str(name)), STATUSES.get(status, Status.RUNNING), None, None, None, None, problem,
    )  # fmt: skip


def overviews(
    store: HistoryStore, where: str = "1", params: Sequence[object] = (), tail: str = ""
) -> list[Overview]:
    """Sessions as lines, from their derived rows (derived again where needed). A session
    that cannot be read is a line with its ``problem`` set (and no figures).

    ``where`` and ``params`` choose the sessions, ``tail`` orders and limits them (SQL on the
    ``sessions`` table). Raises :class:`HistoryError`.
    """
    damaged: dict[int, str] = {}
    found = select(store, _HEAD, where, params, tail, damaged)
    make = _overview
    return [make(head, d, damaged.get(head[0])) for head, d in found]


def _visible(include_discarded: bool) -> str:
    return "1" if include_discarded else "sessions.status != 'discarded'"


def list_sessions(
    store: HistoryStore, *, include_discarded: bool = False, alone: bool = False
) -> list[Overview]:
    """Every stored session (with ``alone``, only a runner alone's: a group's are listed as
    their group), oldest first. Raises :class:`HistoryError`."""
    where = _visible(include_discarded) + (" AND sessions.group_id IS NULL" if alone else "")
    return overviews(store, where, (), f"ORDER BY {OLDEST_FIRST}")


def count_sessions(store: HistoryStore, *, include_discarded: bool = False) -> int:
    """How many sessions :func:`list_sessions` would list."""
    where = _visible(include_discarded)
    return int(store.fetch(f"SELECT count(*) FROM sessions WHERE {where}")[0][0])


def page(store: HistoryStore, offset: int, limit: int) -> list[Overview]:
    """Sessions ``offset`` to ``offset + limit`` of the list, newest first (the History screen
    loads what is on screen, a page at a time). Raises :class:`HistoryError`."""
    tail = f"ORDER BY {NEWEST_FIRST} LIMIT ? OFFSET ?"
    return overviews(store, _visible(False), (limit, offset), tail)


def latest_id(store: HistoryStore) -> int | None:
    """The id of the newest session (not discarded) with a date and status that can be read
    (one dated in the year 30000 is not the latest), or None if there is none."""
    rows = store.fetch(f"SELECT id FROM sessions WHERE {SOUND_SQL} ORDER BY {NEWEST_FIRST} LIMIT 1")
    return int(rows[0][0]) if rows else None


# -- one session ------------------------------------------------------------------------------


def _line(store: HistoryStore, session_id: int, lines: dict[int, Overview]) -> Overview:
    """The session's line, if it can be read. Raises HistoryError (SessionDamaged)."""
    line = lines.get(session_id)
    if line is None:
        raise HistoryError(f"no session {session_id} in {store.path}")
    if line.problem is not None:
        raise SessionDamaged(session_id, line.problem)
    return line


def _steps(
    stored: StoredSession, derived: Derived, actions: Sequence[StoredAction]
) -> list[StepRow]:
    try:
        return step_rows(stored.plan, derived.records, actions)
    except (IndexError, ValueError) as error:  # records that do not fit the plan: forged
        raise SessionDamaged(stored.id, f"its figures do not fit its plan ({error})") from error


def detail(store: HistoryStore, session_id: int) -> Detail:
    """One session step by step, compared with the earlier sessions of its preset. Raises
    HistoryError: :class:`SessionDamaged` for a session that cannot be read."""
    found = overviews(store, "sessions.id = ?", (session_id,))
    line = _line(store, session_id, {o.id: o for o in found})
    damaged: dict[int, str] = {}
    derived = with_records(store, [session_id], damaged).get(session_id)
    if derived is None:
        raise SessionDamaged(session_id, damaged.get(session_id, _UNREPLAYABLE))
    stored = store.session(session_id)
    steps = _steps(stored, derived, store.actions(session_id))
    bests = bests_so_far(store, derived.bests, line.id, line.started_wall)
    return Detail(line, tuple(steps), compare(store, line), bests)


def exported(
    store: HistoryStore,
    session_ids: Sequence[int],
    on_damaged: Callable[[SessionDamaged], None] | None = None,
) -> Iterator[Detail]:
    """Sessions step by step, without comparisons (``export``): a few hundred at a time, from
    their derived rows and actions, never a replay unless a row must be derived again.

    A session that cannot be read goes to ``on_damaged`` and is skipped; without it, it
    raises :class:`SessionDamaged` (exporting that one session was asked for).
    """
    for start in range(0, len(session_ids), 200):
        chunk = list(session_ids[start : start + 200])
        marks = ", ".join("?" for _ in chunk)
        lines = {o.id: o for o in overviews(store, f"sessions.id IN ({marks})", chunk)}
        damaged: dict[int, str] = {}
        pairs = {s.id: (s, a) for s, a in store.sessions_with_actions(chunk, damaged)}
        derived = with_records(store, chunk, damaged)
        for sid in chunk:
            try:
                line = _line(store, sid, lines)
                known, pair = derived.get(sid), pairs.get(sid)
                if known is None or pair is None:
                    raise SessionDamaged(sid, damaged.get(sid, _UNREPLAYABLE))
                yield Detail(line, tuple(_steps(pair[0], known, pair[1])), None)
            except SessionDamaged as error:
                if on_damaged is None:
                    raise
                on_damaged(error)


def step_rows(
    plan: Plan, records: Sequence[StepRecord], actions: Sequence[StoredAction]
) -> list[StepRow]:
    """Every step the session ran, with wall-clock times mapped from its clock."""
    to_wall = wall_mapper(actions)
    out = []
    for record, row in zip(records, rows(plan, records), strict=True):
        step = plan.steps[record.index]
        windowed = not step.is_rep and step.has_window
        out.append(
            StepRow(
                step=record.index + 1,
                kind="rep" if step.is_rep else step.kind.value,
                rep=step.rep,
                final=row.final,
                distance_m=step.distance_m,
                distance=step.distance_text,
                effort=step.effort,
                started_wall=to_wall(record.started),
                ended_wall=to_wall(record.ended),
                duration_s=record.duration,
                paused_s=record.paused_s,
                window_min_s=step.min_s if windowed else None,
                window_max_s=step.max_s if windowed else None,
                window_met=(row.flag is None) if windowed else None,
                ended_by=record.reason.value,
                flag=row.flag,
                all_out=step.all_out,
            )
        )
    return out


# -- across sessions --------------------------------------------------------------------------

TREND = 30
"""Sessions in a trend: the last month or two of a preset run a few times a week."""
_PAGE = 40


def compare(store: HistoryStore, today: Overview, limit: int = 12) -> Comparison | None:
    """Today against the last ``limit`` earlier sessions of the same preset with a rep done,
    and the trend of the last :data:`TREND` sessions of it, today included."""
    if today.stats is None:
        return None
    wanted = max(limit, TREND - 1)
    where = (
        f"sessions.preset_id = ? AND {SOUND_SQL} AND sessions.id != ? "
        "AND sessions.started_wall <= ?"
    )
    params = (today.preset_id, today.id, today.started_wall)
    earlier: list[Overview] = []
    offset = 0
    while len(earlier) < wanted:  # newest first, a page at a time: sessions without a rep skip
        tail = f"ORDER BY {NEWEST_FIRST} LIMIT {_PAGE} OFFSET {offset}"
        found = overviews(store, where, params, tail)
        earlier += [o for o in found if o.average_s is not None]
        if len(found) < _PAGE:
            break
        offset += _PAGE
    if not earlier:
        return None
    previous = tuple(reversed(earlier[:limit]))
    trend = (*reversed(earlier[: TREND - 1]), today)
    return Comparison(today.stats, previous, trend, today.workout)


def wall_mapper(actions: Sequence[StoredAction]) -> Callable[[float], float]:
    """Session-clock time to wall-clock time, through the latest action at or before it.

    Each process (and each stretch between a laptop's sleeps) has its own offset between the
    two clocks; the nearest earlier action carries the right one.
    """
    if not actions:
        return lambda at: at
    ats = [a.action.at for a in actions]
    offsets = [a.wall - a.action.at for a in actions]

    def to_wall(at: float) -> float:
        index = max(0, bisect.bisect_right(ats, at) - 1)
        return at + offsets[index]

    return to_wall


def local_time(wall: float, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A wall-clock time in the runner's time zone."""
    return time.strftime(fmt, time.localtime(wall))
