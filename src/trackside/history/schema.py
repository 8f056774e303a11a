"""The history file's schema and its migrations.

Schema 1 kept each session's plan as JSON in the session's row. Schema 2 keeps each plan once,
in ``plans``, keyed by a hash of its JSON, with sessions pointing to it; and adds ``derived``:
per-session splits and statistics worked out from the actions, so a list or an export never
replays a session. ``derived`` is never the truth: each row says which version of the code
derived it and from how many actions, triggers delete it whenever what it was derived from
changes (an action written, a session's end or plan changed), and a row that is missing, old
or damaged is derived again (see :mod:`trackside.history.derived`). Schema 3 adds ``leases``:
which process holds each running session (:mod:`trackside.history.lease`). Schema 4 adds
``groups``: a coach's group, each athlete's session linked to it with the athlete's name, key
and start offset.

All the migrations a file lacks run in one transaction: a failure (or a kill) half-way leaves
the file exactly as it was, at its old version.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Sequence

_SESSION_COLUMNS = """
    id INTEGER PRIMARY KEY,
    preset_id TEXT NOT NULL,
    preset_name TEXT NOT NULL,
    {plan},
    countdown_s INTEGER NOT NULL,
    exertion INTEGER,
    started_wall REAL NOT NULL,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'completed', 'ended-early', 'discarded')),
    ended_at REAL,
    rating INTEGER CHECK (rating BETWEEN 1 AND 10),
    note TEXT
"""
_KEPT = (
    "id, preset_id, preset_name, countdown_s, exertion, started_wall, status, ended_at, rating, "
    "note"
)

SCHEMA_1 = (
    f"CREATE TABLE sessions ({_SESSION_COLUMNS.format(plan='plan_json TEXT NOT NULL')})",
    """CREATE TABLE actions (
        session_id INTEGER NOT NULL REFERENCES sessions (id),
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        at REAL NOT NULL,
        wall REAL NOT NULL,
        PRIMARY KEY (session_id, seq)
    ) WITHOUT ROWID""",
    "CREATE INDEX sessions_by_preset ON sessions (preset_id, started_wall)",
)

SCHEMA_2 = (
    # Each plan once, keyed by the hash of its JSON (see plan_hash).
    """CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        plan_json TEXT NOT NULL
    )""",
    "INSERT OR IGNORE INTO plans (hash, plan_json) "
    "SELECT trackside_plan_hash(plan_json), plan_json FROM sessions ORDER BY id",
    # SQLite cannot drop a column everywhere trackside runs (3.35+): the table is rebuilt.
    "CREATE TABLE sessions_2 ("
    + _SESSION_COLUMNS.format(plan="plan_id INTEGER NOT NULL REFERENCES plans (id)")
    + ")",
    f"INSERT INTO sessions_2 (plan_id, {_KEPT}) "
    f"SELECT plans.id, {', '.join('sessions.' + c.strip() for c in _KEPT.split(','))} "
    "FROM sessions JOIN plans ON plans.hash = trackside_plan_hash(sessions.plan_json)",
    "DROP TABLE sessions",
    "ALTER TABLE sessions_2 RENAME TO sessions",
    "CREATE INDEX sessions_by_preset ON sessions (preset_id, started_wall)",
    "CREATE INDEX sessions_by_start ON sessions (started_wall, id)",
    # Figures packed (trackside.history.packing): a list reads one small blob a session, not
    # twenty columns; the step records, ten times larger, in a table of their own, so the pages
    # a list reads hold nothing else.
    """CREATE TABLE derived (
        session_id INTEGER PRIMARY KEY REFERENCES sessions (id),
        version INTEGER NOT NULL,
        figures BLOB NOT NULL,
        checksum INTEGER NOT NULL
    )""",
    """CREATE TABLE derived_steps (
        session_id INTEGER PRIMARY KEY REFERENCES derived (session_id),
        records BLOB NOT NULL
    )""",
    # Each session's best efforts again, one row a distance, indexed by distance and time: the
    # best before a session, personal bests and critical speed are index look-ups. They go
    # with their derived row (a REPLACE deletes without triggers: keep() clears them itself).
    """CREATE TABLE bests (
        session_id INTEGER NOT NULL REFERENCES derived (session_id),
        distance_m REAL NOT NULL,
        seconds REAL NOT NULL,
        rep INTEGER NOT NULL,
        PRIMARY KEY (session_id, distance_m)
    ) WITHOUT ROWID""",
    "CREATE INDEX bests_by_distance ON bests (distance_m, seconds)",
    """CREATE TRIGGER bests_and_steps_go_with_their_derived_row AFTER DELETE ON derived BEGIN
        DELETE FROM bests WHERE session_id = OLD.session_id;
        DELETE FROM derived_steps WHERE session_id = OLD.session_id;
    END""",
    # What a derived row was worked out from changes: the row goes, to be derived again.
    """CREATE TRIGGER derived_stale_on_new_action AFTER INSERT ON actions BEGIN
        DELETE FROM derived WHERE session_id = NEW.session_id;
    END""",
    """CREATE TRIGGER derived_stale_on_changed_action AFTER UPDATE ON actions BEGIN
        DELETE FROM derived WHERE session_id IN (OLD.session_id, NEW.session_id);
    END""",
    """CREATE TRIGGER derived_stale_on_deleted_action AFTER DELETE ON actions BEGIN
        DELETE FROM derived WHERE session_id = OLD.session_id;
    END""",
    """CREATE TRIGGER derived_stale_on_changed_session
    AFTER UPDATE OF plan_id, countdown_s, ended_at ON sessions
    WHEN OLD.plan_id IS NOT NEW.plan_id OR OLD.countdown_s IS NOT NEW.countdown_s
        OR OLD.ended_at IS NOT NEW.ended_at
    BEGIN
        DELETE FROM derived WHERE session_id = NEW.id;
    END""",
    """CREATE TRIGGER derived_stale_on_changed_plan AFTER UPDATE ON plans BEGIN
        DELETE FROM derived
        WHERE session_id IN (SELECT id FROM sessions WHERE plan_id IN (OLD.id, NEW.id));
    END""",
)

SCHEMA_3 = (
    # Who holds a running session: the process that writes its actions (see lease.py). A
    # second window finds it held and never writes to it; a dead holder's lease is taken over.
    """CREATE TABLE leases (
        session_id INTEGER PRIMARY KEY REFERENCES sessions (id),
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        boot TEXT NOT NULL,
        terminal TEXT,
        renewed_wall REAL NOT NULL
    )""",
)

SCHEMA_4 = (
    # A coach's group: one row, and one session per athlete pointing to it with the athlete's
    # name, key and start offset (their countdown_s is the group's plus that offset).
    """CREATE TABLE groups (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        countdown_s INTEGER NOT NULL,
        started_wall REAL NOT NULL
    )""",
    "ALTER TABLE sessions ADD COLUMN group_id INTEGER REFERENCES groups (id)",
    "ALTER TABLE sessions ADD COLUMN athlete TEXT",
    "ALTER TABLE sessions ADD COLUMN athlete_key TEXT",
    "ALTER TABLE sessions ADD COLUMN start_offset_s INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX sessions_by_group ON sessions (group_id, id) WHERE group_id IS NOT NULL",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (SCHEMA_1, SCHEMA_2, SCHEMA_3, SCHEMA_4)
"""Schema migrations in order: the database's ``user_version`` is how many have been applied."""

SCHEMA_VERSION = len(MIGRATIONS)


def plan_hash(plan_json: str) -> str:
    """The key a plan is stored under: the SHA-256 of its JSON text, in hex."""
    return hashlib.sha256(plan_json.encode("utf-8")).hexdigest()


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version stored in the file."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[Sequence[str]] = MIGRATIONS) -> None:
    """Apply the migrations the file has not had, all in one transaction with the new version.

    Foreign keys are off while it runs, as SQLite asks for a table rebuilt under them, and on
    again after (whether it worked or not).
    """
    version = user_version(conn)
    if version >= len(migrations):
        return
    conn.create_function("trackside_plan_hash", 1, plan_hash, deterministic=True)
    conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: before BEGIN
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for number in range(version + 1, len(migrations) + 1):
                for statement in migrations[number - 1]:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {len(migrations)}")
            conn.execute("COMMIT")
        except BaseException:
            rollback(conn)
            raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, if any; a failure to do so changes nothing."""
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):  # the failed transaction is gone either way
            conn.execute("ROLLBACK")
