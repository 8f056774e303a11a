"""Hands-free marking (PageDown marks, PageUp undoes, repeats ignored), Ready's key probe, Ready
at 20x8 and Esc from Ready after ``trackside run X``."""

from __future__ import annotations

from pathlib import Path

from app_helpers import library, rig, shipped

from trackside.core.events import ActionKind, Phase
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.picker import PickerScreen
from trackside.tui.screens.ready import ReadyScreen
from trackside.tui.screens.session import MARK_REPEAT_S


def marks(app: TracksideApp) -> int:
    """How many marks the runner recorded."""
    assert app.runner is not None
    return sum(action.kind is ActionKind.MARK for action in app.runner.session.actions)


async def test_pagedown_marks_and_pageup_undoes() -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await rigged.advance(pilot, 70)
        await pilot.press("pagedown")
        assert rigged.phase() is Phase.RECOVERY
        await rigged.advance(pilot, 1)
        await pilot.press("pageup")
        assert rigged.phase() is Phase.REP
        assert rigged.session.current_rep == 1


async def test_a_second_press_within_a_third_of_a_second_is_the_button_repeating() -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await rigged.advance(pilot, 170)
        await pilot.press("pagedown")  # rep 1 ends
        await rigged.advance(pilot, MARK_REPEAT_S - 0.01)
        await pilot.press("pagedown")  # the clicker repeating: ignored
        assert marks(rigged.app) == 1
        assert rigged.phase() is Phase.RECOVERY
        await rigged.advance(pilot, 0.01)
        await pilot.press("space")  # a third of a second on: the runner again (refused early)
        assert "window opens" in rigged.sub()
        await rigged.advance(pilot, 150)
        await pilot.press("space")
        assert rigged.phase() is Phase.REP
        assert rigged.session.current_rep == 2


async def test_a_remapped_mark_key_leaves_pagedown_free() -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0, keymap={"mark": "b"}))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await rigged.advance(pilot, 70)
        await pilot.press("pagedown")
        assert rigged.phase() is Phase.REP
        await pilot.press("b")
        assert rigged.phase() is Phase.RECOVERY


async def test_ready_names_any_key_and_what_it_does() -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(keymap={"undo": "u,left"}))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        ready = rigged.app.screen
        assert isinstance(ready, ReadyScreen)

        def probe() -> str:
            return str(ready.query_one("#ready-probe").render())

        await pilot.press("pagedown")
        assert probe() == "PgDn: Mark in the session"
        assert isinstance(rigged.app.screen, ReadyScreen)  # testing a clicker starts nothing
        await pilot.press("left")
        assert probe() == "←: Undo in the session"
        await pilot.press("pageup")
        assert probe() == "PgUp: not bound (config.toml [keymap] can bind it)"  # remapped
        await pilot.press("full_stop")
        assert probe().startswith(".: not bound")
        await pilot.press("c")
        assert probe().startswith("c: Sound check here")


async def test_ready_at_20x8_says_space_to_start() -> None:
    rigged = rig(shipped("21x400m"))
    async with rigged.app.run_test(size=(20, 8)) as pilot:
        await pilot.pause()
        screen = rigged.app.export_screenshot().replace("&#160;", " ")
        assert "SPACE to start" in screen
        key = rigged.app.screen.query_one("#ready-key")
        assert key.region.width <= 20
        assert key.region.bottom <= 8


async def test_escape_on_ready_after_run_goes_to_the_picker_and_q_quits(tmp_path: Path) -> None:
    rigged = rig(shipped("21x400m"))
    rigged.app.find_library = lambda: library(tmp_path)
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("escape")
        assert isinstance(rigged.app.screen, PickerScreen)
        await pilot.press("enter")
        assert isinstance(rigged.app.screen, ReadyScreen)
        await pilot.press("q")
        await pilot.pause()
    assert rigged.app.return_code == 0
