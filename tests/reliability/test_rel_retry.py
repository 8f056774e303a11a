"""Saves retry by themselves: actions held in memory while the history is locked or the disk is
full are written by a timer (backing off to a few seconds), not at the next key, and the screen
shows how many wait until they are saved; then a ``kill -9`` loses none of them.

The lock is another program's (a process holding ``BEGIN EXCLUSIVE``); the window is a process
of its own (``rel_window_driver.py``), or the app headless on the same real file.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rel_records import Home, Lock, Window, contents
from rel_support import WALL0, fill, small_disk
from textual.pilot import Pilot
from textual.widgets import Static

from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import RETRY_MAX_S, SessionLog
from trackside.history.service import HistoryAtStart
from trackside.history.store import HistoryStore, NewSession
from trackside.presets.loader import load_checked
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.session import SessionScreen
from trackside.tui.screens.summary import SummaryScreen
from trackside.tui.widgets.unsaved import UnsavedBadge

K = ActionKind
LOCKED_S = 3.0
HELD_S = 600.0
"""A lock the test lets go itself: however slow the machine, it cannot end before the app writes."""


@pytest.fixture
def home(tmp_path: Path) -> Home:
    found = Home(tmp_path)
    found.db.parent.mkdir(parents=True)
    return found


def test_a_locked_history_is_saved_by_the_timer_then_a_kill_loses_nothing(home: Home) -> None:
    window = Window(home.db)
    try:
        window.say("start")
        lock = Lock(home.db, LOCKED_S)
        window.say("act mark")
        waiting = window.say("act mark")
        assert waiting["unsaved"] == 2
        assert "locked by another program" in waiting["problems"][0]
        assert waiting["heard"][-2:] == [1, 2], "the screen hears each action that waits"
        assert len(contents(home.db)["actions"]) == 1, "only the start got through"
        lock.wait()
        saved = window.say(f"wait-saved {LOCKED_S + 3 * RETRY_MAX_S}")  # no key pressed
        assert saved["unsaved"] == 0
        assert saved["heard"][-1] == 0, "and hears when all are saved"
        window.kill()  # kill -9, right after: nothing was left to lose
        assert [row[2] for row in contents(home.db)["actions"]] == ["start", "mark", "mark"]
    finally:
        window.leave()


def test_a_full_disk_is_saved_by_the_timer_once_there_is_room(tmp_path: Path) -> None:
    from rel_window_driver import PLAN

    with small_disk(tmp_path / "disk", 4096) as disk:
        store = HistoryStore(disk / "history.db")
        clock = FakeClock(100.0)
        log = SessionLog(store, NewSession("open", PLAN.name, PLAN, 0))
        heard: list[int] = []
        log.on_unsaved = heard.append
        runner = Runner(Session(PLAN, 0), clock, log=log)
        runner.act(K.START)
        filler = fill(disk, leave=0)
        for _ in range(3):
            clock.advance(60.0)
            runner.act(K.MARK)
        assert log.unsaved == 3
        assert "is full" in str(log.problem)
        filler.unlink()
        deadline = time.monotonic() + 3 * RETRY_MAX_S
        while log.unsaved and time.monotonic() < deadline:
            time.sleep(0.05)  # no key: the timer writes them
        assert log.unsaved == 0
        assert heard == [1, 2, 3, 0]
        assert len(store.actions(1)) == 4
        log.close()
        store.close()


async def _until(pilot: Pilot[int], done: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(done) and done():
            return True
        await pilot.pause(0.05)
    return bool(callable(done) and done())


async def test_the_screen_shows_what_waits_until_it_is_saved(home: Home) -> None:
    store = HistoryStore(home.db)
    preset = load_checked("21x400m")
    app = TracksideApp(
        clock=FakeClock(WALL0),
        preset=preset,
        preset_id="21x400m",
        settings=Settings(countdown_s=0),
        history=HistoryAtStart(store),
    )
    try:
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.press("space")  # start: saved
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SessionScreen)
            badge = screen.query_one(UnsavedBadge)
            assert not badge.display
            lock = Lock(home.db, HELD_S)
            await pilot.press("p")  # pause: the file is locked
            await pilot.press("p")  # resume: kept, the key does not wait
            assert await _until(pilot, lambda: badge.display, 5.0)
            assert str(badge.render()) == "2 not saved"
            clock = screen.query_one("#big")
            assert badge.region.y >= clock.region.bottom, "below the clock, never over it"
            # The notice saying the file is locked: shown bottom right, never over the badge.
            assert await _until(pilot, lambda: list(app.screen.query("Toast")), 5.0)
            toasts = list(app.screen.query("Toast"))
            assert not any(toast.region.overlaps(badge.region) for toast in toasts)
            lock.release()
            assert await _until(pilot, lambda: not badge.display, 3 * RETRY_MAX_S)
            assert [row[2] for row in contents(home.db)["actions"]] == ["start", "pause", "resume"]
            lock = Lock(home.db, HELD_S)
            await pilot.press("q", "y")  # ended while locked: the summary says so ...
            assert await _until(pilot, lambda: isinstance(app.screen, SummaryScreen), 5.0)
            kept = app.screen.query_one("#kept", Static)
            assert await _until(pilot, lambda: "memory" in str(kept.render()), 5.0)
            lock.release()  # ... and that it is saved, once it is, with no key pressed
            assert await _until(pilot, lambda: str(kept.render()) == "Saved to the history", 15)
            assert contents(home.db)["sessions"][0][7] == "ended-early"
            lock = Lock(home.db, HELD_S)
            await pilot.press("7")  # a rating while locked: only the rating waits
            assert await _until(pilot, lambda: "memory" in str(kept.render()), 5.0)
            lock.release()
            assert await _until(pilot, lambda: str(kept.render()) == "Saved to the history", 15)
            assert contents(home.db)["sessions"][0][9] == 7
    finally:
        store.close()


async def test_what_waits_when_the_app_ends_is_said_on_the_terminal(home: Home) -> None:
    store = HistoryStore(home.db)
    app = TracksideApp(
        clock=FakeClock(WALL0),
        preset=load_checked("21x400m"),
        preset_id="21x400m",
        settings=Settings(countdown_s=0),
        history=HistoryAtStart(store),
    )
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("space")
            await pilot.pause()
            # Locked until the app has gone: however slow the machine, the retry cannot win.
            lock = Lock(home.db, 600.0)
            await pilot.press("p")
            await pilot.pause()
        lines = app.history.close()  # what run_app says once the full screen is gone
        lock.release()
    finally:
        store.close()
    assert lines == [
        f"session 1 (21 x 400m): 1 action not saved: history file {home.db} is locked by "
        "another program"
    ]
