"""The seam between a pure :class:`~trackside.core.group.Group` and the coach's screen.

A :class:`GroupRunner` is to a group what :class:`~trackside.core.runner.Runner` is to one
session: it owns the live group, reads the clock the app gave it, records every accepted action
of every athlete (one write for everything one key did, before anything else reacts) and hands
the events that came due to its listeners (the cues). The screen calls :meth:`GroupRunner.act`
for an athlete's key, :meth:`GroupRunner.act_all` for the coach's own keys and
:meth:`GroupRunner.tick` when its timer fires, then shows ``runner.group``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from trackside.core.clock import Clock
from trackside.core.events import Action, ActionKind, IllegalAction
from trackside.core.group import AthleteEvent, Group


class GroupActionLog(Protocol):
    """Where a group's accepted actions are written the moment they happen (the history)."""

    def record(self, actions: Sequence[tuple[int, Action]], wall: float) -> None:
        """Persist what one key did: ``(athlete, action)`` pairs, taken at wall time ``wall``,
        together. Must not raise."""


GroupListener = Callable[[Group, tuple[AthleteEvent, ...]], None]
"""Called with the group and the events that just came due (in order). Must not block."""


class GroupRunner:
    """Drives a group with a real (or fake) clock, a log and listeners."""

    def __init__(
        self,
        group: Group,
        clock: Clock,
        *,
        log: GroupActionLog | None = None,
        listeners: Sequence[GroupListener] = (),
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.group = group
        self.clock = clock
        self.log = log
        self.listeners = list(listeners)
        self.wall = wall

    def now(self) -> float:
        """The time on the group's clock."""
        return self.clock.now()

    def act(self, athlete: int, kind: ActionKind) -> tuple[AthleteEvent, ...]:
        """One athlete's action now: record it, then tell the listeners. Raises IllegalAction."""
        group, events = self.group.apply(athlete, kind, self.clock.now())
        return self._took(group, events)

    def act_all(self, kind: ActionKind) -> tuple[AthleteEvent, ...]:
        """The coach's action for everyone it applies to (start, pause, resume, end); the
        others are left as they are. Raises IllegalAction if it applies to nobody."""
        group, events = self.group.apply_all(kind, self.clock.now())
        return self._took(group, events)

    def tick(self) -> tuple[AthleteEvent, ...]:
        """Bring every athlete up to now: steps that end by themselves end, events go out."""
        group, events = self.group.advance(self.clock.now())
        self.group = group
        self._tell(events)
        return events

    def check(self, athlete: int, kind: ActionKind) -> IllegalAction | None:
        """Why this athlete cannot take ``kind`` now, or None."""
        return self.group.check(athlete, kind, self.clock.now())

    def takers(self, kind: ActionKind) -> tuple[int, ...]:
        """The athletes a coach's ``kind`` would apply to now."""
        return self.group.takers(kind, self.clock.now())

    def _took(self, group: Group, events: tuple[AthleteEvent, ...]) -> tuple[AthleteEvent, ...]:
        before = self.group.sessions
        self.group = group
        taken = [
            (index, action)
            for index, (old, new) in enumerate(zip(before, group.sessions, strict=True))
            for action in new.actions[len(old.actions) :]
        ]
        if self.log is not None and taken:
            self.log.record(taken, self.wall())
        self._tell(events)
        return events

    def _tell(self, events: tuple[AthleteEvent, ...]) -> None:
        if not events:
            return
        for listener in self.listeners:
            listener(self.group, events)
