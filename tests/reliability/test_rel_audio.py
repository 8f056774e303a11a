"""Audio: every backend failing in every way while a whole 21 x 400m session runs.

A real Runner, CueListener and ChainPlayer (the shipped clips), with fake backends in front of a
good one: the session completes, and every cue batch falls through to the good backend, in
order, once. The player keeps its real limits: a cue that cannot start within 0.75 s of its
moment is dropped, so a fallback too slow to save the cue it failed on fails these tests.

The session and the player share a clock that runs in real seconds, and jumps over the minutes
in which nothing is due (a 90-minute session in seconds): the test ticks the runner at each of
the session's own moments, as the app does, and lets the player settle before it jumps on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from rel_support import PLAN_21, whole_session

from trackside.audio import ChainPlayer, CueListener, cue_batches
from trackside.audio.backends import Backend, BackendFailed, BellBackend, SilentBackend, Started
from trackside.audio.clips import Clip, ClipBank
from trackside.audio.lanes import LocalLane
from trackside.audio.player import Limits
from trackside.core.runner import Runner
from trackside.core.session import Session

LIMITS = Limits(start_timeout=0.15, play_slack=0.3)
"""The app's 0.75 s for a late cue; a hang or a stall is found out sooner (the fakes are quick)."""
POLL_S = 0.002


class TrackClock:
    """Real seconds, plus the jumps the test makes over the minutes when nothing is due."""

    def __init__(self) -> None:
        self._offset = 1000.0 - time.monotonic()

    def now(self) -> float:
        return time.monotonic() + self._offset

    def jump_to(self, when: float) -> None:
        self._offset += max(0.0, when - self.now())


class Failing(Backend):
    """A backend that fails one way (``how``), after ``good_for`` clips played well."""

    def __init__(self, how: str, good_for: int = 0) -> None:
        self.name = f"failing-{how}"
        self.how = how
        self.good_for = good_for
        self.played: list[tuple[str, ...]] = []
        self._release = threading.Event()

    def unavailable(self) -> str | None:
        return "not installed" if self.how == "unavailable" else None

    def warm(self) -> None:
        if self.how in ("warm-raises", "everything"):
            raise OSError("no such device")

    def play(self, clip: Clip, started: Started, at: float | None, cut: threading.Event) -> None:
        if len(self.played) < self.good_for:
            started()
            self.played.append(clip.cues)
            return
        how = self.how
        if how in ("raise", "warm-raises", "unavailable"):
            raise BackendFailed(f"{self.name}: no device")
        if how == "bug":
            raise ZeroDivisionError("a bug in the backend")
        if how in ("hang", "stop-raises", "everything"):
            self._release.wait()
            return
        if how == "stall":
            started()  # the output began, then nothing ever ends
            self._release.wait()
            return
        raise AssertionError(how)

    def stop(self) -> None:
        self._release.set()
        if self.how in ("stop-raises", "everything"):
            raise RuntimeError("stop failed too")

    def close(self) -> None:
        self._release.set()
        if self.how in ("stop-raises", "everything"):
            raise RuntimeError("close failed too")


class Good(Backend):
    """The backend that works: keeps the cues of every clip it played, in order."""

    name = "good"

    def __init__(self) -> None:
        self.played: list[tuple[str, ...]] = []

    def play(self, clip: Clip, started: Started, at: float | None, cut: threading.Event) -> None:
        started()
        self.played.append(clip.cues)


def wait_until(test: Callable[[], bool], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL_S)
    return True


@pytest.fixture(scope="module")
def bank() -> ClipBank:
    return ClipBank()


def drive(runner: Runner, clock: TrackClock, settled: Callable[[], bool]) -> None:
    """The keys of :func:`~rel_support.whole_session`, with a tick at each of the session's own
    moments in between; after each, the player settles what came due before the clock jumps."""
    at = clock.now()
    for kind, after in whole_session():
        at += after
        due = runner.session.next_due()
        while due is not None and due <= at:
            clock.jump_to(due)
            runner.tick()
            assert wait_until(settled), "the player never settled what came due"
            due = runner.session.next_due()
        clock.jump_to(at)
        runner.tick()
        if kind is not None:
            runner.act(kind)
        assert wait_until(settled), "the player never settled what came due"


def run_session(
    backends: list[Backend], bank: ClipBank
) -> tuple[Runner, ChainPlayer, list[tuple[str, ...]]]:
    """The whole session: the runner and its cues as it heard them, and the player."""
    clock = TrackClock()
    reports: list[tuple[str, str | None]] = []
    player = ChainPlayer(
        [LocalLane(backend, bank) for backend in backends],
        clock=clock.now,
        limits=LIMITS,
        poll=POLL_S,
        on_backend=lambda name, why: reports.append((name, why)),
    )
    expected: list[tuple[str, ...]] = []
    runner = Runner(
        Session(PLAN_21, 3),
        clock,
        listeners=[
            lambda s, events: expected.extend(b.cues for b in cue_batches(events, s.plan)),
            CueListener(player),
        ],
    )
    fakes = [b for b in backends if isinstance(b, Failing | Good)]
    played = lambda: sum(len(b.played) for b in fakes)  # noqa: E731
    try:
        drive(runner, clock, lambda: played() + player.dropped_late >= len(expected))
        assert player.backend == "good"
        assert reports[-1][0] == "good"
    finally:
        player.close()
    assert runner.session.finished
    assert len(runner.session.splits()) == 21
    return runner, player, expected


MODES = ["raise", "bug", "hang", "stall", "unavailable", "warm-raises", "stop-raises"]


@pytest.mark.parametrize("how", MODES)
@pytest.mark.parametrize("good_for", [0, 7])
def test_a_backend_failing_any_way_mid_session_loses_no_cue(
    how: str, good_for: int, bank: ClipBank
) -> None:
    failing = Failing(how, good_for if how != "unavailable" else 0)
    good = Good()
    _, player, expected = run_session([failing, good], bank)
    done = len(failing.played)
    # Only the clip a backend stalled on may be lost: by the time the stall is known (its
    # length and the slack), it may be too late to start it anywhere.
    lost = player.dropped_late
    assert lost == 0 if how != "stall" else lost <= 1
    assert failing.played == expected[:done]
    assert good.played == expected[done + lost :], "every cue once, in order"


def test_every_backend_failing_at_once_falls_through_to_the_last(bank: ClipBank) -> None:
    chain: list[Failing] = [Failing(how, good_for=i) for i, how in enumerate(MODES)]
    chain.append(Failing("everything"))
    good = Good()
    _, player, expected = run_session([*chain, good], bank)
    played = [cues for backend in chain for cues in backend.played] + good.played
    assert player.dropped_late <= 1  # the clip the stalled one was playing, at most
    assert len(played) + player.dropped_late == len(expected)
    rest = iter(expected)
    assert all(cues in rest for cues in played), "every cue once, in order"


def test_with_no_device_at_all_the_session_ends_on_the_bell(bank: ClipBank) -> None:
    rung: list[float] = []
    chain: list[Backend] = [Failing("raise"), Failing("hang"), BellBackend(lambda: rung.append(1))]
    clock = TrackClock()
    player = ChainPlayer(
        [LocalLane(backend, bank) for backend in chain],
        clock=clock.now,
        limits=LIMITS,
        poll=POLL_S,
    )
    heard: list[tuple[str, ...]] = []
    runner = Runner(
        Session(PLAN_21, 0),
        clock,
        listeners=[
            CueListener(player),
            lambda s, events: heard.extend(b.cues for b in cue_batches(events, s.plan)),
        ],
    )
    try:
        drive(runner, clock, lambda: len(rung) + player.dropped_late >= len(heard))
        assert runner.session.finished
        assert player.backend == "bell"
    finally:
        player.close()
    assert len(rung) == len(heard)  # one ring a batch, none late
    assert player.dropped_late == 0
    assert SilentBackend().unavailable() is None
