"""SessionLog: each action on disk as it happens; the session runs on whatever the file does."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from history_support import (
    PLAN,
    WALL0,
    ManualTimer,
    Process,
    new_session,
    press,
    read_only_folder,
)

from trackside.core.events import ActionKind
from trackside.core.runner import ActionLog, Runner
from trackside.core.session import Session
from trackside.history.log import RETRY_FIRST_S, RETRY_MAX_S, SessionLog, start_log
from trackside.history.store import HistoryStore, Status

K = ActionKind


def _runner(
    store: HistoryStore | None,
    process: Process,
    problems: list[str],
    timer: ManualTimer | None = None,
) -> Runner:
    log = SessionLog(
        store,
        new_session(),
        on_problem=lambda problem: problems.append(str(problem)),
        wall=process.wall,
        later=timer or ManualTimer(),
    )
    return Runner(Session(PLAN, 0), process.clock, log=log, wall=process.wall)


def _log(runner: Runner) -> SessionLog:
    assert isinstance(runner.log, SessionLog)
    return runner.log


def _run_two_reps(runner: Runner, process: Process) -> None:
    press(runner, process, K.START)
    press(runner, process, K.MARK, 71.2)  # rep 1
    press(runner, process, K.MARK, 65.0)  # recovery, inside its window
    press(runner, process, K.MARK, 70.4)  # rep 2


def _stored(store: HistoryStore, log: SessionLog) -> list[tuple[ActionKind, float, float]]:
    assert log.session_id is not None
    return [(a.action.kind, a.action.at, a.wall) for a in store.actions(log.session_id)]


def test_every_action_is_on_disk_with_both_clocks(store: HistoryStore) -> None:
    process = Process(1000.0, WALL0)
    problems: list[str] = []
    runner = _runner(store, process, problems)
    _run_two_reps(runner, process)
    log = _log(runner)
    expected = [(a.kind, a.at, a.at - 1000.0 + WALL0) for a in runner.session.actions]
    # A second connection sees them: each was committed when it was recorded.
    with HistoryStore(store.path) as other:
        assert _stored(other, log) == expected
        assert other.session(log.session_id or 0).started_wall == WALL0
    assert problems == []
    assert log.problem is None
    assert log.unsaved == 0


def test_the_status_follows_the_session(store: HistoryStore) -> None:
    process = Process(1000.0, WALL0)
    runner = _runner(store, process, [])
    log = _log(runner)
    _run_two_reps(runner, process)
    press(runner, process, K.GO_NOW, 30.0)  # the final rep comes early
    assert store.session(log.session_id or 0).status is Status.RUNNING
    press(runner, process, K.MARK, 62.0)
    stored = store.session(log.session_id or 0)
    assert (stored.status, stored.ended_at) == (Status.COMPLETED, runner.session.now)
    press(runner, process, K.UNDO, 3.0)  # a stray press on the final rep, taken back
    assert store.session(log.session_id or 0).status is Status.RUNNING
    press(runner, process, K.END, 10.0)
    assert store.session(log.session_id or 0).status is Status.ENDED_EARLY


def test_finish_stores_rating_and_note(store: HistoryStore) -> None:
    process = Process(1000.0, WALL0)
    runner = _runner(store, process, [])
    log = _log(runner)
    _run_two_reps(runner, process)
    assert log.finish(runner.session, 9, "windy")
    stored = store.session(log.session_id or 0)
    assert (stored.status, stored.rating, stored.note) == (Status.ENDED_EARLY, 9, "windy")
    with pytest.raises(ValueError, match="1 to 10"):
        log.finish(runner.session, 0)


def test_nothing_is_stored_before_the_first_action(store: HistoryStore) -> None:
    log = start_log(store, PLAN, preset_id="3x400m", countdown_s=3)
    assert log.finish(Session(PLAN, 3))
    assert log.session_id is None
    assert store.sessions() == []


class _Counting(HistoryStore):
    """A real store that counts the writes tried."""

    tries = 0

    def append(self, *args: object, **kwargs: object) -> int:
        self.tries += 1
        return super().append(*args, **kwargs)  # type: ignore[arg-type]


def test_a_locked_file_keeps_the_session_in_memory_and_tells_once(db_path: Path) -> None:
    store = _Counting(db_path)
    process = Process(1000.0, WALL0)
    problems: list[str] = []
    timer = ManualTimer()
    runner = _runner(store, process, problems, timer)
    log = _log(runner)
    heard: list[int] = []
    log.on_unsaved = heard.append
    press(runner, process, K.START)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    press(runner, process, K.MARK, 71.2)
    assert store.tries == 2
    press(runner, process, K.MARK, 65.0)
    press(runner, process, K.PAUSE, 10.0)
    assert store.tries == 2, "a key after a failed write never waits on the file"
    assert problems == [str(log.problem)]
    assert "locked" in problems[0]
    assert "kept in memory" in problems[0]
    assert log.unsaved == 3
    assert heard == [1, 2, 3], "the screen hears each action that waits"
    assert [a for a, _ in log.actions] == list(runner.session.actions)
    for _ in range(5):  # the timer tries again by itself, backing off
        timer.fire()
    assert timer.delays[-6:] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert (RETRY_FIRST_S, RETRY_MAX_S) == (0.5, 4.0)
    assert log.unsaved == 3
    other.execute("ROLLBACK")
    other.close()
    timer.fire()  # no key pressed: the timer writes all that waited
    assert log.unsaved == 0
    assert heard[-1] == 0
    assert [kind for kind, _, _ in _stored(store, log)] == [a.kind for a in runner.session.actions]
    assert len(problems) == 1
    store.close()


def test_a_read_only_disk_never_stops_the_session(db_path: Path) -> None:
    with HistoryStore(db_path) as store:
        earlier = _runner(store, Process(10.0, WALL0 - 86400), [])
        press(earlier, Process(10.0, WALL0 - 86400), K.START)
    before = db_path.read_bytes()
    process = Process(1000.0, WALL0)
    problems: list[str] = []
    with read_only_folder(db_path.parent), HistoryStore(db_path) as store:
        runner = _runner(store, process, problems)
        _run_two_reps(runner, process)
        press(runner, process, K.MARK, 80.0)
        assert runner.session.records[-1].index == 3
        assert len(problems) == 1
        assert "read-only" in problems[0]
        assert _log(runner).unsaved == len(runner.session.actions)
    assert db_path.read_bytes() == before


def test_a_missing_folder_is_told_once(tmp_path: Path) -> None:
    process = Process(1000.0, WALL0)
    problems: list[str] = []
    runner = _runner(HistoryStore(tmp_path / "gone" / "history.db"), process, problems)
    _run_two_reps(runner, process)
    press(runner, process, K.MARK, 80.0)
    assert len(problems) == 1
    assert "folder does not exist" in problems[0]


def test_a_damaged_file_is_told_once_and_the_session_is_saved_anew(db_path: Path) -> None:
    db_path.write_bytes(b"\x00garbage" * 1000)
    process = Process(1000.0, WALL0)
    problems: list[str] = []
    store = HistoryStore(db_path)
    runner = _runner(store, process, problems)
    _run_two_reps(runner, process)
    assert len(problems) == 1
    assert "moved it to history.db.corrupt-" in problems[0]
    assert len(_stored(store, _log(runner))) == 4
    store.close()


def test_no_store_keeps_everything_in_memory() -> None:
    process = Process(1000.0, WALL0)
    problems: list[str] = []
    runner = _runner(None, process, problems)
    _run_two_reps(runner, process)
    assert _log(runner).unsaved == 4
    assert problems == []


class _Broken(HistoryStore):
    def append(self, *args: object, **kwargs: object) -> int:
        raise RuntimeError("a bug in the store")


def test_even_a_bug_in_the_store_does_not_stop_the_session(tmp_path: Path) -> None:
    process = Process(1000.0, WALL0)
    problems: list[str] = []
    runner = _runner(_Broken(tmp_path / "history.db"), process, problems)
    _run_two_reps(runner, process)
    assert len(runner.session.records) == 3
    assert len(problems) == 1
    assert "unexpected RuntimeError('a bug in the store')" in problems[0]


def test_it_is_the_runners_action_log(store: HistoryStore) -> None:
    log: ActionLog = start_log(store, PLAN, preset_id="3x400m", countdown_s=0)  # mypy checks it
    assert isinstance(log, SessionLog)
