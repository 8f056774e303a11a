"""The track screen's sound status, with the real player on a real (or no) sound device.

Before any cue it names the player a silent check (a device opened and closed) found working;
with no device it never names miniaudio, and says why in plain words in the status area.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from trackside.audio.factory import make_player
from trackside.audio.player import BackendListener, CuePlayer
from trackside.core.clock import FakeClock
from trackside.presets.loader import load_library
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.session import SessionScreen

pytestmark = pytest.mark.skipif(shutil.which("aplay") is None, reason="needs alsa-utils")
BUILTIN = Path(__file__).resolve().parents[2] / "presets"


def app_with_the_real_player(seen: list[str]) -> TracksideApp:
    """6 x 800m (an open warmup: no cue for a while) with the player ``auto`` makes."""

    def factory(bell: Callable[[], None], on_backend: BackendListener) -> CuePlayer:
        return make_player("auto", bell=bell, on_backend=on_backend)

    library = load_library(BUILTIN, BUILTIN / "none")
    preset = next(entry.preset for entry in library if entry.id == "6x800m")
    return TracksideApp(
        clock=FakeClock(),
        preset=preset,
        settings=Settings(countdown_s=0),
        audio_factory=factory,
    )


async def status_until(pilot: Pilot[int], settled: Callable[[str], bool]) -> list[str]:
    """Every status the track screen shows until one is ``settled`` (or about 10 s)."""
    seen: list[str] = []
    for _ in range(1000):
        screen = pilot.app.screen
        if isinstance(screen, SessionScreen) and screen.shown is not None:
            label = str(screen.shown.sound.render())
            if not seen or seen[-1] != label:
                seen.append(label)
            if settled(label):
                break
        await pilot.pause(0.01)
    return seen


async def test_with_a_device_the_checked_player_is_named(alsa_capture: Path) -> None:
    app = app_with_the_real_player([])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        seen = await status_until(pilot, lambda label: label == "sound: miniaudio")
        assert seen[-1] == "sound: miniaudio"
        assert set(seen) <= {"sound: checking", "sound: miniaudio"}


async def test_with_no_device_miniaudio_is_never_named(alsa_no_device: Path) -> None:
    app = app_with_the_real_player([])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        seen = await status_until(pilot, lambda label: label.startswith("sound: bell"))
        assert seen[-1] == "sound: bell · no sound device could be opened"
        assert not [label for label in seen if "miniaudio" in label]
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.shown is not None
        big = screen.shown.big.region
        sound = screen.shown.sound.region
        assert sound.y >= big.bottom  # under the clock, never over it
        assert not app._notifications
