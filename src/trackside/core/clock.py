"""Clocks the app hands to the engine. The engine itself never reads one."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    """Something that tells the time in seconds on a clock that never goes backwards."""

    def now(self) -> float: ...


def suspend_aware() -> tuple[str, Callable[[], float]]:
    """The system clock a session runs on, by name: one that counts time spent suspended.

    On Linux ``time.monotonic`` (CLOCK_MONOTONIC) stops while a laptop sleeps, so a recovery
    would lose the minutes the lid was shut; CLOCK_BOOTTIME runs on through them. Where there
    is no CLOCK_BOOTTIME, ``time.monotonic``.
    """
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    if boottime is not None:
        try:
            time.clock_gettime(boottime)
        except OSError:  # a kernel without it (before Linux 2.6.39)
            pass
        else:
            return "CLOCK_BOOTTIME", lambda: time.clock_gettime(boottime)
    return "monotonic", time.monotonic


class SessionClock:
    """The real clock of a session: monotonic, and counting a suspend (see
    :func:`suspend_aware`). Within one process its differences are real seconds passed."""

    def __init__(self) -> None:
        source, read = suspend_aware()
        self.source = source
        """The system clock read: ``CLOCK_BOOTTIME`` or ``monotonic``."""
        self._read = read

    def now(self) -> float:
        return self._read()


class MonotonicClock:
    """``time.monotonic``: stops while the computer is suspended (see :class:`SessionClock`).
    For what is timed on the same clock as a player's ``time.monotonic``."""

    def now(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock the tests move by hand, so a 90-minute workout runs in milliseconds."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` and return the new time."""
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go backwards")
        self._now += seconds
        return self._now

    def set(self, when: float) -> None:
        """Jump straight to ``when`` (never backwards)."""
        self.advance(when - self._now)
