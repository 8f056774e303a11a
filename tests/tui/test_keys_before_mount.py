"""Keys that reach the session screen before it has composed do nothing (a mashed keyboard)."""

from __future__ import annotations

import pytest
from app_helpers import rig, shipped
from textual import events

from trackside.core.events import Phase
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.session import SessionScreen

CHARS = {"space": " ", "enter": "\r", "question_mark": "?"}


def queue_keys(app: TracksideApp, *keys: str) -> None:
    """Keys as one terminal read delivers them: all queued before the app handles the first."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = events.Key(key, CHARS.get(key, key))
        event.set_sender(app)
        driver.send_message(event)


@pytest.mark.parametrize("key", ["space", "g", "u", "p", "s", "t", "m", "question_mark"])
async def test_a_key_right_behind_the_start_key_does_nothing(key: str) -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        queue_keys(rigged.app, "space", key)
        await pilot._wait_for_screen()
        await pilot._wait_for_screen()
        await pilot.pause()
        screen = rigged.app.screen
        assert isinstance(screen, SessionScreen), type(screen).__name__
        assert rigged.phase() is Phase.REP
        assert len(rigged.session.actions) == 1, "only the start"
        assert rigged.headline().startswith("REP 1/21")
        await pilot.press("m")  # once shown, every key counts
        assert rigged.player.muted


async def test_a_key_on_a_session_screen_not_yet_composed_does_nothing() -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        runner = rigged.app.runner
        assert runner is not None
        screen = SessionScreen(runner, audio=rigged.player)
        rigged.app.push_screen(screen)
        assert not screen.is_mounted
        for key in ("space", "m", "p", "t", "q"):
            await rigged.app._check_bindings(key)  # as the app does for a key from the terminal
        await pilot._wait_for_screen()
        await pilot.pause()
        assert rigged.app.screen is screen
        assert len(rigged.session.actions) == 1
        assert not rigged.player.muted
