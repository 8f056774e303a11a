"""One window per session: a running session is held by its process (a lease it renews); a
second window (``trackside``, ``trackside resume``, or one that lost track) finds it held, says
so in one line (where: pid, terminal), and never writes to it. A dead window's lease is taken
over on resume. A write that meets another window's action is an error that is shown, never
dropped while both summaries say "Saved".

The windows are real processes (``rel_window_driver.py`` and the real program) on a real file.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rel_records import Home, Window, contents, one_line

from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.lease import Holder, SessionHeld
from trackside.history.log import SessionLog
from trackside.history.resume import latest_unfinished, resume_session
from trackside.history.service import HistoryAtStart
from trackside.history.store import HistoryStore, NewSession
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.resume import ResumeScreen

K = ActionKind


@pytest.fixture
def home(tmp_path: Path) -> Home:
    found = Home(tmp_path)
    found.db.parent.mkdir(parents=True)
    return found


@pytest.fixture
def first(home: Home) -> Iterator[Window]:
    """The first window: a session started, one rep marked."""
    window = Window(home.db)
    started = window.say("start")
    assert started["session"] == 1
    assert window.say("act mark")["unsaved"] == 0
    yield window
    window.leave()


def test_a_second_trackside_resume_says_where_and_writes_nothing(home: Home, first: Window) -> None:
    before = contents(home.db)
    (lease,) = before["leases"]
    assert lease[1] == first.pid
    for argv in (("resume",), ("resume", "--show")):
        done = home.run(*argv)
        assert done.returncode == 2
        line = one_line(done.stderr)
        assert line == (
            f"trackside: 10 x open (session 1) is open in another window (pid {first.pid}); "
            "it is not resumed here (`trackside history 1` shows it)"
        )
        assert done.stdout == ""
    shown = home.run("history", "1")  # read-only, it shows where the session stands
    assert shown.returncode == 0, shown.stderr
    assert "session 1" in shown.stdout.splitlines()[0]
    assert contents(home.db) == before, "the second window wrote nothing"
    assert first.say("act mark")["unsaved"] == 0, "the first window writes on"


def test_a_window_that_lost_track_cannot_write_to_a_held_session(home: Home, first: Window) -> None:
    second = Window(home.db)
    try:
        assert second.say("resume")["held"] == [
            f"10 x open (session 1) is open in another window (pid {first.pid}); it is not "
            "resumed here (`trackside history 1` shows it)"
        ]
        before = contents(home.db)
        refused = second.say("append 1 2")
        assert refused["kind"] == "SessionHeld"
        assert refused["error"] == f"session 1 is open in another window (pid {first.pid})"
        assert contents(home.db) == before
    finally:
        second.leave()


def test_a_conflicting_write_is_an_error_never_dropped(home: Home, first: Window) -> None:
    # The first window's lease gone (an older trackside, a hand): the place is still taken.
    with sqlite3.connect(home.db) as conn:
        conn.execute("DELETE FROM leases")
    conn.close()
    before = contents(home.db)
    second = Window(home.db)
    try:
        refused = second.say("append 1 1")  # where the first window's mark is
        assert refused["kind"] == "ActionConflict"
        assert refused["error"] == (
            "session 1 was written by another window (its action 2 is not this window's)"
        )
        assert contents(home.db) == before, "nothing of it written, the lease not taken"
    finally:
        second.leave()


def test_a_dead_windows_session_is_taken_over_on_resume(home: Home, first: Window) -> None:
    first.kill()
    shown = home.run("resume", "--show")
    assert shown.returncode == 0, shown.stderr
    assert "10 x open (session 1" in shown.stdout
    second = Window(home.db)
    try:
        resumed = second.say("resume")
        assert (resumed["session"], resumed["problems"]) == (1, [])
        assert contents(home.db)["leases"][0][1] == second.pid, "the lease is the new window's"
        assert second.say("act mark")["unsaved"] == 0
        stored = contents(home.db)["actions"]
        assert [row[1] for row in stored] == [0, 1, 2], "one session, its actions in order"
        assert second.say("close")["unsaved"] == 0
        assert contents(home.db)["leases"] == [], "let go when the window leaves the session"
    finally:
        second.leave()


def test_two_windows_resuming_at_once_get_one_session(home: Home, first: Window) -> None:
    first.kill()
    windows = [Window(home.db), Window(home.db)]
    answers: list[dict[str, object]] = []
    try:
        threads = [
            threading.Thread(target=lambda w=w: answers.append(w.say("resume"))) for w in windows
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        resumed = [a for a in answers if a.get("session") == 1]
        refused = [a for a in answers if "error" in a]
        assert len(resumed) == 1, answers
        assert len(refused) == 1, answers
        said = str(refused[0]["error"]) + " ".join(map(str, refused[0].get("held", [])))
        assert "is open in another window (pid " in said
        assert contents(home.db)["leases"][0][1] == resumed[0]["pid"]
    finally:
        for window in windows:
            window.leave()


async def test_the_app_says_it_and_never_offers_to_resume_it(home: Home, first: Window) -> None:
    store = HistoryStore(home.db)
    before = contents(home.db)
    app = TracksideApp(
        clock=FakeClock(),
        settings=Settings(countdown_s=0),
        history=HistoryAtStart(store, look_later=True),
    )
    try:
        async with app.run_test(size=(110, 30)) as pilot:
            for _ in range(4):
                await pilot.pause()
                await app.workers.wait_for_complete()
            said = [n.message for n in app._notifications]
            assert any(
                f"10 x open (session 1) is open in another window (pid {first.pid})" in message
                for message in said
            ), said
            assert not isinstance(app.screen, ResumeScreen)
    finally:
        store.close()
    assert contents(home.db) == before


def test_two_logs_on_one_session_the_second_is_told_and_not_saved(tmp_path: Path) -> None:
    """Both windows of one process (the lease cannot tell them apart): the place of an action
    taken by the other is found, told, and nothing of this window is written or called saved."""
    from rel_window_driver import PLAN

    path = tmp_path / "history.db"
    clock = FakeClock(100.0)
    with HistoryStore(path) as store:
        first = SessionLog(store, NewSession("open", PLAN.name, PLAN, 0))
        one = Runner(Session(PLAN, 0), clock, log=first)
        one.act(K.START)
        assert first.session_id is not None
        found = latest_unfinished(store)
        assert found is not None
        told: list[str] = []
        resumed = resume_session(
            store, found, clock=clock, on_problem=lambda problem: told.append(str(problem))
        )
        two = Runner(resumed.session, resumed.clock, log=resumed.log)
        clock.advance(70.0)
        one.act(K.MARK)
        clock.advance(1.0)
        two.act(K.MARK)  # its own mark, at the same place: a conflict
        assert told == [
            "session 1 was written by another window (its action 2 is not this window's): "
            "this window's actions are kept in memory, not saved"
        ]
        assert resumed.log.unsaved == 1
        assert not resumed.log.finish(two.session), "never 'Saved' when it was not"
        assert [a.action.kind for a in store.actions(1)] == [K.START, K.MARK]
        assert first.finish(one.session)


def test_where_names_the_terminal_and_another_host() -> None:
    me = Holder.me()
    other = Holder(4321, "track-laptop", "", "/dev/pts/7")
    assert other.where() == "pid 4321, terminal /dev/pts/7, on track-laptop"
    assert str(SessionHeld(3, other)) == (
        "session 3 is open in another window (pid 4321, terminal /dev/pts/7, on track-laptop)"
    )
    assert me.same(Holder.me())
