"""Cue accuracy: from each event's due time to its first audio bytes reaching ALSA.

A short session (a 3-2-1, four reps, recoveries with a window, one ending by itself at its
maximum) runs on the real monotonic clock through ``Runner``, ``CueListener`` and the player
``make_player("miniaudio")`` builds, with the app's own scheduling: sleep until
``next_redraw()`` plus the screen's ``TIMER_SLACK_S``, then ``tick()``; marks are key presses
at set times. ALSA's default card is its ``file`` plugin appending to a capture file, and a
thread polls that file's size every millisecond. Each batch's exact samples are found in the
capture in order; the time its first byte appeared, minus its due time, is its delay.

The same session then runs through the real app (``trackside run`` of a preset file, through
``bench/instrumented.py``, which logs each cue batch's due time) in tmux, Space typed at the same
moments, with the app's own player (``--audio auto``: miniaudio in its child process) and volume.
Each runs once on an idle machine and once with a busy loop keeping the other core busy.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench.common import PYTHON, REPO, Figure, median, percentile, scratch_env
from bench.tmuxpane import Tmux

BUDGET_MS = 30.0
CARD = """pcm.!default {{
    type file
    slave.pcm {{ type null }}
    file "|cat >>{capture}"
    format "raw"
}}
"""


class SizePoller:
    """A thread noting the capture file's size, with the time, each time it grows."""

    def __init__(self, path: Path, period: float = 0.001) -> None:
        self.path = path
        self.period = period
        self.growth: list[tuple[float, int]] = [(time.monotonic(), 0)]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SizePoller:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        last = 0
        while not self._stop.wait(self.period):
            size = self.path.stat().st_size
            if size != last:
                self.growth.append((time.monotonic(), size))
                last = size

    def first_reaching(self, offset: int) -> float | None:
        """When the file first held byte ``offset``."""
        for seen, size in self.growth:
            if size > offset:
                return seen
        return None


def run_session(root: Path) -> list[float]:
    """One live session through the real player; each cue batch's delay in milliseconds."""
    root.mkdir(parents=True, exist_ok=True)
    capture = root / "capture.raw"
    capture.touch()
    card = root / "asound.conf"
    card.write_text(CARD.format(capture=shlex.quote(str(capture))))
    os.environ["ALSA_CONFIG_PATH"] = str(card)  # read by the player's child process
    os.environ["PULSE_SERVER"] = "unix:/nonexistent"
    # Imported here: the ALSA configuration must be in the environment before miniaudio loads.
    from trackside.audio import CueListener, cue_batches, make_player
    from trackside.core.clock import MonotonicClock
    from trackside.core.events import ActionKind
    from trackside.core.plan import Plan, Step, StepKind
    from trackside.core.runner import Runner
    from trackside.core.session import Session
    from trackside.tui.view import next_redraw
    from trackside.tui.wake import TIMER_SLACK_S

    steps: list[Step] = []
    for rep in range(1, 5):
        steps.append(Step(StepKind.WORK, 400, "400m", effort="3K effort", rep=rep))
        if rep < 4:
            steps.append(Step(StepKind.RECOVERY, 400, "400m", min_s=2, max_s=9))
    plan = Plan("4 short reps", tuple(steps))
    # Seconds into each step at which the key is pressed; None lets the step end by itself.
    presses = [3, 5, 3, None, 3, 4, 3]
    player = make_player("miniaudio")
    batches: list[tuple[float, tuple[str, ...]]] = []
    runner = Runner(Session(plan, countdown_s=3), MonotonicClock())
    runner.listeners.append(CueListener(player))
    runner.listeners.append(
        lambda s, ev: batches.extend((b.due, b.cues) for b in cue_batches(ev, s.plan))
    )
    time.sleep(1.0)  # the player's child process starts before the session, as in the app
    with SizePoller(capture) as poller:
        runner.act(ActionKind.START)
        while not runner.session.finished:
            session = runner.session
            now = runner.now()
            wake = next_redraw(session, now, False)
            index = session.step_index
            press = presses[index] if index is not None and session.step is not None else None
            key = now + press - session.elapsed(now) if press is not None else None
            if key is not None and (wake is None or key <= wake):
                time.sleep(max(0.0, key - now))
                runner.act(ActionKind.MARK)
                continue
            time.sleep(max(0.0, (wake or now + 1) - now) + TIMER_SLACK_S)
            runner.tick()
        deadline = time.monotonic() + 15
        while player.played < len(batches) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
    player.close()
    return delays_of(batches, capture, poller, 1.0)


def delays_of(
    batches: list[tuple[float, tuple[str, ...]]], capture: Path, poller: SizePoller, volume: float
) -> list[float]:
    """Each batch's delay (ms) from its due time to its first byte in the capture, in order."""
    from trackside.audio.clips import ClipBank

    bank = ClipBank()
    captured = capture.read_bytes()
    delays: list[float] = []
    position = 0
    for due, cues in batches:
        at = captured.find(bank.render(cues, volume).pcm, position)
        if at < 0:
            MISSING.append(cues)
            continue
        position = at + 1
        seen = poller.first_reaching(at)
        if seen is not None:
            delays.append((seen - due) * 1e3)
            WORST.append(((seen - due) * 1e3, cues))
    bank.close()
    return delays + [float("inf")] * (len(batches) - len(delays))  # a cue never heard: inf


PRESET = """name = "bench cues"
display = "time"

[[block]]
reps = 4
work = { effort = "hard" }
recovery = { activity = "jog", min = 2, max = 9 }
"""
APP_KEYS = (3.0, 5.0, 3.0, -9.0, 3.0, 4.0, 3.0)
"""Seconds into each step at which Space is pressed; negative: the step ends by itself then."""


def run_app_session(root: Path) -> list[float]:
    """The same short session through the real app in tmux, its cues due as it logged them."""
    from trackside.settings import Settings

    root.mkdir(parents=True, exist_ok=True)
    capture = root / "capture.raw"
    capture.touch()
    card = root / "asound.conf"
    card.write_text(CARD.format(capture=shlex.quote(str(capture))))
    env = {**scratch_env(root), "ALSA_CONFIG_PATH": str(card)}
    preset = root / "cues.toml"
    preset.write_text(PRESET)
    log = root / "app.log"
    argv = [PYTHON, str(REPO / "bench" / "instrumented.py"), str(log)]
    argv += ["run", str(preset), "--countdown", "3"]
    with Tmux("cues") as tmux, SizePoller(capture) as poller:
        tmux.new("app", argv, env)
        tmux.wait_for("app", lambda screen: "Press SPACE to start" in screen, 30, poll=0.05)
        time.sleep(1.0)  # the runner reads the screen; the player's child process is up
        tmux.keys("app", "Space")
        time.sleep(3.0)  # the 3-2-1
        for wait in APP_KEYS:
            time.sleep(abs(wait))
            if wait > 0:
                tmux.keys("app", "Space")
        time.sleep(4.0)  # the last cues play out
    batches = []
    heard_at = 0.0
    for line in log.read_text().splitlines():
        parts = line.split()
        if parts and parts[0] == "heard":
            heard_at = float(parts[1])
        if parts and parts[0] == "cue":
            batches.append((float(parts[1]), tuple(parts[2:])))
            if heard_at > float(parts[1]):  # came out of a tick after its moment
                WOKE_LATE.append((heard_at - float(parts[1])) * 1e3)
    return delays_of(batches, capture, poller, Settings().volume)


WOKE_LATE: list[float] = []
"""How late the app's runner produced each self-timed cue batch (ms): its timer's wake-up."""


WORST: list[tuple[float, tuple[str, ...]]] = []
"""Every batch's delay (ms) with its cues, for the note on the worst one."""
MISSING: list[tuple[str, ...]] = []
"""Batches never found in the capture (in order)."""


def busy_core() -> subprocess.Popen[bytes]:
    """A process that keeps one core busy."""
    return subprocess.Popen([PYTHON, "-c", "while True: pass"])


def measure(quick: bool = False) -> list[Figure]:
    """Cue delays over live short sessions, idle and with the other core busy."""
    runs = 1 if quick else 2
    results: dict[str, list[float]] = {"idle": [], "busy": [], "app idle": [], "app busy": []}
    worst: dict[str, str] = {}
    woke: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-cues-") as tmp:
        for run in range(runs):
            for name, session in (("", run_session), ("app ", run_app_session)):
                for load in ("idle", "busy"):
                    loop = busy_core() if load == "busy" else None
                    WORST.clear()
                    WOKE_LATE.clear()
                    try:
                        results[name + load] += session(Path(tmp) / f"{name.strip()}{load}{run}")
                    finally:
                        if loop is not None:
                            loop.kill()
                            loop.wait()
                    worst[name + load] = _worst(worst.get(name + load))
                    if WOKE_LATE:
                        woke[name + load] = (
                            f"; the app's runner woke p50 {median(WOKE_LATE):.1f} ms, "
                            f"max {max(WOKE_LATE):.1f} ms after a due time"
                        )
    figures = []
    titles = (
        ("idle", "cues (runner + player): due -> ALSA, p99"),
        ("busy", "cues (runner + player), core busy, p99"),
        ("app idle", "cues (the app in tmux): due -> ALSA, p99"),
        ("app busy", "cues (the app in tmux), core busy, p99"),
    )
    for key, title in titles:
        extra = f"; worst {worst.get(key, '-')}" + woke.get(key, "")
        figures.append(_figure(title, results[key], extra))
    return figures


def _worst(before: str | None) -> str:
    """The worst batch of the run just made (or of an earlier run, if that was worse)."""
    if MISSING:
        text = f"inf ms ({' '.join(MISSING[0])} never heard)"
        MISSING.clear()
        return text
    if not WORST:
        return before or "-"
    delay, cues = max(WORST)
    if before is not None and (before.startswith("inf") or float(before.split()[0]) > delay):
        return before
    return f"{delay:.1f} ms ({' '.join(cues)})"


def _figure(name: str, delays: list[float], extra: str) -> Figure:
    p99 = percentile(delays, 99)
    note = (
        f"{len(delays)} cue batches; p50 {median(delays):.1f} ms, "
        f"min {min(delays, default=float('nan')):.1f} ms"
    )
    return Figure(
        name, p99, "ms", budget=f"p99 < {BUDGET_MS:g} ms", passed=p99 < BUDGET_MS, note=note + extra
    )


if __name__ == "__main__":
    from bench.common import table

    print(table(measure(quick=True)))
