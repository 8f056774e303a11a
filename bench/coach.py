"""Coach mode with 10 athletes, side by side with the single runner in the same invocation.

CPU in a recovery: the real program in one private tmux server, ``trackside run 21x400m`` and
``trackside run 21x400m --athletes A,...,J`` at once (every athlete marked into their recovery),
each sampled over the same windows from its own CPU time; several copies of each, the figure is
the median copy. Budget: the group at most twice the single runner.

A key to its row's update: the app headless in this process (with trackside's Textual
work-rounds applied, as at launch), on a fake clock 60 s into rep 1, its frames timed as the
terminal would get them; each sample is the time from the key being posted to the app (as the
terminal's driver posts it) to the first frame after it (the row showing the mark), athletes'
keys in turn (each marked, then its mark undone with ``u`` and the key, not timed); the single
runner's Space the same way. Budget: p99 under 50 ms.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import (
    PYTHON,
    Figure,
    cpu_seconds,
    frame_times,
    median,
    percentile,
    scratch_env,
)
from bench.tmuxpane import Tmux

if TYPE_CHECKING:
    from trackside.core.clock import FakeClock
    from trackside.tui.app import TracksideApp

ATHLETES = 10
NAMES = ",".join(f"Athlete {chr(65 + i)}" for i in range(ATHLETES))
KEYS = "1234567890"
CPU_RATIO = 2.0
LATENCY_MS = 50.0


# -- CPU in a recovery ------------------------------------------------------------------------


def cpu_shares(quick: bool) -> tuple[list[float], list[float]]:
    """CPU shares (% of one core) of the single runners and the groups, in a recovery."""
    seconds = 10.0 if quick else 30.0
    copies = 1 if quick else 3
    argv = [PYTHON, "-m", "trackside", "run", "21x400m", "--countdown", "0", "--audio", "silent"]
    with tempfile.TemporaryDirectory(prefix="bench-coach-") as tmp, Tmux("coach") as tmux:
        pids: dict[str, int] = {}
        for copy in range(copies):
            for name, extra in ((f"one-{copy}", []), (f"group-{copy}", ["--athletes", NAMES])):
                env = scratch_env(Path(tmp) / name)
                pids[name] = tmux.new(name, [*argv, *extra], env)
        for name in pids:
            ready = "Press SPACE" if name.startswith("one") else "SPACE starts the group"
            tmux.wait_for(name, lambda s, r=ready: r in s, 30, poll=0.05)
            tmux.keys(name, "Space")
        time.sleep(30.0 if not quick else 27.0)  # a rep no stray-press guard flags (400 m)
        for name in pids:
            tmux.keys(name, *(["Space"] if name.startswith("one") else list(KEYS)))
        time.sleep(2.0)
        before = {n: (time.monotonic(), cpu_seconds(p)) for n, p in pids.items()}
        time.sleep(seconds)
        shares = {
            n: (cpu_seconds(p) - before[n][1]) / (time.monotonic() - before[n][0]) * 100
            for n, p in pids.items()
        }
        screens = {n: tmux.capture(n) for n in pids}
    for name, screen in screens.items():
        if "RECOVERY" not in screen:
            raise RuntimeError(f"{name} is not in a recovery:\n{screen}")
    one = [v for n, v in shares.items() if n.startswith("one")]
    group = [v for n, v in shares.items() if n.startswith("group")]
    return one, group


# -- a key to its row's update ----------------------------------------------------------------


def headless_app(group: bool, clock: FakeClock) -> TracksideApp:
    """The app on 21x400m: a group of ten (``group``), or the single runner."""
    from trackside.presets.loader import load_checked
    from trackside.presets.roster import line_up, roster_from_names
    from trackside.settings import Settings
    from trackside.tui import textual_fixes
    from trackside.tui.app import TracksideApp
    from trackside.tui.coaching import CoachStart

    textual_fixes.apply()  # as trackside's launch does
    preset = load_checked("21x400m")
    settings = Settings(countdown_s=0)
    if not group:
        return TracksideApp(clock=clock, preset=preset, settings=settings)
    lineup = line_up(roster_from_names(NAMES), preset, "21x400m", load_checked, "--athletes")
    return TracksideApp(clock=clock, settings=settings, coach=CoachStart(lineup))


async def key_delays(group: bool, rounds: int) -> list[float]:
    """Milliseconds from each timed key to the first frame after it."""
    from textual import events

    from trackside.core.clock import FakeClock

    clock = FakeClock()
    app = headless_app(group, clock)
    frames = frame_times(app)
    delays: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")  # the group's start, or the runner's (Ready, no countdown)
        clock.advance(60)
        await pilot.pause()
        for turn in range(rounds):
            key = KEYS[turn % ATHLETES] if group else "space"
            seen = len(frames)
            start = time.perf_counter()
            app.post_message(events.Key(key, " " if key == "space" else key))
            while len(frames) == seen:
                await asyncio.sleep(0.0005)
            delays.append((frames[seen] - start) * 1000)
            await pilot.press("u", key) if group else await pilot.press("u")
            clock.advance(0.5)  # past the same key's debounce
            await pilot.pause()
    return delays


def measure(quick: bool = False) -> list[Figure]:
    """The group against the single runner: CPU in a recovery, and a key to its row."""
    one, group = cpu_shares(quick)
    rounds = 60 if quick else 300
    single_ms = asyncio.run(key_delays(False, rounds))
    group_ms = asyncio.run(key_delays(True, rounds))
    cpu_one, cpu_group = median(one), median(group)
    p99_one, p99_group = percentile(single_ms, 99), percentile(group_ms, 99)
    note = f"{len(one)} copies of each at once"
    return [
        Figure(
            f"CPU, recovery, {ATHLETES} athletes",
            cpu_group,
            "%",
            cpu_one,
            "single runner",
            f"<= {CPU_RATIO:g}x",
            cpu_group <= CPU_RATIO * cpu_one,
            note,
        ),
        Figure(
            f"key to row, p99, {ATHLETES} athletes",
            p99_group,
            "ms",
            p99_one,
            "single runner's Space",
            f"p99 < {LATENCY_MS:g} ms",
            p99_group < LATENCY_MS,
            f"{rounds} keys; medians {median(group_ms):.1f} / {median(single_ms):.1f} ms",
        ),
    ]


if __name__ == "__main__":
    from bench.common import table

    print(table(measure(quick=True)))
