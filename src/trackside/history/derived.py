"""What the history keeps for speed: each session's splits and statistics, derived from its
actions, so that a list or an export never replays a session.

A derived row is never the truth. It is tagged with :data:`DERIVED_VERSION` (the version of the
code that derived it: bump it whenever the engine's fold or the figures of
:mod:`trackside.core.results` and :mod:`trackside.core.stats` would come out differently) and
with how many actions it was derived from; it carries a checksum of its values. The file's
triggers delete it when an action is written or the session's end changes, and
:func:`ensure` derives it again from the actions when it is missing, of another version, or
damaged (its checksum does not match, or it cannot be read).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from trackside.core.events import EndReason
from trackside.core.results import RepStats, rep_stats
from trackside.core.session import Session, StepRecord
from trackside.core.stats import Effort, WorkoutStats, session_bests, workout_stats
from trackside.history.resume import replay
from trackside.history.store import HistoryError, HistoryStore, StoredAction, StoredSession

DERIVED_VERSION = 1
"""The version of the derivation: rows of another version are derived again."""

COLUMNS = (
    "session_id",
    "version",
    "actions",
    "reps_done",
    "reps_planned",
    "fastest_rep",
    "fastest_s",
    "slowest_rep",
    "slowest_s",
    "average_s",
    "final_s",
    "rest_average_s",
    "sdec_pct",
    "cv_pct",
    "windows",
    "windows_met",
    "final_vs_rest_pct",
    "bests",
    "records",
    "checksum",
)
SELECT = ", ".join(f"derived.{name}" for name in COLUMNS)
"""The derived columns, for a query joining ``derived`` (read back with :func:`from_row`)."""
_NUMBERS = struct.Struct("<5q d q 4d 2d 2q d")
"""The numeric columns packed for the checksum (None as -1 or NaN)."""
_REASONS = tuple(EndReason)
_RECORD = struct.Struct("<HBd")
"""A step record: its index, flags (how it ended; whether a start and a pause follow) and end."""
_START, _PAUSED = 0x10, 0x20
_FLOAT = struct.Struct("<d")
_NAN = float("nan")


class Damaged(ValueError):
    """A derived row that cannot be trusted: it is derived again."""


@dataclass(frozen=True, slots=True)
class Derived:
    """A session's splits and statistics, as derived from its actions."""

    session_id: int
    actions: int
    """How many actions it was derived from."""
    reps_done: int
    reps_planned: int
    stats: RepStats | None
    workout: WorkoutStats
    bests: tuple[Effort, ...]
    """The fastest rep at each distance (see :func:`~trackside.core.stats.session_bests`)."""
    blob: bytes
    """The step records, packed (see :attr:`records`)."""

    @property
    def records(self) -> tuple[StepRecord, ...]:
        """Every step the session ran, with its times, as the engine recorded it."""
        return decode_records(self.blob)


def finished_session(stored: StoredSession, actions: Sequence[StoredAction]) -> Session:
    """The session as it stands in the history: replayed to where it ended, or to its last
    action while it is running (never beyond: history does not pretend the runner ran on)."""
    if stored.ended_at is not None:
        now = stored.ended_at
    else:
        now = actions[-1].action.at if actions else 0.0
    return replay(stored, actions, now)


def derive(stored: StoredSession, actions: Sequence[StoredAction]) -> Derived:
    """Replay a stored session and work out what is kept of it. Raises HistoryError."""
    session = finished_session(stored, actions)
    plan, records = session.plan, session.records
    return Derived(
        session_id=stored.id,
        actions=len(actions),
        reps_done=len(session.splits()),
        reps_planned=plan.total_reps,
        stats=rep_stats(plan, records),
        workout=workout_stats(plan, records),
        bests=session_bests(plan, records),
        blob=encode_records(records),
    )


# -- the records, packed ----------------------------------------------------------------------


def encode_records(records: Sequence[StepRecord]) -> bytes:
    """Step records as bytes: about 11 a step (a start is written only when it is not the end
    of the step before, a pause only when there was one)."""
    out = bytearray()
    previous_end: float | None = None
    for record in records:
        flags = _REASONS.index(record.reason)
        if record.started != previous_end:
            flags |= _START
        if record.paused_s:
            flags |= _PAUSED
        out += _RECORD.pack(record.index, flags, record.ended)
        if flags & _START:
            out += _FLOAT.pack(record.started)
        if flags & _PAUSED:
            out += _FLOAT.pack(record.paused_s)
        previous_end = record.ended
    return bytes(out)


def decode_records(blob: bytes) -> tuple[StepRecord, ...]:
    """The records :func:`encode_records` packed. Raises :class:`Damaged`."""
    out = []
    offset, previous_end = 0, 0.0
    try:
        while offset < len(blob):
            index, flags, ended = _RECORD.unpack_from(blob, offset)
            offset += _RECORD.size
            started = previous_end
            if flags & _START:
                (started,) = _FLOAT.unpack_from(blob, offset)
                offset += _FLOAT.size
            paused = 0.0
            if flags & _PAUSED:
                (paused,) = _FLOAT.unpack_from(blob, offset)
                offset += _FLOAT.size
            out.append(StepRecord(index, started, ended, paused, _REASONS[flags & 0x0F]))
            previous_end = ended
    except (struct.error, IndexError) as error:
        raise Damaged(f"step records cannot be read: {error}") from error
    return tuple(out)


# -- rows -------------------------------------------------------------------------------------


def _bests_text(bests: Iterable[Effort]) -> str:
    return " ".join(f"{e.distance_m!r}:{e.seconds!r}:{e.rep}" for e in bests)


def _bests_of(text: str) -> tuple[Effort, ...]:
    out = []
    for item in text.split():
        distance, seconds, rep = item.split(":")
        out.append(Effort(float(distance), float(seconds), int(rep)))
    return tuple(out)


def _checksum(values: Sequence[object]) -> int:
    """A CRC-32 of a row's values (before its checksum). Raises :class:`Damaged` for values
    of the wrong type."""
    numbers = [(_NAN if v is None else v) for v in values[1:17]]
    for position in (4, 6):  # the rep numbers of the fastest and slowest, None without reps
        if numbers[position] is _NAN:
            numbers[position] = -1
    blob, bests = values[18], values[17]
    if not isinstance(blob, bytes) or not isinstance(bests, str):
        raise Damaged("records or bests of the wrong type")
    crc = zlib.crc32(_NUMBERS.pack(*numbers), zlib.crc32(str(values[0]).encode()))
    return zlib.crc32(blob, zlib.crc32(bests.encode(), crc))


def to_row(derived: Derived) -> tuple[object, ...]:
    """The values of :data:`COLUMNS` for ``derived``."""
    stats, workout = derived.stats, derived.workout
    figures: tuple[object, ...] = (None,) * 7
    if stats is not None:
        figures = (
            stats.fastest[0],
            stats.fastest[1],
            stats.slowest[0],
            stats.slowest[1],
            stats.average,
            stats.final,
            stats.rest_average,
        )
    values = (
        derived.session_id,
        DERIVED_VERSION,
        derived.actions,
        derived.reps_done,
        derived.reps_planned,
        *figures,
        workout.sdec_pct,
        workout.cv_pct,
        workout.windows,
        workout.windows_met,
        workout.final_vs_rest_pct,
        _bests_text(derived.bests),
        derived.blob,
    )
    return (*values, _checksum(values))


def from_row(row: Sequence[object]) -> Derived | None:
    """A derived row read back (the values of :data:`COLUMNS`): None when it is missing, of
    another version or damaged, and so to be derived again."""
    if row[0] is None or row[1] != DERIVED_VERSION:
        return None
    try:
        if _checksum(row[:19]) != row[19]:
            return None
        return _derived_of(row)
    except (TypeError, ValueError, struct.error):
        return None


def _derived_of(row: Sequence[Any]) -> Derived:
    # The checksum matched, so the types are the ones to_row wrote.
    sid, _version, actions, done, planned, fastest_rep, fastest, slowest_rep, slowest = row[:9]
    average, final, rest, sdec, cv, windows, met, versus, bests, blob = row[9:19]
    stats = None
    if average is not None:
        stats = RepStats(
            count=done,
            fastest=(fastest_rep, fastest),
            slowest=(slowest_rep, slowest),
            average=average,
            spread=slowest - fastest,
            final=final,
            rest_average=rest,
        )
    return Derived(
        session_id=sid,
        actions=actions,
        reps_done=done,
        reps_planned=planned,
        stats=stats,
        workout=WorkoutStats(sdec, cv, windows, met, versus),
        bests=_bests_of(bests),
        blob=bytes(blob),
    )


# -- reading and keeping ----------------------------------------------------------------------

_KEEP = (
    f"INSERT OR REPLACE INTO derived ({', '.join(COLUMNS)}) "
    f"SELECT {', '.join('?' for _ in COLUMNS)} "
    "WHERE (SELECT count(*) FROM actions WHERE session_id = ?) = ? "
    "AND EXISTS (SELECT 1 FROM sessions WHERE id = ? AND plan_id = ? AND countdown_s = ? "
    "AND ended_at IS ?)"
)
"""Keep a derived row only if the session is still as it was derived: an action written or an
end stored meanwhile (by the app, while a list was being derived) makes it stale at once."""
_CHUNK = 400


def keep(store: HistoryStore, pairs: Sequence[tuple[StoredSession, Derived]]) -> None:
    """Store derived rows, a few hundred a transaction. Never raises: it is only for speed, and
    a locked or read-only file still shows the right figures, derived again next time."""
    if store.read_only:
        return
    for start in range(0, len(pairs), _CHUNK):
        rows = [
            (*to_row(d), s.id, d.actions, s.id, s.plan_id, s.countdown_s, s.ended_at)
            for s, d in pairs[start : start + _CHUNK]
        ]
        try:
            store.write(_KEEP, rows)
        except HistoryError:
            return


def derive_again(store: HistoryStore, session_ids: Sequence[int]) -> dict[int, Derived]:
    """Derive these sessions from their actions, keep the rows, and return them by id.

    A session that cannot be replayed (a hand-edited file) is left out. Raises HistoryError
    only when the file cannot be read at all.
    """
    out: dict[int, Derived] = {}
    pairs = []
    for stored, actions in store.sessions_with_actions(session_ids):
        try:
            derived = derive(stored, actions)
        except HistoryError:
            continue
        out[stored.id] = derived
        pairs.append((stored, derived))
    keep(store, pairs)
    return out


_FROM = "FROM sessions LEFT JOIN derived ON derived.session_id = sessions.id"


def select(
    store: HistoryStore, head: str, where: str, params: Sequence[object] = (), tail: str = ""
) -> list[tuple[tuple[Any, ...], Derived | None]]:
    """Sessions with their derived rows: ``(head columns, derived)`` for each session chosen by
    ``where`` (SQL on ``sessions``, ordered and limited by ``tail``), derived again where
    missing, old or damaged; None for a session that cannot be replayed (a hand-edited file).
    The first ``head`` column must be ``sessions.id``. Raises :class:`HistoryError`."""
    found = store.fetch(f"SELECT {head}, {SELECT} {_FROM} WHERE {where} {tail}", params)
    width = len(found[0]) - len(COLUMNS) if found else 0
    out = [(row[:width], from_row(row[width:])) for row in found]
    missing = [head_row[0] for head_row, derived in out if derived is None]
    if not missing:
        return out
    again = derive_again(store, missing)
    return [(h, d if d is not None else again.get(h[0])) for h, d in out]


def ensure(store: HistoryStore, session_ids: Sequence[int]) -> dict[int, Derived]:
    """The derived rows of these sessions, derived again where missing, old or damaged."""
    out: dict[int, Derived] = {}
    for start in range(0, len(session_ids), 900):  # SQLite's limit on parameters
        chunk = session_ids[start : start + 900]
        marks = ", ".join("?" for _ in chunk)
        rows = store.fetch(
            f"SELECT {', '.join(COLUMNS)} FROM derived WHERE session_id IN ({marks})", chunk
        )
        for row in rows:
            found = from_row(row)
            if found is not None:
                out[found.session_id] = found
    missing = [sid for sid in session_ids if sid not in out]
    if missing:
        out.update(derive_again(store, missing))
    return out
