"""The track screen's sound status, with the real player on a real (or no) sound device.

Before any cue it names the player a silent check (a device opened and closed) found working;
with no device it never names miniaudio, and says why in plain words in the status area.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from requires import require_program
from textual.pilot import Pilot

from trackside.audio.factory import make_player
from trackside.audio.player import BackendListener, CuePlayer
from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import start_log
from trackside.history.service import HistoryAtStart
from trackside.history.store import HistoryStore
from trackside.presets.checked import CheckedPreset
from trackside.presets.loader import load_library
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.resume import ResumeScreen
from trackside.tui.screens.session import SessionScreen


@pytest.fixture(autouse=True)
def _aplay() -> None:
    require_program("aplay", "alsa-utils")  # the system player, and ALSA itself


BUILTIN = Path(__file__).resolve().parents[2] / "presets"


def the_real_player(bell: Callable[[], None], on_backend: BackendListener) -> CuePlayer:
    """The player ``--audio auto`` makes."""
    return make_player("auto", bell=bell, on_backend=on_backend)


def builtin(preset_id: str) -> CheckedPreset:
    library = load_library(BUILTIN, BUILTIN / "none")
    preset = next(entry.preset for entry in library if entry.id == preset_id)
    assert preset is not None
    return preset


def app_with_the_real_player() -> TracksideApp:
    """6 x 800m (an open warmup: no cue for a while) with the player ``auto`` makes."""
    return TracksideApp(
        clock=FakeClock(),
        preset=builtin("6x800m"),
        settings=Settings(countdown_s=0),
        audio_factory=the_real_player,
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
    app = app_with_the_real_player()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        seen = await status_until(pilot, lambda label: label == "sound: miniaudio")
        assert seen[-1] == "sound: miniaudio"
        assert set(seen) <= {"sound: checking", "sound: miniaudio"}


async def test_with_no_device_miniaudio_is_never_named(alsa_no_device: Path) -> None:
    app = app_with_the_real_player()
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


async def test_after_a_resume_the_status_checks_first_and_says_why_in_one_line(
    alsa_no_device: Path, tmp_path: Path
) -> None:
    """A session left running is resumed with no sound device: the player's check ends while
    the resume question is up (a notice there), and the track screen it goes back to never
    names miniaudio, says why in its status line, and has no notice over the clock."""
    store = HistoryStore(tmp_path / "history.db")
    preset = builtin("6x800m")
    clock = FakeClock()
    log = start_log(store, preset.to_plan(), preset_id="6x800m", countdown_s=0)
    runner = Runner(Session(preset.to_plan(), 0), clock, log=log)
    runner.act(ActionKind.START)  # then the app was killed, in the warm-up
    app = TracksideApp(
        clock=FakeClock(),
        settings=Settings(countdown_s=0),
        audio_factory=the_real_player,
        history=HistoryAtStart(store, None, look_later=True),
    )
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(500):  # the history is opened on a worker once the frame is up
                if isinstance(app.screen, ResumeScreen):
                    break
                await pilot.pause(0.01)
            await pilot.press("r")
            seen = await status_until(pilot, lambda label: label.startswith("sound: bell"))
            assert seen[-1] == "sound: bell · no sound device could be opened"
            assert not [label for label in seen if "miniaudio" in label]
            assert not [(n.title, n.message) for n in app._notifications]  # the status line says it
    finally:
        store.close()
