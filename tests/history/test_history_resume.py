"""Resume: the session where it was, its clock carried on from the real (wall-clock) time passed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from history_support import PLAN, WALL0, Process, new_session, press

from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind, Phase
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import SessionLog
from trackside.history.resume import (
    OffsetClock,
    discard_unfinished,
    end_unfinished,
    latest_unfinished,
    resume_session,
)
from trackside.history.store import HistoryStore, NewSession, Status

K = ActionKind


def _start(store: HistoryStore, process: Process, new: NewSession | None = None) -> Runner:
    new = new or new_session()
    log = SessionLog(store, new, wall=process.wall)
    return Runner(Session(new.plan, new.countdown_s), process.clock, log=log, wall=process.wall)


def _first_rep_then_recovery(store: HistoryStore) -> tuple[Runner, Process]:
    """A process that starts, runs rep 1 in 71.2 s and is 20 s into the recovery."""
    process = Process(1000.0, WALL0)
    runner = _start(store, process)
    press(runner, process, K.START)
    press(runner, process, K.MARK, 71.2)
    process.advance(20.0)
    return runner, process


def _resume(store: HistoryStore, down_s: float, since_wall: float) -> tuple[Runner, Process]:
    """A new process (its monotonic clock starts anew) ``down_s`` after ``since_wall``."""
    process = Process(5.0, since_wall + down_s)
    unfinished = latest_unfinished(store, wall=process.wall)
    assert unfinished is not None
    session, clock, log = resume_session(store, unfinished, clock=process.clock, wall=process.wall)
    return Runner(session, clock, log=log, wall=process.wall), process


def test_the_offset_clock_continues_another_clock() -> None:
    base = FakeClock(5.0)
    clock = OffsetClock.reading(base, 1091.2)
    assert clock.now() == pytest.approx(1091.2)
    base.advance(2.5)
    assert clock.now() == pytest.approx(1093.7)


def test_a_recovery_carries_on_from_the_real_time_passed(store: HistoryStore) -> None:
    old, old_process = _first_rep_then_recovery(store)
    runner, process = _resume(store, 5.0, old_process.wall())
    session = runner.session.advance(runner.now()).session
    assert session.running_phase is Phase.RECOVERY
    assert session.elapsed(runner.now()) == pytest.approx(25.0)
    assert session.splits() == old.session.splits()
    assert dict(session.splits()) == pytest.approx({1: 71.2})
    press(runner, process, K.MARK, 40.0)  # 65 s: inside the window, rep 2 starts
    press(runner, process, K.MARK, 70.0)
    log, old_log = runner.log, old.log
    assert isinstance(log, SessionLog)
    assert isinstance(old_log, SessionLog)
    assert log.session_id == old_log.session_id
    stored = store.actions(log.session_id or 0)
    assert [a.seq for a in stored] == [0, 1, 2, 3]
    replayed = Session.replay(PLAN, [a.action for a in stored], runner.now(), 0)
    assert replayed.records == runner.session.advance(runner.now()).session.records
    assert dict(replayed.splits()) == pytest.approx({1: 71.2, 2: 70.0})
    assert replayed.records[1].duration == pytest.approx(65.0)


def test_a_recovery_whose_maximum_passed_while_down_has_ended(store: HistoryStore) -> None:
    _old, old_process = _first_rep_then_recovery(store)
    runner, _process = _resume(store, 120.0, old_process.wall())
    session = runner.session
    assert session.running_phase is Phase.REP
    assert session.current_rep == 2
    assert session.records[-1].duration == pytest.approx(90.0)  # ended by itself at its max
    assert session.elapsed(runner.now()) == pytest.approx(20.0 + 120.0 - 90.0)


def test_a_paused_session_stays_paused_however_long_it_was_down(store: HistoryStore) -> None:
    process = Process(1000.0, WALL0)
    old = _start(store, process)
    press(old, process, K.START)
    press(old, process, K.PAUSE, 30.0)
    runner, _ = _resume(store, 3600.0, process.wall())
    assert runner.session.paused
    assert runner.session.elapsed(runner.now()) == pytest.approx(30.0)
    assert K.RESUME in runner.allowed()


def test_a_wall_clock_set_back_counts_as_no_time(store: HistoryStore) -> None:
    _old, old_process = _first_rep_then_recovery(store)
    runner, _ = _resume(store, -3600.0, old_process.wall())
    assert runner.session.elapsed(runner.now()) == pytest.approx(0.0)


def test_resuming_twice_keeps_one_clock(store: HistoryStore) -> None:
    _old, old_process = _first_rep_then_recovery(store)
    first, first_process = _resume(store, 5.0, old_process.wall())
    first_process.advance(10.0)  # killed again, with no key pressed
    second, _ = _resume(store, 3.0, first_process.wall())
    assert second.session.elapsed(second.now()) == pytest.approx(20.0 + 5.0 + 10.0 + 3.0)
    assert first.session.splits() == second.session.splits()


def test_the_latest_running_session_is_offered(store: HistoryStore) -> None:
    assert latest_unfinished(store) is None
    process = Process(1000.0, WALL0)
    done = _start(store, process)
    for kind, after in [(K.START, 0), (K.MARK, 70), (K.GO_NOW, 5), (K.MARK, 70)]:
        press(done, process, kind, after)
    press(done, process, K.GO_NOW, 5)
    press(done, process, K.MARK, 60)
    assert done.session.finished
    older = _start(store, process)
    press(older, process, K.START, 60)
    newer = _start(store, process)
    press(newer, process, K.START, 60)
    press(newer, process, K.MARK, 71)
    found = latest_unfinished(store, wall=lambda: process.wall() + 30)
    assert found is not None
    assert found.id == newer.log.session_id  # type: ignore[union-attr]
    assert found.describe().startswith(f"3 x 400m (session {found.id}, started ")
    assert found.describe().endswith("1 of 3 reps done, left 30 s ago during recovery")


def test_ended_early_and_discarded_are_not_offered_again(store: HistoryStore) -> None:
    _old, process = _first_rep_then_recovery(store)
    found = latest_unfinished(store, wall=process.wall)
    assert found is not None
    end_unfinished(store, found)
    stored = store.session(found.id)
    assert (stored.status, stored.ended_at) == (Status.ENDED_EARLY, found.actions[-1].action.at)
    assert latest_unfinished(store) is None

    _first_rep_then_recovery(store)
    second = latest_unfinished(store, wall=process.wall)
    assert second is not None
    discard_unfinished(store, second)
    assert latest_unfinished(store) is None
    assert [s.id for s in store.sessions()] == [found.id]
    assert [s.id for s in store.sessions(include_discarded=True)] == [found.id, second.id]
    assert len(store.actions(second.id)) == 2  # kept: nothing recorded is deleted


def test_a_session_that_ended_by_itself_while_down_is_completed(store: HistoryStore) -> None:
    plan = Plan(
        "1 x 400m then 10 min easy",
        (
            Step(StepKind.WORK, 400.0, "400m", rep=1),
            Step(StepKind.COOLDOWN, time_s=600.0, activity="jog"),
        ),
    )
    process = Process(1000.0, WALL0)
    runner = _start(store, process, new_session(plan))
    press(runner, process, K.START)
    press(runner, process, K.MARK, 70.0)
    assert latest_unfinished(store, wall=lambda: process.wall() + 601) is None
    stored = store.sessions()[0]
    assert stored.status is Status.COMPLETED
    assert stored.ended_at == pytest.approx(1670.0)


LEASED_RUN = """\
import sys, time
import trackside.history.log as log_module
from trackside.core.clock import SessionClock
from trackside.core.events import ActionKind
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import start_log
from trackside.history.store import HistoryStore
from history_support import PLAN

log_module.RENEW_S = 0.2  # the lease renewed often, so a short test sees it
store = HistoryStore(sys.argv[1])
log = start_log(store, PLAN, preset_id="3x400m", countdown_s=0)
runner = Runner(Session(PLAN, 0), SessionClock(), log=log)
runner.act(ActionKind.START)
print("started", flush=True)
while True:  # running on, no key pressed, until killed
    time.sleep(0.05)
    runner.tick()
"""


def test_left_n_s_ago_counts_from_the_last_moment_the_app_was_running(tmp_path: Path) -> None:
    """A session run for a few seconds after its last key, then killed: the words count from
    the lease's last renewal (the app still running), not from the last key."""
    db = tmp_path / "history.db"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    run = [sys.executable, "-c", LEASED_RUN, str(db)]
    process = subprocess.Popen(run, stdout=subprocess.PIPE, env=env, text=True)
    assert process.stdout is not None
    assert process.stdout.readline() == "started\n"
    key_wall = time.time()
    time.sleep(4.0)
    process.kill()
    process.wait(timeout=10)
    killed_wall = time.time()
    with HistoryStore(db) as store:
        found = latest_unfinished(store)
        assert found is not None
        words = re.search(r"left (\d+) s ago", found.describe())
    assert words is not None, found.describe()
    since_kill, since_key = time.time() - killed_wall, killed_wall - key_wall
    assert int(words[1]) <= since_kill + 1.5  # renewed every 0.2 s up to the kill
    assert int(words[1]) < since_key - 2  # not the 4 s since the last key
