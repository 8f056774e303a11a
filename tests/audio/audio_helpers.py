"""Helpers shared by the audio tests (a unique module name: the test folders are not packages)."""

from __future__ import annotations

import time
from collections.abc import Callable

from trackside.audio import CueBatch, CueListener, RecordingPlayer, cue_batches
from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind
from trackside.core.plan import Plan
from trackside.core.session import Session
from trackside.runner import Runner

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
