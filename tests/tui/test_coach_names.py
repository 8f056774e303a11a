"""The coach's app names the athletes: their names' clips made when the group opens (before
Space, on a thread of their own), then "Ann — go"; numbers when names are off, or espeak-ng
fails (one line), and a hung espeak-ng holds up no key."""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from coach_helpers import CoachRig, lineup_of, short_preset
from requires import require_program
from textual.pilot import Pilot

from trackside.audio.player import BackendListener, CuePlayer
from trackside.audio.recording import RecordingPlayer
from trackside.core.clock import FakeClock
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.coaching import CoachStart


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def fake_espeak(folder: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> Path:
    """An espeak-ng first on ``PATH``: ``body`` after a line for each run in ``runs.log``."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "runs.log"
    program = folder / "espeak-ng"
    program.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\n{body}')
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log


def names_rig(tmp_path: Path, settings: Settings) -> tuple[CoachRig, RecordingPlayer]:
    player = RecordingPlayer()

    def factory(bell: Callable[[], None], on_backend: BackendListener) -> CuePlayer:
        return player

    app = TracksideApp(
        clock=(clock := FakeClock()),
        library=[],
        settings=settings,
        audio_factory=factory,
        coach=CoachStart(lineup=lineup_of("Ann,Ben,Cid", short_preset(tmp_path))),
    )
    return CoachRig(app, clock), player


async def until(pilot: Pilot[int], test: Callable[[], bool], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            return test()
        await pilot.pause(0.02)
    return True


def notices(app: TracksideApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def go_batches(player: RecordingPlayer) -> list[tuple[str, ...]]:
    return [b.cues for b in player.expected if b.cues[0] == "tone_go"]


async def test_a_group_hears_its_athletes_names_once_the_clips_are_made(tmp_path: Path) -> None:
    require_program("espeak-ng", "espeak-ng")
    rig, player = names_rig(tmp_path, Settings(countdown_s=3))
    async with rig.app.run_test(size=(100, 30)) as pilot:
        # Made before Space, while the coach's screen waits.
        assert await until(pilot, lambda: len(player.clips) == 3)
        cues = sorted(player.clips)
        assert all(cue.startswith("name_") for cue in cues)
        assert all(
            path.parent == tmp_path / "cache" / "trackside" / "names"
            for path in player.clips.values()
        )
        await pilot.press("space")
        await pilot.pause()
        (go,) = go_batches(player)
        assert go[0] == "tone_go"
        assert go[-1] == "say_go"
        assert sorted(go[1:4]) == cues  # "Ann, Ben, Cid — go", each by their clip
        assert not notices(rig.app)


async def test_names_off_means_numbers_and_no_espeak(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_espeak(tmp_path / "bin", monkeypatch, "exit 1\n")
    rig, player = names_rig(tmp_path, Settings(countdown_s=3, say_names=False))
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await pilot.pause(0.3)
        assert go_batches(player) == [("tone_go", "num_1", "num_2", "num_3", "say_go")]
    assert not log.exists()
    assert player.clips == {}


async def test_an_espeak_that_fails_means_numbers_and_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_espeak(
        tmp_path / "bin", monkeypatch, '[ "$1" = --version ] && echo fake && exit 0\nexit 1\n'
    )
    rig, player = names_rig(tmp_path, Settings(countdown_s=3))
    async with rig.app.run_test(size=(100, 30)) as pilot:
        assert await until(pilot, lambda: bool(notices(rig.app)))
        assert notices(rig.app) == [
            "Ann, Ben, Cid called by number (espeak-ng exited with status 1)"
        ]
        await pilot.press("space")
        await pilot.pause()
        assert go_batches(player) == [("tone_go", "num_1", "num_2", "num_3", "say_go")]


async def test_a_hung_espeak_holds_up_neither_the_screen_nor_space(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_espeak(tmp_path / "bin", monkeypatch, "exec sleep 30\n")
    rig, player = names_rig(tmp_path, Settings(countdown_s=3))
    async with rig.app.run_test(size=(100, 30)) as pilot:
        assert await until(pilot, log.exists)  # espeak-ng is running (and will not answer)
        making = [t for t in threading.enumerate() if t.name == "trackside-names"]
        assert making
        assert making[0].is_alive()
        await pilot.press("space")
        await rig.advance(pilot, 3)
        assert rig.group.started
        assert making[0].is_alive()  # still waiting on espeak-ng: the group went on without it
        assert player.played[0] == ("tone_group_start", "num_3")
        assert player.played[-1] == ("tone_go", "num_1", "num_2", "num_3", "say_go")
