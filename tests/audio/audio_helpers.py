"""Helpers shared by the audio tests (a unique module name: the test folders are not packages)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from trackside.audio import CueBatch, CueListener, RecordingPlayer, cue_batches
from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.runner import Runner
from trackside.core.session import Session

A = ActionKind


def wait_until(test: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll ``test`` until it is true or ``timeout`` passes; return its last value."""
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            return test()
        time.sleep(0.005)
    return True


def find_in_order(haystack: bytes, needles: list[bytes]) -> int:
    """How many of ``needles`` appear in ``haystack`` one after another, in order."""
    position = 0
    for found, needle in enumerate(needles):
        at = haystack.find(needle, position)
        if at < 0:
            return found
        position = at + len(needle)
    return len(needles)


def run_21x400(plan: Plan) -> list[CueBatch]:
    """Run the whole session: odd recoveries end on the key at 2:40, even ones by themselves."""
    clock = FakeClock(1000.0)
    runner = Runner(Session(plan), clock)
    player = RecordingPlayer()
    batches: list[CueBatch] = []
    runner.listeners.append(lambda s, events: batches.extend(cue_batches(events, s.plan)))
    runner.listeners.append(CueListener(player))
    runner.act(A.START)
    clock.advance(3)
    runner.tick()
    for rep in range(1, 22):
        clock.advance(70 + rep % 5)
        runner.act(A.MARK)
        if rep == 21:
            break
        clock.advance(160 if rep % 2 else 185)
        if rep % 2:
            runner.act(A.MARK)
        else:
            runner.tick()
    assert runner.session.finished
    assert player.played == [batch.cues for batch in batches]
    assert [r.due for r in player.requests] == [batch.due for batch in batches]
    return batches


def make_21x400() -> Plan:
    """21 x 400m: 20 reps at 3K effort with a 2:30-3:00 jog, then the final all-out rep."""
    steps: list[Step] = []
    for rep in range(1, 22):
        final = rep == 21
        effort = "All You Got" if final else "3K effort"
        steps.append(Step(StepKind.WORK, 400, "400m", effort=effort, all_out=final, rep=rep))
        if not final:
            steps.append(Step(StepKind.RECOVERY, 400, "400m", min_s=150, max_s=180, activity="jog"))
    return Plan("21 x 400m", tuple(steps))


class Ticker:
    """Stands in for the app's event loop: a thread that wakes every 2 ms and notes its worst gap.

    Any audio work that held the GIL or blocked the process would show up as a long gap.
    """

    def __init__(self, period: float = 0.002) -> None:
        self.period = period
        self.max_gap = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Ticker:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        last = time.perf_counter()
        while not self._stop.wait(self.period):
            now = time.perf_counter()
            self.max_gap = max(self.max_gap, now - last - self.period)
            last = now
