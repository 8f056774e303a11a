"""The chain: the lanes in order, the one way a cue goes to the lane in use, and falling back.

:meth:`Chain.send` hands a request to the lane in use from the caller's thread (a few bytes to a
pipe, or onto a scheduler's heap: it never waits), so no thread stands between an event and its
sound. The lanes report back to one watcher thread, which settles each request and gives up on a
lane that does not start a cue in time (hung) or never ends one (stalled). A lane that fails,
hangs, stalls or dies is dropped, and every request it had not played goes to the next lane, in
order, at its moment; each change of lane is reported through ``on_backend``.

Each lane checks its device without a sound before it plays anything (its scheduler reports
``K``, or ``N``: no device). Until then the chain's label is ``checking``, and a lane is named
only once its check passed, so the app never shows a player that has no device. A lane that
finds none, or whose check hangs, is dropped like one that fails a cue (the last one is kept:
nothing comes after it).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from trackside.audio.lanes import Lane, LaneGone
from trackside.audio.schedule import Setup

WATCH_S = 0.05
"""How long past a deadline the watcher wakes to look (replies wake it before)."""

CHECKING = "checking"
"""The label while the lane in use has not yet said whether it found a device."""

BackendListener = Callable[[str, str | None], None]
"""``on_backend(name, reason)``: the backend now in use, and why the previous one was dropped."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How long a cue may wait, and a lane may take, before the chain gives up on it."""

    max_late: float = 0.75
    """A cue batch that cannot start within this long after it was due is dropped."""
    start_timeout: float = 0.4
    """A lane that has not started a cue by then (after its moment, or after the clip before
    it ended) is taken as hung and dropped."""
    play_slack: float = 6.0
    """Beyond a clip's own length, how long a lane may take to finish it before it is dropped."""


LIMITS = Limits()
"""The limits the app plays under."""


@dataclass(slots=True, eq=False)
class Request:
    """A cue batch on its way: what to play, when, and what became of it."""

    cues: tuple[str, ...]
    due: float
    """The moment it belongs to, on the chain's clock: it is late from there (inf: never)."""
    at: float | None
    """When to start it (None: at once)."""
    volume: float
    check: Future[str] | None = None
    """A sound check's answer: the backend that played it, or why not."""
    key: int = 0
    sent: float = 0.0
    started: float | None = None
    length: float = 0.0


@dataclass(slots=True)
class _Reply:
    lane: Lane
    kind: str
    key: int
    detail: str | float | None


@dataclass(slots=True)
class _InUse:
    lane: Lane
    since: float
    """When it was started."""
    ready: float | None = None
    """When it said it takes cues."""
    free: float = 0.0
    """When its last cue ended (the next may start from then)."""
    checked: bool = False
    """Whether its silent check found a device."""
    reason: str | None = None
    """Why the lane before it was dropped: reported once this one's check has passed."""


class Chain:
    """The lanes of a chain player, in order, and the requests handed to them."""

    def __init__(
        self,
        lanes: Sequence[Lane],
        *,
        clock: Callable[[], float],
        volume: float,
        on_backend: BackendListener | None,
        limits: Limits,
        poll: float | None,
    ) -> None:
        if not lanes:
            raise ValueError("a chain needs at least one lane")
        self._lanes = list(lanes)
        self._every = tuple(lanes)  # each is closed at the end, dropped or not
        self._clock = clock
        self.volume = volume
        """The volume most cues have (a lane started later gets ready for it)."""
        self._on_backend = on_backend
        self._limits = limits
        self._poll = poll
        self.label = CHECKING
        """The backend in use, once its silent check passed (``checking`` until then)."""
        self._reported: str | None = None
        self.played = 0
        """Batches played by a backend that makes sound."""
        self.dropped_late = 0
        """Batches dropped because they could not start within ``max_late`` of their moment."""
        self._lock = threading.Lock()  # the lane in use and what was handed to it
        self._in_use: _InUse | None = None
        self._sent: dict[int, Request] = {}
        self._numbers = itertools.count(1)
        self._closed = False
        self._wakes_at = math.inf
        """When the watcher looks next (a request due to start sooner wakes it)."""
        self._replies: queue.SimpleQueue[_Reply | None] = queue.SimpleQueue()
        self._watcher = threading.Thread(target=self._run, name="trackside-audio", daemon=True)
        self._watcher.start()

    # -- the callers' side: never waits --------------------------------------------------------

    def send(self, request: Request) -> None:
        """Hand ``request`` to the lane in use (the first lane takes it once started)."""
        with self._lock:
            if self._closed:
                _answer(request, "closed")
                return
            request.key = next(self._numbers)
            request.sent = self._clock()
            self._sent[request.key] = request
            if self._in_use is not None:
                self._submit(self._in_use.lane, request)
            look = (request.sent if request.at is None else request.at) + self._limits.start_timeout
            if look < self._wakes_at:  # it must look for a hang sooner: wake it (once a burst)
                self._wakes_at = look
                self._replies.put(None)

    def withdraw(self, request: Request) -> None:
        """Take back a request not played yet (cut short if it has just begun)."""
        with self._lock:
            if self._sent.get(request.key) is not request:
                return
            del self._sent[request.key]
            if self._in_use is not None:
                self._in_use.lane.cancel(request.key)

    def add_clips(self, clips: Mapping[str, Path]) -> None:
        """Every lane may play these clips too (see :meth:`Lane.add_clips`)."""
        for lane in self._every:
            with contextlib.suppress(Exception):  # a broken lane fails its cues instead
                lane.add_clips(clips)

    def close(self) -> None:
        """Stop every lane and the watcher; answer the sound checks still waiting."""
        with self._lock:
            self._closed = True
            left = list(self._sent.values())
            self._sent.clear()
        self._replies.put(None)
        for lane in self._every:
            with contextlib.suppress(Exception):
                lane.stop()
        self._watcher.join(timeout=1.0)
        for lane in self._every:
            with contextlib.suppress(Exception):  # closing must never raise at exit
                lane.close()
        for request in left:
            _answer(request, "closed")

    def _submit(self, lane: Lane, request: Request) -> None:
        """Under the lock: to ``lane``; one that is gone is dropped by the watcher."""
        try:
            lane.submit(request.key, request.cues, request.volume, request.due, request.at)
        except LaneGone as error:
            self._replies.put(_Reply(lane, "dead", 0, str(error)))

    # -- the watcher ---------------------------------------------------------------------------

    def _run(self) -> None:
        self._start()
        while True:
            with self._lock:  # a request sent from now on sees when the watcher looks next
                if self._closed:  # its wake may have been taken with the replies (_watch)
                    return
                wait = self._next_wake(self._deadline(list(self._sent.values())))
                self._wakes_at = math.inf if wait is None else self._clock() + wait
            try:
                reply = self._replies.get(timeout=wait)
            except queue.Empty:
                reply = None
            if self._closed:
                return
            try:
                if reply is not None:
                    self._on_reply(reply)
                self._watch()
            except Exception:  # a bug here must not silence the rest of the session
                continue

    def _start(self) -> None:
        """Skip the lanes that cannot work here (cheap checks), so the app shows the real one."""
        reasons: list[str] = []
        kept: list[Lane] = []
        for lane in self._lanes:
            try:
                reason = lane.unavailable()
            except Exception as error:
                reason = f"{type(error).__name__}: {error}"
            if reason is None:
                kept.append(lane)
            elif not kept:  # only what was skipped before the one in use explains the switch
                reasons.append(f"{lane.name}: {reason}")
        self._lanes = kept or self._lanes[-1:]
        self._use(self._lanes[0], "; ".join(reasons) or None)

    def _use(self, lane: Lane, reason: str | None) -> None:
        """Start ``lane`` and hand it every request not played yet, in order."""

        def report(kind: str, key: int, detail: str | float | None) -> None:
            self._replies.put(_Reply(lane, kind, key, detail))

        if self._closed:
            return
        lane.start(Setup(report, self._limits.max_late, self.volume, self._clock, self._poll))
        with self._lock:
            self._in_use = _InUse(lane, since=self._clock(), reason=reason)
            self.label = CHECKING  # named once its check passes (``K``)
            for request in sorted(self._sent.values(), key=lambda request: request.key):
                request.started = None
                self._submit(lane, request)

    def _on_reply(self, reply: _Reply) -> None:
        in_use = self._in_use
        if in_use is None or reply.lane is not in_use.lane:
            return  # a lane dropped already
        now = self._clock()
        if reply.kind == "R":
            in_use.ready = now
            return
        if reply.kind in ("K", "N"):
            self._checked(in_use, reply)
            return
        if reply.kind == "dead":
            self._fall_back(str(reply.detail or f"{in_use.lane.label} stopped"))
            return
        with self._lock:
            request = self._sent.get(reply.key)
            if request is None:
                return  # withdrawn
            if reply.kind == "S":
                request.started = now
                request.length = float(reply.detail or 0.0)
                return
            alone = len(self._lanes) == 1
            if reply.kind != "E" or alone:  # one that failed goes to the next lane, if any
                del self._sent[reply.key]
        in_use.free = now
        failure = str(reply.detail or f"{in_use.lane.label} failed")
        if reply.kind == "D":
            self._played(request, in_use.lane)
        elif reply.kind == "L":
            self.dropped_late += 1
            _answer(request, "dropped: late")
        elif alone:
            _answer(request, f"failed: {failure}")
        else:
            self._fall_back(failure)

    def _checked(self, in_use: _InUse, reply: _Reply) -> None:
        """The lane's silent check: a device found (``K``), or none (``N``: the lane is dropped
        unless it is the last)."""
        if reply.kind == "N" and len(self._lanes) > 1:
            self._fall_back(str(reply.detail or f"{in_use.lane.label} found no sound device"))
            return
        in_use.checked = True
        self._show(in_use.lane.label, in_use.reason)

    def _played(self, request: Request, lane: Lane) -> None:
        if lane.label != self.label:  # e.g. pw-play failed, aplay played
            self._show(lane.label, None)
        if lane.name != "silent":
            self.played += 1
        _answer(request, lane.label)

    def _watch(self) -> None:
        """Drop the lane in use if it hung or stalled. Every reply it made before ``now`` is
        heard first: a watcher that woke late (a busy machine) must not take a cue that began
        in time, its reply waiting in the queue, for a hang."""
        now = self._clock()
        while True:
            try:
                reply = self._replies.get_nowait()
            except queue.Empty:
                break
            if reply is not None:
                self._on_reply(reply)
        with self._lock:
            deadline = self._deadline(list(self._sent.values()))
        if deadline is not None and now > deadline[0]:
            self._fall_back(deadline[1])

    def _next_wake(self, deadline: tuple[float, str] | None) -> float | None:
        wait = None if deadline is None else max(0.0, deadline[0] - self._clock()) + WATCH_S
        if self._poll is not None:
            wait = self._poll if wait is None else min(wait, self._poll)
        return wait

    def _deadline(self, sent: list[Request]) -> tuple[float, str] | None:
        """When the lane in use would show itself hung or stalled, and what it would be: with
        requests handed over (``sent``), see :meth:`_cue_deadline`; with none, only a lane that
        is not the last is waited for, to start and to check its device (a sound server that
        never answers is given up on before any cue comes)."""
        in_use = self._in_use
        more = len(self._lanes) > 1
        if in_use is None or not (sent or more):
            return None
        first_start, label = in_use.lane.first_start_s, in_use.lane.label
        if in_use.ready is None:
            timeout = first_start + self._limits.start_timeout
            return in_use.since + timeout, f"{label} did not start within {timeout:g} s (hung)"
        deadlines = [self._cue_deadline(in_use, sent)] if sent else []
        if more and not in_use.checked:
            hung = f"{label} did not open a device within {first_start:g} s (hung)"
            deadlines.append((in_use.ready + first_start, hung))
        return min(deadlines, default=None)

    def _cue_deadline(self, in_use: _InUse, sent: list[Request]) -> tuple[float, str]:
        """While a cue plays, only its end is awaited; else each must start within the timeout
        of its moment (or of the lane coming free, or saying it is ready)."""
        start_timeout, play_slack = self._limits.start_timeout, self._limits.play_slack
        label = in_use.lane.label
        ends = [r.started + r.length for r in sent if r.started is not None]
        if ends:
            return min(ends) + play_slack, f"{label} stalled while playing"
        moments = (request.sent if request.at is None else request.at for request in sent)
        begin = max(min(moments), in_use.free, in_use.ready or in_use.since)
        return begin + start_timeout, f"{label} did not start within {start_timeout:g} s (hung)"

    def _fall_back(self, reason: str) -> None:
        """Drop the lane in use; what it had not played goes to the next one, in order."""
        with self._lock:
            in_use = self._in_use
            alone = len(self._lanes) == 1
            if in_use is None:
                return
            if not in_use.checked:  # never passed its check: why the one before went first
                reason = "; ".join(filter(None, [in_use.reason, reason]))
            left = list(self._sent.values()) if alone else []
            if alone:  # nothing to fall back on: what it had fails, later cues try it again
                self._sent.clear()
            else:
                self._lanes.pop(0)
                self._in_use = None
        for request in left:
            _answer(request, f"failed: {reason}")
        if alone:
            return
        with contextlib.suppress(Exception):
            in_use.lane.stop()
            in_use.lane.close()  # a child process, a device: released at once
        self._use(self._lanes[0], reason)

    def _show(self, label: str, reason: str | None) -> None:
        self.label = label
        if label == self._reported:
            return
        self._reported = label
        if self._on_backend is not None:
            with contextlib.suppress(Exception):  # the app's callback must not stop the watcher
                self._on_backend(label, reason)


def _answer(request: Request, result: str) -> None:
    """Tell a sound check what became of it (once)."""
    if request.check is not None and not request.check.done():
        with contextlib.suppress(Exception):  # answered meanwhile by another thread
            request.check.set_result(result)
