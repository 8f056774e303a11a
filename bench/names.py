"""A coach's athletes' spoken names: what making them costs, and that the screen never waits.

Making: ten names (``Athlete A`` ... ``J``) spoken by espeak-ng into a fresh cache folder
(:func:`trackside.audio.names.name_clips`), against the same ten read back from that cache (the
next group with the same athletes); median of 3 each.

Not waiting: the app headless on a group of ten, with a recording player (so the names are
made, by the real espeak-ng, on their thread, into a fresh cache each run), against the same app
with ``say_names = false`` (numbers only), alternating: the first frame (from ``run_test`` to
the first frame drawn) and Space pressed at once after it (posted as the terminal's driver
posts it) to the first frame after it, while the names are being made. Budget: each within
1.5x of numbers only (noise on a shared machine; the names are made on a thread of their own).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import Figure, frame_times, median

if TYPE_CHECKING:
    from trackside.audio.recording import RecordingPlayer

ATHLETES = 10
NAMES = [f"Athlete {chr(65 + i)}" for i in range(ATHLETES)]
RATIO = 1.5


def making(runs: int) -> tuple[list[float], list[float]]:
    """Milliseconds to make the ten clips in a fresh cache, and to read them back."""
    from trackside.audio.names import name_clips

    made: list[float] = []
    cached: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-names-") as tmp:
            start = time.perf_counter()
            fresh = name_clips(NAMES, Path(tmp))
            made.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            again = name_clips(NAMES, Path(tmp))
            cached.append((time.perf_counter() - start) * 1000)
        if fresh.problem or again.made or len(again.clips) != ATHLETES:
            raise RuntimeError(f"names not made: {fresh.problem or again.problem}")
    return made, cached


async def first_frame_and_space(say_names: bool) -> tuple[float, float, bool]:
    """Milliseconds to the first frame, and from Space to the frame after it; whether the
    names were still being made when Space was pressed."""
    import os

    from textual import events

    from trackside.audio.recording import RecordingPlayer
    from trackside.core.clock import FakeClock
    from trackside.presets.loader import load_checked
    from trackside.presets.roster import line_up, roster_from_names
    from trackside.settings import Settings
    from trackside.tui.app import TracksideApp
    from trackside.tui.coaching import CoachStart

    preset = load_checked("21x400m")
    roster = roster_from_names(",".join(NAMES))
    lineup = line_up(roster, preset, "21x400m", load_checked, "--athletes")
    player = RecordingPlayer()
    app = TracksideApp(
        clock=FakeClock(),
        settings=Settings(countdown_s=3, say_names=say_names),
        audio_factory=lambda bell, on_backend: player,
        coach=CoachStart(lineup),
    )
    frames = frame_times(app)
    with tempfile.TemporaryDirectory(prefix="bench-names-") as tmp:
        os.environ["XDG_CACHE_HOME"] = tmp  # a fresh cache: every name is made
        start = time.perf_counter()
        async with app.run_test(size=(100, 30)) as pilot:
            while not frames:
                await asyncio.sleep(0.0005)
            first = (frames[0] - start) * 1000
            if say_names:  # Space while the names are being made (their thread has begun)
                await _names_begun()
            seen = len(frames)
            busy = any(t.name == "trackside-names" for t in threading.enumerate())
            pressed = time.perf_counter()
            app.post_message(events.Key("space", " "))
            while len(frames) == seen:
                await asyncio.sleep(0.0005)
            space = (frames[seen] - pressed) * 1000
            await pilot.pause()
            if say_names and not await _all_made(player):
                raise RuntimeError(f"names not made: {player.clips}")
    return first, space, busy


async def _names_begun() -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if any(t.name == "trackside-names" for t in threading.enumerate()):
            return
        await asyncio.sleep(0.0005)


async def _all_made(player: RecordingPlayer) -> bool:
    deadline = time.monotonic() + 30
    while len(player.clips) < ATHLETES and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    return len(player.clips) == ATHLETES


def measure(quick: bool = False) -> list[Figure]:
    """Ten names made against read from the cache; the first frame and Space with names being
    made against numbers only."""
    if shutil.which("espeak-ng") is None:
        raise RuntimeError("names: needs espeak-ng (Debian: apt install espeak-ng)")
    made, cached = making(3)
    runs = 5 if quick else 15
    with_names: list[tuple[float, float, bool]] = []
    numbers: list[tuple[float, float, bool]] = []
    for _ in range(runs):
        with_names.append(asyncio.run(first_frame_and_space(True)))
        numbers.append(asyncio.run(first_frame_and_space(False)))
    frame = median([r[0] for r in with_names]), median([r[0] for r in numbers])
    space = median([r[1] for r in with_names]), median([r[1] for r in numbers])
    busy = sum(1 for r in with_names if r[2])
    note = f"{runs} runs each, alternating; Space came while the names were made in {busy}"
    return [
        Figure(f"{ATHLETES} names made", median(made), "ms", median(cached), "from the cache"),
        Figure(
            "first frame, names being made",
            frame[0],
            "ms",
            frame[1],
            "numbers only",
            f"<= {RATIO:g}x",
            frame[0] <= RATIO * frame[1],
            note,
        ),
        Figure(
            "Space to frame, names being made",
            space[0],
            "ms",
            space[1],
            "numbers only",
            f"<= {RATIO:g}x",
            space[0] <= RATIO * space[1],
        ),
    ]


if __name__ == "__main__":
    from bench.common import table

    print(table(measure(quick=True)))
