"""The chain player: failing, hanging and crashing backends, late cues, mute.

Every test here runs with the real limits (a cue is dropped 0.75 s after its moment, a backend
that does not start a cue within 0.4 s is taken as hung), so a fallback that is too slow to save
the cue it failed on fails the test.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from pathlib import Path

import pytest
from audio_helpers import FakeBackend, Ticker, chain, find_in_order, wait_until
from requires import require_library, require_program

from trackside.audio import SOUND_CHECK, ChainPlayer, CuePlayer, RecordingPlayer
from trackside.audio.backends import Backend, BellBackend, SystemBackend
from trackside.audio.child import ChildLane
from trackside.audio.clips import ClipBank
from trackside.audio.lanes import LocalLane
from trackside.audio.native import MiniaudioBackend
from trackside.audio.schedule import Report, Setup
from trackside.core.clock import FakeClock


@pytest.mark.parametrize("behaviour", ["raise", "bug", "hang"])
def test_a_broken_backend_is_dropped_and_the_next_plays_the_same_cue_in_time(
    behaviour: str, bank: ClipBank
) -> None:
    broken, good = FakeBackend("broken", behaviour), FakeBackend("good")
    player, reports = chain(broken, good, bank=bank)
    cues = ("tone_window", "say_window_open")
    player.play(cues)
    assert wait_until(lambda: len(good.clips) == 1)
    for _ in range(50):
        player.play(("tone_pip",))
    assert wait_until(lambda: len(good.clips) == 51)
    player.close()
    assert good.clips[0].pcm == bank.render(cues).pcm
    assert player.dropped_late == 0  # the fallback came within the 0.75 s the cue had
    assert broken.calls == 1  # dropped for good after one failure
    assert reports[0] == ("broken", None)
    assert reports[1][0] == "good"
    assert ("hung" if behaviour == "hang" else "broken") in (reports[1][1] or "")
    assert player.backend == "good"


def test_a_hung_backend_never_holds_up_the_callers_thread(bank: ClipBank) -> None:
    hung = FakeBackend("hung", "hang")
    player, _ = chain(hung, bank=bank)  # alone: nothing to fall back on, it stays stuck
    through = threading.Event()

    def the_apps_thread() -> None:
        player.play(("tone_go",))
        if hung.hung.wait(10):
            for _ in range(50):
                player.play(("tone_pip",))
            player.sound_check()
            through.set()

    with Ticker() as ticker:
        threading.Thread(target=the_apps_thread, daemon=True).start()
        assert through.wait(10), "a call on the app's thread waited on the stuck backend"
        ticks = ticker.ticks
        assert wait_until(lambda: ticker.ticks > ticks)  # and nothing held the interpreter
        assert not hung._release.is_set()  # the backend was stuck all along
    player.close()
    assert hung.calls == 1


@pytest.mark.parametrize("where", ["child", "in-process"])
def test_a_hung_sound_server_never_blocks_and_aplay_plays_the_cue_in_time(
    where: str, alsa_capture: Path, hung_pulse_server: Path, bank: ClipBank
) -> None:
    require_program("aplay", "alsa-utils")
    require_library("pulse", "libpulse0")
    child = ChildLane(("PULSEAUDIO",))
    hung = child if where == "child" else LocalLane(MiniaudioBackend(["PULSEAUDIO"]), bank)
    aplay = SystemBackend(bank, [["aplay", "-q"]])
    player, reports = chain(hung, aplay, bank=bank)
    assert wait_until(hung.ready.is_set)  # up, then stuck opening its device on the server
    cues = ("tone_final_next", "say_final_next")
    player.play(cues)  # returns at once, and the app's thread goes on
    assert wait_until(lambda: player.played == 1, timeout=5)
    player.close()
    assert alsa_capture.read_bytes().startswith(bank.render(cues).pcm)
    # Its silent check never opened a device, so miniaudio was never named.
    assert [name for name, _ in reports] == ["aplay"]
    assert "hung" in (reports[0][1] or "")
    # Played within 0.75 s of its moment: nothing stuck on the server (in native code, with
    # the GIL or without) held up the player's own threads either.
    assert player.dropped_late == 0
    if where == "child":  # the hung process was killed, not left behind
        assert wait_until(lambda: not Path(f"/proc/{child.pid}").exists(), timeout=2)


def test_a_player_that_segfaults_is_dropped_and_the_next_plays(
    alsa_capture: Path, bank: ClipBank
) -> None:
    require_program("aplay", "alsa-utils")
    crashing = SystemBackend(bank, [["sh", "-c", "kill -SEGV $$", "sh"]])
    player, reports = chain(crashing, SystemBackend(bank, [["aplay", "-q"]]), bank=bank)
    player.play(("tone_done", "say_done"))
    assert wait_until(lambda: player.played == 1)
    player.close()
    assert alsa_capture.read_bytes().startswith(bank.render(("tone_done", "say_done")).pcm)
    assert reports[-1] == ("aplay", "sh died of signal SIGSEGV")
    assert player.dropped_late == 0


def test_a_player_process_that_segfaults_mid_session_loses_no_cue(
    alsa_capture: Path, bank: ClipBank
) -> None:
    require_program("aplay", "alsa-utils")
    child = ChildLane(("ALSA",))
    player, reports = chain(child, SystemBackend(bank, [["aplay", "-q"]]), bank=bank)
    assert player.sound_check().result(timeout=10) == "miniaudio"
    assert child.pid is not None
    os.kill(child.pid, signal.SIGSEGV)  # what a native crash in the audio code would do
    player.play(("tone_final_go", "say_final_rep"))
    assert wait_until(lambda: player.played == 2)
    player.close()
    clips = [bank.render(cues).pcm for cues in (SOUND_CHECK, ("tone_final_go", "say_final_rep"))]
    assert find_in_order(alsa_capture.read_bytes(), clips) == 2
    assert reports[-1] == ("aplay", "miniaudio player process died of signal SIGSEGV")
    assert player.dropped_late == 0


def test_a_cue_too_late_is_dropped_not_played_late(bank: ClipBank) -> None:
    clock = FakeClock(100.0)
    good = FakeBackend("good")
    player, _ = chain(good, bank=bank, clock=clock.now)
    player.play(("tone_pip",), due=99.2)  # 0.8 s late
    player.play(("tone_go",), due=99.3)  # 0.7 s late: still worth hearing
    assert player.sound_check().result(timeout=5) == "good"
    player.close()
    assert [clip.cues for clip in good.clips] == [("tone_go",), SOUND_CHECK]
    assert player.dropped_late == 1


def test_mute_drops_cues_but_the_sound_check_still_plays(bank: ClipBank) -> None:
    good = FakeBackend("good")
    player, _ = chain(good, bank=bank)
    player.set_muted(True)
    player.play(("tone_pip",))
    assert player.sound_check().result(timeout=5) == "good"
    player.set_muted(False)
    player.play(("tone_marked",))
    assert wait_until(lambda: len(good.clips) == 2)
    player.close()
    assert [clip.cues for clip in good.clips] == [SOUND_CHECK, ("tone_marked",)]
    assert player.muted is False


def test_missing_sound_files_fall_back_to_the_bell(tmp_path: Path) -> None:
    rings: list[int] = []
    empty = ClipBank(tmp_path)
    player, reports = chain(FakeBackend("good"), BellBackend(lambda: rings.append(1)), bank=empty)
    assert player.sound_check().result(timeout=5) == "bell"
    player.close()
    assert rings == [1]
    assert reports[-1][0] == "bell"
    assert "no sound files" in (reports[-1][1] or "")


def test_the_recording_player_records_and_plays_nothing() -> None:
    player: CuePlayer = RecordingPlayer()  # the app's player protocol, checked by mypy
    player.play(("tone_go",), due=5.0)
    player.set_muted(True)
    player.play(("tone_pip",), due=6.0)
    assert player.sound_check().result() == "recording"
    assert isinstance(player, RecordingPlayer)
    assert player.played == [("tone_go",), SOUND_CHECK]
    player.close()
    assert player.closed


def test_a_dropped_player_process_is_ended_at_once(alsa_no_device: Path, bank: ClipBank) -> None:
    child = ChildLane(("ALSA",))
    player, reports = chain(child, FakeBackend("good"), bank=bank)
    assert player.sound_check().result(timeout=10) == "good"
    assert reports == [("good", "no sound device could be opened")]  # plain, never Python text
    assert wait_until(lambda: not Path(f"/proc/{child.pid}").exists(), timeout=2)
    player.close()


def test_a_player_still_running_past_its_limit_is_killed(bank: ClipBank) -> None:
    # A player that passes the silent check (a clip of no samples: a WAV header) and then
    # never ends a clip.
    hangs = 'if [ "$(wc -c < "$1")" -gt 100 ]; then sleep 30; fi'
    stuck = SystemBackend(bank, [["sh", "-c", hangs, "sh"]], kill_after=0.3)
    good: Backend = FakeBackend("good")
    player, reports = chain(stuck, good, bank=bank)
    assert player.sound_check().result(timeout=10) == "good"
    player.close()
    assert reports[-1][0] == "good"
    assert re.fullmatch(r"sh still running after [\d.]+ s: killed", reports[-1][1] or "")


class ManualLane:
    """A lane the test speaks for: it takes cues and says of them only what the test says."""

    first_start_s = 0.0

    def __init__(self, name: str) -> None:
        self.name = self.label = name
        self.ready = threading.Event()
        self.submitted: list[int] = []
        self._report: Report | None = None

    def unavailable(self) -> str | None:
        return None

    def start(self, setup: Setup) -> None:
        self._report = setup.report
        setup.report("R", 0, None)
        setup.report("K", 0, None)  # its device checked
        self.ready.set()

    def submit(self, key: int, cues: object, volume: float, due: float, at: object) -> None:
        self.submitted.append(key)

    def report(self, kind: str, key: int, detail: str | float | None = None) -> None:
        assert self._report is not None
        self._report(kind, key, detail)

    def cancel(self, key: int) -> None:
        pass

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


class HeldClock:
    """A clock moved by hand that can hold the chain's watcher at its next reading, as a busy
    machine leaves a thread waiting for the CPU while replies come in."""

    def __init__(self) -> None:
        self.now = 100.0
        self.armed = False
        self.held = threading.Event()
        self.go = threading.Event()

    def __call__(self) -> float:
        if self.armed and threading.current_thread().name == "trackside-audio":
            self.armed = False
            self.held.set()
            self.go.wait(10)
        return self.now


def test_a_cue_begun_in_time_is_no_hang_when_the_watcher_wakes_late() -> None:
    clock = HeldClock()
    first, second = ManualLane("first"), ManualLane("second")
    player = ChainPlayer([first, second], clock=clock, bank=None)  # type: ignore[list-item]
    assert wait_until(lambda: player.backend == "first" and first.ready.is_set())
    time.sleep(0.3)  # the watcher has heard "ready" and sleeps until a cue is sent
    clock.armed = True
    player.play(("tone_go",))  # sent at 100.0: it must begin by 100.4
    assert clock.held.wait(10)  # the watcher woke to look, and waits for the CPU
    key = first.submitted[0]
    first.report("S", key, 0.2)  # the lane began it at once ...
    clock.now += 0.5  # ... and the watcher runs again half a second later
    clock.go.set()
    first.report("D", key)
    assert wait_until(lambda: player.played == 1), "a cue that began in time was taken for a hang"
    assert player.backend == "first"
    assert second.submitted == []
    player.close()
