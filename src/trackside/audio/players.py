"""Players: what the app calls to sound a cue batch. The caller never waits on audio.

:class:`ChainPlayer` is the real one. ``play()`` only puts the request on a queue; one daemon
worker thread takes requests in order, drops any that are more than :data:`MAX_LATE_S` past due
(a late beep is worse than none), renders the clip, and hands it to the first backend of its
chain. Each backend runs in a lane (a thread of its own), so a backend that hangs is given up on
after :data:`START_TIMEOUT_S` and the same clip goes to the next one; a backend that raises is
dropped the same way. Every change of backend is reported through ``on_backend``.
"""

from __future__ import annotations

import atexit
import contextlib
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from trackside.audio.backends import Backend, BackendFailed
from trackside.audio.clips import Clip, ClipBank, SoundsMissing
from trackside.audio.cues import SOUND_CHECK

MAX_LATE_S = 0.75
"""A cue batch that cannot start within this long after it was due is dropped."""
START_TIMEOUT_S = 0.4
"""A backend that has not started its output by then is taken as hung and dropped."""
PLAY_SLACK_S = 6.0
"""Beyond a clip's own length, how long a backend may take to finish it before it is dropped."""

BackendListener = Callable[[str, str | None], None]
"""``on_backend(name, reason)``: the backend now in use, and why the previous one was dropped."""


@runtime_checkable
class CuePlayer(Protocol):
    """What the app needs from a player. Every method returns at once."""

    @property
    def backend(self) -> str:
        """The backend in use now ("miniaudio", "aplay", "bell", "silent", ...)."""
        ...

    @property
    def muted(self) -> bool: ...

    def set_muted(self, muted: bool) -> None:
        """Mute or unmute. Muted, ``play()`` drops its cues (the sound check still plays)."""
        ...

    @property
    def volume(self) -> float:
        """Volume from 0 to 1."""
        ...

    def set_volume(self, volume: float) -> None:
        """Set the volume (clamped to 0..1); cues already queued keep theirs."""
        ...

    def play(self, cues: Sequence[str], due: float | None = None) -> None:
        """Sound ``cues`` back to back; ``due`` is on ``time.monotonic``'s clock (None: now)."""
        ...

    def sound_check(self) -> Future[str]:
        """Play the test cue; the future gives the backend that played it."""
        ...

    def close(self) -> None:
        """Stop playing and release the device. Safe to call twice."""
        ...


@dataclass(frozen=True, slots=True)
class Played:
    """One request a :class:`RecordingPlayer` received."""

    cues: tuple[str, ...]
    due: float | None
    muted: bool = False


class RecordingPlayer:
    """A player for app tests: records what it was asked to play and plays nothing."""

    def __init__(self, backend: str = "recording") -> None:
        self.requests: list[Played] = []
        self._backend = backend
        self._muted = False
        self._volume = 1.0
        self.closed = False

    @property
    def played(self) -> list[tuple[str, ...]]:
        """The cue batches that would have sounded (muted requests left out)."""
        return [request.cues for request in self.requests if not request.muted]

    @property
    def backend(self) -> str:
        return self._backend

    @property
    def muted(self) -> bool:
        return self._muted

    def set_muted(self, muted: bool) -> None:
        self._muted = muted

    @property
    def volume(self) -> float:
        return self._volume

    def set_volume(self, volume: float) -> None:
        self._volume = min(1.0, max(0.0, volume))

    def play(self, cues: Sequence[str], due: float | None = None) -> None:
        self.requests.append(Played(tuple(cues), due, self._muted))

    def sound_check(self) -> Future[str]:
        self.requests.append(Played(SOUND_CHECK, None, False))
        future: Future[str] = Future()
        future.set_result(self._backend)
        return future

    def close(self) -> None:
        self.closed = True


@dataclass(slots=True)
class _Request:
    cues: tuple[str, ...]
    due: float
    volume: float
    check: Future[str] | None = None


@dataclass(slots=True)
class _Job:
    clip: Clip
    started: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    error: str | None = None


def _stop(backend: Backend) -> None:
    """Cut a backend short; one whose stop fails too is given up on all the same."""
    with contextlib.suppress(Exception):
        backend.stop()


class _Lane:
    """A backend's own thread, so the worker can give up on a backend that hangs."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._first = True

    def attempt(self, clip: Clip, start_timeout: float) -> str | None:
        """Play ``clip``; None if it played, else why not (the backend is then unusable)."""
        if self._thread is None:
            name = f"trackside-audio-{self.backend.name}"
            self._thread = threading.Thread(target=self._run, name=name, daemon=True)
            self._thread.start()
        job = _Job(clip)
        self._jobs.put(job)
        if self._first:
            start_timeout += self.backend.first_start_s
            self._first = False
        if not job.started.wait(start_timeout):
            _stop(self.backend)
            return f"{self.backend.label} did not start within {start_timeout:g} s (hung)"
        if not job.done.wait(clip.duration + PLAY_SLACK_S):
            _stop(self.backend)
            return f"{self.backend.label} stalled while playing"
        return job.error

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                self.backend.play(job.clip, job.started.set)
            except BackendFailed as error:
                job.error = str(error)
            except Exception as error:  # a backend bug must not kill its lane silently
                job.error = f"{self.backend.label}: {type(error).__name__}: {error}"
            finally:
                job.started.set()
                job.done.set()


class ChainPlayer:
    """The real player: a chain of backends on one worker thread (see the module docstring)."""

    def __init__(
        self,
        backends: Sequence[Backend],
        *,
        volume: float = 1.0,
        on_backend: BackendListener | None = None,
        bank: ClipBank | None = None,
        clock: Callable[[], float] = time.monotonic,
        start_timeout: float = START_TIMEOUT_S,
        max_late: float = MAX_LATE_S,
    ) -> None:
        if not backends:
            raise ValueError("a chain needs at least one backend")
        self._lanes = [_Lane(backend) for backend in backends]
        self._backends = tuple(backends)  # every one is closed at the end, dropped or not
        self._bank = bank or ClipBank()
        self._clock = clock
        self._start_timeout = start_timeout
        self._max_late = max_late
        self._on_backend = on_backend
        self._volume = min(1.0, max(0.0, volume))
        self._muted = False
        self._closed = False
        self._backend = self._lanes[0].backend.label
        self._reported: str | None = None
        self.played = 0
        """Batches played by a backend that makes sound (for tests and the status line)."""
        self.dropped_late = 0
        """Batches dropped because they could not start within :data:`MAX_LATE_S`."""
        self._queue: queue.SimpleQueue[_Request | None] = queue.SimpleQueue()
        self._worker = threading.Thread(target=self._run, name="trackside-audio", daemon=True)
        self._worker.start()
        # At exit: no device left open (it can hang the process), no player process left behind.
        atexit.register(self.close)

    # -- the app's side: every call returns at once ------------------------------------------

    @property
    def backend(self) -> str:
        return self._backend

    @property
    def muted(self) -> bool:
        return self._muted

    def set_muted(self, muted: bool) -> None:
        self._muted = muted

    @property
    def volume(self) -> float:
        return self._volume

    def set_volume(self, volume: float) -> None:
        self._volume = min(1.0, max(0.0, volume))

    def play(self, cues: Sequence[str], due: float | None = None) -> None:
        if self._muted or self._closed or not cues:
            return
        when = self._clock() if due is None else due
        self._queue.put_nowait(_Request(tuple(cues), when, self._volume))

    def sound_check(self) -> Future[str]:
        future: Future[str] = Future()
        if self._closed:
            future.set_result("closed")
        else:
            request = _Request(SOUND_CHECK, self._clock(), self._volume, future)
            self._queue.put_nowait(request)
        return future

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        self._queue.put_nowait(None)
        for backend in self._backends:
            _stop(backend)
        self._worker.join(timeout=1.0)
        self._cancel_pending()
        for backend in self._backends:
            with contextlib.suppress(Exception):  # closing must never raise at exit
                backend.close()
        self._bank.close()

    def _cancel_pending(self) -> None:
        """Answer the sound checks still queued, so no caller waits on a closed player."""
        while True:
            try:
                request = self._queue.get_nowait()
            except queue.Empty:
                return
            if request is not None and request.check is not None and not request.check.done():
                request.check.set_result("closed")

    # -- the worker ---------------------------------------------------------------------------

    def _run(self) -> None:
        self._drop_unavailable()
        while True:
            request = self._queue.get()
            if request is None or self._closed:
                return
            try:
                played_by = self._serve(request)
            except Exception as error:  # a bug here must not silence the rest of the session
                played_by = f"failed: {type(error).__name__}: {error}"
            if request.check is not None:
                request.check.set_result(played_by)

    def _drop_unavailable(self) -> None:
        """Check each backend's cheap availability up front, so the app shows the real one."""
        reasons: list[str] = []
        kept: list[_Lane] = []
        for lane in self._lanes:
            reason = lane.backend.unavailable()
            if reason is None:
                kept.append(lane)
            elif not kept:  # only what was skipped before the one in use explains the switch
                reasons.append(f"{lane.backend.name}: {reason}")
        self._lanes = kept or self._lanes[-1:]
        self._switched("; ".join(reasons) or None)
        with contextlib.suppress(Exception):  # a failed warm-up shows up at the first cue
            self._lanes[0].backend.warm()

    def _serve(self, request: _Request) -> str:
        """Play one request on the first backend that can; return its label (or why not)."""
        if self._late(request):
            return "dropped: late"
        try:
            clip = self._bank.render(request.cues, request.volume)
        except SoundsMissing as error:
            self._drop_while(lambda backend: backend.needs_samples, str(error))
            clip = Clip(request.cues, b"")
        while True:
            lane = self._lanes[0]
            problem = lane.attempt(clip, self._start_timeout)
            if problem is None:
                if lane.backend.label != self._backend:  # e.g. pw-play failed, aplay played
                    self._switched(None)
                if lane.backend.name != "silent":
                    self.played += 1
                return lane.backend.label
            if len(self._lanes) == 1:  # silence cannot fail; a lone custom backend can
                return f"failed: {problem}"
            self._drop(self._lanes.pop(0))
            self._switched(problem)
            if self._late(request):
                return "dropped: late"

    def _drop_while(self, test: Callable[[Backend], bool], reason: str) -> None:
        while len(self._lanes) > 1 and test(self._lanes[0].backend):
            self._drop(self._lanes.pop(0))
        self._switched(reason)

    def _drop(self, lane: _Lane) -> None:
        """Release a backend dropped from the chain (a child process, a device) right away."""
        with contextlib.suppress(Exception):
            lane.backend.close()

    def _late(self, request: _Request) -> bool:
        if self._clock() - request.due > self._max_late:
            self.dropped_late += 1
            return True
        return False

    def _switched(self, reason: str | None) -> None:
        self._backend = self._lanes[0].backend.label
        if self._backend == self._reported:
            return
        self._reported = self._backend
        if self._on_backend is not None:
            with contextlib.suppress(Exception):  # the app's callback must not kill the worker
                self._on_backend(self._backend, reason)
