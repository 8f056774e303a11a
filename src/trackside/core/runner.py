"""The seam between the pure engine and everything with side effects.

A :class:`Runner` owns the live :class:`~trackside.core.session.Session`, reads the clock the app
gave it, records every accepted action (before anything else reacts, so nothing is lost if the
process dies the next instant) and hands the events that came due to its listeners (the audio).
The UI only calls :meth:`Runner.act` on a key and :meth:`Runner.tick` when a timer fires, then
displays ``runner.session``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from trackside.core.clock import Clock
from trackside.core.events import Action, ActionKind, Event, IllegalAction
from trackside.core.session import Session


class ActionLog(Protocol):
    """Where accepted actions are written the moment they happen (the history store)."""

    def record(self, action: Action, wall: float) -> None:
        """Persist ``action``, taken at wall-clock time ``wall``. Must not raise."""


EventListener = Callable[[Session, tuple[Event, ...]], None]
"""Called with the session and the events that just came due (in order). Must not block."""


class Runner:
    """Drives a session with a real (or fake) clock, a log and listeners."""

    def __init__(
        self,
        session: Session,
        clock: Clock,
        *,
        log: ActionLog | None = None,
        listeners: Sequence[EventListener] = (),
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.session = session
        self.clock = clock
        self.log = log
        self.listeners = list(listeners)
        self.wall = wall

    def now(self) -> float:
        return self.clock.now()

    def act(self, kind: ActionKind) -> tuple[Event, ...]:
        """Take an action now: record it, then tell the listeners. Raises IllegalAction."""
        session, events = self.session.apply(kind, self.clock.now())
        self.session = session
        if self.log is not None:
            self.log.record(session.actions[-1], self.wall())
        self._tell(events)
        return events

    def tick(self) -> tuple[Event, ...]:
        """Bring the session up to now: steps that end by themselves end, due events go out."""
        session, events = self.session.advance(self.clock.now())
        self.session = session
        self._tell(events)
        return events

    def check(self, kind: ActionKind) -> IllegalAction | None:
        """Why ``kind`` cannot be taken now, or None."""
        return self.session.check(kind, self.clock.now())

    def allowed(self) -> frozenset[ActionKind]:
        return self.session.allowed(self.clock.now())

    def _tell(self, events: tuple[Event, ...]) -> None:
        if not events:
            return
        for listener in self.listeners:
            listener(self.session, events)
