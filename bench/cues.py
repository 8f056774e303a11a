"""Cue accuracy: from each event's due time to its first audio bytes reaching ALSA.

A short session (a 3-2-1, four reps, recoveries with a window, one ending by itself at its
maximum) runs on the real monotonic clock through ``Runner``, ``CueListener`` and the player
``make_player("miniaudio")`` builds, with the app's own scheduling: sleep until
``next_redraw()`` plus the screen's ``TIMER_SLACK_S``, then ``tick()``; marks are key presses
at set times. ALSA's default card is its ``file`` plugin appending to a capture file, and a
thread polls that file's size every millisecond. Each batch's exact samples are found in the
capture in order; the time its first byte appeared, minus its due time, is its delay. It runs
once on an idle machine and once with a busy loop keeping the other core busy.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench.common import PYTHON, Figure, median, percentile

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
    card.write_text(CARD.format(capture=capture))
    os.environ["ALSA_CONFIG_PATH"] = str(card)  # read by the player's child process
    os.environ["PULSE_SERVER"] = "unix:/nonexistent"
    # Imported here: the ALSA configuration must be in the environment before miniaudio loads.
    from trackside.audio import CueListener, cue_batches, make_player
    from trackside.audio.clips import ClipBank
    from trackside.core.clock import MonotonicClock
    from trackside.core.events import ActionKind
    from trackside.core.plan import Plan, Step, StepKind
    from trackside.core.session import Session
    from trackside.runner import Runner
    from trackside.screens.session import TIMER_SLACK_S
    from trackside.widgets.view import next_redraw

    steps: list[Step] = []
    for rep in range(1, 5):
        steps.append(Step(StepKind.WORK, 400, "400m", effort="3K effort", rep=rep))
        if rep < 4:
            steps.append(Step(StepKind.RECOVERY, 400, "400m", min_s=2, max_s=9))
    plan = Plan("4 short reps", tuple(steps))
    # Seconds into each step at which the key is pressed; None lets the step end by itself.
    presses = [3, 5, 3, None, 3, 4, 3]
    player = make_player("miniaudio")
    bank = ClipBank()
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
        while player.played < len(batches) and time.monotonic() < deadline:  # type: ignore[attr-defined]
            time.sleep(0.05)
        time.sleep(0.2)
    player.close()
    captured = capture.read_bytes()
    delays: list[float] = []
    position = 0
    for due, cues in batches:
        at = captured.find(bank.render(cues).pcm, position)
        if at < 0:
            continue
        position = at + 1
        seen = poller.first_reaching(at)
        if seen is not None:
            delays.append((seen - due) * 1e3)
    bank.close()
    return delays + [float("inf")] * (len(batches) - len(delays))  # a cue never heard: inf


def busy_core() -> subprocess.Popen[bytes]:
    """A process that keeps one core busy."""
    return subprocess.Popen([PYTHON, "-c", "while True: pass"])


def measure(quick: bool = False) -> list[Figure]:
    """Cue delays over live short sessions, idle and with the other core busy."""
    runs = 1 if quick else 2
    idle: list[float] = []
    busy: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-cues-") as tmp:
        for run in range(runs):
            idle += run_session(Path(tmp) / f"idle{run}")
            loop = busy_core()
            try:
                busy += run_session(Path(tmp) / f"busy{run}")
            finally:
                loop.kill()
                loop.wait()
    return [
        _figure("cues: due -> first bytes at ALSA, p99", idle, ""),
        _figure("cues, other core busy, p99", busy, ""),
    ]


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
