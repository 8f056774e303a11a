"""Audio: every backend failing in every way while a whole 21 x 400m session runs.

A real Runner, CueListener and ChainPlayer (the shipped clips), with fake backends in front of a
good one: the session completes, and every cue batch falls through to the good backend, in order.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from rel_support import PLAN_21, drive, whole_session

from trackside.audio import ChainPlayer, CueListener, cue_batches
from trackside.audio import players as players_module
from trackside.audio.backends import Backend, BackendFailed, BellBackend, SilentBackend, Started
from trackside.audio.clips import Clip, ClipBank
from trackside.core.clock import FakeClock
from trackside.core.runner import Runner
from trackside.core.session import Session

START_TIMEOUT_S = 0.15


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

    def play(self, clip: Clip, started: Started) -> None:
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

    def play(self, clip: Clip, started: Started) -> None:
        started()
        self.played.append(clip.cues)


def wait_until(test: Callable[[], bool], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.fixture(scope="module")
def bank() -> ClipBank:
    return ClipBank()


@pytest.fixture(autouse=True)
def _short_stall(monkeypatch: pytest.MonkeyPatch) -> None:
    # A stalled backend is dropped after clip length + PLAY_SLACK_S: shorten the slack.
    monkeypatch.setattr(players_module, "PLAY_SLACK_S", 0.3)


def run_session(backends: list[Backend], bank: ClipBank) -> tuple[Runner, list[tuple[str, ...]]]:
    """The whole session, the player judging lateness on the session's own clock."""
    clock = FakeClock(1000.0)
    reports: list[tuple[str, str | None]] = []
    player = ChainPlayer(
        backends,
        bank=bank,
        clock=clock.now,
        start_timeout=START_TIMEOUT_S,
        max_late=1e9,  # the fake clock runs ahead of the worker: judge nothing late here
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
    try:
        drive(runner, clock, whole_session())
        clock.advance(5)
        runner.tick()
        assert isinstance(backends[-1], Good)
        fakes = [b for b in backends if isinstance(b, Failing | Good)]
        played = lambda: sum(len(b.played) for b in fakes)  # noqa: E731
        assert wait_until(lambda: played() >= len(expected)), (
            f"{played()} of {len(expected)} batches played; {reports}"
        )
        assert player.backend == "good"
        assert reports[-1][0] == "good"
    finally:
        player.close()
    return runner, expected


MODES = ["raise", "bug", "hang", "stall", "unavailable", "warm-raises", "stop-raises"]


@pytest.mark.parametrize("how", MODES)
@pytest.mark.parametrize("good_for", [0, 7])
def test_a_backend_failing_any_way_mid_session_loses_no_cue(
    how: str, good_for: int, bank: ClipBank
) -> None:
    failing = Failing(how, good_for if how != "unavailable" else 0)
    good = Good()
    runner, expected = run_session([failing, good], bank)
    assert runner.session.finished
    assert len(runner.session.splits()) == 21
    assert failing.played + good.played == expected, "every cue once, in order"


def test_every_backend_failing_at_once_falls_through_to_the_last(bank: ClipBank) -> None:
    chain: list[Backend] = [Failing(how, good_for=i) for i, how in enumerate(MODES)]
    chain.append(Failing("everything"))
    good = Good()
    runner, expected = run_session([*chain, good], bank)
    assert runner.session.finished
    played = [cues for backend in chain for cues in backend.played]  # type: ignore[attr-defined]
    assert sorted(played + good.played) == sorted(expected)
    assert good.played == expected[len(played) :]


def test_with_no_device_at_all_the_session_ends_on_the_bell(bank: ClipBank) -> None:
    rung: list[float] = []
    chain: list[Backend] = [Failing("raise"), Failing("hang"), BellBackend(lambda: rung.append(1))]
    clock = FakeClock(1000.0)
    player = ChainPlayer(
        chain, bank=bank, clock=clock.now, start_timeout=START_TIMEOUT_S, max_late=1e9
    )
    runner = Runner(Session(PLAN_21, 0), clock, listeners=[CueListener(player)])
    try:
        drive(runner, clock, whole_session())
        assert runner.session.finished
        assert wait_until(lambda: player.backend == "bell" and len(rung) > 40)
    finally:
        player.close()
    assert SilentBackend().unavailable() is None
