"""Storage: a read-only data folder, a full disk, a corrupt or locked history file.

Each time a whole 21 x 400m session runs through a real Runner and SessionLog: it runs to the
end, the runner is told once, and the session stored before it is still there, unchanged.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from rel_support import PLAN_21, WALL0, drive, fill, small_disk, whole_session
from rel_support import read_only as read_only_folder

from trackside.core.clock import FakeClock
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import SessionLog
from trackside.history.store import HistoryStore, NewSession, Status, StoredAction

HERE = Path(__file__).resolve().parent
_SIDES = ("-wal", "-shm")
NEW = NewSession("21x400m", PLAN_21.name, PLAN_21, 0, 8)


class Run:
    """A whole session on fake clocks into ``store``, keeping what the runner was told."""

    def __init__(self, store: HistoryStore | None, start: float = 1000.0) -> None:
        self.clock = FakeClock(start)
        self.problems: list[str] = []
        self.log = SessionLog(
            store,
            NEW,
            on_problem=lambda problem: self.problems.append(str(problem)),
            wall=self.wall,
        )
        self.runner = Runner(Session(PLAN_21, 0), self.clock, log=self.log, wall=self.wall)

    def wall(self) -> float:
        return self.clock.now() - 1000.0 + WALL0

    def whole(self) -> Run:
        drive(self.runner, self.clock, whole_session())
        return self

    def later_flush(self) -> bool:
        """What the retry timer does by itself a little later, done now."""
        self.clock.advance(5.0)
        return self.log.flush()


def earlier_session(path: Path) -> tuple[StoredAction, ...]:
    """Store a whole session a day before: what must never be damaged."""
    with HistoryStore(path) as store:
        run = Run(store, start=1000.0 - 86_400.0).whole()
        assert run.problems == []
        assert run.log.finish(run.runner.session, 7, "windy")
        return store.actions(run.log.session_id or 0)


def still_there(path: Path, actions: tuple[StoredAction, ...]) -> None:
    """The earlier session is in the file, whole, as it was stored."""
    with HistoryStore(path) as store:
        first = store.sessions(include_discarded=True)[0]
        assert (first.status, first.rating, first.note) == (Status.COMPLETED, 7, "windy")
        assert store.actions(first.id) == actions
        assert store.pragma("quick_check") == "ok"


def finished_and_told_once(run: Run, words: str) -> None:
    session = run.runner.session
    assert session.finished, "the session ran to its end"
    assert len(session.splits()) == 21
    assert len(run.problems) == 1, run.problems
    assert words in run.problems[0]
    assert [action for action, _wall in run.log.actions] == list(session.actions)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "trackside"
    folder.mkdir()
    return folder


def test_a_read_only_data_folder(data: Path) -> None:
    path = data / "history.db"
    before = earlier_session(path)
    snapshot = {p.name: p.read_bytes() for p in data.iterdir()}
    with read_only_folder(data):
        with HistoryStore(path) as store:
            run = Run(store).whole()
            assert not run.later_flush()
        finished_and_told_once(run, "read-only")
        assert {p.name: p.read_bytes() for p in data.iterdir()} == snapshot
    still_there(path, before)


def test_a_full_disk_mid_session_then_space_again(tmp_path: Path) -> None:
    # Room for an earlier session whole in the log (an action writes its row, the session, its
    # lease) with the schema of groups on top: the disk fills during the session under test.
    with small_disk(tmp_path / "disk", 1024) as disk:
        path = disk / "history.db"
        before = earlier_session(path)
        with HistoryStore(path) as store:
            store.open()
            filler = fill(disk, leave=12 * 1024)  # the disk fills up with the store open
            run = Run(store).whole()
            finished_and_told_once(run, "is full")
            assert run.log.unsaved > 0, "the disk really filled up mid-session"
            saved = len(store.actions(run.log.session_id or 0)) if run.log.session_id else 0
            assert saved + run.log.unsaved == len(run.runner.session.actions)
            filler.unlink()  # the runner frees some space: what waited is written
            assert run.later_flush()
            assert run.log.finish(run.runner.session)
            stored = [a.action for a in store.actions(run.log.session_id or 0)]
            assert stored == list(run.runner.session.actions)
            assert store.session(run.log.session_id or 0).status is Status.COMPLETED
        assert len(run.problems) == 1
        still_there(path, before)


@pytest.mark.parametrize("leave_kb", [0, 12, 40])
def test_a_history_opened_on_a_full_disk_says_the_disk_is_full(
    tmp_path: Path, leave_kb: int
) -> None:
    # SQLite cannot grow the log's index on a full disk and says "disk I/O error"
    # (SQLITE_IOERR_SHMSIZE): the runner is told the disk is full, which is what to fix.
    with small_disk(tmp_path / "disk", 1024) as disk:
        path = disk / "history.db"
        before = earlier_session(path)
        filler = fill(disk, leave=leave_kb * 1024)
        store = HistoryStore(path)  # opened by the first action, as the app's store is
        try:
            run = Run(store).whole()
            finished_and_told_once(run, "the disk holding history file")
            assert "is full (" in run.problems[0]
            assert "I/O" not in run.problems[0]
            filler.unlink()  # the runner frees some space: what waited is written
            assert run.later_flush()
            assert run.log.finish(run.runner.session)
            stored = [a.action for a in store.actions(run.log.session_id or 0)]
            assert stored == list(run.runner.session.actions)
        finally:
            store.close()
        still_there(path, before)


@pytest.mark.parametrize("limit_kb", [0, 8, 48, 96])
def test_a_file_size_limit_never_stops_the_session(data: Path, limit_kb: int) -> None:
    path = data / "history.db"
    before = earlier_session(path) if limit_kb else ()
    size = path.stat().st_size if limit_kb else 0
    done = subprocess.run(
        [sys.executable, str(HERE / "rel_storage_driver.py"), str(path), str(limit_kb * 1024)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(HERE)},
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    result = json.loads(done.stdout)
    assert result["finished"]
    assert result["splits"] == 21
    assert len(result["problems"]) == 1, "told once"
    assert f"has reached the file-size limit ({limit_kb} KB)" in result["problems"][0]
    assert result["unsaved"] > 0, "the limit was reached"
    if limit_kb > 24:  # bigger than the file already is: the limit is hit mid-session
        assert result["unsaved"] < result["actions"]
    if limit_kb:
        assert path.stat().st_size >= size
        still_there(path, before)


def test_a_corrupt_file_is_moved_aside_whole_and_the_session_saved_anew(data: Path) -> None:
    path = data / "history.db"
    earlier_session(path)
    with HistoryStore(path):
        pass  # checkpointed: the whole history is in the one file
    damaged = bytearray(path.read_bytes())
    damaged[4096 : 4096 * 2] = b"\xa5" * 4096  # a page of the tables written over
    path.write_bytes(bytes(damaged))
    with HistoryStore(path) as store:
        run = Run(store).whole()
        finished_and_told_once(run, "damaged")
        assert run.log.unsaved == 0
        (stored,) = store.sessions()
        assert [a.action for a in store.actions(stored.id)] == list(run.runner.session.actions)
    aside = [p for p in data.iterdir() if ".corrupt-" in p.name and p.name[-4:] not in _SIDES]
    assert [p.read_bytes() for p in aside] == [bytes(damaged)], "kept byte for byte"


def test_a_file_locked_all_session_long(data: Path) -> None:
    path = data / "history.db"
    before = earlier_session(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with HistoryStore(path, busy_timeout_s=0.05) as store:
            run = Run(store).whole()
            finished_and_told_once(run, "locked")
            assert run.log.unsaved == len(run.runner.session.actions)
            other.execute("ROLLBACK")
            assert run.later_flush()
            assert run.log.finish(run.runner.session, 8)
            stored = store.actions(run.log.session_id or 0)
            assert [a.action for a in stored] == list(run.runner.session.actions)
            assert [a.wall for a in stored] == [wall for _a, wall in run.log.actions]
    finally:
        other.close()
    still_there(path, before)


def test_a_directory_where_the_file_should_be(data: Path) -> None:
    path = data / "history.db"
    path.mkdir()
    (path / "keep.txt").write_text("mine")
    run = Run(HistoryStore(path)).whole()
    finished_and_told_once(run, "history")
    assert (path / "keep.txt").read_text() == "mine"
