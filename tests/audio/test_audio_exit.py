"""The process exits promptly with a cue still playing (a miniaudio device left open hangs it)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from audio_helpers import wait_until

# miniaudio's NULL backend plays in real time, so the clip (about 14 s) is still playing at exit.
MINIAUDIO_SCRIPT = """
import time
from trackside.audio import ChainPlayer
from trackside.audio.clips import ClipBank
from trackside.audio.lanes import LocalLane
from trackside.audio.native import MiniaudioBackend

player = ChainPlayer([LocalLane(MiniaudioBackend(["NULL"]), ClipBank())])
player.play(("say_final_rep",) * 8)
time.sleep(0.5)
print("exiting", player.backend, player.played, flush=True)
"""

# The default: miniaudio in its child process, playing in real time on the NULL backend.
CHILD_SCRIPT = """
import time
from trackside.audio import ChainPlayer
from trackside.audio.child import ChildLane

backend = ChildLane(("NULL",))
player = ChainPlayer([backend])
player.play(("say_final_rep",) * 8)
time.sleep(1.0)
print("exiting", backend.pid, player.played, flush=True)
"""

# A player program that never ends: it must be killed at exit, not left behind.
SYSTEM_SCRIPT = """
import time
from trackside.audio import ChainPlayer
from trackside.audio.backends import SystemBackend
from trackside.audio.clips import ClipBank
from trackside.audio.lanes import LocalLane

bank = ClipBank()
backend = SystemBackend(bank, [["sh", "-c", "sleep 30", "sh"]])
player = ChainPlayer([LocalLane(backend, bank)], bank=bank)
player.play(("tone_go",))
while backend._child is None:
    time.sleep(0.01)
print("exiting", backend._child.pid, flush=True)
"""


def exit_time(script: str, tmp_path: Path) -> tuple[float, list[str], bytes]:
    """Run ``script``; seconds from its "exiting" line to the end of the process."""
    with subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env={**os.environ, "ALSA_CONFIG_PATH": str(tmp_path / "none.conf")},
    ) as child:
        assert child.stdout is not None
        assert child.stderr is not None
        line = child.stdout.readline().decode().split()
        start = time.monotonic()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            pytest.fail("the process hung at exit")
        return time.monotonic() - start, line, child.stderr.read()


def test_exit_is_prompt_with_a_miniaudio_device_playing(tmp_path: Path) -> None:
    (tmp_path / "none.conf").write_text("")
    seconds, line, stderr = exit_time(MINIAUDIO_SCRIPT, tmp_path)
    assert line == ["exiting", "miniaudio", "0"]  # still playing: not yet counted as played
    assert seconds < 2.0
    assert stderr == b""


def test_exit_is_prompt_and_kills_a_player_still_running(tmp_path: Path) -> None:
    (tmp_path / "none.conf").write_text("")
    seconds, line, stderr = exit_time(SYSTEM_SCRIPT, tmp_path)
    assert line[0] == "exiting"
    assert seconds < 2.0
    assert stderr == b""
    assert wait_until(lambda: not Path(f"/proc/{line[1]}").exists(), timeout=2)


def test_exit_is_prompt_and_ends_the_miniaudio_process_mid_clip(tmp_path: Path) -> None:
    (tmp_path / "none.conf").write_text("")
    seconds, line, stderr = exit_time(CHILD_SCRIPT, tmp_path)
    assert line[0] == "exiting"
    assert line[2] == "0"  # still playing
    assert seconds < 2.0
    assert stderr == b""
    assert wait_until(lambda: not Path(f"/proc/{line[1]}").exists(), timeout=2)
