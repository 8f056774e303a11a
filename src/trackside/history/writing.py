"""Writing a session: its row, its actions and its end, each under the session's lease.

Each function runs inside one transaction of :class:`~trackside.history.store.HistoryStore`
(given its connection). An action is written at its place in the session (``seq``); finding
that place taken by a different action (another window wrote to the session) is an
:class:`ActionConflict`, never a write silently dropped. Finding it taken by the same action
is a retry whose first commit was uncertain: nothing is written twice.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import replace

from trackside.core.events import Action
from trackside.history.lease import SessionHeld, claim, holder_of, release
from trackside.history.planjson import plan_to_json
from trackside.history.schema import plan_hash
from trackside.history.sqlfile import HistoryError
from trackside.history.stored import NewSession, Status

Firsts = Sequence[tuple[NewSession, Sequence[tuple[Action, float]]]]
"""Each athlete's session in a coach's group and the actions that open it."""


class ActionConflict(HistoryError):
    """The session holds other actions where this window's go: it was written elsewhere."""

    def __init__(self, session_id: int, seq: int) -> None:
        self.session_id = session_id
        self.seq = seq
        super().__init__(
            f"session {session_id} was written by another window (its action {seq + 1} is "
            "not this window's)"
        )


def append(
    conn: sqlite3.Connection,
    session_id: int | None,
    new: NewSession,
    first_seq: int,
    actions: Sequence[tuple[Action, float]],
    ending: tuple[Status, float | None],
) -> int:
    """Write ``actions`` from place ``first_seq`` and the session's status and end; create
    the session first if ``session_id`` is None. Returns the session's id. Raises
    :class:`SessionHeld` or :class:`ActionConflict`."""
    if session_id is None:
        session_id = _insert_session(conn, new, actions[0][1])
    claim(conn, session_id, time.time())
    stored = {
        int(seq): (kind, at, wall)
        for seq, kind, at, wall in conn.execute(
            "SELECT seq, kind, at, wall FROM actions WHERE session_id = ? AND seq >= ?",
            (session_id, first_seq),
        )
    }
    fresh = []
    for seq, (action, wall) in enumerate(actions, start=first_seq):
        mine = (action.kind.value, action.at, wall)
        known = stored.pop(seq, None)
        if known is None:
            fresh.append((session_id, seq, *mine))
        elif known != mine:
            raise ActionConflict(session_id, seq)
    if stored:  # actions after ours that this window never took
        raise ActionConflict(session_id, min(stored))
    conn.executemany(
        "INSERT INTO actions (session_id, seq, kind, at, wall) VALUES (?, ?, ?, ?, ?)", fresh
    )
    status, ended_at = ending
    conn.execute(
        "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
        (status.value, ended_at, session_id),
    )
    return session_id


def finish(
    conn: sqlite3.Connection,
    session_id: int,
    ending: tuple[Status, float | None],
    rating: int | None,
    note: str | None,
) -> None:
    """Store how the session ended, with the rating and note, under its lease."""
    claim(conn, session_id, time.time())
    status, ended_at = ending
    conn.execute(
        "UPDATE sessions SET status = ?, ended_at = ?, rating = ?, note = ? WHERE id = ?",
        (status.value, ended_at, rating, (note or "").strip() or None, session_id),
    )


def settle(
    conn: sqlite3.Connection, session_id: int, status: Status, ended_at: float | None
) -> None:
    """Save a session left unfinished as ended early (or completed, or discarded), unless a
    live window holds it; its lease goes. Raises :class:`SessionHeld`."""
    other = holder_of(conn, session_id, time.time())
    if other is not None:
        raise SessionHeld(session_id, other)
    conn.execute(
        "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
        (status.value, ended_at, session_id),
    )
    conn.execute("DELETE FROM leases WHERE session_id = ?", (session_id,))


def renew(conn: sqlite3.Connection, session_id: int) -> None:
    """Renew this process's lease on the session. Raises :class:`SessionHeld`."""
    claim(conn, session_id, time.time())


def let_go(conn: sqlite3.Connection, session_id: int) -> None:
    """Let go of this process's lease on the session."""
    release(conn, session_id)


def start_group(
    conn: sqlite3.Connection, title: str, countdown_s: int, wall: float, firsts: Firsts
) -> tuple[int, list[int]]:
    """The group's row, then each athlete's session linked to it and written as any session
    (:func:`append`, under this process's lease) with its first actions: the group's id and
    each athlete's session id."""
    cursor = conn.execute(
        "INSERT INTO groups (title, countdown_s, started_wall) VALUES (?, ?, ?)",
        (title, countdown_s, wall),
    )
    assert cursor.lastrowid is not None
    group_id = cursor.lastrowid
    ids = []
    for new, actions in firsts:
        assert new.athlete is not None
        linked = replace(new, athlete=replace(new.athlete, group_id=group_id))
        session_id = _insert_session(conn, linked, wall)
        ids.append(append(conn, session_id, linked, 0, actions, (Status.RUNNING, None)))
    return group_id, ids


def _insert_session(conn: sqlite3.Connection, new: NewSession, started_wall: float) -> int:
    athlete = new.athlete
    cursor = conn.execute(
        "INSERT INTO sessions (preset_id, preset_name, plan_id, countdown_s, exertion, "
        "started_wall, group_id, athlete, athlete_key, start_offset_s) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.preset_id,
            new.preset_name,
            _plan_row(conn, plan_to_json(new.plan)),
            new.countdown_s,
            new.exertion,
            started_wall,
            None if athlete is None else athlete.group_id,
            None if athlete is None else athlete.name,
            None if athlete is None else athlete.key,
            0 if athlete is None else athlete.start_offset_s,
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _plan_row(conn: sqlite3.Connection, plan_json: str) -> int:
    """The row of ``plan_json`` in ``plans``, added if it is not there yet."""
    key = plan_hash(plan_json)
    while True:
        row = conn.execute("SELECT id, plan_json FROM plans WHERE hash = ?", (key,)).fetchone()
        if row is None:
            cursor = conn.execute(
                "INSERT INTO plans (hash, plan_json) VALUES (?, ?)", (key, plan_json)
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid
        if row[1] == plan_json:
            return int(row[0])
        # A row whose text does not match its key was changed by hand: never share it.
        key += "+"
