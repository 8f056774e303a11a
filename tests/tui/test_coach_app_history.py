"""A coach's group in the app's history: one line of the History screen that opens to its
athletes; left running, offered when the app starts, like a runner's own session:
resumed on the coach's screen with every athlete where they were, or saved as ended early
every athlete at once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from coach_helpers import short_preset

from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind, Phase
from trackside.core.group import Athlete, Group
from trackside.core.group_runner import GroupRunner
from trackside.history.groups import GroupLog
from trackside.history.service import HistoryAtStart
from trackside.history.store import HistoryStore, NewSession, Status
from trackside.history.stored import Athlete as StoredAthlete
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.coach import CoachScreen
from trackside.tui.screens.resume import ResumeScreen

NAMES = ("Ann", "Ben", "Cid")


def left_running(store: HistoryStore, folder: Path) -> None:
    """Three athletes started 30 s ago; Ann marked her first rep 20 s in, then the process
    was gone."""
    plan = short_preset(folder).to_plan()
    news = [
        NewSession("short", plan.name, plan, 3, 7, StoredAthlete(0, name, str(i + 1), 0))
        for i, name in enumerate(NAMES)
    ]
    clock = FakeClock()
    began, zero = time.time() - 30, clock.now()
    wall = lambda: began + clock.now() - zero  # noqa: E731
    log = GroupLog(store, "Tuesday squad", 3, news, wall=wall)
    athletes = [Athlete(name, plan) for name in NAMES]
    runner = GroupRunner(Group(athletes, 3), clock, log=log, wall=wall)
    runner.act_all(ActionKind.START)
    clock.advance(20)
    runner.act(0, ActionKind.MARK)


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    (tmp_path / "data").mkdir()
    history = HistoryStore(tmp_path / "data" / "history.db")
    history.open()
    left_running(history, tmp_path)
    history.close()
    return HistoryStore(tmp_path / "data" / "history.db")


def app_on(store: HistoryStore) -> TracksideApp:
    return TracksideApp(
        clock=FakeClock(),
        library=[],
        settings=Settings(countdown_s=3),
        history=HistoryAtStart(store, None, look_later=True),
    )


async def test_a_group_left_running_is_offered_and_resumed(store: HistoryStore) -> None:
    app = app_on(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, ResumeScreen)
        assert "Tuesday squad" in prompt.described
        assert "Ann, Ben, Cid" in prompt.described
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        group = app.screen.runner.group
        # Ann's 4-6 s recovery ended by itself while trackside was down: she is in rep 2.
        assert [s.current_rep for s in group.sessions] == [2, 1, 1]
        assert [s.running_phase for s in group.sessions] == [Phase.REP] * 3
        assert group.sessions[1].elapsed(app.screen.runner.now()) == pytest.approx(27, abs=2)
    store.close()


async def test_a_group_left_running_saved_as_ended_early(store: HistoryStore) -> None:
    app = app_on(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, CoachScreen)
    store.open()
    statuses = [s.status for s in store.sessions()]
    store.close()
    assert statuses == [Status.ENDED_EARLY] * 3


async def test_the_history_screen_shows_a_group_as_one_line_that_opens_to_its_athletes(
    store: HistoryStore,
) -> None:
    from textual.widgets import Static

    from trackside.tui.screens.history import HistoryScreen, SessionDetailScreen
    from trackside.tui.widgets.session_list import SessionList

    app = TracksideApp(
        clock=FakeClock(), library=[], history=HistoryAtStart(store, None, look_later=False)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        store.open()
        app.action_history()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        listing = app.screen.query_one(SessionList)
        assert listing.count == 1  # three athletes' sessions, one line
        title = str(app.screen.query_one("#history-title", Static).render())
        assert title.startswith("History: 1 group ·")  # not "1 session", nor 3
        row = listing.row(0)
        assert row is not None
        assert row.group
        assert "G1 Tuesday squad · 3 athletes" in row.cells[1]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SessionDetailScreen)
        shown = str(app.screen.query_one("#detail").render())
        for name in NAMES:
            assert name in shown
        assert "trackside history 1" in shown  # Ann's own session, a step away
    store.close()
