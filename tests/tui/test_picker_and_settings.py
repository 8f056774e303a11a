"""The picker (broken presets listed, Enter starts), settings written when changed, themes."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import library, rig, shipped
from textual.widgets import OptionList

from trackside.core.events import Phase
from trackside.settings import Settings, SettingsError, load_settings, save_settings, to_toml
from trackside.tui.screens.picker import PickerScreen, describe
from trackside.tui.screens.ready import ReadyScreen
from trackside.tui.screens.session import SessionScreen


def broken_library(tmp_path: Path) -> Path:
    user = tmp_path / "presets"
    user.mkdir()
    (user / "zz-broken.toml").write_text('name = "Broken"\n[[block]]\nwork = { distance = 400 }\n')
    return user


async def test_the_picker_lists_every_preset_and_starts_the_chosen_one(tmp_path: Path) -> None:
    entries = library(broken_library(tmp_path))
    rigged = rig(entries=entries)
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        picker = rigged.app.screen
        assert isinstance(picker, PickerScreen)
        options = picker.query_one(OptionList)
        assert options.option_count == len(entries)
        assert options.highlighted == 0
        assert entries[0].id == "21x400m"
        preview = str(picker.query_one("#preview").render())
        assert "21 x 400m" in preview
        assert "Marathon runners" in preview
        assert "20 x 400m 3K effort, then recovery 400m jog 2:30-3:00 window" in preview

        broken = next(i for i, entry in enumerate(entries) if not entry.ok)
        options.highlighted = broken
        await pilot.pause()
        preview = str(picker.query_one("#preview").render())
        assert "has errors and cannot run" in preview
        assert entries[broken].errors[0] in preview
        await pilot.press("enter")
        assert rigged.app.screen is picker, "a broken preset does not start"

        options.highlighted = 0
        await pilot.press("enter")
        assert isinstance(rigged.app.screen, ReadyScreen)
        await pilot.press("space")
        assert isinstance(rigged.app.screen, SessionScreen)
        assert rigged.phase() is Phase.COUNTDOWN


async def test_escape_on_ready_goes_back_to_the_picker(tmp_path: Path) -> None:
    rigged = rig(entries=library(tmp_path))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        assert isinstance(rigged.app.screen, ReadyScreen)
        await pilot.press("escape")
        assert isinstance(rigged.app.screen, PickerScreen)


def test_describe_gives_the_duration_and_exertion() -> None:
    text = describe(shipped("21x400m"))
    assert "Exertion       8/10" in text
    assert "Periodization  General Period" in text
    assert "Duration       about 1:15:12-1:42:00" in text
    assert "\n  400m All You Got (all out)" in text
    tabata = describe(shipped("tabata"))
    assert "Reps           8\n" in tabata  # no "(0 m)"
    assert "Recovery       1:10\n" in tabata  # the recoveries, not the warmup
    assert "Duration       about 13:50 with the warmup\n" in tabata


# -- settings -------------------------------------------------------------------------------


def test_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    settings = Settings(theme="trackside-light", volume=0.5, keymap={"mark": "space,b"})
    save_settings(settings, path)
    assert load_settings(path) == settings
    assert 'theme = "trackside-light"' in to_toml(settings)


def test_no_file_is_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml") == Settings()


def test_a_bad_setting_is_one_line_each(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "purple"\nvolum = 1\n')
    with pytest.raises(SettingsError) as raised:
        load_settings(path)
    assert len(raised.value.lines) == 2
    assert all(str(path) in line for line in raised.value.lines)


async def test_toggling_the_rep_clock_writes_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    rigged = rig(shipped("21x400m"), config_path=path)
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await pilot.press("t")
        await rigged.app.workers.wait_for_complete()
    assert load_settings(path).show_rep_clock is True


async def test_a_theme_chosen_in_the_app_is_remembered(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    rigged = rig(shipped("21x400m"), config_path=path)
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        assert rigged.app.theme == "trackside-dark"
        rigged.app.theme = "trackside-light"
        await pilot.pause()
        await rigged.app.workers.wait_for_complete()
    assert load_settings(path).theme == "trackside-light"


async def test_the_app_starts_on_the_settings_theme_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    settings = Settings(theme="trackside-light")
    rigged = rig(shipped("21x400m"), settings=settings, config_path=path)
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert rigged.app.theme == "trackside-light"
        assert {"-theme-trackside-light", "-light-mode"} <= set(rigged.app.classes)
        # The first frame in the light colours: black on white.
        assert rigged.app.screen.styles.background.hex == "#FFFFFF"
        await rigged.app.workers.wait_for_complete()
    assert not path.exists(), "starting on a theme is not a change to write"


async def test_the_palette_offers_our_two_themes(tmp_path: Path) -> None:
    rigged = rig(shipped("21x400m"))
    async with rigged.app.run_test(size=(100, 30)):
        titles = [command.title for command in rigged.app.get_system_commands(rigged.app.screen)]
        assert "Theme: dark" in titles
        assert "Theme: light (sunshine)" in titles
        assert "Theme" not in titles
