"""Fixtures for the audio tests: ALSA's file plugin as a capture card, and the 21 x 400m plan.

alsa-lib re-reads its configuration only when ``ALSA_CONFIG_PATH`` changes, so every test gets a
config file at a new path (``tmp_path`` is unique per test). ``PULSE_SERVER`` points nowhere so a
desktop's sound server is never reached, even on a developer's laptop.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from audio_helpers import make_21x400

from trackside.audio.clips import ClipBank
from trackside.core.plan import Plan

_APPEND_CONF = """pcm.!default {{
    type file
    slave.pcm {{ type null }}
    file "|cat >>{capture}"
    format "raw"
}}
"""


@pytest.fixture
def alsa_capture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A sound card that appends everything played to ``capture.raw`` (one file per test)."""
    capture = tmp_path / "capture.raw"
    capture.touch()
    conf = tmp_path / "asound.conf"
    conf.write_text(_APPEND_CONF.format(capture=capture))
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(conf))
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent")
    return capture


@pytest.fixture
def alsa_no_device(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A machine with no sound device at all (an empty ALSA config, no sound server)."""
    conf = tmp_path / "empty.conf"
    conf.write_text("")
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(conf))
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent")
    return conf


@pytest.fixture(scope="session")
def bank() -> ClipBank:
    """The shipped sounds, loaded once."""
    return ClipBank()


@pytest.fixture
def plan_21x400() -> Plan:
    """21 x 400m: 20 reps at 3K effort with a 2:30-3:00 jog, then the final all-out rep."""
    return make_21x400()


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
