"""The history store: sessions and their actions in SQLite (WAL, ``synchronous=FULL``).

Nothing is opened at import or construction: :meth:`HistoryStore.open` (or the first read or
write) opens the file through :func:`~trackside.history.sqlfile.open_history`, which checks and
migrates it and moves a damaged file aside, never deleting or writing over it. Every problem
(locked, read-only, a newer schema, a full disk) is a :class:`HistoryError` whose text is one
line a runner can read.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from trackside.core.events import Action
from trackside.core.plan import Plan
from trackside.history import writing
from trackside.history.lease import Holder, SessionHeld, holder_of
from trackside.history.planjson import PlanFormatError, plan_from_json
from trackside.history.rows import (
    PlanUnreadable,
    SessionDamaged,
    action_of,
    leniently,
    session_of,
)
from trackside.history.schema import rollback
from trackside.history.sqlfile import HistoryError as HistoryError  # part of this API
from trackside.history.sqlfile import (
    describe,
    is_damage,
    open_for_reading,
    open_history,
    read_anyway,
)
from trackside.history.stored import NewSession, Status, StoredAction, StoredSession
from trackside.history.writing import ActionConflict

T = TypeVar("T")

__all__ = [
    "ActionConflict", "HistoryError", "SessionDamaged", "SessionHeld", "HistoryStore",
    "NewSession", "Status", "StoredAction", "StoredSession",
]  # fmt: skip


_SESSION_COLUMNS = (
    "id, preset_id, preset_name, plan_id, countdown_s, exertion, started_wall, status, "
    "ended_at, rating, note, group_id, athlete, athlete_key, start_offset_s"
)


class HistoryStore:
    """The history file at ``path``: thread-safe, opened on first use, raises only HistoryError.

    With ``check_first`` False (the commands that mostly read: ``history``, ``export``) the
    file is opened for reading without the whole-file integrity check; it is checked, and
    opened for writing, before the first write, or as soon as a read finds it damaged.
    """

    def __init__(
        self, path: Path, *, busy_timeout_s: float = 0.25, check_first: bool = True
    ) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self.check_first = check_first
        self.notice: str | None = None
        """Set when opening had to move a damaged file aside: tell the runner once."""
        self.read_only = False
        """True when the file could only be opened for reading (a read-only disk)."""
        self._conn: sqlite3.Connection | None = None
        self._checked = False
        """Whether the connection is the checked one (else a read-only one, unchecked)."""
        self._lock = threading.RLock()
        self._plans: dict[int, Plan] = {}
        """Plans read so far, by row: thousands of sessions share a handful of plans."""

    # -- opening ----------------------------------------------------------------------------

    def open(self) -> None:
        """Open, check and migrate the file (once). Raises :class:`HistoryError`."""
        with self._lock:
            if self._conn is not None:
                return
            if not self.check_first:
                self._conn = open_for_reading(self.path, self.busy_timeout_s)
                if self._conn is not None:
                    return
            try:
                self._open_checked()
            except HistoryError:
                if self.check_first:
                    raise
                # Only reading: a full or read-only disk still shows the history.
                found = read_anyway(self.path, self.busy_timeout_s)
                if found is None:
                    raise
                self._conn, self.read_only = found.conn, True
                self.notice = found.notice or self.notice

    def _open_checked(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._plans.clear()
        opened = open_history(self.path, self.busy_timeout_s)
        self._conn, self.read_only, self._checked = opened.conn, opened.read_only, True
        if opened.notice is not None:
            self.notice = opened.notice

    def close(self) -> None:
        """Close the connection (the next use opens it again)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
                self._checked = False
                self._plans.clear()

    def __enter__(self) -> HistoryStore:
        self.open()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _connection(self) -> sqlite3.Connection:
        self.open()
        assert self._conn is not None
        return self._conn

    def _writable(self) -> sqlite3.Connection:
        """The checked connection, opened now if the store was only reading."""
        self.open()
        if not self._checked:
            self._open_checked()
        assert self._conn is not None
        return self._conn

    def _error(self, error: sqlite3.Error) -> HistoryError:
        return HistoryError(describe(error, self.path))

    # -- writing ----------------------------------------------------------------------------

    def _transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one durable transaction; raise HistoryError (rolled back) if not."""
        with self._lock:
            conn = self._writable()
            try:
                conn.execute("BEGIN IMMEDIATE")
                done = work(conn)
                conn.execute("COMMIT")
            except sqlite3.Error as error:
                rollback(conn)
                raise self._error(error) from error
            except BaseException:  # SessionHeld, ActionConflict: nothing of it is written
                rollback(conn)
                raise
            return done

    def append(
        self,
        session_id: int | None,
        new: NewSession,
        first_seq: int,
        actions: Sequence[tuple[Action, float]],
        status: Status,
        ended_at: float | None,
    ) -> int:
        """Write actions (seq from ``first_seq``) and the status in one durable transaction,
        under this process's lease on the session (taken now if free or a dead process's).

        With ``session_id`` None the session row is created first, dated by the first action's
        wall time. Returns the session id. Writing an action already stored is a no-op, so a
        retry after an uncertain failure cannot duplicate or fail; a different action stored
        there is :class:`ActionConflict`, a live lease of another window :class:`SessionHeld`.
        """
        if session_id is None and not actions:
            raise ValueError("a session is stored with its first action")
        ending = (status, ended_at)
        return self._transaction(
            lambda conn: writing.append(conn, session_id, new, first_seq, actions, ending)
        )

    def finish(
        self,
        session_id: int,
        ending: tuple[Status, float | None],
        rating: int | None,
        note: str | None,
    ) -> None:
        """Store how the session ended with its rating and note, under its lease."""
        if rating is not None and not 1 <= rating <= 10:
            raise ValueError("a rating is a whole number from 1 to 10")
        self._transaction(lambda conn: writing.finish(conn, session_id, ending, rating, note))

    def start_group(
        self, title: str, countdown_s: int, wall: float, firsts: writing.Firsts
    ) -> tuple[int, list[int]]:
        """A coach's group and each athlete's session, leased as any, in one transaction."""
        return self._transaction(
            lambda conn: writing.start_group(conn, title, countdown_s, wall, firsts)
        )

    def settle(self, session_id: int, status: Status, ended_at: float | None = None) -> None:
        """Save a session as ``status`` for a window that does not run it, unless a live window
        holds it (:class:`SessionHeld`)."""
        self._transaction(lambda conn: writing.settle(conn, session_id, status, ended_at))

    def renew(self, session_id: int) -> None:
        """Renew this process's lease on a session it runs (:class:`SessionHeld` if lost)."""
        self._transaction(lambda conn: writing.renew(conn, session_id))

    def release(self, session_id: int) -> None:
        """Let go of this process's lease on a session."""
        self._transaction(lambda conn: writing.let_go(conn, session_id))

    def holder(self, session_id: int) -> Holder | None:
        """The live process (not this one) that holds the session, or None."""
        with self._lock:
            try:
                return holder_of(self._connection(), session_id, time.time())
            except sqlite3.Error as error:
                raise self._error(error) from error

    def set_status(self, session_id: int, status: Status, ended_at: float | None = None) -> None:
        """Mark a session completed, ended early, discarded or running again."""
        self._update(session_id, "status = ?, ended_at = ?", (status.value, ended_at))

    def set_rating(self, session_id: int, rating: int | None, note: str | None) -> None:
        """Store how hard it felt (1-10) and the runner's note (empty notes are stored as None)."""
        if rating is not None and not 1 <= rating <= 10:
            raise ValueError("a rating is a whole number from 1 to 10")
        self._update(session_id, "rating = ?, note = ?", (rating, (note or "").strip() or None))

    def _update(self, session_id: int, assignments: str, values: tuple[object, ...]) -> None:
        with self._lock:
            conn = self._writable()
            try:
                cursor = conn.execute(
                    f"UPDATE sessions SET {assignments} WHERE id = ?", (*values, session_id)
                )
            except sqlite3.Error as error:
                raise self._error(error) from error
            if cursor.rowcount == 0:
                raise HistoryError(f"no session {session_id} in {self.path}")

    # -- reading ----------------------------------------------------------------------------

    def pragma(self, name: str) -> object:
        """The value of ``PRAGMA name`` on the store's connection (``journal_mode``,
        ``synchronous``, ``user_version``): what ``trackside`` guarantees, checkable."""
        if not name.isidentifier():
            raise ValueError(f"not a pragma name: {name!r}")
        rows = self._query(f"PRAGMA {name}", ())
        return rows[0][0] if rows else None

    def sessions(
        self,
        *,
        include_discarded: bool = False,
        preset_id: str | None = None,
        damaged: dict[int, str] | None = None,
        group_id: int | None = None,
    ) -> list[StoredSession]:
        """Stored sessions (of one group, if ``group_id``), oldest first, discarded ones if asked.
        One that cannot be read is left out (its id and reason go in ``damaged``, if given)."""
        where, params = ["1"], list[object]()
        if not include_discarded:
            where.append("status != 'discarded'")
        for column, value in (("preset_id", preset_id), ("group_id", group_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        rows = self._query(
            f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE {' AND '.join(where)} "
            "ORDER BY started_wall, id",
            tuple(params),
        )
        out = []
        for row in rows:
            try:
                out.append(self._session_of(row))
            except SessionDamaged as error:
                if damaged is not None:
                    damaged[error.session_id] = error.reason
        return out

    def session(self, session_id: int) -> StoredSession:
        """One session; raises :class:`HistoryError` if there is no such session."""
        rows = self._query(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise HistoryError(f"no session {session_id} in {self.path}")
        return self._session_of(rows[0])

    def actions(self, session_id: int) -> tuple[StoredAction, ...]:
        """A session's recorded actions, in order."""
        rows = self._query(
            "SELECT seq, kind, at, wall FROM actions WHERE session_id = ? ORDER BY seq",
            (session_id,),
        )
        return tuple(action_of(session_id, seq, kind, at, wall) for seq, kind, at, wall in rows)

    def fetch(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """The rows of one query (for the history's other modules). Raises HistoryError."""
        return self._query(sql, tuple(params))

    def write(self, *statements: tuple[str, Sequence[Sequence[object]]]) -> None:
        """Run each ``(sql, rows)`` once for each of its rows, all in one transaction. Raises
        HistoryError."""

        def run(conn: sqlite3.Connection) -> None:
            for sql, rows in statements:
                conn.executemany(sql, rows)

        self._transaction(run)

    def sessions_with_actions(
        self, session_ids: Sequence[int], damaged: dict[int, str] | None = None
    ) -> list[tuple[StoredSession, tuple[StoredAction, ...]]]:
        """These sessions, each with its actions, read a few hundred at a time rather than one
        query each. A session that does not exist, or whose row, plan or actions cannot be read
        (a hand-edited file), is left out: its id and the reason go in ``damaged``, if given.
        Raises HistoryError if the file cannot be read."""
        out = []
        for start in range(0, len(session_ids), _CHUNK):
            chunk = tuple(session_ids[start : start + _CHUNK])
            marks = ", ".join("?" for _ in chunk)
            rows = self._query(
                f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id IN ({marks}) ORDER BY id", chunk
            )
            actions: dict[int, list[tuple[Any, ...]]] = {}
            for row in self._query(
                "SELECT session_id, seq, kind, at, wall FROM actions "
                f"WHERE session_id IN ({marks}) ORDER BY session_id, seq",
                chunk,
            ):
                actions.setdefault(row[0], []).append(row)
            for row in rows:
                try:
                    stored = self._session_of(row)
                    found = tuple(
                        action_of(sid, seq, kind, at, wall)
                        for sid, seq, kind, at, wall in actions.get(stored.id, ())
                    )
                except SessionDamaged as error:
                    if damaged is not None:
                        damaged[error.session_id] = error.reason
                    continue
                out.append((stored, found))
        return out

    def _query(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            conn = self._connection()
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.Error as error:
                if str(error).startswith("Could not decode to UTF-8"):
                    return leniently(conn, sql, params)
                if self._checked or not is_damage(error):
                    raise self._error(error) from error
            # Read unchecked and found damaged: the full way in checks it and moves it aside.
            self._open_checked()
            return self._query(sql, params)

    def plan(self, plan_id: int) -> Plan:
        """A stored plan by its row (read once, then remembered). Raises HistoryError."""
        with self._lock:
            known = self._plans.get(plan_id)
            if known is not None:
                return known
            rows = self._query("SELECT plan_json FROM plans WHERE id = ?", (plan_id,))
            if not rows:
                raise PlanUnreadable(f"plan {plan_id} is missing from {self.path}", "it is missing")
            try:
                plan = plan_from_json(str(rows[0][0]))
            except PlanFormatError as error:
                message = f"plan {plan_id} in {self.path}: {error}"
                raise PlanUnreadable(message, str(error)) from error
            self._plans[plan_id] = plan
            return plan

    def _session_of(self, row: tuple[Any, ...]) -> StoredSession:
        """A session row read back, every value checked. Raises :class:`SessionDamaged`."""
        return session_of(row, self.plan)


_CHUNK = 500
"""Sessions read in one query: under SQLite's limit on parameters."""
