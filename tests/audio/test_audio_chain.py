"""The chain player: failing, hanging and crashing backends, late cues, mute, and the factory."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from audio_helpers import Ticker, find_in_order, wait_until
from requires import require_library, require_program

from trackside.audio import (
    AUDIO_BACKENDS,
    SOUND_CHECK,
    AudioUnavailable,
    CuePlayer,
    check_backend,
    make_player,
)
from trackside.audio.backends import Backend, BackendFailed, BellBackend, Started, SystemBackend
from trackside.audio.child import ChildBackend
from trackside.audio.clips import Clip, ClipBank
from trackside.audio.native import (
    SIMPLEAUDIO_MISSING,
    SIMPLEAUDIO_TOO_NEW,
    MiniaudioBackend,
    simpleaudio_refusal,
)
from trackside.audio.players import START_TIMEOUT_S, ChainPlayer, RecordingPlayer
from trackside.core.clock import FakeClock

HERE = Path(__file__).resolve().parent
UI_BUDGET_S = 0.050
"""The most the app's event loop may ever wait on audio."""


class FakeBackend(Backend):
    """A backend that plays (records the clip), raises, crashes with a bug, or hangs."""

    def __init__(self, name: str, behaviour: str = "play") -> None:
        self.name = name
        self.behaviour = behaviour
        self.clips: list[Clip] = []
        self.calls = 0
        self._release = threading.Event()

    def play(self, clip: Clip, started: Started) -> None:
        self.calls += 1
        if self.behaviour == "raise":
            raise BackendFailed(f"{self.name}: no device")
        if self.behaviour == "bug":
            raise ZeroDivisionError("a bug in the backend")
        if self.behaviour == "hang":
            self._release.wait()
            return
        started()
        self.clips.append(clip)

    def stop(self) -> None:
        self._release.set()


def chain(
    *backends: Backend, **options: object
) -> tuple[ChainPlayer, list[tuple[str, str | None]]]:
    reports: list[tuple[str, str | None]] = []
    report = lambda n, r: reports.append((n, r))  # noqa: E731
    player = ChainPlayer(backends, on_backend=report, **options)  # type: ignore[arg-type]
    return player, reports


def timed_play(player: CuePlayer, cues: tuple[str, ...]) -> float:
    start = time.perf_counter()
    player.play(cues)
    return time.perf_counter() - start


@pytest.mark.parametrize("behaviour", ["raise", "bug", "hang"])
def test_a_broken_backend_is_dropped_and_the_next_plays_the_same_cue(
    behaviour: str, bank: ClipBank
) -> None:
    broken, good = FakeBackend("broken", behaviour), FakeBackend("good")
    player, reports = chain(broken, good, bank=bank)
    cues = ("tone_window", "say_window_open")
    with Ticker() as ticker:
        calls = [timed_play(player, cues) for _ in range(1)]
        assert wait_until(lambda: len(good.clips) == 1, timeout=START_TIMEOUT_S + 2)
        calls += [timed_play(player, ("tone_pip",)) for _ in range(50)]
        assert wait_until(lambda: len(good.clips) == 51)
    player.close()
    assert good.clips[0].pcm == bank.render(cues).pcm
    assert broken.calls == 1  # dropped for good after one failure
    assert reports[0] == ("broken", None)
    assert reports[1][0] == "good"
    assert reports[1][1]
    assert ("hung" if behaviour == "hang" else "broken") in reports[1][1]
    assert player.backend == "good"
    assert max(calls) < UI_BUDGET_S
    assert ticker.max_gap < UI_BUDGET_S


@pytest.fixture
def hung_pulse_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A sound server socket that accepts connections and never answers."""
    path = tmp_path / "pulse.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    monkeypatch.setenv("PULSE_SERVER", f"unix:{path}")
    yield path
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


@pytest.mark.parametrize("where", ["child", "in-process"])
def test_a_hung_sound_server_never_blocks_and_aplay_plays_the_cue(
    where: str, alsa_capture: Path, hung_pulse_server: Path, bank: ClipBank
) -> None:
    require_program("aplay", "alsa-utils")
    require_library("pulse", "libpulse0")
    hung: Backend = ChildBackend(("PULSEAUDIO",))
    if where == "in-process":
        hung = MiniaudioBackend(["PULSEAUDIO"])
    # The first clip of the child may take 2 s more to start (a cold Python), so it is late by
    # the time the hang is known; this test is about the hang, not about lateness.
    player, reports = chain(hung, SystemBackend(bank, [["aplay", "-q"]]), bank=bank, max_late=5)
    cues = ("tone_final_next", "say_final_next")
    with Ticker() as ticker:
        elapsed = timed_play(player, cues)
        assert wait_until(lambda: player.played == 1, timeout=5)
    player.close()
    assert alsa_capture.read_bytes().startswith(bank.render(cues).pcm)
    assert [name for name, _ in reports] == ["miniaudio", "aplay"]
    assert "hung" in (reports[1][1] or "")
    assert elapsed < UI_BUDGET_S
    assert ticker.max_gap < UI_BUDGET_S
    if isinstance(hung, ChildBackend):  # the hung process was killed, not left behind
        assert wait_until(lambda: not Path(f"/proc/{hung.pid}").exists(), timeout=2)


def test_a_player_that_segfaults_is_dropped_and_the_next_plays(
    alsa_capture: Path, bank: ClipBank
) -> None:
    require_program("aplay", "alsa-utils")
    crashing = SystemBackend(bank, [["sh", "-c", "kill -SEGV $$", "sh"]])
    player, reports = chain(crashing, SystemBackend(bank, [["aplay", "-q"]]), bank=bank)
    with Ticker() as ticker:
        elapsed = timed_play(player, ("tone_done", "say_done"))
        assert wait_until(lambda: player.played == 1)
    player.close()
    assert alsa_capture.read_bytes().startswith(bank.render(("tone_done", "say_done")).pcm)
    assert reports[-1] == ("aplay", "sh died of signal SIGSEGV")
    assert elapsed < UI_BUDGET_S
    assert ticker.max_gap < UI_BUDGET_S


def test_a_player_process_that_segfaults_mid_session_loses_no_cue(
    alsa_capture: Path, bank: ClipBank
) -> None:
    require_program("aplay", "alsa-utils")
    child = ChildBackend(("ALSA",))
    player, reports = chain(child, SystemBackend(bank, [["aplay", "-q"]]), bank=bank)
    assert player.sound_check().result(timeout=10) == "miniaudio"
    assert child.pid is not None
    os.kill(child.pid, signal.SIGSEGV)  # what a native crash in the audio code would do
    with Ticker() as ticker:
        elapsed = timed_play(player, ("tone_final_go", "say_final_rep"))
        assert wait_until(lambda: player.played == 2)
    player.close()
    clips = [bank.render(cues).pcm for cues in (SOUND_CHECK, ("tone_final_go", "say_final_rep"))]
    assert find_in_order(alsa_capture.read_bytes(), clips) == 2
    assert reports[-1] == ("aplay", "miniaudio player process died of signal SIGSEGV")
    assert elapsed < UI_BUDGET_S
    assert ticker.max_gap < UI_BUDGET_S


def test_a_cue_too_late_is_dropped_not_played_late(bank: ClipBank) -> None:
    clock = FakeClock(100.0)
    good = FakeBackend("good")
    player, _ = chain(good, bank=bank, clock=clock.now)
    player.play(("tone_pip",), due=99.0)  # 1 s late
    player.play(("tone_go",), due=99.5)  # 0.5 s late: still worth hearing
    assert player.sound_check().result(timeout=5) == "good"
    player.close()
    assert [clip.cues for clip in good.clips] == [("tone_go",), ("tone_go", "say_check")]
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
    assert [clip.cues for clip in good.clips] == [("tone_go", "say_check"), ("tone_marked",)]
    assert player.muted is False


def test_missing_sound_files_fall_back_to_the_bell(tmp_path: Path) -> None:
    rings: list[int] = []
    player, reports = chain(
        FakeBackend("good"), BellBackend(lambda: rings.append(1)), bank=ClipBank(tmp_path)
    )
    assert player.sound_check().result(timeout=5) == "bell"
    player.close()
    assert rings == [1]
    assert reports[-1][0] == "bell"
    assert "no sound files" in (reports[-1][1] or "")


def test_the_recording_player_records_and_plays_nothing() -> None:
    player = RecordingPlayer()
    player.play(("tone_go",), due=5.0)
    player.set_muted(True)
    player.play(("tone_pip",), due=6.0)
    assert player.sound_check().result() == "recording"
    assert player.played == [("tone_go",), ("tone_go", "say_check")]
    assert isinstance(player, CuePlayer)
    player.close()
    assert player.closed


def test_unknown_backend_is_one_clear_line() -> None:
    with pytest.raises(AudioUnavailable) as raised:
        make_player("speakers")
    assert str(raised.value) == (
        "unknown audio backend 'speakers' (choose from "
        "auto, miniaudio, system, winsound, bell, silent, simpleaudio)"
    )
    assert "\n" not in str(raised.value)


def test_simpleaudio_is_refused_on_312_and_when_missing() -> None:
    assert simpleaudio_refusal((3, 12)) == SIMPLEAUDIO_TOO_NEW
    assert simpleaudio_refusal((3, 13)) == SIMPLEAUDIO_TOO_NEW
    refusal = simpleaudio_refusal()
    if refusal is None:
        pytest.skip("simpleaudio is installed and usable here")
    assert refusal in (SIMPLEAUDIO_TOO_NEW, SIMPLEAUDIO_MISSING)
    with pytest.raises(AudioUnavailable, match=r"^--audio simpleaudio: simpleaudio "):
        make_player("simpleaudio")
    with pytest.raises(AudioUnavailable, match=r"^--audio simpleaudio: "):
        check_backend("simpleaudio")


@pytest.mark.skipif(simpleaudio_refusal() is not None, reason="needs simpleaudio on Python < 3.12")
def test_simpleaudio_puts_the_exact_samples_into_the_capture(
    alsa_capture: Path, bank: ClipBank
) -> None:  # pragma: no cover - only where the opt-in extra is installed
    player = make_player("simpleaudio")
    player.play(("tone_go",))
    assert wait_until(lambda: alsa_capture.stat().st_size > 0)
    player.close()
    assert alsa_capture.read_bytes().startswith(bank.render(("tone_go",)).pcm)


@pytest.mark.parametrize("name", ["silent", "bell"])
def test_silent_and_bell_say_so(name: str) -> None:
    rings: list[int] = []
    player = make_player(name, bell=lambda: rings.append(1))
    assert player.sound_check().result(timeout=5) == name
    player.close()
    assert rings == ([1] if name == "bell" else [])
    assert set(AUDIO_BACKENDS) >= {name, "auto"}


NO_DEVICE_SCRIPT = """
import sys
from audio_helpers import make_21x400, run_21x400
from trackside.audio import make_player

batches = run_21x400(make_21x400())
rings = []
player = make_player("auto", bell=lambda: rings.append(1),
                     on_backend=lambda name, why: print("backend", name, "|", why, flush=True))
for batch in batches:
    player.play(batch.cues)
print("check", player.sound_check().result(timeout=10), flush=True)
player.close()
print("rings", len(rings), "of", len(batches) + 1, "late", player.dropped_late, flush=True)
"""


def test_no_device_completes_with_the_bell_shown_and_nothing_on_the_screen(
    alsa_no_device: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    result = subprocess.run(
        [sys.executable, "-c", NO_DEVICE_SCRIPT],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.stderr == b""  # fd 2 is where Textual draws the screen
    out = result.stdout.decode()
    assert "check bell" in out
    last = out.splitlines()[-1].split()
    assert last[0] == "rings"
    assert last[1] == last[3]
    assert last[-1] == "0"
    backends = [line.split()[1] for line in out.splitlines() if line.startswith("backend")]
    assert backends[0] == "miniaudio"
    assert backends[-1] == "bell"


def test_a_dropped_player_process_is_ended_at_once(alsa_no_device: Path, bank: ClipBank) -> None:
    child = ChildBackend(("ALSA",))
    player, reports = chain(child, FakeBackend("good"), bank=bank)
    assert player.sound_check().result(timeout=10) == "good"
    assert reports[-1] == ("good", "miniaudio: ('failed to init device', -401)")
    assert wait_until(lambda: not Path(f"/proc/{child.pid}").exists(), timeout=2)
    player.close()


def test_check_backend_names_the_problem_before_the_app_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert check_backend(None) == "auto"
    assert check_backend(" Bell ") == "bell"
    monkeypatch.setenv("PATH", "/nonexistent")
    expected = "--audio system: no player program found (pw-play, paplay, aplay)"
    with pytest.raises(AudioUnavailable, match=re.escape(expected)):
        check_backend("system")


def test_a_player_still_running_past_its_limit_is_killed(bank: ClipBank) -> None:
    stuck = SystemBackend(bank, [["sh", "-c", "sleep 30", "sh"]], kill_after=0.3)
    good = FakeBackend("good")
    player, reports = chain(stuck, good, bank=bank, max_late=5)
    assert player.sound_check().result(timeout=10) == "good"
    player.close()
    assert reports[-1][0] == "good"
    assert re.fullmatch(r"sh still running after [\d.]+ s: killed", reports[-1][1] or "")
