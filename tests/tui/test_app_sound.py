"""The app's sound wiring: the player it makes, the backend shown, the bell, the sound check."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from app_helpers import shipped

from trackside.audio import RecordingPlayer
from trackside.audio.player import BackendListener, CuePlayer
from trackside.core.clock import FakeClock
from trackside.settings import Settings, load_settings
from trackside.tui import sound as app_sound
from trackside.tui.app import TracksideApp
from trackside.tui.screens.session import SessionScreen


class FallingBack(RecordingPlayer):
    """A recording player whose backend the test changes, as the chain would on a failure."""

    def __init__(self) -> None:
        super().__init__(backend="miniaudio")
        self.closed = False

    def close(self) -> None:
        self.closed = True


async def test_the_app_makes_its_player_shows_the_backend_and_rings_the_bell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A flash as long as the test: on a busy machine 0.3 s can end before the check looks.
    monkeypatch.setattr(app_sound, "FLASH_S", 60.0)
    made: list[FallingBack] = []
    told: list[tuple[Callable[[], None], BackendListener]] = []

    def factory(bell: Callable[[], None], on_backend: BackendListener) -> CuePlayer:
        player = FallingBack()
        made.append(player)
        told.append((bell, on_backend))
        return player

    app = TracksideApp(
        clock=FakeClock(),
        preset=shipped("21x400m"),
        settings=Settings(countdown_s=0),
        audio_factory=factory,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        sound = screen.query_one("#sound")
        assert "sound: miniaudio" in str(sound.render())
        assert not sound.has_class("degraded")
        # the session's events reach the player the factory made
        assert made[0].played[-1][0] == "tone_go"

        made[0]._backend = "bell"
        told[0][1]("bell", "aplay exited with status 1")
        await pilot.pause()
        assert "sound: bell" in str(sound.render())
        assert sound.has_class("degraded")
        # One plain line in the status area, not a toast over the clock.
        assert str(sound.render()) == "sound: bell · aplay exited with status 1"
        assert not app._notifications
        told[0][1]("silent", "('failed to init device', -401)")
        made[0]._backend = "silent"
        await pilot.pause()
        assert str(sound.render()) == "sound: silent · no sound device could be opened"

        told[0][0]()
        await pilot.pause()
        assert app.screen.has_class("flash")

        await pilot.press("m")
        assert "(muted)" in str(sound.render())
    assert made[0].closed


async def test_the_sound_check_names_the_backend_that_played_it() -> None:
    player = FallingBack()
    app = TracksideApp(
        clock=FakeClock(),
        preset=shipped("21x400m"),
        settings=Settings(countdown_s=0),
        audio_factory=lambda bell, on_backend: player,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert "Sound check: miniaudio" in messages


async def test_the_palette_sets_the_volume_of_the_player_and_remembers_it(tmp_path: Path) -> None:
    player = FallingBack()
    path = tmp_path / "config.toml"
    app = TracksideApp(
        clock=FakeClock(),
        preset=shipped("21x400m"),
        settings=Settings(countdown_s=0),
        audio_factory=lambda bell, on_backend: player,
        config_path=path,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert [t for t in titles if t.startswith("Volume")] == [
            "Volume: 100%",
            "Volume: 75%",
            "Volume: 50%",
            "Volume: 25%",
        ]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Volume: 25", "enter")
        for _ in range(100):  # the palette runs the command once its search has answered
            if player.volume != 1.0:
                break
            await pilot.pause(0.01)
        assert player.volume == 0.25
        assert "Volume 25%" in [str(n.message) for n in app._notifications]
        await app.workers.wait_for_complete()
    assert load_settings(path).volume == 0.25
