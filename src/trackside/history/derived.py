"""What the history keeps for speed: each session's splits and statistics, derived from its
actions, so that a list or an export never replays a session.

A derived row is never the truth. It is tagged with :data:`DERIVED_VERSION` (the version of the
code that derived it: bump it whenever the engine's fold or the figures of
:mod:`trackside.core.results` and :mod:`trackside.core.stats` would come out differently) and
with how many actions it was derived from, and its figures carry a checksum. The file's
triggers delete it when an action is written or the session's end changes, and the readers
here derive it again from the actions when it is missing, of another version, or damaged (its
checksum does not match, or it cannot be read).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from trackside.core.results import RepStats, rep_stats
from trackside.core.session import Session, StepRecord
from trackside.core.stats import Effort, WorkoutStats, session_bests, workout_stats
from trackside.history.packing import (
    Unreadable,
    checksum,
    missing_as_none,
    pack_figures,
    pack_records,
    unpack_bests,
    unpack_numbers,
    unpack_records,
)
from trackside.history.resume import replay
from trackside.history.rows import reason_of
from trackside.history.store import HistoryError, HistoryStore, StoredAction, StoredSession

DERIVED_VERSION = 1
"""The version of the derivation: rows of another version are derived again."""

COLUMNS = ("session_id", "version", "figures", "checksum")
"""The columns of ``derived``: the figures are packed (:mod:`trackside.history.packing`), the
checksum is their CRC-32. The step records, packed with their own CRC, are ``records`` in
``derived_steps``."""
SELECT = "derived.session_id, derived.version, CAST(derived.figures AS BLOB), derived.checksum"
"""What a list reads of ``derived`` (read back with :func:`from_row`); not the step records.
(As bytes whatever was written there: text that is not UTF-8 would fail the whole query.)"""
_FROM = "FROM sessions LEFT JOIN derived ON derived.session_id = sessions.id"


class Derived:
    """A session's splits and statistics, as derived from its actions.

    It holds the packed figures and works them out when first asked: a list of ten thousand
    sessions reads three numbers of each.
    """

    __slots__ = ("_numbers", "_records", "blob", "packed")

    def __init__(
        self, packed: bytes, blob: bytes | None = None, numbers: tuple[Any, ...] | None = None
    ) -> None:
        self.packed = packed
        """The figures, packed (:func:`~trackside.history.packing.pack_figures`)."""
        self.blob = blob
        """The step records, packed (see :attr:`records`); None when they were not read."""
        self._numbers = numbers
        self._records: tuple[StepRecord, ...] | None = None

    @classmethod
    def of(cls, session_id: int, actions: int, session: Session, *, steps: bool = True) -> Derived:
        """What is kept of ``session``, derived from ``actions`` actions (with its step
        records unless ``steps`` is False)."""
        plan, records = session.plan, session.records
        stats, workout = rep_stats(plan, records), workout_stats(plan, records)
        figures: tuple[object, ...] = (None,) * 7
        if stats is not None:
            fastest, slowest = stats.fastest, stats.slowest
            figures = (*fastest, *slowest, stats.average, stats.final, stats.rest_average)
        values = (
            session_id,
            DERIVED_VERSION,
            actions,
            len(session.splits()),
            plan.total_reps,
            *figures,
            workout.sdec_pct,
            workout.cv_pct,
            workout.windows,
            workout.windows_met,
            workout.final_vs_rest_pct,
        )
        packed = pack_figures(values, _bests_text(session_bests(plan, records)))
        return cls(packed, pack_records(records) if steps else None)

    def _raw(self) -> tuple[Any, ...]:
        """The numbers as packed (NaN and -1 for missing ones), unpacked once."""
        if self._numbers is None:
            self._numbers = unpack_numbers(self.packed)
        return self._numbers

    @property
    def session_id(self) -> int:
        """The session it was derived for."""
        return int(self._raw()[0])

    @property
    def version(self) -> int:
        """The :data:`DERIVED_VERSION` that derived it."""
        return int(self._raw()[1])

    @property
    def actions(self) -> int:
        """How many actions it was derived from."""
        return int(self._raw()[2])

    @property
    def reps_done(self) -> int:
        """Reps run to their end."""
        return int(self._raw()[3])

    @property
    def reps_planned(self) -> int:
        """Reps in the plan."""
        return int(self._raw()[4])

    @property
    def line(self) -> tuple[int, int, float | None]:
        """Reps done, reps planned and the average rep (None: no rep run): what a list shows,
        in one call for ten thousand sessions."""
        numbers = self._raw()
        average: float = numbers[9]
        return numbers[3], numbers[4], None if average != average else average

    @property
    def average_s(self) -> float | None:
        """The average rep, or None if no rep was run to its end."""
        average: float = self._raw()[9]
        return None if average != average else average  # NaN: none

    @property
    def stats(self) -> RepStats | None:
        """Fastest, slowest, average, spread and final rep, or None if no rep was run."""
        values = missing_as_none(self._raw())
        done, _planned, fastest_rep, fastest, slowest_rep, slowest = values[3:9]
        average, final, rest = values[9:12]
        if average is None:
            return None
        return RepStats(
            done, (fastest_rep, fastest), (slowest_rep, slowest), average, slowest - fastest,
            final, rest,
        )  # fmt: skip

    @property
    def workout(self) -> WorkoutStats:
        """Fade, evenness, windows kept and the final rep against the rest."""
        return WorkoutStats(*missing_as_none(self._raw())[12:17])

    @property
    def bests(self) -> tuple[Effort, ...]:
        """The fastest rep at each distance (see :func:`~trackside.core.stats.session_bests`)."""
        return _bests_of(unpack_bests(self.packed))

    @property
    def records(self) -> tuple[StepRecord, ...]:
        """Every step the session ran, with its times, as the engine recorded it. Raises
        :class:`~trackside.history.packing.Unreadable` when they were not read or cannot be."""
        if self._records is None:
            if self.blob is None:
                raise Unreadable("the step records were not read")
            self._records = unpack_records(self.blob)
        return self._records


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
    return Derived.of(stored.id, len(actions), finished_session(stored, actions))


def _bests_text(bests: Iterable[Effort]) -> str:
    return " ".join(f"{e.distance_m!r}:{e.seconds!r}:{e.rep}" for e in bests)


def _bests_of(text: str) -> tuple[Effort, ...]:
    out = []
    for item in text.split():
        distance, seconds, rep = item.split(":")
        out.append(Effort(float(distance), float(seconds), int(rep)))
    return tuple(out)


# -- rows -------------------------------------------------------------------------------------


def to_row(derived: Derived) -> tuple[object, ...]:
    """The values of :data:`COLUMNS` for ``derived``."""
    packed = derived.packed
    return (derived.session_id, DERIVED_VERSION, packed, checksum(packed))


def from_row(row: Sequence[object], blob: object = None) -> Derived | None:
    """A derived row read back (the values :data:`SELECT` reads, and the step records if read):
    None when it is missing, of another version or damaged, and so to be derived again."""
    session_id, version, packed, crc = row
    if session_id is None or version != DERIVED_VERSION or not isinstance(packed, bytes):
        return None
    if checksum(packed) != crc or (blob is not None and not isinstance(blob, bytes)):
        return None
    try:
        numbers = unpack_numbers(packed)
    except Unreadable:
        return None
    if numbers[0] != session_id or numbers[1] != DERIVED_VERSION:
        return None  # another session's figures, or another version's
    return Derived(packed, blob, numbers)


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
_CLEAR_BESTS = "DELETE FROM bests WHERE session_id = ?"
_KEPT = "EXISTS (SELECT 1 FROM derived WHERE session_id = ? AND checksum = ?)"
_KEEP_STEPS = (
    f"INSERT OR REPLACE INTO derived_steps (session_id, records) SELECT ?, ? WHERE {_KEPT}"
)
_KEEP_BEST = (
    f"INSERT INTO bests (session_id, distance_m, seconds, rep) SELECT ?, ?, ?, ? WHERE {_KEPT}"
)
"""The step records and best efforts are kept with their derived row, only if it was kept."""
_CHUNK = 400


def keep(store: HistoryStore, pairs: Sequence[tuple[StoredSession, Derived]]) -> None:
    """Store derived rows, a few hundred a transaction. Never raises: it is only for speed, and
    a locked or read-only file still shows the right figures, derived again next time."""
    if store.read_only:
        return
    for start in range(0, len(pairs), _CHUNK):
        chunk = pairs[start : start + _CHUNK]
        rows = [
            (*to_row(d), s.id, d.actions, s.id, s.plan_id, s.countdown_s, s.ended_at)
            for s, d in chunk
        ]
        steps = [(s.id, d.blob, s.id, checksum(d.packed)) for s, d in chunk]
        bests = [
            (s.id, e.distance_m, e.seconds, e.rep, s.id, checksum(d.packed))
            for s, d in chunk
            for e in d.bests
        ]
        clear = [(s.id,) for s, _d in chunk]
        writes = ((_CLEAR_BESTS, clear), (_KEEP, rows), (_KEEP_STEPS, steps), (_KEEP_BEST, bests))
        try:
            store.write(*writes)
        except HistoryError:
            return


def derive_again(
    store: HistoryStore, session_ids: Sequence[int], damaged: dict[int, str] | None = None
) -> dict[int, Derived]:
    """Derive these sessions from their actions, keep the rows, and return them by id.

    A session that cannot be read or replayed (a hand-edited file) is left out, its id and
    the reason put in ``damaged`` if given. Raises HistoryError only when the file cannot be
    read at all.
    """
    out: dict[int, Derived] = {}
    pairs = []
    for stored, actions in store.sessions_with_actions(session_ids, damaged):
        try:
            derived = derive(stored, actions)
        except Exception as error:  # whatever a hand-edited session does, it stays its own
            if damaged is not None:
                damaged[stored.id] = reason_of(error)
            continue
        out[stored.id] = derived
        pairs.append((stored, derived))
    keep(store, pairs)
    return out


def select(
    store: HistoryStore,
    head: str,
    where: str,
    params: Sequence[object] = (),
    tail: str = "",
    damaged: dict[int, str] | None = None,
) -> list[tuple[tuple[Any, ...], Derived | None]]:
    """Sessions with their derived rows: ``(head columns, derived)`` for each session chosen by
    ``where`` (SQL on ``sessions``, ordered and limited by ``tail``), derived again where
    missing, old or damaged; None for a session that cannot be read or replayed (a
    hand-edited file; why goes in ``damaged``, if given). The first ``head`` column must be
    ``sessions.id``. Raises :class:`HistoryError`."""
    found = store.fetch(f"SELECT {head}, {SELECT} {_FROM} WHERE {where} {tail}", params)
    width = len(found[0]) - 4 if found else 0
    out = [(row[:width], from_row(row[width:])) for row in found]
    missing = [head_row[0] for head_row, derived in out if derived is None]
    if not missing:
        return out
    again = derive_again(store, missing, damaged)
    return [(h, d if d is not None else again.get(h[0])) for h, d in out]


def with_records(
    store: HistoryStore, session_ids: Sequence[int], damaged: dict[int, str] | None = None
) -> dict[int, Derived]:
    """The derived rows of these sessions with their step records, derived again where
    missing, old or damaged; a session that cannot be read or replayed is left out (why goes
    in ``damaged``, if given)."""
    out: dict[int, Derived] = {}
    for start in range(0, len(session_ids), 500):  # under SQLite's limit on parameters
        chunk = session_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = store.fetch(
            f"SELECT {SELECT}, CAST(derived_steps.records AS BLOB) FROM derived "
            "JOIN derived_steps ON derived_steps.session_id = derived.session_id "
            f"WHERE derived.session_id IN ({marks})",
            chunk,
        )
        for row in rows:
            found = from_row(row[:4], row[4])
            if found is not None and _sound(found):
                out[found.session_id] = found
    missing = [sid for sid in session_ids if sid not in out]
    if missing:
        out.update(derive_again(store, missing, damaged))
    return out


def _sound(derived: Derived) -> bool:
    """Whether the step records read back (their checksum matches); read once, then kept."""
    try:
        derived.records  # noqa: B018 - reading them is the check
    except Unreadable:
        return False
    return True
