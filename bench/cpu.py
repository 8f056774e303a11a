"""CPU while running: a share of one core, from the process's own CPU time (utime + stime).

Everything runs at once in one private tmux server, so the baselines see the same machine:
trackside's 21 x 400m (a rep with the effort shown, then a recovery with its clock), the
``10x400m-90s`` preset during a rep (time display: the rep clock ticks), a minimal Textual app
updating a ``Digits`` clock once a second, and ``termdown`` counting down. Each program is
sampled over the same windows; with several copies of each the figure is the median copy.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import PYTHON, REPO, Figure, cpu_seconds, median, scratch_env
from bench.tmuxpane import Tmux

BUDGET = 0.5
"""Percent of one core."""


@dataclass
class Program:
    """One program in a pane, and its CPU share over each sampled window."""

    name: str
    argv: list[str]
    pid: int = 0
    shares: dict[str, float] = field(default_factory=dict)


def termdown() -> str | None:
    """The ``termdown`` next to the interpreter (the bench venv), or on PATH."""
    beside = Path(PYTHON).parent / "termdown"
    return str(beside) if beside.exists() else shutil.which("termdown")


def programs(copies: int) -> list[Program]:
    trackside = [PYTHON, "-m", "trackside", "run"]
    out: list[Program] = []
    for copy in range(copies):
        out += [
            Program(f"ts21-{copy}", [*trackside, "21x400m", "--countdown", "0"]),
            Program(f"ts10-{copy}", [*trackside, "10x400m-90s", "--countdown", "0"]),
            Program(f"clock-{copy}", [PYTHON, str(REPO / "bench" / "minimal_app.py"), "clock"]),
        ]
        down = termdown()
        if down is not None:
            out.append(Program(f"termdown-{copy}", [down, "2h"]))
    return out


def sample(running: list[Program], window: str, seconds: float) -> None:
    """Each program's CPU share (% of one core) over the next ``seconds``."""
    before = {p.name: (time.monotonic(), cpu_seconds(p.pid)) for p in running}
    time.sleep(seconds)
    for p in running:
        wall, cpu = before[p.name]
        p.shares[window] = (cpu_seconds(p.pid) - cpu) / (time.monotonic() - wall) * 100


def measure(quick: bool = False) -> list[Figure]:
    """CPU shares over a rep and a recovery, against the 1 Hz Digits clock and termdown."""
    seconds = 10.0 if quick else 30.0
    copies = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="bench-cpu-") as tmp, Tmux("cpu") as tmux:
        running = programs(copies)
        for p in running:  # each its own settings and history, as on separate machines
            p.pid = tmux.new(p.name, p.argv, scratch_env(Path(tmp) / p.name))
        for p in running:
            if p.name.startswith("ts"):
                tmux.wait_for(p.name, lambda s: "Press SPACE to start" in s, 30, poll=0.05)
                tmux.keys(p.name, "Space")
        time.sleep(2.0)  # past start-up and the first frames of the rep
        sample(running, "rep", seconds)
        for p in running:
            if p.name.startswith("ts21"):
                tmux.keys(p.name, "Space")  # rep 1 ends (after 30 s, so no stray-press notice)
        time.sleep(1.0)
        sample(running, "recovery", seconds)
        screens = {p.name: tmux.capture(p.name) for p in running if p.name.startswith("ts")}
    return figures(running, screens, seconds, copies)


def _share(running: list[Program], prefix: str, window: str) -> float:
    return median([p.shares[window] for p in running if p.name.startswith(prefix)])


def figures(
    running: list[Program], screens: dict[str, str], seconds: float, copies: int
) -> list[Figure]:
    clock = median([p.shares[w] for p in running if p.name.startswith("clock") for w in p.shares])
    down = [p.shares[w] for p in running if p.name.startswith("termdown") for w in p.shares]
    recovering = all("RECOVERY" in s for name, s in screens.items() if name.startswith("ts21"))
    note = f"{seconds:g} s windows, {copies} copies of each at once; termdown: " + (
        f"{median(down):.2f} %" if down else "not installed"
    )
    rows = [
        ("CPU, rep, effort display (21x400m)", _share(running, "ts21", "rep"), note),
        ("CPU, rep, time display (10x400m-90s)", _share(running, "ts10", "rep"), ""),
        (
            "CPU, recovery (21x400m)",
            _share(running, "ts21", "recovery"),
            ""
            if recovering
            else "not in a recovery: "
            + "; ".join(
                f"{name}: {(s.strip().splitlines() or [''])[0].strip()[:40]}"
                for name, s in screens.items()
                if name.startswith("ts21") and "RECOVERY" not in s
            ),
        ),
    ]
    out = [
        Figure(name, value, "%", clock, "1 Hz Digits", f"<= {BUDGET} %", value <= BUDGET, n)
        for name, value, n in rows
    ]
    if down:
        out.append(Figure("CPU, termdown (baseline)", median(down), "%", clock, "1 Hz Digits"))
    return out


if __name__ == "__main__":
    from bench.common import table

    print(table(measure(quick=True)))
