"""Lanes: each backend of the chain player plays on a thread of its own.

The worker hands a clip to the lane and waits on it with a time limit, so a backend that hangs
in native code or a stuck subprocess is given up on, while its thread is left to its fate.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from dataclasses import dataclass, field

from trackside.audio.backends import Backend, BackendFailed
from trackside.audio.clips import Clip


@dataclass(slots=True)
class Job:
    clip: Clip
    started: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    error: str | None = None


def stop_quietly(backend: Backend) -> None:
    """Cut a backend short; one whose stop fails too is given up on all the same."""
    with contextlib.suppress(Exception):
        backend.stop()


class Lane:
    """A backend's own thread, so the worker can give up on a backend that hangs."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._first = True

    def attempt(self, clip: Clip, start_timeout: float, slack: float) -> str | None:
        """Play ``clip``; None if it played, else why not (the backend is then unusable).
        ``slack``: how long past the clip's length it may take to finish."""
        if self._thread is None:
            name = f"trackside-audio-{self.backend.name}"
            self._thread = threading.Thread(target=self._run, name=name, daemon=True)
            self._thread.start()
        job = Job(clip)
        self._jobs.put(job)
        if self._first:
            start_timeout += self.backend.first_start_s
            self._first = False
        if not job.started.wait(start_timeout):
            stop_quietly(self.backend)
            return f"{self.backend.label} did not start within {start_timeout:g} s (hung)"
        if not job.done.wait(clip.duration + slack):
            stop_quietly(self.backend)
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
