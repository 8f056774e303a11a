"""A group of athletes timed on one laptop: one session of the engine each, composed.

Each athlete runs a :class:`~trackside.core.session.Session` of their own, with their own plan
(a pace group may run another one), reps, recoveries, window and final rep; a recovery that
reaches its maximum starts that athlete's next rep by itself, as it does for a runner alone. The
group adds only what a coach does to everyone at once: start (all together after the countdown,
or staggered, athlete by athlete), pause, resume and end.

A staggered start is a longer countdown: athlete ``i`` starts with the group and counts down
``countdown_s + start_offset_s`` seconds, so every athlete's session holds nothing but its own
recorded actions, and replaying them restores it exactly. Like a session, a group is immutable
and never reads a clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from trackside.core.events import Action, ActionKind, Event, IllegalAction, Phase
from trackside.core.plan import Plan
from trackside.core.session import Session

A = ActionKind
MAX_ATHLETES = 20
"""The most athletes one laptop times: a key each, and rows that stay legible."""
GROUP_ACTIONS = frozenset({A.START, A.PAUSE, A.RESUME, A.END})
"""What the coach does to the whole group at once."""
_Step = Callable[[int, Session], tuple[Session, tuple[Event, ...]]]
"""What :meth:`Group._each` does to one athlete's session."""


@dataclass(frozen=True, slots=True)
class Athlete:
    """One athlete of a group: their name, the plan they run, and when they start."""

    name: str
    plan: Plan
    start_offset_s: int = 0
    """Whole seconds after the group's start that this athlete's first step begins."""

    def __post_init__(self) -> None:
        if self.start_offset_s < 0:
            raise ValueError("a start offset cannot be negative")


class AthleteEvent(NamedTuple):
    """An engine event and the athlete (their index in the group) it happened to."""

    athlete: int
    event: Event


class GroupOutcome(NamedTuple):
    """A new group and the events that came due on the way to it, in time order."""

    group: Group
    events: tuple[AthleteEvent, ...]


class Group:
    """Athletes and their sessions, advanced together; each athlete acted on alone."""

    __slots__ = ("athletes", "countdown_s", "sessions")

    def __init__(
        self,
        athletes: Sequence[Athlete],
        countdown_s: int = 3,
        *,
        sessions: Sequence[Session] | None = None,
    ) -> None:
        if not 1 <= len(athletes) <= MAX_ATHLETES:
            raise ValueError(f"a group has 1 to {MAX_ATHLETES} athletes, got {len(athletes)}")
        self.athletes = tuple(athletes)
        self.countdown_s = countdown_s
        if sessions is None:
            sessions = [Session(a.plan, countdown_s + a.start_offset_s) for a in athletes]
        if len(sessions) != len(athletes):
            raise ValueError("one session per athlete")
        self.sessions = tuple(sessions)
        """Each athlete's session, in the athletes' order."""

    @classmethod
    def replay(
        cls,
        athletes: Sequence[Athlete],
        actions: Sequence[Sequence[Action]],
        now: float | None = None,
        countdown_s: int = 3,
    ) -> Group:
        """Fold each athlete's recorded actions into the group they made, advanced to ``now``."""
        sessions = [
            Session.replay(a.plan, acts, now, countdown_s + a.start_offset_s)
            for a, acts in zip(athletes, actions, strict=True)
        ]
        return cls(athletes, countdown_s, sessions=sessions)

    # -- time and actions -------------------------------------------------------------------

    def advance(self, now: float) -> GroupOutcome:
        """Move every athlete's session on to ``now``."""
        return self._each(lambda i, s: s.advance(now), range(len(self.sessions)))

    def apply(self, athlete: int, kind: ActionKind, now: float) -> GroupOutcome:
        """One athlete's action at ``now`` (raises :class:`IllegalAction`); the others advance."""
        moved, events = self.advance(now)
        session, own = moved.sessions[athlete].apply(kind, now)
        sessions = list(moved.sessions)
        sessions[athlete] = session
        merged = _in_order([*events, *(AthleteEvent(athlete, e) for e in own)])
        return GroupOutcome(moved._with(sessions), merged)

    def apply_all(self, kind: ActionKind, now: float) -> GroupOutcome:
        """A coach's action for everyone it applies to now (start, pause, resume, end).

        Athletes it cannot apply to (finished, or already paused) are left as they are; if it
        applies to nobody, raises the first athlete's :class:`IllegalAction`.
        """
        if kind not in GROUP_ACTIONS:
            raise ValueError(f"{kind.value} is taken athlete by athlete")
        moved, events = self.advance(now)
        takers = moved.takers(kind, now)
        if not takers:
            problem = moved.sessions[0].check(kind, now)
            raise problem or IllegalAction(kind, moved.sessions[0].phase, "nobody to act on")
        acted = moved._each(lambda i, s: s.apply(kind, now), takers)
        return GroupOutcome(acted.group, _in_order([*events, *acted.events]))

    # -- what is legal ----------------------------------------------------------------------

    def check(self, athlete: int, kind: ActionKind, now: float) -> IllegalAction | None:
        """Why this athlete cannot take ``kind`` at ``now``, or None if they can."""
        return self.sessions[athlete].check(kind, now)

    def takers(self, kind: ActionKind, now: float) -> tuple[int, ...]:
        """The athletes a coach's ``kind`` applies to at ``now``."""
        return tuple(i for i, s in enumerate(self.sessions) if s.check(kind, now) is None)

    # -- views ------------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return any(s.phase is not Phase.READY for s in self.sessions)

    @property
    def finished(self) -> bool:
        """Every athlete is done or ended."""
        return all(s.finished for s in self.sessions)

    @property
    def paused(self) -> bool:
        """Every athlete still running is paused (and at least one is)."""
        running = [s for s in self.sessions if not s.finished]
        return bool(running) and all(s.paused for s in running)

    def next_due(self) -> float | None:
        """When the next time-driven event of any athlete is due."""
        dues = [due for s in self.sessions if (due := s.next_due()) is not None]
        return min(dues, default=None)

    def next_events(self) -> tuple[AthleteEvent, ...]:
        """The events the group makes by itself next (all due at :meth:`next_due`), in order."""
        due = self.next_due()
        if due is None:
            return ()
        out: list[AthleteEvent] = []
        for index, session in enumerate(self.sessions):
            if session.next_due() == due:
                out.extend(AthleteEvent(index, e) for e in session.advance(due).events)
        return tuple(out)

    # -- helpers ----------------------------------------------------------------------------

    def _with(self, sessions: Sequence[Session]) -> Group:
        return Group(self.athletes, self.countdown_s, sessions=sessions)

    def _each(self, step: _Step, athletes: Sequence[int] | range) -> GroupOutcome:
        sessions = list(self.sessions)
        events: list[AthleteEvent] = []
        for index in athletes:
            sessions[index], own = step(index, sessions[index])
            events.extend(AthleteEvent(index, e) for e in own)
        return GroupOutcome(self._with(sessions), _in_order(events))


def _in_order(events: Sequence[AthleteEvent]) -> tuple[AthleteEvent, ...]:
    """Events by due time; at the same moment, each athlete's own order, athletes in turn."""
    return tuple(sorted(events, key=lambda e: e.event.due))
