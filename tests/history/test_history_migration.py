"""A history written by an older trackside opens in this one with everything it held.

The file is ``fixtures/history-v1.db``, written by the schema-1 code itself
(``fixtures/make_v1_history.py``, at commit 6127796), and ``fixtures/history-v1.json`` is what
that code read back from it: every session, action, rating and note, and the figures its views
derived. Each test works on a copy in ``tmp_path``; the committed file is never opened.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from history_support import read_only_folder

from trackside.history.planjson import plan_from_json
from trackside.history.resume import latest_unfinished
from trackside.history.schema import MIGRATIONS, SCHEMA_VERSION, migrate, user_version
from trackside.history.store import HistoryStore
from trackside.history.views import detail, list_sessions

FIXTURES = Path(__file__).parent / "fixtures"
MANIFEST: dict[str, Any] = json.loads((FIXTURES / "history-v1.json").read_text())
OLD = {session["id"]: session for session in MANIFEST["sessions"]}


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    """A copy of the schema-1 history, as a runner upgrading would have it."""
    folder = tmp_path / "trackside"
    folder.mkdir()
    copy = folder / "history.db"
    shutil.copyfile(FIXTURES / "history-v1.db", copy)
    return copy


def test_the_fixture_is_the_old_schema() -> None:
    assert MANIFEST["schema"] == 1
    statuses = {session["status"] for session in MANIFEST["sessions"]}
    assert statuses == {"completed", "ended-early", "discarded", "running"}
    kinds = {action[1] for session in MANIFEST["sessions"] for action in session["actions"]}
    assert kinds == {"start", "mark", "pause", "resume", "undo", "skip", "go_now", "end"}


def test_every_session_action_rating_and_note_is_kept(old_file: Path) -> None:
    with HistoryStore(old_file) as store:
        stored = {s.id: s for s in store.sessions(include_discarded=True)}
        assert sorted(stored) == sorted(OLD)
        for session_id, old in OLD.items():
            new = stored[session_id]
            assert new.preset_id == old["preset_id"]
            assert new.preset_name == old["preset_name"]
            assert new.plan == plan_from_json(MANIFEST["plans"][old["plan"]])
            assert (new.countdown_s, new.exertion) == (old["countdown_s"], old["exertion"])
            assert (new.started_wall, new.ended_at) == (old["started_wall"], old["ended_at"])
            assert (new.status.value, new.rating, new.note) == (
                old["status"],
                old["rating"],
                old["note"],
            )
            actions = [
                [a.seq, a.action.kind.value, a.action.at, a.wall] for a in store.actions(session_id)
            ]
            assert actions == old["actions"]


def test_the_new_code_derives_what_the_old_code_showed(old_file: Path) -> None:
    """Every session's reps, figures and steps (times, windows, flags, wall clock) as the
    schema-1 code replayed them."""
    fields = MANIFEST["step_fields"]
    with HistoryStore(old_file) as store:
        lines = {line.id: line for line in list_sessions(store, include_discarded=True)}
        for session_id, old in OLD.items():
            line = lines[session_id]
            assert (line.reps_done, line.reps_planned) == (old["reps_done"], old["reps_planned"])
            stats = None if line.stats is None else dataclasses.asdict(line.stats)
            if stats is not None:
                stats["fastest"], stats["slowest"] = list(stats["fastest"]), list(stats["slowest"])
            assert stats == old["stats"]
            new_steps = [row._asdict() for row in detail(store, session_id).steps]
            old_steps = [dict(zip(fields, values, strict=True)) for values in old["steps"]]
            for new, was in zip(new_steps, old_steps, strict=True):
                assert {k: new[k] for k in fields} == was


def test_each_plan_is_stored_once(old_file: Path) -> None:
    with HistoryStore(old_file) as store:
        assert store.pragma("user_version") == SCHEMA_VERSION
    with sqlite3.connect(old_file) as conn:
        plans = conn.execute("SELECT count(*), count(DISTINCT hash) FROM plans").fetchone()
        columns = {row[1] for row in conn.execute("PRAGMA table_info(sessions)")}
        per_plan = conn.execute("SELECT plan_id, count(*) FROM sessions GROUP BY plan_id")
        shared = dict(per_plan.fetchall())
    conn.close()
    assert plans == (len(MANIFEST["plans"]), len(MANIFEST["plans"]))  # six plans, nine sessions
    assert "plan_json" not in columns
    assert sorted(shared.values()) == [1, 1, 1, 1, 2, 3]


def test_the_session_left_running_is_still_offered_for_resume(old_file: Path) -> None:
    (running,) = [s for s in OLD.values() if s["status"] == "running"]
    last_wall = running["actions"][-1][3]
    with HistoryStore(old_file) as store:
        found = latest_unfinished(store, wall=lambda: last_wall + 30.0)
        assert found is not None
        assert found.id == running["id"]
        assert found.describe().startswith("Ladder 200-800-200 (session 9, ")
        assert "3 of 7 reps done" in found.describe()


def test_a_failed_migration_leaves_the_old_file_as_it_was(old_file: Path) -> None:
    broken = (*MIGRATIONS, ("CREATE TABLE extra (x)", "THIS IS NOT SQL"))
    with sqlite3.connect(old_file, isolation_level=None) as conn:
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, broken)
        assert user_version(conn) == 1
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "plans" not in tables
        assert "derived" not in tables
        assert len(conn.execute("SELECT plan_json FROM sessions").fetchall()) == len(OLD)
    conn.close()
    test_every_session_action_rating_and_note_is_kept(old_file)


KILLED_MID_MIGRATION = """
import os, sys
import trackside.history.schema as schema

calls = 0
real = schema.plan_hash

def dying(plan_json):
    global calls
    calls += 1
    if calls == 12:  # the sessions half copied to their new table
        os._exit(9)
    return real(plan_json)

schema.plan_hash = dying
from trackside.history.store import HistoryStore
HistoryStore(sys.argv[1]).open()
"""


def test_a_migration_killed_half_way_leaves_the_old_file_whole(old_file: Path) -> None:
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_MIGRATION, str(old_file)], check=False, timeout=60
    )
    assert killed.returncode == 9
    with sqlite3.connect(old_file) as conn:  # a plain reader, as the old trackside would be
        assert user_version(conn) == 1
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == len(OLD)
    conn.close()
    test_every_session_action_rating_and_note_is_kept(old_file)  # the next start migrates


def test_an_old_file_on_a_read_only_disk_is_read_in_memory(old_file: Path) -> None:
    before = old_file.read_bytes()
    with read_only_folder(old_file.parent):
        store = HistoryStore(old_file)
        try:
            store.open()
            assert store.read_only
            assert [line.id for line in list_sessions(store)] == [1, 2, 3, 4, 5, 6, 8, 9]
            assert detail(store, 1).overview.note == "windy on the back straight"
        finally:
            store.close()
    assert old_file.read_bytes() == before
