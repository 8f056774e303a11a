"""The history file: SQLite with ``PRAGMA user_version`` migrations, WAL and ``synchronous=FULL``.

Nothing is opened at import or construction: :meth:`HistoryStore.open` (or the first read or
write) opens the file, checks it, and migrates it. A file that is not a database or is damaged is
moved aside (``history.db.corrupt-<timestamp>``, with its ``-wal``/``-shm`` files) and a new one
is started; it is never deleted or written over. Every other problem (locked, read-only, a newer
schema, a full disk) is a :class:`HistoryError` whose text is one line a runner can read.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any

from trackside.core.events import Action, ActionKind
from trackside.core.plan import Plan
from trackside.history.planjson import PlanFormatError, plan_from_json, plan_to_json

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            preset_id TEXT NOT NULL,
            preset_name TEXT NOT NULL,
            plan_json TEXT NOT NULL,
            countdown_s INTEGER NOT NULL,
            exertion INTEGER,
            started_wall REAL NOT NULL,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'completed', 'ended-early', 'discarded')),
            ended_at REAL,
            rating INTEGER CHECK (rating BETWEEN 1 AND 10),
            note TEXT
        )""",
        """CREATE TABLE actions (
            session_id INTEGER NOT NULL REFERENCES sessions (id),
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at REAL NOT NULL,
            wall REAL NOT NULL,
            PRIMARY KEY (session_id, seq)
        ) WITHOUT ROWID""",
        "CREATE INDEX sessions_by_preset ON sessions (preset_id, started_wall)",
    ),
)
"""Schema migrations in order: the database's ``user_version`` is how many have been applied."""

SCHEMA_VERSION = len(MIGRATIONS)

# Primary SQLite result codes (the low byte of the extended code).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_SIDECARS = ("-wal", "-shm", "-journal")
_HEADER = b"SQLite format 3\x00"


class HistoryError(Exception):
    """The history cannot be read or written. ``str()`` is one line a runner can read."""


class _Damaged(Exception):
    """The file is not a database, or a damaged one: it goes aside."""


class Status(StrEnum):
    """Where a stored session stands."""

    RUNNING = "running"
    """Still running, or left unfinished by a crash: resume offers it."""
    COMPLETED = "completed"
    ENDED_EARLY = "ended-early"
    DISCARDED = "discarded"
    """Hidden from the history by the runner's choice, but kept: nothing recorded is deleted."""


@dataclass(frozen=True, slots=True)
class NewSession:
    """What is stored about a session when its first action is recorded."""

    preset_id: str
    preset_name: str
    plan: Plan
    countdown_s: int
    exertion: int | None = None
    """The preset's prescribed exertion (1-10), shown next to the runner's rating."""


@dataclass(frozen=True, slots=True)
class StoredAction:
    """A recorded action with its place in the session and the wall-clock time it happened."""

    seq: int
    action: Action
    wall: float


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A session row: the plan as it was run and how the session stands."""

    id: int
    preset_id: str
    preset_name: str
    plan: Plan
    countdown_s: int
    exertion: int | None
    started_wall: float
    status: Status
    ended_at: float | None
    """The session's clock when it finished (None while running)."""
    rating: int | None
    note: str | None


_SESSION_COLUMNS = (
    "id, preset_id, preset_name, plan_json, countdown_s, exertion, started_wall, status, "
    "ended_at, rating, note"
)


class HistoryStore:
    """The history file at ``path``: thread-safe, opened on first use, raises only HistoryError."""

    def __init__(self, path: Path, *, busy_timeout_s: float = 0.25) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self.notice: str | None = None
        """Set when opening had to move a damaged file aside: tell the runner once."""
        self.read_only = False
        """True when the file could only be opened for reading (a read-only disk)."""
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    # -- opening ----------------------------------------------------------------------------

    def open(self) -> None:
        """Open, check and migrate the file (once). Raises :class:`HistoryError`."""
        with self._lock:
            if self._conn is not None:
                return
            try:
                self._conn = self._open_checked()
            except _Damaged as damaged:
                aside = self._move_aside(str(damaged))
                self.notice = (
                    f"history file {self.path} was damaged ({damaged}); moved it to {aside.name} "
                    "and started a new one"
                )
                self._conn = self._open_checked()
            except HistoryError:
                if not self._on_read_only_disk():
                    raise
                self._conn = self._open_read_only()
                self.read_only = True

    def _on_read_only_disk(self) -> bool:
        # SQLite cannot open a WAL file where it cannot create the -shm beside it; a folder
        # nobody may write to (a read-only disk) is then still worth reading.
        return self.path.is_file() and not os.access(self.path.parent, os.W_OK)

    def _open_read_only(self) -> sqlite3.Connection:
        """Open for reading only, without the -shm; never moves anything aside."""
        for mode in ("ro", "immutable"):
            try:
                conn = sqlite3.connect(self._uri(mode), uri=True, check_same_thread=False)
            except sqlite3.Error:
                continue
            try:
                _check(conn)
                if user_version(conn) == SCHEMA_VERSION:
                    return conn
            except (sqlite3.Error, _Damaged):
                pass
            conn.close()
        raise HistoryError(f"history file {self.path} is on a read-only disk and cannot be read")

    def close(self) -> None:
        """Close the connection (the next use opens it again)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

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

    def _open_checked(self) -> sqlite3.Connection:
        self._check_file()
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=self.busy_timeout_s,
                isolation_level=None,  # explicit BEGIN/COMMIT: each write is one transaction
                check_same_thread=False,  # a worker thread may read while the app records
            )
        except sqlite3.Error as error:
            raise self._error(error) from error
        try:
            _prepare(conn, self.path)
        except sqlite3.Error as error:
            conn.close()
            raise self._error(error) from error
        except BaseException:  # HistoryError: close, then let it through
            conn.close()
            raise
        return conn

    def _check_file(self) -> None:
        """Raise :class:`_Damaged` for a file that is not a sound SQLite database.

        The check reads the header itself and then runs ``quick_check`` on a read-only
        connection: a read-write connection to a damaged file would checkpoint its WAL into it,
        or delete the WAL, when it closed, and the file must go aside exactly as it was.
        """
        try:
            with open(self.path, "rb") as handle:
                header = handle.read(len(_HEADER))
        except FileNotFoundError:
            return
        except OSError as error:
            raise HistoryError(f"cannot read history file {self.path}: {error.strerror}") from None
        if not header:
            return  # an empty file is an empty database
        if header != _HEADER:
            raise _Damaged("not an SQLite database")
        try:
            conn = sqlite3.connect(self._uri("ro"), uri=True, timeout=self.busy_timeout_s)
        except sqlite3.Error as error:
            raise self._error(error) from error
        try:
            _check(conn)
        except sqlite3.Error as error:
            if _code(error) in (_CORRUPT, _NOTADB):
                raise _Damaged(str(error)) from error
            raise self._error(error) from error
        finally:
            conn.close()

    def _uri(self, mode: str) -> str:
        path = urllib.parse.quote(str(self.path.resolve()))
        return f"file:{path}?immutable=1" if mode == "immutable" else f"file:{path}?mode={mode}"

    def _move_aside(self, why: str) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while any(Path(f"{aside}{suffix}").exists() for suffix in ("", *_SIDECARS)):
            counter += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
        try:
            self.path.rename(aside)
            # A stale WAL left beside a new database would be replayed into it: move it too.
            for suffix in _SIDECARS:
                sidecar = Path(f"{self.path}{suffix}")
                if sidecar.exists():
                    sidecar.rename(f"{aside}{suffix}")
        except OSError as error:
            raise HistoryError(
                f"history file {self.path} is damaged ({why}) and could not be moved aside: "
                f"{error.strerror}; it was left as it is"
            ) from error
        return aside

    def _connection(self) -> sqlite3.Connection:
        self.open()
        assert self._conn is not None
        return self._conn

    def _error(self, error: sqlite3.Error) -> HistoryError:
        return HistoryError(describe(error, self.path))

    # -- writing ----------------------------------------------------------------------------

    def append(
        self,
        session_id: int | None,
        new: NewSession,
        first_seq: int,
        actions: Sequence[tuple[Action, float]],
        status: Status,
        ended_at: float | None,
    ) -> int:
        """Write actions (seq from ``first_seq``) and the status in one durable transaction.

        With ``session_id`` None the session row is created first, dated by the first action's
        wall time. Returns the session id. Writing an action already stored is a no-op, so a
        retry after an uncertain failure cannot duplicate or fail.
        """
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
                if session_id is None:
                    session_id = _insert_session(conn, new, actions[0][1] if actions else 0.0)
                conn.executemany(
                    "INSERT OR IGNORE INTO actions (session_id, seq, kind, at, wall) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [
                        (session_id, first_seq + i, action.kind.value, action.at, wall)
                        for i, (action, wall) in enumerate(actions)
                    ],
                )
                conn.execute(
                    "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
                    (status.value, ended_at, session_id),
                )
                conn.execute("COMMIT")
            except sqlite3.Error as error:
                _rollback(conn)
                raise self._error(error) from error
            return session_id

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
            conn = self._connection()
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
        self, *, include_discarded: bool = False, preset_id: str | None = None
    ) -> list[StoredSession]:
        """Stored sessions, oldest first (discarded ones only if asked)."""
        where, params = ["1"], []
        if not include_discarded:
            where.append("status != 'discarded'")
        if preset_id is not None:
            where.append("preset_id = ?")
            params.append(preset_id)
        rows = self._query(
            f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE {' AND '.join(where)} "
            "ORDER BY started_wall, id",
            tuple(params),
        )
        return [self._session_of(row) for row in rows]

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
        try:
            return tuple(
                StoredAction(seq, Action(ActionKind(kind), at), wall)
                for seq, kind, at, wall in rows
            )
        except ValueError as error:
            raise HistoryError(f"session {session_id} in {self.path}: {error}") from error

    def _query(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            conn = self._connection()
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.Error as error:
                raise self._error(error) from error

    def _session_of(self, row: tuple[Any, ...]) -> StoredSession:
        sid, preset_id, name, plan_json, countdown, exertion, started, status, ended = row[:9]
        rating, note = row[9:]
        try:
            plan = plan_from_json(str(plan_json))
        except PlanFormatError as error:
            raise HistoryError(f"session {sid} in {self.path}: {error}") from error
        return StoredSession(
            id=int(sid),
            preset_id=str(preset_id),
            preset_name=str(name),
            plan=plan,
            countdown_s=int(countdown),
            exertion=None if exertion is None else int(exertion),
            started_wall=float(started),
            status=Status(str(status)),
            ended_at=None if ended is None else float(ended),
            rating=None if rating is None else int(rating),
            note=None if note is None else str(note),
        )


def _check(conn: sqlite3.Connection) -> None:
    """Raise :class:`_Damaged` for a damaged file (SQLite errors for one it cannot read)."""
    result = conn.execute("PRAGMA quick_check").fetchall()
    if result != [("ok",)]:
        raise _Damaged(f"integrity check failed: {result[0][0]}")


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
    """Per-connection settings, then the migrations this file has not had yet."""
    conn.execute("PRAGMA foreign_keys = ON")
    # FULL: in WAL mode each commit syncs the log, so a commit that returned survives power loss.
    conn.execute("PRAGMA synchronous = FULL")
    version = user_version(conn)
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"history file {path} was written by a newer trackside (schema {version}, this "
            f"one knows {SCHEMA_VERSION}); it was left untouched"
        )
    # Only switch when needed: a read-only file already in WAL mode can still be read.
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn)


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version stored in the file."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[Sequence[str]] = MIGRATIONS) -> None:
    """Apply the migrations the file has not had, each in its own transaction with its version."""
    for number in range(user_version(conn) + 1, len(migrations) + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in migrations[number - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise


def _insert_session(conn: sqlite3.Connection, new: NewSession, started_wall: float) -> int:
    cursor = conn.execute(
        "INSERT INTO sessions (preset_id, preset_name, plan_json, countdown_s, exertion, "
        "started_wall) VALUES (?, ?, ?, ?, ?, ?)",
        (
            new.preset_id,
            new.preset_name,
            plan_to_json(new.plan),
            new.countdown_s,
            new.exertion,
            started_wall,
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):  # the failed transaction is gone either way
            conn.execute("ROLLBACK")


def _code(error: sqlite3.Error) -> int:
    return int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def describe(error: sqlite3.Error, path: Path) -> str:
    """One line that says what is wrong with the history file."""
    code = _code(error)
    if code in (_BUSY, _LOCKED):
        return f"history file {path} is locked by another program"
    if code == _READONLY:
        return f"history file {path} is read-only"
    if code == _CANTOPEN:
        if not path.parent.is_dir():
            return f"cannot open history file {path}: its folder does not exist"
        if not os.access(path.parent, os.W_OK):
            return f"cannot open history file {path}: its folder is read-only"
        return f"cannot open history file {path}: no permission"
    if code == _FULL:
        return f"disk full: cannot write history file {path}"
    if code in (_CORRUPT, _NOTADB):
        return f"history file {path} is damaged ({error})"
    if code == _IOERR:
        return f"disk error on history file {path} ({error})"
    return f"history file {path}: {error}"
