"""The History screen with a long history: the first rows at once, the rest read as they come
on screen, every session reachable; personal bests and critical speed above the list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from trackside.core.clock import FakeClock
from trackside.core.events import Action, ActionKind
from trackside.core.plan import Plan, Step, StepKind
from trackside.history.service import HistoryAtStart
from trackside.history.store import HistoryStore, NewSession, Status
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.history import HistoryScreen, SessionDetailScreen
from trackside.tui.widgets.session_list import PAGE, SessionList

K = ActionKind
WALL0 = 1_780_000_000.0
SESSIONS = 2 * PAGE + 50
DISTANCES = (400.0, 800.0, 1200.0)
PLAN = Plan(
    "3 reps",
    tuple(
        step
        for rep, metres in enumerate(DISTANCES, start=1)
        for step in (
            Step(StepKind.WORK, metres, f"{metres:g}m", rep=rep),
            Step(StepKind.RECOVERY, time_s=60.0),
        )
    )[:-1],
)


def _times(number: int) -> tuple[float, float, float]:
    """Reps of a runner a little faster each session: 4.5 m/s with 100 m beyond it at best."""
    slower = 1.0 + 0.0002 * (SESSIONS - number)
    return tuple((metres - 100.0) / 4.5 * slower for metres in DISTANCES)  # type: ignore[return-value]


@pytest.fixture
def long_history(tmp_path: Path) -> Iterator[HistoryStore]:
    """250 sessions of three reps, a day apart, written as the app writes them."""
    store = HistoryStore(tmp_path / "history.db")
    new = NewSession("3reps", PLAN.name, PLAN, 0)
    for number in range(1, SESSIONS + 1):
        at, wall = 100.0, WALL0 + number * 86_400.0
        actions = [(Action(K.START, at), wall)]
        for rep, seconds in enumerate(_times(number)):
            at += seconds
            actions.append((Action(K.MARK, at), wall + at - 100.0))
            if rep < 2:
                at += 60.0  # the timed recovery ends by itself
        store.append(None, new, 0, actions, Status.COMPLETED, at)
    yield store
    store.close()


async def _open(pilot: Pilot[int]) -> HistoryScreen:
    pilot.app.action_history()  # type: ignore[attr-defined]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


async def _settle(pilot: Pilot[int]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_list_reads_only_what_is_on_screen_and_reaches_every_session(
    long_history: HistoryStore,
) -> None:
    app = TracksideApp(
        clock=FakeClock(), settings=Settings(countdown_s=0), history=HistoryAtStart(long_history)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot)
        listing = screen.query_one(SessionList)
        assert listing.count == SESSIONS
        assert listing.rows_shown > 0
        assert set(listing.pages) == {0}  # one page read of three
        assert listing.pages[0][0].session_id == SESSIONS  # the newest first
        await pilot.press("end")
        await _settle(pilot)
        assert listing.cursor == SESSIONS - 1
        assert set(listing.pages) == {0, 2}  # the last page, not the one in between
        await pilot.press("enter")
        await _settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, SessionDetailScreen)
        assert detail.session_id == 1  # the oldest
        assert "3 reps: session 1," in str(detail.query_one("#detail", Static).render())
        await pilot.press("escape", "pageup", "pageup", "pageup", "up")
        await _settle(pilot)
        screenful = listing.scrollable_content_region.height - 1
        assert listing.cursor == SESSIONS - 1 - 3 * screenful - 1
        assert listing.cursor < 2 * PAGE
        assert set(listing.pages) == {0, 1, 2}  # the page in between, read as it came in view


async def test_bests_and_critical_speed_are_shown_above_the_list(
    long_history: HistoryStore,
) -> None:
    app = TracksideApp(
        clock=FakeClock(), settings=Settings(countdown_s=0), history=HistoryAtStart(long_history)
    )
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _open(pilot)
        await _settle(pilot)
        text = str(screen.query_one("#history-progress", Static).render())
    # the newest session is the fastest: (400 - 100) / 4.5 = 66.7 s, 155.6 s, 244.4 s
    assert "Personal bests: 400m 1:06.6 · 800m 2:35.5 · 1.2km 4:04.4" in text
    # the last 90 days are on the line of 4.5 m/s, 100 m, slowing a little going back
    assert "Critical speed (estimate): 4.5" in text
    assert "from 400m, 800m, 1.2km, last 90 days" in text
