"""Start-up: from process start to the first frame of 21 x 400m, against a minimal Textual app.

Both programs run in the same tmux pane set-up with the same interpreter. The pane's shell waits
on a FIFO; the clock starts when the benchmark opens it, and the shell then ``exec``s the
program. The first frame is the first poll (every 2 ms, through a tmux control client) at which
the pane shows the program's marker text: ``Press SPACE to start`` under the preset's name for
trackside (``trackside run 21x400m`` opens on the session's Ready screen), ``MINIMAL APP READY``
for the baseline. A second figure times Space on Ready to the first frame of the session screen
itself (its headline, ``REP 1/21``, with ``--countdown 0``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import tempfile
import time
from pathlib import Path

from bench.common import PYTHON, REPO, Figure, median, scratch_env
from bench.tmuxpane import Tmux

BUDGET = 1.3
TRACKSIDE = [PYTHON, "-m", "trackside", "run", "21x400m", "--countdown", "0"]
MINIMAL = [PYTHON, str(REPO / "bench" / "minimal_app.py"), "hello"]
TIMEOUT_S = 20.0


def first_frame(tmux: Tmux, name: str, argv: list[str], marker: str, root: Path) -> float | None:
    """Seconds from the exec of ``argv`` in a fresh pane to ``marker`` on the screen.

    Each start gets its own copy of the settings and history folders of a first start that
    was quit on Ready: a history file exists, with no unfinished session to offer (every run
    here is killed mid-session)."""
    if (root / "base").exists():
        shutil.copytree(root / "base", root / name)
    env = scratch_env(root / name)
    # The preset cache too: the first start (quit on Ready) checked 21x400m and cached it.
    env["XDG_CACHE_HOME"] = str(root / name / "cache")
    fifo = root / f"{name}.go"
    os.mkfifo(fifo)
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    line = f"read _ < {shlex.quote(str(fifo))}; exec env {exports} {shlex.join(argv)}"
    tmux.tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", line)
    with open(fifo, "w") as go:  # blocks until the pane's shell is waiting on the other end
        started = time.monotonic()
        go.write("\n")
    seen = tmux.wait_for(name, lambda screen: marker in screen, TIMEOUT_S)
    return None if seen is None else seen - started


def session_frame(tmux: Tmux, name: str) -> float | None:
    """Seconds from Space on Ready to the session screen's first frame."""
    started = time.monotonic()
    tmux.keys(name, "Space")
    seen = tmux.wait_for(name, lambda screen: "REP 1/21" in screen, TIMEOUT_S)
    return None if seen is None else seen - started


def measure(quick: bool = False) -> list[Figure]:
    """The start-up figures: medians over alternating runs of trackside and the minimal app."""
    runs = 4 if quick else 12
    ours: list[float] = []
    base: list[float] = []
    space: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp, Tmux("startup") as tmux:
        root = Path(tmp)
        first_frame(tmux, "base", TRACKSIDE, "Press SPACE to start", root)
        tmux.keys("base", "q")  # quit on Ready: the history file is made, with no session
        time.sleep(1.0)
        tmux.kill("base")
        for run in range(runs + 1):  # run 0 warms the disk cache and the bytecode for both
            seconds = first_frame(tmux, f"min{run}", MINIMAL, "MINIMAL APP READY", root)
            tmux.kill(f"min{run}")
            mine = first_frame(tmux, f"ts{run}", TRACKSIDE, "Press SPACE to start", root)
            to_session = session_frame(tmux, f"ts{run}") if mine is not None else None
            tmux.kill(f"ts{run}")
            if run == 0:
                continue
            if seconds is not None:
                base.append(seconds * 1e3)
            if mine is not None:
                ours.append(mine * 1e3)
            if to_session is not None:
                space.append(to_session * 1e3)
    value, baseline = median(ours), median(base)
    return [
        Figure(
            "start-up to first frame (21x400m Ready)",
            value,
            "ms",
            baseline,
            "minimal app",
            f"<= {BUDGET}x",
            value <= BUDGET * baseline,
            f"{len(ours)} runs each, alternating; first-frame = marker seen in the tmux pane",
        ),
        Figure("Space on Ready -> session screen frame", median(space), "ms", budget="-"),
    ]


if __name__ == "__main__":
    from bench.common import table

    print(table(measure(quick=True)))
