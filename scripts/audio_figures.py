"""Print audio timings on this machine (figures, not tests): ``python scripts/audio_figures.py``.

Plays through ALSA's file plugin into a temp capture (no sound card needed) and measures, for
each backend: how long ``play()`` takes to return, the worst stall of a thread standing in for
the app's event loop, and the time from ``play()`` to the first samples in the capture.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

WORK = Path(tempfile.mkdtemp(prefix="trackside-figures-"))
CAPTURE = WORK / "capture.raw"
CONF = WORK / "asound.conf"
CONF.write_text(
    f'pcm.!default {{\n type file\n slave.pcm {{ type null }}\n file "|cat >>{CAPTURE}"\n'
    ' format "raw"\n}\n'
)
os.environ["ALSA_CONFIG_PATH"] = str(CONF)  # before any audio library reads it
os.environ["PULSE_SERVER"] = "unix:/nonexistent"

from trackside.audio import ChainPlayer  # noqa: E402
from trackside.audio.backends import SystemBackend  # noqa: E402
from trackside.audio.child import ChildLane  # noqa: E402
from trackside.audio.clips import ClipBank  # noqa: E402
from trackside.audio.lanes import Lane, LocalLane  # noqa: E402
from trackside.audio.native import MiniaudioBackend  # noqa: E402

N = 30


class Ticker(threading.Thread):
    """Wakes every 2 ms and keeps its worst lateness: the stall an event loop would see."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.worst = 0.0
        self.halt = threading.Event()

    def run(self) -> None:
        last = time.perf_counter()
        while not self.halt.wait(0.002):
            now = time.perf_counter()
            self.worst = max(self.worst, now - last - 0.002)
            last = now


def measure(name: str, lane: Lane) -> None:
    """Play N cues on one backend and print the figures."""
    player = ChainPlayer([lane])
    player.sound_check().result(timeout=10)  # warm: the child's cold start is measured apart
    calls: list[float] = []
    first_bytes: list[float] = []
    ticker = Ticker()
    ticker.start()
    for count in range(1, N + 1):
        size = CAPTURE.stat().st_size
        start = time.perf_counter()
        player.play(("tone_pip",))
        calls.append(time.perf_counter() - start)
        while CAPTURE.stat().st_size == size:
            time.sleep(0.0001)
        first_bytes.append(time.perf_counter() - start)
        while player.played < count + 1:
            time.sleep(0.001)
    ticker.halt.set()
    player.close()
    print(
        f"{name:22} play() median {statistics.median(calls) * 1e6:5.0f} us, "
        f"max {max(calls) * 1e6:5.0f} us | first bytes median "
        f"{statistics.median(first_bytes) * 1e3:5.2f} ms, max {max(first_bytes) * 1e3:5.2f} ms"
        f" | worst loop stall {ticker.worst * 1e3:4.1f} ms"
    )


def cold_start(bank: ClipBank) -> None:
    """From constructing the player to the sound check played, with miniaudio's child process."""
    start = time.perf_counter()
    player = ChainPlayer([ChildLane(("ALSA",))], bank=bank)
    player.sound_check().result(timeout=10)
    print(f"miniaudio child: cold start to first cue played {time.perf_counter() - start:.3f} s")
    player.close()


def main() -> int:
    """Print the figures for every backend that works here."""
    bank = ClipBank()
    print(f"Python {sys.version.split()[0]}, {N} cues per backend, capture {CAPTURE}")
    cold_start(bank)
    measure("miniaudio (child)", ChildLane(("ALSA",)))
    measure("miniaudio (in-process)", LocalLane(MiniaudioBackend(["ALSA"]), bank))
    measure("aplay", LocalLane(SystemBackend(bank, [["aplay", "-q"]]), bank))
    total = sum(p.stat().st_size for p in (Path(__file__).parent.parent / "sounds").glob("*"))
    print(f"sounds/: {total / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
