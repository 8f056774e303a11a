"""A coach's group in the history: the start in one transaction, every athlete's action as it
happens, each athlete's session linked to the group, and the whole group carried on after the
process is gone."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from history_support import PLAN, WALL0, Process, new_session

from trackside.core.events import ActionKind, Phase
from trackside.core.group import Athlete, Group
from trackside.core.group_runner import GroupRunner
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.groups import (
    GroupLog,
    latest_unfinished_group,
    resume_group,
    stored_group,
)
from trackside.history.log import start_log
from trackside.history.resume import latest_unfinished
from trackside.history.schema import SCHEMA_VERSION, user_version
from trackside.history.store import HistoryStore, NewSession, Status
from trackside.history.stored import Athlete as StoredAthlete

NAMES = ("Ann", "Ben", "Cid")
FIXTURES = Path(__file__).parent / "fixtures"


def news(offsets: tuple[int, ...] = (0, 0, 0)) -> list[NewSession]:
    return [
        NewSession(
            "3x400m", PLAN.name, PLAN, 3 + offset, 8, StoredAthlete(0, name, str(i + 1), offset)
        )
        for i, (name, offset) in enumerate(zip(NAMES, offsets, strict=True))
    ]


def runner_on(
    store: HistoryStore | None, process: Process, offsets: tuple[int, ...] = (0, 0, 0)
) -> GroupRunner:
    athletes = [Athlete(n, PLAN, o) for n, o in zip(NAMES, offsets, strict=True)]
    log = GroupLog(store, "Tuesday squad", 3, news(offsets), wall=process.wall)
    return GroupRunner(Group(athletes, 3), process.clock, log=log, wall=process.wall)


def log_of(runner: GroupRunner) -> GroupLog:
    assert isinstance(runner.log, GroupLog)
    return runner.log


def test_the_start_writes_the_group_and_every_athlete_at_once(store: HistoryStore) -> None:
    process = Process(100.0, WALL0)
    runner = runner_on(store, process)
    runner.act_all(ActionKind.START)
    group_id = log_of(runner).group_id
    assert group_id is not None
    assert stored_group(store, group_id).title == "Tuesday squad"
    stored = store.sessions(group_id=group_id)
    assert [(s.athlete.name, s.athlete.key) for s in stored if s.athlete] == [
        ("Ann", "1"),
        ("Ben", "2"),
        ("Cid", "3"),
    ]
    assert all(s.athlete and s.athlete.group_id == group_id for s in stored)
    assert [[a.action.kind for a in store.actions(s.id)] for s in stored] == [
        [ActionKind.START]
    ] * 3


def test_each_athletes_action_is_on_disk_as_it_happens(store: HistoryStore, db_path: Path) -> None:
    process = Process(100.0, WALL0)
    runner = runner_on(store, process)
    runner.act_all(ActionKind.START)
    process.advance(3 + 70)
    runner.act(1, ActionKind.MARK)
    # Read by another connection, as the next process would: Ben's mark is there, alone.
    with sqlite3.connect(db_path) as other:
        rows = other.execute(
            "SELECT athlete, kind FROM actions JOIN sessions ON sessions.id = session_id "
            "WHERE seq = 1 ORDER BY sessions.id"
        ).fetchall()
    assert rows == [("Ben", "mark")]


def test_a_group_finished_stores_each_athlete_as_they_ended(store: HistoryStore) -> None:
    process = Process(100.0, WALL0)
    runner = runner_on(store, process)
    runner.act_all(ActionKind.START)
    process.advance(3 + 70)
    for athlete in range(3):
        runner.act(athlete, ActionKind.MARK)
    process.advance(90)  # every recovery reaches its maximum: rep 2
    runner.tick()
    runner.act(0, ActionKind.MARK)
    runner.act_all(ActionKind.END)
    log = log_of(runner)
    assert all(log.finish(i, s, 7 if i == 0 else None) for i, s in enumerate(runner.group.sessions))
    stored = store.sessions(group_id=log.group_id)
    assert [s.status for s in stored] == [Status.ENDED_EARLY] * 3
    assert [s.rating for s in stored] == [7, None, None]


def test_a_group_kept_in_memory_only_says_so(tmp_path: Path) -> None:
    process = Process(100.0, WALL0)
    runner = runner_on(None, process)
    runner.act_all(ActionKind.START)
    assert log_of(runner).unsaved == 3
    assert log_of(runner).finish(0, runner.group.sessions[0]) is False


def test_a_locked_file_keeps_the_start_and_writes_it_later(
    store: HistoryStore, db_path: Path
) -> None:
    store.open()
    process = Process(100.0, WALL0)
    runner = runner_on(store, process)
    locker = sqlite3.connect(db_path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    runner.act_all(ActionKind.START)
    log = log_of(runner)
    assert log.group_id is None
    assert log.problem is not None
    locker.execute("ROLLBACK")
    locker.close()
    process.advance(10)
    runner.act(2, ActionKind.MARK)
    assert log.group_id is not None
    stored = store.sessions(group_id=log.group_id)
    kinds = [[a.action.kind for a in store.actions(s.id)] for s in stored]
    assert kinds == [[ActionKind.START]] * 2 + [[ActionKind.START, ActionKind.MARK]]


def test_the_group_is_carried_on_exactly_on_one_clock(store: HistoryStore) -> None:
    first = Process(100.0, WALL0)
    runner = runner_on(store, first, offsets=(0, 10, 20))
    runner.act_all(ActionKind.START)
    first.advance(3 + 70)
    runner.act(0, ActionKind.MARK)
    first.advance(2)
    runner.act(0, ActionKind.UNDO)
    first.advance(40)
    runner.act(1, ActionKind.MARK)
    runner.act_all(ActionKind.PAUSE)
    before = runner.group
    # The process is gone; another one starts 30 s of wall time later with its own clock.
    later = Process(5_000.0, first.wall() + 30)
    found = latest_unfinished_group(store, wall=later.wall)
    assert found is not None
    assert latest_unfinished(store) is None  # an athlete is never resumed alone
    resumed = resume_group(store, found, clock=later.clock, wall=later.wall)
    assert resumed.keys == ("1", "2", "3")
    assert resumed.title == "Tuesday squad"
    offsets = [a.start_offset_s for a in resumed.group.athletes]
    assert offsets == [0, 10, 20]
    for old, new in zip(before.sessions, resumed.group.sessions, strict=True):
        assert new.actions == old.actions
        assert new.paused
        assert new.elapsed(resumed.clock.now()) == pytest.approx(old.elapsed(runner.now()))
    carried = GroupRunner(resumed.group, resumed.clock, log=resumed.log, wall=later.wall)
    carried.act_all(ActionKind.RESUME)
    carried.act(2, ActionKind.MARK)
    stored = store.sessions(group_id=found.id)
    assert len(store.actions(stored[2].id)) == len(before.sessions[2].actions) + 2


def test_a_group_that_ended_by_itself_while_down_is_not_unfinished(store: HistoryStore) -> None:
    one_rep = PLAN.__class__(PLAN.name, PLAN.steps[:2], PLAN.display)  # a rep, a recovery
    process = Process(100.0, WALL0)
    athletes = [Athlete(n, one_rep) for n in NAMES]
    plain = [
        NewSession("r", one_rep.name, one_rep, 3, None, StoredAthlete(0, n, n[0])) for n in NAMES
    ]
    log = GroupLog(store, "t", 3, plain, wall=process.wall)
    runner = GroupRunner(Group(athletes, 3), process.clock, log=log, wall=process.wall)
    runner.act_all(ActionKind.START)
    process.advance(60)
    for athlete in range(3):
        runner.act(athlete, ActionKind.MARK)
    later = Process(0.0, process.wall() + 600)  # every recovery ran out meanwhile
    assert latest_unfinished_group(store, wall=later.wall) is None
    statuses = {s.status for s in store.sessions(group_id=log.group_id)}
    assert statuses == {Status.COMPLETED}


def test_a_runner_alone_is_still_resumed_beside_groups(store: HistoryStore) -> None:
    process = Process(100.0, WALL0)
    runner = runner_on(store, process)
    runner.act_all(ActionKind.START)
    process.advance(5)
    alone = Runner(
        Session(PLAN, 0),
        process.clock,
        log=start_log(store, PLAN, preset_id="3x400m", countdown_s=0),
        wall=process.wall,
    )
    alone.act(ActionKind.START)
    found = latest_unfinished(store)
    assert found is not None
    assert found.stored.athlete is None


def test_an_old_history_migrates_to_groups_and_keeps_its_sessions(tmp_path: Path) -> None:
    copy = tmp_path / "history.db"
    shutil.copyfile(FIXTURES / "history-v1.db", copy)
    with HistoryStore(copy) as old:
        before = len(old.sessions(include_discarded=True))
        assert all(s.athlete is None for s in old.sessions(include_discarded=True))
        process = Process(100.0, WALL0 + 10 * 86_400)
        runner = runner_on(old, process)
        runner.act_all(ActionKind.START)
        assert len(old.sessions(include_discarded=True)) == before + 3
    with sqlite3.connect(copy) as conn:
        # Through schema 3 (leases) and 4 (groups), in one go.
        assert user_version(conn) == SCHEMA_VERSION == 4
        columns = {row[1] for row in conn.execute("PRAGMA table_info(sessions)")}
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        held = conn.execute("SELECT count(*) FROM leases").fetchone()[0]
    assert {"group_id", "athlete", "athlete_key", "start_offset_s"} <= columns
    assert {"leases", "groups"} <= tables
    assert held == 3  # every athlete's running session held by this process, as any session


def test_an_athletes_session_reads_back_as_a_single_runners(store: HistoryStore) -> None:
    process = Process(100.0, WALL0)
    runner = runner_on(store, process)
    runner.act_all(ActionKind.START)
    process.advance(3 + 65)
    runner.act(0, ActionKind.MARK)
    stored = store.sessions(group_id=log_of(runner).group_id)[0]
    actions = [a.action for a in store.actions(stored.id)]
    session = runner.group.sessions[0]
    assert actions == list(session.actions)
    assert session.running_phase is Phase.RECOVERY
    assert new_session().athlete is None
