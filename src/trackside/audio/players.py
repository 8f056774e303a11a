"""Players: what the app calls to sound a cue batch. The caller never waits on audio.

:class:`ChainPlayer` is the real one, over a chain of backends. While the first backend is a
:class:`~trackside.audio.backends.DirectBackend` (miniaudio in its child process), ``play()`` and
``schedule()`` hand the cue straight to it from the caller's thread (a few bytes to a pipe), so
no thread hop stands between an event and its sound, and a cue scheduled ahead starts at its
time whatever the app's thread is doing then. The backend reports back; one daemon worker
thread reads the reports, judges a backend that does not start (hung) or does not finish
(stalled), and falls back.

Every other backend is served by the worker: it takes requests in order, holds a scheduled one
until its time, drops any that are more than :data:`MAX_LATE_S` past due (a late beep is worse
than none), renders the clip and hands it to the first backend of its chain. Each such backend
runs in a lane (a thread of its own), so a backend that hangs is given up on after
:data:`START_TIMEOUT_S`. Whatever fails, hangs or crashes is dropped for the next backend, which
plays the same clip; every change of backend is reported through ``on_backend``.
"""

from __future__ import annotations

import atexit
import contextlib
import heapq
import itertools
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from trackside.audio.backends import Backend, BackendFailed, DirectBackend
from trackside.audio.clips import Clip, ClipBank, SoundsMissing
from trackside.audio.cues import SOUND_CHECK
from trackside.audio.lanes import Lane, stop_quietly
from trackside.audio.recording import CuePlayer, Played, RecordingPlayer

__all__ = [
    "MAX_LATE_S",
    "PLAY_SLACK_S",
    "START_TIMEOUT_S",
    "BackendListener",
    "ChainPlayer",
    "CuePlayer",
    "Played",
    "RecordingPlayer",
]

MAX_LATE_S = 0.75
"""A cue batch that cannot start within this long after it was due is dropped."""
START_TIMEOUT_S = 0.4
"""A backend that has not started its output by then is taken as hung and dropped."""
PLAY_SLACK_S = 6.0
"""Beyond a clip's own length, how long a backend may take to finish it before it is dropped."""
WATCH_S = 0.05
"""How long past a direct backend's deadline the worker wakes to look at it (replies wake it
before; with nothing due it sleeps)."""

BackendListener = Callable[[str, str | None], None]
"""``on_backend(name, reason)``: the backend now in use, and why the previous one was dropped."""


@dataclass(slots=True, eq=False)
class _Request:
    cues: tuple[str, ...]
    due: float
    volume: float
    check: Future[str] | None = None
    at: float | None = None
    """A scheduled request starts at this time (the due time), not before."""
    ticket: int = 0
    key: int = 0
    """Its number with the direct backend it was handed to."""
    cancelled: bool = False
    sent: float = 0.0
    started: float | None = None
    length: float = 0.0


@dataclass(slots=True)
class _Reply:
    kind: str
    key: int
    detail: str | float | None
    backend: DirectBackend


class ChainPlayer:
    """The real player: a chain of backends (see the module docstring)."""

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
        self._lanes = [Lane(backend) for backend in backends]
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
        self._lock = threading.Lock()  # the direct backend and what was handed to it
        self._direct: DirectBackend | None = None
        self._sent: dict[int, _Request] = {}
        self._scheduled: dict[int, _Request] = {}
        self._numbers = itertools.count(1)
        self._free_since = 0.0
        self._direct_first = True
        self._held: list[tuple[float, int, _Request]] = []  # scheduled, for a worker backend
        self._queue: queue.SimpleQueue[_Request | _Reply | None] = queue.SimpleQueue()
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
        self._reissue()

    @property
    def volume(self) -> float:
        return self._volume

    def set_volume(self, volume: float) -> None:
        self._volume = min(1.0, max(0.0, volume))
        self._reissue()

    def play(self, cues: Sequence[str], due: float | None = None) -> None:
        if self._muted or self._closed or not cues:
            return
        when = self._clock() if due is None else due
        self._dispatch(_Request(tuple(cues), when, self._volume))

    def schedule(self, cues: Sequence[str], due: float) -> int:
        """Sound ``cues`` at ``due`` (on ``time.monotonic``) unless cancelled before; returns
        the ticket to :meth:`cancel` it with. Muting or a new volume applies to it."""
        request = _Request(tuple(cues), due, self._volume, at=due)
        with self._lock:
            if self._muted:  # held ones whose moment went by will never be asked for again
                past = self._clock()
                self._scheduled = {t: r for t, r in self._scheduled.items() if (r.at or 0) > past}
            request.ticket = next(self._numbers)
            self._scheduled[request.ticket] = request
        if not (self._muted or self._closed or not cues):
            self._dispatch(request)
        return request.ticket

    def cancel(self, ticket: int) -> None:
        """Withdraw a scheduled cue (cut short if it has just begun). Unknown tickets are fine."""
        with self._lock:
            request = self._scheduled.pop(ticket, None)
        if request is not None:
            self._withdraw(request)

    def sound_check(self) -> Future[str]:
        future: Future[str] = Future()
        if self._closed:
            future.set_result("closed")
        else:
            self._dispatch(_Request(SOUND_CHECK, self._clock(), self._volume, future))
        return future

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        self._queue.put_nowait(None)
        for backend in self._backends:
            stop_quietly(backend)
        self._worker.join(timeout=1.0)
        self._cancel_pending()
        for backend in self._backends:
            with contextlib.suppress(Exception):  # closing must never raise at exit
                backend.close()
        self._bank.close()

    def _cancel_pending(self) -> None:
        """Answer the sound checks still queued, so no caller waits on a closed player."""
        with self._lock:
            left: list[_Request] = [*self._sent.values(), *(held for _, _, held in self._held)]
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, _Request):
                left.append(item)
        for request in left:
            if request.check is not None and not request.check.done():
                request.check.set_result("closed")

    # -- handing requests over ----------------------------------------------------------------

    def _dispatch(self, request: _Request) -> None:
        """To the direct backend from this thread if there is one, else to the worker."""
        direct = self._direct
        if direct is None or not self._send(direct, request):
            self._queue.put_nowait(request)

    def _send(self, direct: DirectBackend, request: _Request) -> bool:
        with self._lock:
            if self._direct is not direct:
                return False
            request.key = next(self._numbers)
            request.sent = self._clock()
            self._sent[request.key] = request
        try:
            direct.submit(request.key, request.cues, request.volume, request.due, request.at)
        except BackendFailed:
            with self._lock:
                self._sent.pop(request.key, None)
            return False
        if request.cancelled:  # withdrawn while it was being written
            direct.cancel(request.key)
        return True

    def _withdraw(self, request: _Request) -> None:
        request.cancelled = True
        with self._lock:
            direct = self._direct
            sent = self._sent.pop(request.key, None) is request
        if sent and direct is not None:
            direct.cancel(request.key)

    def _reissue(self) -> None:
        """Scheduled cues not begun yet take the mute switch and volume now in force."""
        with self._lock:
            pending = [r for r in self._scheduled.values() if r.started is None]
        now = self._clock()
        for old in pending:
            self._withdraw(old)
            new = _Request(old.cues, old.due, self._volume, at=old.at, ticket=old.ticket)
            with self._lock:
                if self._scheduled.get(old.ticket) is not old:
                    continue
                if (old.at or now) <= now:  # its moment went by (muted, or just now)
                    del self._scheduled[old.ticket]
                    continue
                self._scheduled[old.ticket] = new
            if not (self._muted or self._closed):
                self._dispatch(new)

    def _settle(self, request: _Request, result: str) -> None:
        if request.check is not None and not request.check.done():
            request.check.set_result(result)
        if request.ticket:
            with self._lock:
                if self._scheduled.get(request.ticket) is request:
                    del self._scheduled[request.ticket]

    # -- the worker ---------------------------------------------------------------------------

    def _run(self) -> None:
        self._drop_unavailable()
        while True:
            try:
                item = self._queue.get(timeout=self._next_wake())
            except queue.Empty:
                item = _Reply("", 0, None, _NOBODY)
            if item is None or self._closed:
                return
            try:
                self._release_held()  # what was due by now goes before what just came
                if isinstance(item, _Reply):
                    self._on_reply(item)
                else:
                    self._serve(item)
                self._watch()
            except Exception as error:  # a bug here must not silence the rest of the session
                if isinstance(item, _Request):
                    self._settle(item, f"failed: {type(error).__name__}: {error}")

    def _next_wake(self) -> float | None:
        waits = []
        if self._held:
            waits.append(max(0.0, self._held[0][0] - self._clock()))
        direct = self._direct
        deadline = self._deadline(direct) if direct is not None else None
        if deadline is not None:  # just past it, so the check finds it passed
            waits.append(max(0.0, deadline[0] - self._clock()) + WATCH_S)
        return min(waits) if waits else None

    def _drop_unavailable(self) -> None:
        """Check each backend's cheap availability up front, so the app shows the real one."""
        reasons: list[str] = []
        kept: list[Lane] = []
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

    def _serve(self, request: _Request) -> None:
        if request.cancelled:
            return
        if request.at is not None and request.at > self._clock() and self._direct is None:
            heapq.heappush(self._held, (request.at, next(self._numbers), request))
            return
        result = self._play(request)
        if result is not None:
            self._settle(request, result)

    def _release_held(self) -> None:
        while self._held and self._held[0][0] <= self._clock():
            self._serve(heapq.heappop(self._held)[2])

    def _play(self, request: _Request) -> str | None:
        """Play one request on the first backend that can; its label (or why not), or None
        once a direct backend has taken it (it is settled when that backend reports)."""
        direct = self._direct
        if direct is not None:
            if self._send(direct, request):
                return None
            self._fail_direct(direct.death_reason())
            if self._direct is not None:
                return "failed: " + direct.death_reason()
        if self._late(request):
            return "dropped: late"
        try:
            clip = self._bank.render(request.cues, request.volume)
        except SoundsMissing as error:
            self._drop_while(lambda backend: backend.needs_samples, str(error))
            clip = Clip(request.cues, b"")
        while True:
            lane = self._lanes[0]
            problem = lane.attempt(clip, self._start_timeout, PLAY_SLACK_S)
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
            if self._direct is not None:  # the next backend takes cues directly
                return self._play(request)

    # -- the direct backend's reports ------------------------------------------------------------

    def _on_reply(self, reply: _Reply) -> None:
        if reply.backend is not self._direct:
            return  # a backend dropped already, or the watch's own wake-up
        if reply.kind == "dead":
            self._fail_direct(str(reply.detail or f"{reply.backend.label} stopped"))
            return
        with self._lock:
            request = self._sent.get(reply.key)
        if request is None:
            return  # withdrawn
        now = self._clock()
        self._direct_first = False
        if reply.kind == "S":
            request.started = now
            request.length = reply.detail if isinstance(reply.detail, float) else 0.0
            return
        with self._lock:
            self._sent.pop(reply.key, None)
        self._free_since = now
        if reply.kind == "D":
            self.played += 1
            self._settle(request, reply.backend.label)
        elif reply.kind == "L":
            self.dropped_late += 1
            self._settle(request, "dropped: late")
        else:
            with self._lock:
                self._sent[reply.key] = request  # it goes to the next backend with the rest
            self._fail_direct(str(reply.detail or f"{reply.backend.label} failed"))

    def _watch(self) -> None:
        """Give up on a direct backend that does not start a cue in time, or never ends one."""
        direct = self._direct
        if direct is None:
            return
        deadline = self._deadline(direct)
        if deadline is not None and self._clock() > deadline[0]:
            self._fail_direct(deadline[1])

    def _deadline(self, direct: DirectBackend) -> tuple[float, str] | None:
        """When the cues sent to ``direct`` would show it hung or stalled, and what it would be.

        While one plays, only its end is awaited; else each must start within the timeout of its
        moment (or of the device coming free). Replies wake the worker, so it sleeps till then."""
        with self._lock:
            sent = list(self._sent.values())
        if not sent:
            return None
        playing = [request for request in sent if request.started is not None]
        if playing:
            ends = min((request.started or 0.0) + request.length for request in playing)
            return ends + PLAY_SLACK_S, f"{direct.label} stalled while playing"
        timeout = self._start_timeout + (direct.first_start_s if self._direct_first else 0.0)
        begin = min(
            max(request.sent if request.at is None else request.at, self._free_since)
            for request in sent
        )
        return begin + timeout, f"{direct.label} did not start within {timeout:g} s (hung)"

    def _fail_direct(self, reason: str) -> None:
        """Drop the direct backend; what it had not played goes to the next one, in order."""
        with self._lock:
            direct = self._direct
            if direct is None:
                return
            left = sorted(self._sent.values(), key=lambda request: request.key)
            self._sent.clear()
            if len(self._lanes) > 1:
                self._direct = None
        stop_quietly(direct)
        if self._direct is not None:  # alone in its chain: nothing to fall back on
            for request in left:
                self._settle(request, f"failed: {reason}")
            return
        self._drop(self._lanes.pop(0))
        self._switched(reason)
        for request in left:
            request.started = None
            self._serve(request)

    # -- the chain ----------------------------------------------------------------------------

    def _drop_while(self, test: Callable[[Backend], bool], reason: str) -> None:
        while len(self._lanes) > 1 and test(self._lanes[0].backend):
            self._drop(self._lanes.pop(0))
        self._switched(reason)

    def _drop(self, lane: Lane) -> None:
        """Release a backend dropped from the chain (a child process, a device) right away."""
        with contextlib.suppress(Exception):
            lane.backend.close()

    def _late(self, request: _Request) -> bool:
        if self._clock() - request.due > self._max_late:
            self.dropped_late += 1
            return True
        return False

    def _switched(self, reason: str | None) -> None:
        backend = self._lanes[0].backend
        self._backend = backend.label
        if isinstance(backend, DirectBackend) and self._direct is not backend:
            self._attach(backend)
        if self._backend == self._reported:
            return
        self._reported = self._backend
        if self._on_backend is not None:
            with contextlib.suppress(Exception):  # the app's callback must not kill the worker
                self._on_backend(self._backend, reason)

    def _attach(self, backend: DirectBackend) -> None:
        def report(kind: str, key: int, detail: str | float | None) -> None:
            self._queue.put_nowait(_Reply(kind, key, detail, backend))

        backend.attach(report, self._max_late, self._volume)
        self._direct_first = True
        with self._lock:
            self._direct = backend


class _Nobody(DirectBackend):
    """Stands for no backend in the worker's own wake-ups."""


_NOBODY = _Nobody()
