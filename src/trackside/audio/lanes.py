"""Lanes: where the chain player sends cues, each a backend with its own scheduler.

A lane takes a cue the moment it is handed over (:meth:`Lane.submit` never waits) and reports
what became of it. :class:`LocalLane` runs the scheduler on a thread of this process, so a backend
that hangs in native code or on a stuck subprocess is given up on while its thread is left to its
fate; :class:`~trackside.audio.child.ChildLane` runs it in miniaudio's child process.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from trackside.audio.backends import Backend, stop_quietly
from trackside.audio.clips import ClipBank, SoundsMissing
from trackside.audio.schedule import Scheduler, Setup

FIRST_START_S = 2.0
"""How long a lane may take to say it is ready (a Python process starting, a library loading)."""


class LaneGone(Exception):
    """A lane can take no more cues. ``str()`` is one line saying why."""


class Lane(Protocol):
    """What the chain player needs of a lane."""

    name: str
    """The backend's name, as ``--audio`` knows it."""
    first_start_s: float
    """How long the lane may take to report ``R`` (ready) after :meth:`start`."""
    ready: threading.Event
    """Set once the lane takes cues (when it reports ``R``)."""

    @property
    def label(self) -> str:
        """What the app shows while this lane is in use (``aplay`` for the system player)."""
        ...

    def unavailable(self) -> str | None:
        """Why the lane cannot work here (cheap: an import or a PATH lookup), or None."""
        ...

    def start(self, setup: Setup) -> None:
        """Start taking cues, reporting on each from now on. Never raises: a lane that cannot
        start reports ``dead``, or fails its first cue."""
        ...

    def submit(
        self, key: int, cues: tuple[str, ...], volume: float, due: float, at: float | None
    ) -> None:
        """Play ``cues`` at ``at`` (None: now), judged late from ``due``. Returns at once;
        raises :class:`LaneGone` if the lane cannot take it."""
        ...

    def cancel(self, key: int) -> None:
        """Withdraw a cue (cut short if it has begun). Never raises."""
        ...

    def add_clips(self, clips: Mapping[str, Path]) -> None:
        """Clips from outside the sounds folder, checked already (see
        :meth:`ClipBank.add_clips`): cues handed over from now on may name them. Never raises."""
        ...

    def stop(self) -> None:
        """Stop playing and take no more cues (the lane is being dropped). Never raises."""
        ...

    def close(self) -> None:
        """Release what the lane holds (a device, a process). Called once, at the end."""
        ...


class LocalLane:
    """A backend played in this process, by its scheduler on a thread of its own."""

    first_start_s = FIRST_START_S

    def __init__(self, backend: Backend, bank: ClipBank) -> None:
        self.backend = backend
        self.name = backend.name
        self._bank = bank
        self._scheduler: Scheduler | None = None
        self.ready = threading.Event()
        """Set once the backend has warmed up and its scheduler takes cues."""

    @property
    def label(self) -> str:
        return self.backend.label

    def unavailable(self) -> str | None:
        return self.backend.unavailable()

    def start(self, setup: Setup) -> None:
        self._scheduler = Scheduler(self.backend, self._bank, setup)
        name = f"trackside-audio-{self.name}"
        threading.Thread(target=self._run, args=(self._scheduler,), name=name, daemon=True).start()

    def _run(self, scheduler: Scheduler) -> None:
        with contextlib.suppress(Exception):  # a failed warm-up shows up at the first cue
            self.backend.warm()
        self.ready.set()
        scheduler.run()

    def submit(
        self, key: int, cues: tuple[str, ...], volume: float, due: float, at: float | None
    ) -> None:
        if self._scheduler is None:
            raise LaneGone(f"{self.label} was never started")
        self._scheduler.add(key, cues, volume, due, at)

    def cancel(self, key: int) -> None:
        if self._scheduler is not None:
            with contextlib.suppress(Exception):
                self._scheduler.cancel(key)

    def add_clips(self, clips: Mapping[str, Path]) -> None:
        with contextlib.suppress(SoundsMissing):  # checked already: a cue naming one fails
            self._bank.add_clips(clips)

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.close()
        stop_quietly(self.backend)

    def close(self) -> None:
        self.stop()
        with contextlib.suppress(Exception):  # closing must never raise at exit
            self.backend.close()
