"""The one place a cue waits for its moment: a scheduler playing cues on one backend.

Every lane of the chain player runs one (on a thread of this process, or in miniaudio's child
process). It takes cues as they are handed over, a cue known ahead before it is due, and plays
them one at a time in order of their start times, each started at its moment on its clock
whatever the app's thread is doing then. A cue that cannot start within ``max_late`` of its
due time is dropped (a late beep is worse than none); a withdrawn one is never played, or cut
short if it has begun. What happens to each cue is reported (:data:`Report`).
"""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from trackside.audio.backends import Backend, BackendFailed
from trackside.audio.clips import Clip, ClipBank, SoundsMissing

Report = Callable[[str, int, "str | float | None"], None]
"""``report(kind, key, detail)``: ``R`` ready to take cues (key 0), then its silent check: ``K``
a device opened, or ``N`` none (``detail`` says why), ``S`` a cue's output began
(``detail``: the clip's length in seconds), ``D`` played, ``L`` dropped as late, ``E`` could not
play (``detail`` says why), ``dead`` the lane is gone (``detail`` says why)."""


@dataclass(frozen=True, slots=True)
class Setup:
    """What a scheduler (and the lane around it) is started with."""

    report: Report
    """Where to tell what became of each cue."""
    max_late: float
    """A cue that cannot start within this long after it was due is dropped."""
    volume: float = 1.0
    """The volume most cues will have (to get the sounds ready at)."""
    clock: Callable[[], float] = time.monotonic
    """The clock the start and due times are on."""
    poll: float | None = None
    """The longest the scheduler sleeps without looking at the clock again: None, as any
    change wakes it; only a clock that jumps (the tests') needs it."""


@dataclass(order=True)
class _Cue:
    start: float
    order: int
    key: int = field(compare=False)
    due: float = field(compare=False)
    cues: tuple[str, ...] = field(compare=False)
    volume: float = field(compare=False)
    cut: threading.Event = field(compare=False, default_factory=threading.Event)


class Scheduler:
    """Plays the cues handed to it on ``backend``, each at its moment (module docstring)."""

    def __init__(self, backend: Backend, bank: ClipBank, setup: Setup) -> None:
        self.backend = backend
        self.bank = bank
        self.report = setup.report
        self.clock = setup.clock
        self._setup = setup
        self._waiting: list[_Cue] = []
        self._cues: dict[int, _Cue] = {}
        self._changed = threading.Condition()
        self._closed = False
        self._order = 0

    def add(
        self, key: int, cues: tuple[str, ...], volume: float, due: float, at: float | None
    ) -> None:
        """Play ``cues`` at ``at`` (None: as soon as the backend is free); ``due`` judges
        lateness. Returns at once."""
        with self._changed:
            self._order += 1
            start = self.clock() if at is None else at
            cue = _Cue(start, self._order, key, due, cues, volume)
            self._cues[key] = cue
            heapq.heappush(self._waiting, cue)
            self._changed.notify()

    def cancel(self, key: int) -> None:
        """Withdraw a cue: never played, or cut short if it has begun. Unknown keys are fine."""
        with self._changed:
            cue = self._cues.pop(key, None)
            if cue is None:
                return
            cue.cut.set()
            self._changed.notify()
        self.backend.cut()  # wakes the clip waiting or playing now only if it is this one

    def close(self) -> None:
        """Take no more cues; :meth:`run` returns once the clip playing now (if any) ends."""
        with self._changed:
            self._closed = True
            self._changed.notify()

    def run(self) -> None:
        """Say it is ready, check the device without a sound and say what it found (``K`` or
        ``N``), then play each cue at its time, until closed."""
        self.report("R", 0, None)
        problem = self._check()  # miniaudio's keeps the device it opened for the first cue
        self.report("K" if problem is None else "N", 0, problem)
        while True:
            cue = self._next()
            if cue is None:
                return
            self._play(cue)
            with self._changed:
                self._cues.pop(cue.key, None)
                lead = self.backend.lead_s
                idle = not self._waiting or self._waiting[0].start - self.clock() > lead
            if idle:  # a device ready for the next cue; one due sooner opens its own
                self.backend.ready()

    def _check(self) -> str | None:
        try:
            return self.backend.check()
        except Exception as error:  # a broken player, not only a missing device
            return f"{self.backend.label}: {type(error).__name__}: {error}"

    def _next(self) -> _Cue | None:
        """The next cue, once it is ``lead_s`` from its start (the backend waits the rest)."""
        with self._changed:
            while not self._closed:
                while self._waiting and self._waiting[0].cut.is_set():
                    heapq.heappop(self._waiting)
                if not self._waiting:
                    self._changed.wait(self._setup.poll)
                    continue
                wait = self._waiting[0].start - self.backend.lead_s - self.clock()
                if wait <= 0:
                    return heapq.heappop(self._waiting)
                poll = self._setup.poll
                self._changed.wait(wait if poll is None else min(wait, poll))
            return None

    def _play(self, cue: _Cue) -> None:
        if cue.cut.is_set():  # withdrawn as it came up
            return
        if self.clock() - cue.due > self._setup.max_late:
            self.report("L", cue.key, None)
            return
        try:
            clip = self._clip(cue)
        except SoundsMissing as error:
            self.report("E", cue.key, str(error))
            return
        start = cue.start if cue.start > self.clock() else None
        began = lambda: self.report("S", cue.key, clip.duration)  # noqa: E731
        try:
            self.backend.play(clip, began, start, cue.cut)
        except BackendFailed as error:
            self.report("E", cue.key, str(error))
        except Exception as error:  # a backend's bug must not end the lane silently
            self.report("E", cue.key, f"{self.backend.label}: {type(error).__name__}: {error}")
        else:
            if not cue.cut.is_set():
                self.report("D", cue.key, None)

    def _clip(self, cue: _Cue) -> Clip:
        if not self.backend.needs_samples:  # the bell, silence
            return Clip(cue.cues, b"")
        return self.bank.render(cue.cues, cue.volume)
