"""What the history store holds: a session as it is stored, its actions, and how it stands.

Plain data, read and written by :mod:`trackside.history.store` (which names them too).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from trackside.core.events import Action
from trackside.core.plan import Plan


class Status(StrEnum):
    """Where a stored session stands."""

    RUNNING = "running"
    """Still running, or left unfinished by a crash: resume offers it."""
    COMPLETED = "completed"
    ENDED_EARLY = "ended-early"
    DISCARDED = "discarded"
    """Hidden from the history by the runner's choice, but kept: nothing recorded is deleted."""


@dataclass(frozen=True, slots=True)
class NewSession:
    """What is stored about a session when its first action is recorded."""

    preset_id: str
    preset_name: str
    plan: Plan
    countdown_s: int
    exertion: int | None = None
    """The preset's prescribed exertion (1-10), shown next to the runner's rating."""
    athlete: Athlete | None = None
    """Who ran it, when a coach timed a group; None for a runner alone."""


@dataclass(frozen=True, slots=True)
class Athlete:
    """An athlete's place in a stored group."""

    group_id: int
    name: str
    key: str
    start_offset_s: int = 0


@dataclass(frozen=True, slots=True)
class StoredAction:
    """A recorded action with its place in the session and the wall-clock time it happened."""

    seq: int
    action: Action
    wall: float


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A session row: the plan as it was run and how the session stands."""

    id: int
    preset_id: str
    preset_name: str
    plan: Plan
    countdown_s: int
    exertion: int | None
    started_wall: float
    status: Status
    ended_at: float | None
    """The session's clock when it finished (None while running)."""
    rating: int | None
    note: str | None
    plan_id: int = 0
    """The stored plan's row: sessions of the same plan share it."""
    athlete: Athlete | None = None
    """The group and athlete the session belongs to, if a coach timed it."""
