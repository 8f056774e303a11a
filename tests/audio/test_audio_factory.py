"""``--audio``: which players each name tries, in which order, and the one line when it cannot.

The system players are stand-in programs on ``PATH`` that log their name and fail or succeed, so
the order is what the real player tried, not what the code says it would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from trackside.audio import (
    AUDIO_BACKENDS,
    AudioUnavailable,
    check_backend,
    make_player,
)
from trackside.audio.native import SIMPLEAUDIO_MISSING, SIMPLEAUDIO_TOO_NEW, simpleaudio_refusal

HERE = Path(__file__).resolve().parent


@pytest.fixture
def stand_ins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``pw-play`` and ``paplay`` that fail, an ``aplay`` that works: each logs its name to
    the returned file. They are the only programs on ``PATH``."""
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "tried.log"
    for name, status in (("pw-play", 1), ("paplay", 1), ("aplay", 0)):
        program = folder / name
        program.write_text(f'#!/bin/sh\necho {name} >> "{log}"\nexit {status}\n')
        program.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    return log


def names(reports: list[tuple[str, str | None]]) -> list[str]:
    return [name for name, _ in reports]


def sound(backend: str) -> tuple[str, list[tuple[str, str | None]], list[int]]:
    """A sound check on ``make_player(backend)``: what it says, the backends reported, the
    bell rung."""
    reports: list[tuple[str, str | None]] = []
    rings: list[int] = []
    player = make_player(
        backend, bell=lambda: rings.append(1), on_backend=lambda n, r: reports.append((n, r))
    )
    try:
        result = player.sound_check().result(timeout=10)
        player.play(("tone_go",))  # a second cue: the chain as it is now, no new fallback
        assert player.sound_check().result(timeout=10) == result  # after the cue
    finally:
        player.close()
    return result, reports, rings


def test_system_tries_pw_play_then_paplay_then_aplay_and_keeps_to_the_one_that_works(
    stand_ins: Path,
) -> None:
    result, reports, rings = sound("system")
    assert result == "aplay"
    assert names(reports) == ["aplay"]  # the silent check found pw-play and paplay failing
    tried = ["pw-play", "paplay", "aplay", "aplay", "aplay", "aplay"]  # the check, then 3 cues
    assert stand_ins.read_text().split() == tried
    assert rings == []


def test_auto_tries_miniaudio_then_the_system_players(
    alsa_no_device: Path, stand_ins: Path
) -> None:
    result, reports, _ = sound("auto")
    assert result == "aplay"
    # miniaudio's silent check opened no device: never named, and why in plain words
    assert reports == [("aplay", "no sound device could be opened")]
    tried = ["pw-play", "paplay", "aplay", "aplay", "aplay", "aplay"]
    assert stand_ins.read_text().split() == tried


def test_miniaudio_named_falls_back_to_the_bell_never_to_a_system_player(
    alsa_no_device: Path, stand_ins: Path
) -> None:
    result, reports, rings = sound("miniaudio")
    assert result == "bell"
    assert names(reports) == ["bell"]  # miniaudio's silent check found no device
    assert rings == [1, 1, 1]  # the bell's check rings nothing
    assert not stand_ins.exists()  # no system player was tried


def test_winsound_is_refused_off_windows_in_one_line() -> None:
    if sys.platform == "win32":  # pragma: no cover - the suite runs on Linux
        pytest.skip("winsound exists here")
    expected = "--audio winsound: winsound exists only on Windows"
    with pytest.raises(AudioUnavailable, match=f"^{re.escape(expected)}$"):
        check_backend("winsound")
    with pytest.raises(AudioUnavailable, match=f"^{re.escape(expected)}$"):
        make_player("winsound")


def test_unknown_backend_is_one_clear_line() -> None:
    with pytest.raises(AudioUnavailable) as raised:
        make_player("speakers")
    assert str(raised.value) == (
        "unknown audio backend 'speakers' (choose from "
        "auto, miniaudio, system, winsound, bell, silent, simpleaudio)"
    )


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


@pytest.mark.parametrize("name", ["silent", "bell"])
def test_silent_and_bell_say_so(name: str) -> None:
    result, reports, rings = sound(name)
    assert result == name
    assert names(reports) == [name]
    assert rings == ([1, 1, 1] if name == "bell" else [])
    assert set(AUDIO_BACKENDS) >= {name, "auto"}


def test_check_backend_names_the_problem_before_the_app_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert check_backend(None) == "auto"
    assert check_backend(" Bell ") == "bell"
    monkeypatch.setenv("PATH", "/nonexistent")
    expected = "--audio system: no player program found (pw-play, paplay, aplay)"
    with pytest.raises(AudioUnavailable, match=re.escape(expected)):
        check_backend("system")


NO_DEVICE_SCRIPT = """
from audio_helpers import make_21x400, run_21x400
from trackside.audio import make_player

batches = run_21x400(make_21x400())
rings = []
player = make_player("auto", bell=lambda: rings.append(1),
                     on_backend=lambda name, why: print("backend", name, "|", why, flush=True))
print("check", player.sound_check().result(timeout=10), flush=True)  # the chain settles
for batch in batches:
    player.play(batch.cues)
print("again", player.sound_check().result(timeout=10), flush=True)  # after every batch
player.close()
print("rings", len(rings), "of", len(batches) + 2, "late", player.dropped_late, flush=True)
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
    assert "again bell" in out
    last = out.splitlines()[-1].split()
    assert last[0] == "rings"
    assert last[1] == last[3]
    assert last[-1] == "0"
    backends = [line.split()[1] for line in out.splitlines() if line.startswith("backend")]
    # The silent check found no device before any cue: miniaudio is never named.
    assert backends == ["bell"]
