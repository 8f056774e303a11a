"""Across the whole history: personal bests by rep distance, and critical speed from them.

Each session's best efforts are kept with its derived row and again in the table ``bests``,
indexed by distance and time, so the fastest at a distance (ever, before a session, or in the
last 90 days) is an index look-up, not a read of every session. The effort found is checked
against its session's checksummed figures before it is believed; one that does not match is
derived again from the actions and the look-up made anew.
"""

from __future__ import annotations

from dataclasses import dataclass

from trackside.core.stats import CriticalSpeed, Effort, NoCriticalSpeed, critical_speed
from trackside.history.derived import DERIVED_VERSION, SELECT, derive_again, from_row
from trackside.history.rows import SOUND_SQL
from trackside.history.store import HistoryStore

CS_DAYS = 90
"""Critical speed is worked out from the best efforts of the last this many days of the
history (up to its newest session): fitness of years ago says little about today's."""
_DAY = 86_400.0
_VISIBLE = SOUND_SQL
"""Sessions not discarded whose date and status can be read: a damaged row sets no best."""
_TRIES = 20
"""Damaged rows a look-up puts right before it gives up on that distance."""


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


def derive_missing(store: HistoryStore) -> None:
    """Derive every session (not discarded) that has no derived row of this version: the
    look-ups below read only what is derived."""
    missing = store.fetch(
        "SELECT sessions.id FROM sessions LEFT JOIN derived "
        "ON derived.session_id = sessions.id AND derived.version = ? "
        f"WHERE {_VISIBLE} AND derived.session_id IS NULL",
        (DERIVED_VERSION,),
    )
    if missing:
        derive_again(store, [int(row[0]) for row in missing])


def _believed(store: HistoryStore, found: Effort) -> bool:
    """Whether ``found`` is one of its session's best efforts as its checked figures say;
    if not, the session is derived again (its bests with it)."""
    assert found.session_id is not None
    rows = store.fetch(f"SELECT {SELECT} FROM derived WHERE session_id = ?", (found.session_id,))
    figures = from_row(rows[0]) if rows else None
    if figures is not None and any(
        (e.distance_m, e.seconds, e.rep) == (found.distance_m, found.seconds, found.rep)
        for e in figures.bests
    ):
        return True
    derive_again(store, [found.session_id])
    return False


def fastest(
    store: HistoryStore, distance_m: float, where: str = "1", params: tuple[object, ...] = ()
) -> Effort | None:
    """The fastest rep at ``distance_m`` of the sessions ``where`` chooses (SQL on
    ``sessions``), discarded ones left out; None if there is none. Raises HistoryError."""
    sql = (
        "SELECT bests.seconds, bests.rep, bests.session_id, sessions.started_wall FROM bests "
        "JOIN derived ON derived.session_id = bests.session_id AND derived.version = ? "
        "JOIN sessions ON sessions.id = bests.session_id "
        f"WHERE bests.distance_m = ? AND {_VISIBLE} AND {where} "
        "ORDER BY bests.seconds, sessions.started_wall LIMIT 1"
    )
    for _ in range(_TRIES):
        rows = store.fetch(sql, (DERIVED_VERSION, distance_m, *params))
        if not rows:
            return None
        seconds, rep, sid, started = rows[0]
        found = Effort(distance_m, float(seconds), int(rep), int(sid), float(started))
        if _believed(store, found):
            return found
    return None


def personal_bests_of(
    store: HistoryStore, where: str = "1", params: tuple[object, ...] = ()
) -> tuple[Effort, ...]:
    """The fastest rep at each distance of the sessions ``where`` chooses, shortest first."""
    distances = [float(row[0]) for row in store.fetch("SELECT DISTINCT distance_m FROM bests")]
    found = (fastest(store, d, where, params) for d in sorted(distances))
    return tuple(effort for effort in found if effort is not None)


def progress(store: HistoryStore) -> Progress:
    """Personal bests and critical speed from the whole history. Raises HistoryError."""
    derive_missing(store)
    count = int(store.fetch(f"SELECT count(*) FROM sessions WHERE {_VISIBLE}")[0][0])
    bests = personal_bests_of(store)
    if not bests:
        reason = "no marked reps with a distance yet"
        return Progress((), NoCriticalSpeed(reason, ()), None, count)
    newest = store.fetch(f"SELECT max(started_wall) FROM sessions WHERE {_VISIBLE}")[0][0]
    since = float(newest) - CS_DAYS * _DAY
    recent = personal_bests_of(store, "sessions.started_wall >= ?", (since,))
    return Progress(bests, critical_speed(recent), since, count)


def bests_so_far(
    store: HistoryStore, today: tuple[Effort, ...], session_id: int, started_wall: float
) -> tuple[BestSoFar, ...]:
    """Each of a session's best efforts against the fastest at that distance before it."""
    if not today:
        return ()
    derive_missing(store)
    where = "(sessions.started_wall < ? OR (sessions.started_wall = ? AND sessions.id < ?))"
    params = (started_wall, started_wall, session_id)
    return tuple(BestSoFar(e, fastest(store, e.distance_m, where, params)) for e in today)
