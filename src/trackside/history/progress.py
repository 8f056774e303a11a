"""Across the whole history: personal bests by rep distance, and critical speed from them.

Read from each session's derived best efforts (never a replay, once derived), for
``trackside history --stats``, the History screen, and the bests a session is measured against
in the Summary and ``history N``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from trackside.core.stats import (
    CriticalSpeed,
    Effort,
    NoCriticalSpeed,
    critical_speed,
    personal_bests,
)
from trackside.history.derived import select
from trackside.history.store import HistoryStore

CS_DAYS = 90
"""Critical speed is worked out from the best efforts of the last this many days of the
history (up to its newest session): fitness of years ago says little about today's."""
_DAY = 86_400.0
_VISIBLE = "sessions.status != 'discarded'"


@dataclass(frozen=True, slots=True)
class BestSoFar:
    """A session's fastest rep at a distance against the best before it."""

    today: Effort
    before: Effort | None
    """The fastest at that distance in the sessions before (None: the first time)."""

    @property
    def is_best(self) -> bool:
        """Whether this session's rep is the fastest yet at its distance."""
        return self.before is None or self.today.seconds < self.before.seconds


@dataclass(frozen=True, slots=True)
class Progress:
    """Personal bests of the whole history, and critical speed from its recent bests."""

    bests: tuple[Effort, ...]
    """The fastest rep at each distance ever, shortest distance first."""
    critical: CriticalSpeed | NoCriticalSpeed
    since_wall: float | None
    """The start of the span critical speed is worked out over (None: no sessions)."""
    sessions: int
    """How many sessions the bests were read from."""


def efforts(
    store: HistoryStore, where: str = _VISIBLE, params: tuple[object, ...] = ()
) -> list[Effort]:
    """Every session's best efforts, each with its session and date. Raises HistoryError."""
    out = []
    for (sid, started), derived in select(
        store, "sessions.id, sessions.started_wall", where, params
    ):
        if derived is not None:
            out += [replace(e, session_id=sid, wall=started) for e in derived.bests]
    return out


def progress(store: HistoryStore) -> Progress:
    """Personal bests and critical speed from the whole history. Raises HistoryError."""
    found = efforts(store)
    count = int(store.fetch(f"SELECT count(*) FROM sessions WHERE {_VISIBLE}")[0][0])
    if not found:
        reason = "no marked reps with a distance yet"
        return Progress((), NoCriticalSpeed(reason, ()), None, count)
    newest = store.fetch(f"SELECT max(started_wall) FROM sessions WHERE {_VISIBLE}")[0][0]
    since = float(newest) - CS_DAYS * _DAY
    recent = [e for e in found if e.wall is not None and e.wall >= since]
    return Progress(personal_bests(found), critical_speed(recent), since, count)


def bests_so_far(
    store: HistoryStore, today: tuple[Effort, ...], session_id: int, started_wall: float
) -> tuple[BestSoFar, ...]:
    """Each of a session's best efforts against the fastest at that distance before it."""
    if not today:
        return ()
    distances = sorted({e.distance_m for e in today})
    where = (
        f"{_VISIBLE} AND (sessions.started_wall < ? OR "
        "(sessions.started_wall = ? AND sessions.id < ?))"
    )
    earlier = efforts(store, where, (started_wall, started_wall, session_id))
    before = {e.distance_m: e for e in personal_bests(earlier) if e.distance_m in distances}
    return tuple(BestSoFar(e, before.get(e.distance_m)) for e in today)
