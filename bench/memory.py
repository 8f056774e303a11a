"""Memory: peak RSS of a whole 21 x 400m session driven headless, against the minimal app.

Each measurement is a fresh interpreter (``python -m bench.memory child trackside|minimal``)
that runs the app with ``App.run_test()`` and the Pilot at 100 x 30 and prints its peak RSS
(``VmHWM``). trackside runs the whole session on the fake clock: Space on Ready, the 3-2-1,
21 reps of 72 s marked with Space, and 20 recoveries of 2:40 advanced a few seconds at a time
(the screen ticks and redraws at each step; on the track it does so every second) then ended
with Space. Growth is the
current RSS (``VmRSS``) at the start of rep 21 minus at the start of rep 2. The same run times
every full garbage collection (generation 2, through ``gc.callbacks``): one that comes during a
redraw delays it by that much.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import PYTHON, REPO, Figure, bytecode_env, median

BUDGET = 1.5
GROWTH_BUDGET_MB = 1.0


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb() -> float:
    """The current resident set size, in MB."""
    return _status_mb("VmRSS")


def peak_mb() -> float:
    """The peak resident set size of this program, in MB.

    ``VmHWM``, not ``ru_maxrss``: Linux carries ``ru_maxrss`` across ``exec``, so a child would
    report its parent's peak (the benchmark's own) whenever that was higher.
    """
    return _status_mb("VmHWM")


async def run_minimal() -> dict[str, float]:
    from bench.minimal_app import HelloApp

    app = HelloApp()
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(5):
            await pilot.pause()
    return {"peak": peak_mb()}


async def run_trackside(step: int) -> dict[str, float]:
    from trackside.audio import CueListener, RecordingPlayer
    from trackside.core.clock import FakeClock
    from trackside.presets.loader import load_checked
    from trackside.settings import Settings
    from trackside.tui import textual_fixes
    from trackside.tui.app import TracksideApp
    from trackside.tui.screens.session import SessionScreen

    textual_fixes.apply()  # as `trackside run` does before it builds the app

    clock = FakeClock()
    player = RecordingPlayer()
    app = TracksideApp(
        clock=clock,
        preset=load_checked("21x400m"),  # as `trackside run 21x400m` loads it
        settings=Settings(countdown_s=3),
        listeners=[CueListener(player)],
        audio=player,
    )
    rss: dict[int, float] = {}
    full_ms: list[float] = []
    started: list[float] = []

    def timed(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            full_ms.append((time.perf_counter() - started[0]) * 1e3)

    gc.callbacks.append(timed)
    async with app.run_test(size=(100, 30)) as pilot:

        async def advance(seconds: int) -> None:
            for _ in range(0, seconds, step):
                clock.advance(step)
                if isinstance(app.screen, SessionScreen):
                    app.screen.tick()
                await pilot.pause()

        await pilot.press("space")
        await advance(3)
        for rep in range(1, 22):
            rss[rep] = rss_mb()
            clock.advance(72)
            await pilot.press("space")
            if rep < 21:
                await advance(160)
                await pilot.press("space")
        await pilot.pause()
        finished = app.runner is not None and app.runner.session.finished
    gc.callbacks.remove(timed)
    return {
        "peak": peak_mb(),
        "growth": rss[21] - rss[2],
        "finished": float(finished),
        "full_gc_ms": statistics.median(full_ms) if full_ms else float("nan"),
        "full_gcs": float(len(full_ms)),
    }


def child(which: str, step: int) -> None:
    run = run_trackside(step) if which == "trackside" else run_minimal()
    print(json.dumps(asyncio.run(run)))


def measure_one(which: str, step: int, cache: Path) -> dict[str, float]:
    done = subprocess.run(
        [PYTHON, "-m", "bench.memory", "child", which, str(step)],
        cwd=REPO,
        env={**os.environ, **bytecode_env(), "XDG_CACHE_HOME": str(cache)},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(quick: bool = False) -> list[Figure]:
    """Peak RSS and growth: medians over alternating runs (after one run that caches bytecode)."""
    runs = 1 if quick else 3
    step = 20 if quick else 4  # seconds of recovery per screen tick (the track: 1)
    ours: list[dict[str, float]] = []
    base: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as cache:
        # The first run also checks 21x400m and caches it, as a first `trackside run` does.
        measure_one("minimal", step, Path(cache))
        measure_one("trackside", 80, Path(cache))
        for _ in range(runs):
            base.append(measure_one("minimal", step, Path(cache)))
            ours.append(measure_one("trackside", step, Path(cache)))
    peak = median([r["peak"] for r in ours])
    baseline = median([r["peak"] for r in base])
    growth = median([r["growth"] for r in ours])
    collection = median([r["full_gc_ms"] for r in ours])
    collections = median([r["full_gcs"] for r in ours])
    whole = all(r["finished"] for r in ours)
    return [
        Figure(
            "memory: peak RSS, whole 21x400m headless",
            peak,
            "MB",
            baseline,
            "minimal app",
            f"<= {BUDGET}x",
            peak <= BUDGET * baseline and whole,
            f"{runs} runs each, recoveries redrawn every {step} s"
            + ("" if whole else "; the session did not finish: check"),
        ),
        Figure(
            "memory: RSS growth rep 2 -> rep 21",
            growth,
            "MB",
            budget=f"< {GROWTH_BUDGET_MB:g} MB",
            passed=growth < GROWTH_BUDGET_MB,
        ),
        Figure(
            "memory: a full garbage collection, median",
            collection,
            "ms",
            budget="-",
            note=f"{collections:.0f} full collections in the session (one after each mark)",
        ),
    ]


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        from bench.common import table

        print(table(measure(quick=True)))
