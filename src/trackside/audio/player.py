"""The player: the one protocol the app and the listener use, and the real one over a chain.

:class:`ChainPlayer` sends every cue one way, to the lane in use (see ``chain.py``), each lane a
backend with the scheduler that starts cues at their moment (``schedule.py``). What it adds is the
record of the batches told ahead (:meth:`ChainPlayer.expect`): those no longer expected are
withdrawn, a batch told ahead is not played a second time when its moment comes, and the mute
switch and the volume apply to the ones told and not begun.
"""

from __future__ import annotations

import atexit
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Protocol

from trackside.audio.chain import LIMITS, BackendListener, Chain, Limits, Request
from trackside.audio.clips import ClipBank
from trackside.audio.cues import SOUND_CHECK, CueBatch
from trackside.audio.lanes import Lane

__all__ = ["BackendListener", "ChainPlayer", "CuePlayer", "Limits", "Told"]

RETELL_S = 0.001
"""A batch told ahead is told again when its moment is known this much better."""
SAME_MOMENT_S = 0.5
"""A batch played this close to one told ahead with the same cues is that one; further off, the
clocks parted (the computer slept) and the one told is stale."""
EARLY_S = 0.1
"""A batch that comes this much before the moment it was told for, or more, happened early (a
key skipped the 3-2-1 or started a rep): it is played now, and the one told is stale."""


class CuePlayer(Protocol):
    """What the app and the cue listener need of a player. Every method returns at once."""

    @property
    def backend(self) -> str:
        """The backend in use now ("miniaudio", "aplay", "bell", "silent", ...); "checking"
        until a silent check found that it reaches a device."""
        ...

    @property
    def muted(self) -> bool: ...

    def set_muted(self, muted: bool) -> None:
        """Mute or unmute. Muted, cues are dropped (the sound check still plays)."""
        ...

    @property
    def volume(self) -> float:
        """Volume from 0 to 1."""
        ...

    def set_volume(self, volume: float) -> None:
        """Set the volume (clamped to 0..1), for the cues told ahead too."""
        ...

    def play(self, cues: Sequence[str], due: float | None = None) -> None:
        """Sound ``cues`` back to back now. ``due`` is the moment they belong to (on the
        player's clock; None: now): they are dropped if they cannot start within 0.75 s of it.
        A batch told ahead (:meth:`expect`) for that moment is not played again."""
        ...

    def expect(self, batches: Sequence[CueBatch]) -> None:
        """The batches that will sound by themselves unless a key is pressed, each due at its
        moment on the player's clock: all of them, in place of those expected before. A player
        may start each at its moment whatever its caller is doing then, or ignore this and
        sound each when :meth:`play` brings it."""
        ...

    def add_clips(self, clips: Mapping[str, Path]) -> None:
        """Clips from outside the sounds folder (an athlete's spoken name), each a WAV file
        checked as the shipped ones are, under its cue name: a batch may name them from now
        on. Returns at once."""
        ...

    def sound_check(self) -> Future[str]:
        """Play the test cue; the future gives the backend that played it."""
        ...

    def close(self) -> None:
        """Stop playing and release the device. Safe to call twice."""
        ...


class ChainPlayer:
    """The real player: cues over a chain of lanes (see the module docstring).

    ``clock`` is the player's (``time.monotonic``, which miniaudio's process shares); other
    ``limits`` and a ``poll`` are for tests (see :class:`~trackside.audio.schedule.Setup`).
    """

    def __init__(
        self,
        lanes: Sequence[Lane],
        *,
        volume: float = 1.0,
        on_backend: BackendListener | None = None,
        bank: ClipBank | None = None,
        clock: Callable[[], float] = time.monotonic,
        limits: Limits = LIMITS,
        poll: float | None = None,
    ) -> None:
        self._clock = clock
        self._bank = bank  # closed with the player (the WAV files written for players)
        self._volume = _clamp(volume)
        self._muted = False
        self._closed = False
        self._lock = threading.Lock()
        self._told = Told()
        self._chain = Chain(
            lanes,
            clock=clock,
            volume=self._volume,
            on_backend=on_backend,
            limits=limits,
            poll=poll,
        )
        # At exit: no device left open (it can hang the process), no player process left behind.
        atexit.register(self.close)

    @property
    def backend(self) -> str:
        return self._chain.label

    @property
    def played(self) -> int:
        """Batches played by a backend that makes sound (for tests and benchmarks)."""
        return self._chain.played

    @property
    def dropped_late(self) -> int:
        """Batches dropped because they could not start within ``limits.max_late`` (0.75 s)
        of their moment."""
        return self._chain.dropped_late

    @property
    def muted(self) -> bool:
        return self._muted

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        self._retell()

    @property
    def volume(self) -> float:
        return self._volume

    def set_volume(self, volume: float) -> None:
        self._volume = self._chain.volume = _clamp(volume)
        self._retell()

    def play(self, cues: Sequence[str], due: float | None = None) -> None:
        if self._closed or not cues:
            return
        batch = CueBatch(self._clock() if due is None else due, tuple(cues))
        with self._lock:
            if self._told.claim(batch, self._clock()):  # it starts (or started) at its moment
                return
        if not self._muted:
            self._chain.send(Request(batch.cues, batch.due, None, self._volume))

    def expect(self, batches: Sequence[CueBatch]) -> None:
        if self._closed:
            return
        with self._lock:
            stale, new = self._told.expect(batches, self._volume)
        for request in stale:
            self._chain.withdraw(request)
        if not self._muted:
            for request in new:
                self._chain.send(request)

    def add_clips(self, clips: Mapping[str, Path]) -> None:
        if not self._closed:
            self._chain.add_clips(clips)

    def sound_check(self) -> Future[str]:
        future: Future[str] = Future()
        if self._closed:
            future.set_result("closed")
        else:  # never late: it belongs to no moment, and the runner waits to hear it
            self._chain.send(Request(SOUND_CHECK, math.inf, None, self._volume, future))
        return future

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        self._chain.close()
        if self._bank is not None:
            self._bank.close()

    def _retell(self) -> None:
        """The batches told and not begun take the mute switch and the volume now in force."""
        with self._lock:
            old, fresh = self._told.retell(self._clock(), self._volume)
        for request in old:
            self._chain.withdraw(request)
        if not (self._muted or self._closed):
            for request in fresh:
                self._chain.send(request)


class Told:
    """The batches told ahead and not yet brought by ``play``: which to withdraw, which to send,
    and which a batch played now already is. Pure bookkeeping; the caller sends and withdraws."""

    def __init__(self) -> None:
        self.requests: list[Request] = []

    def expect(
        self, batches: Sequence[CueBatch], volume: float
    ) -> tuple[list[Request], list[Request]]:
        """``batches`` are all that is expected now: the requests told before and no longer
        expected (to withdraw), and those for the batches new among them (to send)."""
        kept = [request for request in self.requests if _expected(request, batches)]
        stale = [request for request in self.requests if request not in kept]
        new = [
            Request(batch.cues, batch.due, batch.due, volume)
            for batch in batches
            if _told_as(kept, batch, RETELL_S) is None
        ]
        self.requests = kept + new
        return stale, new

    def claim(self, batch: CueBatch, now: float) -> bool:
        """True if ``batch``, come out ``now``, was told ahead: it is not told any more. One
        told for a moment still :data:`EARLY_S` ahead of both is not it (the next ``expect``
        withdraws it): a key brought the batch early."""
        told = _told_as(self.requests, batch, SAME_MOMENT_S)
        if told is None or told.due >= max(batch.due, now) + EARLY_S:
            return False
        self.requests.remove(told)
        return True

    def retell(self, now: float, volume: float) -> tuple[list[Request], list[Request]]:
        """The requests not begun (to withdraw), and their fresh copies at ``volume`` (to
        send), but for those whose moment has gone by: never told again."""
        old = [request for request in self.requests if request.started is None]
        fresh = [
            Request(request.cues, request.due, request.at, volume)
            for request in old
            if request.at is not None and request.at > now
        ]
        self.requests = [request for request in self.requests if request not in old] + fresh
        return old, fresh


def _told_as(told: Sequence[Request], batch: CueBatch, within: float) -> Request | None:
    """The request told for ``batch``: the same cues, the nearest moment within ``within``."""
    same = [r for r in told if r.cues == batch.cues and abs(r.due - batch.due) <= within]
    return min(same, key=lambda request: abs(request.due - batch.due), default=None)


def _expected(request: Request, batches: Sequence[CueBatch]) -> bool:
    return any(b.cues == request.cues and abs(b.due - request.due) <= RETELL_S for b in batches)


def _clamp(volume: float) -> float:
    return min(1.0, max(0.0, volume))
