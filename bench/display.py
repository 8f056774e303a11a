"""Display accuracy: how long after the true second boundary the clock shows the new second.

trackside runs in tmux through ``bench/instrumented.py``, which logs the runner's actions with
their recorded times (``time.monotonic``, shared with this process). Space starts rep 1 and a
second Space starts the recovery; its recorded start plus n seconds is the n-th true boundary.
Around each boundary the pane is read every millisecond through a tmux control client: a
reference 30 ms before, then until 50 ms after the screen first differs from it; the screen of
the new second is the one read 600 ms after the boundary. The figure is the time from the
boundary to the reply of the first read that shows that screen (an upper bound, by at most one
poll: about 1.3 ms). The new second shown before the boundary would be a negative delay.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import PYTHON, REPO, Figure, median, percentile, scratch_env
from bench.tmuxpane import Tmux

BUDGET_MS = 20.0
LEAD_S = 0.03
GIVE_UP_S = 0.5
SETTLED_S = 0.6
PLAIN_WRITER = """
import os, sys, time
start = float(sys.argv[1])
os.write(1, b"\\x1b[?1049h\\x1b[2J")
for n in range(1, 100000):
    time.sleep(max(0.0, start + n - time.monotonic()))
    row = "\\x1b[38;2;200;200;200m" + str(n % 10) * 24
    os.write(1, "".join(f"\\x1b[{y + 3};50H{row}" for y in range(24)).encode())
"""
"""The baseline: a program that writes a new 24 x 24 block at each boundary, as soon as it can.
Read the same way, it shows what tmux and the reads add on this machine at this moment."""


def recorded(log: Path, kind: str) -> list[float]:
    """The recorded times of every ``kind`` action in the instrumented log."""
    out = []
    for line in log.read_text().splitlines():
        parts = line.split()
        if parts[:2] == ["action", kind]:
            out.append(float(parts[2]))
    return out


def wait_until(when: float) -> None:
    """Sleep until ``when`` on the monotonic clock."""
    left = when - time.monotonic()
    if left > 0:
        time.sleep(left)


def delay_after(tmux: Tmux, name: str, boundary: float) -> float | None:
    """Seconds from ``boundary`` to the first read that shows the screen of the new second.

    The screen of the new second is the one on the pane a little later (``SETTLED_S``): a read
    showing anything else (another change on the way) does not count.
    """
    wait_until(boundary - LEAD_S)
    reads: list[tuple[float, str]] = []
    reference = tmux.capture(name)
    changed: float | None = None
    while time.monotonic() < boundary + GIVE_UP_S:
        screen = tmux.capture(name)
        seen = time.monotonic()
        reads.append((seen, screen))
        if screen != reference and changed is None:
            changed = seen
        if changed is not None and seen > changed + 0.05 and seen > boundary + 0.05:
            break
        time.sleep(0.001)
    wait_until(boundary + SETTLED_S)
    settled = tmux.capture(name)
    for seen, screen in reads:
        if screen == settled and settled != reference:
            return seen - boundary
    return None


def plain_writer(tmux: Tmux, seconds: int) -> list[float]:
    """Delays (ms) of the baseline writer's new block over ``seconds`` boundaries."""
    start = time.monotonic() + 1.0
    tmux.new("plain", [PYTHON, "-c", PLAIN_WRITER, repr(start)])
    delays = [delay_after(tmux, "plain", start + n) for n in range(2, seconds + 2)]
    tmux.kill("plain")
    return [delay * 1e3 for delay in delays if delay is not None]


def measure(quick: bool = False) -> list[Figure]:
    """Display delays over the first ``n`` seconds of a 21 x 400m recovery, and the baseline
    writer's over a quarter as many boundaries just after."""
    seconds = 20 if quick else 150
    delays: list[float] = []
    missed = 0
    with tempfile.TemporaryDirectory(prefix="bench-display-") as tmp, Tmux("display") as tmux:
        root = Path(tmp)
        log = root / "actions.log"
        argv = [PYTHON, str(REPO / "bench" / "instrumented.py"), str(log)]
        argv += ["run", "21x400m", "--countdown", "0"]
        tmux.new("ts", argv, scratch_env(root))
        tmux.wait_for("ts", lambda s: "Press SPACE to start" in s, 30, poll=0.05)
        tmux.keys("ts", "Space")
        tmux.wait_for("ts", lambda s: "REP 1/21" in s, 10, poll=0.01)
        tmux.keys("ts", "Space")
        tmux.wait_for("ts", lambda s: "RECOVERY" in s, 10, poll=0.01)
        start = recorded(log, "mark")[-1]
        for n in range(2, seconds + 2):  # second 1 may fall before the first read
            delay = delay_after(tmux, "ts", start + n)
            if delay is None:
                missed += 1
            else:
                delays.append(delay * 1e3)
        tmux.kill("ts")
        plain = plain_writer(tmux, max(10, seconds // 4))
    p99 = percentile(delays, 99)
    note = (
        f"{len(delays)} boundaries of one recovery; p50 {median(delays):.1f} ms, "
        f"max {max(delays, default=float('nan')):.1f} ms, min {min(delays, default=0):.1f} ms"
        + (f", {missed} never changed" if missed else "")
        + f"; plain writer ({len(plain)} boundaries) p50 {median(plain):.1f} ms"
    )
    return [
        Figure(
            "display: new second shown, p99 after boundary",
            p99,
            "ms",
            baseline=percentile(plain, 99),
            baseline_name="plain writer",
            budget=f"p99 < {BUDGET_MS:g} ms",
            passed=p99 < BUDGET_MS and not missed,
            note=note,
        )
    ]


if __name__ == "__main__":
    from bench.common import table

    print(table(measure(quick=True)))
