"""The history file: migrations, settings, and files that are not what they should be.

Each problem case checks the file was never written over."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from history_support import PLAN, WALL0, new_session, read_only_folder

from trackside.core.events import Action, ActionKind
from trackside.history.schema import MIGRATIONS, SCHEMA_VERSION, migrate, user_version
from trackside.history.store import HistoryError, HistoryStore, Status

START = Action(ActionKind.START, 100.0)
MARK = Action(ActionKind.MARK, 172.5)


def _write_session(store: HistoryStore) -> int:
    actions = [(START, WALL0), (MARK, WALL0 + 72.5)]
    return store.append(None, new_session(), 0, actions, Status.RUNNING, None)


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_nothing_is_touched_until_the_store_is_used(db_path: Path) -> None:
    HistoryStore(db_path)
    assert not db_path.exists()


@pytest.mark.parametrize("empty_file", [False, True])
def test_migrates_a_new_or_empty_file_and_reopens_it(db_path: Path, empty_file: bool) -> None:
    if empty_file:
        db_path.write_bytes(b"")
    with HistoryStore(db_path) as store:
        assert store.pragma("user_version") == SCHEMA_VERSION
        session_id = _write_session(store)
    assert {"sessions", "actions"} <= _tables(db_path)
    with HistoryStore(db_path) as again:
        assert again.pragma("user_version") == SCHEMA_VERSION
        assert [a.action for a in again.actions(session_id)] == [START, MARK]
        assert again.session(session_id).plan == PLAN


def test_wal_and_full_sync_are_set(store: HistoryStore) -> None:
    assert store.pragma("journal_mode") == "wal"
    assert store.pragma("synchronous") == 2  # FULL
    assert store.pragma("foreign_keys") == 1


def test_rows_round_trip(store: HistoryStore) -> None:
    session_id = _write_session(store)
    store.set_rating(session_id, 9, "  windy on the back straight  ")
    store.set_status(session_id, Status.COMPLETED, 172.5)
    stored = store.session(session_id)
    assert (stored.preset_id, stored.preset_name, stored.countdown_s) == ("3x400m", PLAN.name, 0)
    assert (stored.exertion, stored.rating, stored.note) == (8, 9, "windy on the back straight")
    assert (stored.status, stored.ended_at, stored.started_wall) == (Status.COMPLETED, 172.5, WALL0)
    walls = [(a.seq, a.wall) for a in store.actions(session_id)]
    assert walls == [(0, WALL0), (1, WALL0 + 72.5)]


def test_writing_an_action_again_is_a_no_op(store: HistoryStore) -> None:
    session_id = _write_session(store)
    store.append(session_id, new_session(), 1, [(MARK, WALL0 + 72.5)], Status.RUNNING, None)
    assert len(store.actions(session_id)) == 2


def test_a_rating_is_one_to_ten(store: HistoryStore) -> None:
    session_id = _write_session(store)
    with pytest.raises(ValueError, match="1 to 10"):
        store.set_rating(session_id, 11, None)


def test_an_unknown_session_is_one_clear_error(store: HistoryStore) -> None:
    _write_session(store)
    with pytest.raises(HistoryError, match=r"^no session 42 in .*history\.db$"):
        store.session(42)
    with pytest.raises(HistoryError, match="no session 42"):
        store.set_status(42, Status.DISCARDED)


def test_a_later_migration_keeps_the_data(db_path: Path) -> None:
    with HistoryStore(db_path) as store:
        session_id = _write_session(store)
    later = (*MIGRATIONS, ("ALTER TABLE sessions ADD COLUMN weather TEXT",))
    with sqlite3.connect(db_path, isolation_level=None) as conn:
        migrate(conn, later)
        assert user_version(conn) == SCHEMA_VERSION + 1
        count = conn.execute("SELECT count(*) FROM actions WHERE session_id = ?", (session_id,))
        assert count.fetchone()[0] == 2


def test_a_failed_migration_leaves_the_version_as_it_was(db_path: Path) -> None:
    with HistoryStore(db_path):
        pass
    broken = (*MIGRATIONS, ("CREATE TABLE extra (x)", "THIS IS NOT SQL"))
    with sqlite3.connect(db_path, isolation_level=None) as conn:
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, broken)
        assert user_version(conn) == SCHEMA_VERSION
    assert "extra" not in _tables(db_path)


def test_a_newer_schema_is_left_untouched(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    before = db_path.read_bytes()
    with pytest.raises(HistoryError, match="newer trackside"):
        HistoryStore(db_path).open()
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_moved_aside(db_path: Path) -> None:
    junk = b"these are my splits, not a database\n" * 200
    db_path.write_bytes(junk)
    Path(f"{db_path}-wal").write_bytes(b"stale log")
    with HistoryStore(db_path) as store:
        assert store.notice is not None
        assert "damaged" in store.notice
        assert "history.db.corrupt-" in store.notice
        _write_session(store)
    (aside,) = db_path.parent.glob("history.db.corrupt-*[0-9]")
    assert aside.read_bytes() == junk
    assert Path(f"{aside}-wal").read_bytes() == b"stale log"
    with HistoryStore(db_path) as again:
        assert again.notice is None
        assert len(again.sessions()) == 1


def test_a_damaged_page_is_found_and_moved_aside(db_path: Path) -> None:
    with HistoryStore(db_path) as store:
        for _ in range(50):
            _write_session(store)
    data = bytearray(db_path.read_bytes())
    assert len(data) > 3 * 4096
    data[4096 + 8 : 3 * 4096] = b"\xa5" * (2 * 4096 - 8)  # pages 2 and 3, past their headers
    db_path.write_bytes(bytes(data))
    with HistoryStore(db_path) as store:
        assert store.notice is not None
        assert store.sessions() == []
    (aside,) = db_path.parent.glob("history.db.corrupt-*[0-9]")
    assert aside.read_bytes() == bytes(data)


def test_a_damaged_file_that_cannot_be_moved_is_left_as_it_is(db_path: Path) -> None:
    db_path.write_bytes(b"x" * 5000)
    with read_only_folder(db_path.parent):
        with pytest.raises(HistoryError, match="could not be moved aside") as raised:
            HistoryStore(db_path).open()
        assert "\n" not in str(raised.value)
    assert db_path.read_bytes() == b"x" * 5000


def test_a_read_only_disk_is_still_read(db_path: Path) -> None:
    with HistoryStore(db_path) as store:
        session_id = _write_session(store)
    before = db_path.read_bytes()
    with read_only_folder(db_path.parent), HistoryStore(db_path) as store:
        assert store.read_only
        assert [a.action for a in store.actions(session_id)] == [START, MARK]
        with pytest.raises(HistoryError, match="read-only"):
            _write_session(store)
    assert db_path.read_bytes() == before


def test_a_missing_file_on_a_read_only_disk_says_so(db_path: Path) -> None:
    with read_only_folder(db_path.parent), pytest.raises(HistoryError, match="folder is read-only"):
        HistoryStore(db_path).open()
    assert not db_path.exists()


def test_a_locked_file_is_one_clear_error(db_path: Path) -> None:
    with HistoryStore(db_path) as store:
        session_id = _write_session(store)
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(HistoryError, match="locked by another program"):
                store.append(session_id, new_session(), 2, [(MARK, WALL0)], Status.RUNNING, None)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert len(store.actions(session_id)) == 2
