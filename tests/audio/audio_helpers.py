"""Helpers shared by the audio tests (a unique module name: the test folders are not packages)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from trackside.audio import ChainPlayer, CueBatch, CueListener, RecordingPlayer, cue_batches
from trackside.audio.backends import Backend, BackendFailed, Started
from trackside.audio.clips import Clip, ClipBank
from trackside.audio.lanes import Lane, LocalLane
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


class FakeBackend(Backend):
    """A backend that plays (records the clip), raises, crashes with a bug, or hangs."""

    def __init__(self, name: str, behaviour: str = "play") -> None:
        self.name = name
        self.behaviour = behaviour
        self.clips: list[Clip] = []
        self.calls = 0
        self.hung = threading.Event()
        """Set once a hanging backend is stuck in a clip."""
        self._release = threading.Event()

    def play(self, clip: Clip, started: Started, at: float | None, cut: threading.Event) -> None:
        self.calls += 1
        if self.behaviour == "raise":
            raise BackendFailed(f"{self.name}: no device")
        if self.behaviour == "bug":
            raise ZeroDivisionError("a bug in the backend")
        if self.behaviour == "hang":
            self.hung.set()
            self._release.wait()
            return
        started()
        self.clips.append(clip)

    def stop(self) -> None:
        self._release.set()


def chain(
    *backends: Backend | Lane, bank: ClipBank, **options: object
) -> tuple[ChainPlayer, list[tuple[str, str | None]]]:
    """A chain player over ``backends`` (each in a lane of this process, unless a lane
    already), and the list its backend reports go to. Its first lane is up when it returns, as
    in the app, where the player starts with the first frame: a cue due now would be late by
    the time a process started on a busy machine."""
    reports: list[tuple[str, str | None]] = []
    lanes = [LocalLane(b, bank) if isinstance(b, Backend) else b for b in backends]
    report = lambda n, r: reports.append((n, r))  # noqa: E731
    player = ChainPlayer(lanes, on_backend=report, bank=None, **options)  # type: ignore[arg-type]
    assert wait_until(lanes[0].ready.is_set)
    return player, reports


class Ticker:
    """Stands in for the app's event loop: a thread that wakes every 2 ms and counts its ticks.

    Audio work that held the GIL or blocked the process would stop it ticking.
    """

    def __init__(self, period: float = 0.002) -> None:
        self.period = period
        self.ticks = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Ticker:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            self.ticks += 1


class SizePoller:
    """A thread noting the capture file's size, with the time (``time.monotonic``), each time
    it grows: when each byte reached the card."""

    def __init__(self, path: Path, period: float = 0.001) -> None:
        self.path = path
        self.period = period
        self.growth: list[tuple[float, int]] = [(time.monotonic(), path.stat().st_size)]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SizePoller:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._look()  # what came since the last look: seen late, never early

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            self._look()

    def _look(self) -> None:
        size = self.path.stat().st_size
        if size != self.growth[-1][1]:
            self.growth.append((time.monotonic(), size))

    def first_holding(self, offset: int) -> float:
        """When the file first held byte ``offset`` (it must have by now)."""
        return next(seen for seen, size in self.growth if size > offset)
