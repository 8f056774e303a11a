"""What the history shows: one line per session, one session step by step, and comparisons.

Everything is read from the derived rows (:mod:`trackside.history.derived`): the splits and
figures the engine's fold and :mod:`trackside.core.results` gave when the session was replayed
once, so the history of a session reads exactly like the summary the runner saw on the day,
and a list of ten thousand sessions replays none of them.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any, NamedTuple

from trackside.core.plan import Plan
from trackside.core.results import RepStats, rows
from trackside.core.session import StepRecord
from trackside.core.stats import WorkoutStats
from trackside.history.derived import Derived, select, with_records
from trackside.history.progress import BestSoFar, bests_so_far
from trackside.history.store import HistoryError, HistoryStore, Status, StoredAction

__all__ = [
    "Comparison",
    "Detail",
    "Overview",
    "StepRow",
    "compare",
    "count_sessions",
    "detail",
    "exported",
    "latest_id",
    "list_sessions",
    "local_time",
    "page",
    "step_rows",
    "wall_mapper",
]


class StepRow(NamedTuple):
    """A step that was run, with its plan and its times (what ``export`` writes). A named
    tuple: an export of every session makes 400,000 of them."""

    step: int
    """1-based position in the plan."""
    kind: str
    """``rep``, ``recovery``, ``warmup`` or ``cooldown``."""
    rep: int | None
    final: bool
    distance_m: float | None
    distance: str | None
    effort: str | None
    started_wall: float
    ended_wall: float
    duration_s: float
    """Active seconds (time paused left out)."""
    paused_s: float
    window_min_s: float | None
    window_max_s: float | None
    window_met: bool | None
    """None when the step has no window."""
    ended_by: str
    """``marked``, ``auto``, ``early``, ``skipped`` or ``ended``."""
    flag: str | None
    """The summary's flag: ``early``, ``short``, ``long``, ``skipped``, ``ended`` or None."""
    all_out: bool = False
    """Whether the plan asked for all you have on this rep."""


_NO_WORKOUT = WorkoutStats(None, None, 0, 0, None)


class Overview(NamedTuple):
    """One line of ``trackside history``. (A named tuple: ten thousand are made for a list, and
    a frozen dataclass takes three times as long to make.)"""

    id: int
    started_wall: float
    preset_id: str
    preset_name: str
    status: Status
    exertion: int | None
    rating: int | None
    note: str | None
    figures: Derived | None
    """The session's splits and statistics (None if it cannot be replayed)."""
    problem: str | None = None
    """Why the session cannot be shown (a hand-edited file it cannot be replayed from)."""

    @property
    def reps_done(self) -> int:
        """Reps run to their end."""
        return 0 if self.figures is None else self.figures.reps_done

    @property
    def reps_planned(self) -> int:
        """Reps in the plan."""
        return 0 if self.figures is None else self.figures.reps_planned

    @property
    def average_s(self) -> float | None:
        """The average rep, or None if no rep was run to its end."""
        return None if self.figures is None else self.figures.average_s

    @property
    def stats(self) -> RepStats | None:
        """Fastest, slowest, average, spread and final rep, or None if no rep was run."""
        return None if self.figures is None else self.figures.stats

    @property
    def workout(self) -> WorkoutStats:
        """Fade, evenness, windows kept and the final rep against the rest."""
        return _NO_WORKOUT if self.figures is None else self.figures.workout


@dataclass(frozen=True, slots=True)
class Comparison:
    """How a session compares with the earlier sessions of the same preset (oldest first)."""

    today: RepStats
    previous: tuple[Overview, ...]
    trend: tuple[Overview, ...] = ()
    """The latest sessions of the preset with a rep run, today last: the trend."""
    today_workout: WorkoutStats = _NO_WORKOUT
    bests: tuple[BestSoFar, ...] = ()
    """Today's fastest rep at each distance against the best before (the Summary's)."""

    def _mean(self, pick: Callable[[RepStats], float | None]) -> float | None:
        values = [v for o in self.previous if o.stats and (v := pick(o.stats)) is not None]
        return fmean(values) if values else None

    @property
    def previous_average(self) -> float | None:
        """The mean of the earlier sessions' average reps."""
        return self._mean(lambda s: s.average)

    @property
    def previous_spread(self) -> float | None:
        """The mean of the earlier sessions' spreads (slowest less fastest rep)."""
        return self._mean(lambda s: s.spread)

    @property
    def previous_final(self) -> float | None:
        """The mean of the earlier sessions' final reps (those that ran one)."""
        return self._mean(lambda s: s.final)

    def chart_values(self) -> list[float]:
        """The average rep of each earlier session, then today's: a chart across sessions."""
        return [o.stats.average for o in self.previous if o.stats] + [self.today.average]

    def trend_averages(self) -> list[float]:
        """The average rep of each session of the trend, today last."""
        return [o.stats.average for o in self.trend if o.stats]

    def trend_sdec(self) -> list[float]:
        """The percent decrement of each session of the trend that has one, today last."""
        return [s for o in self.trend if (s := o.workout.sdec_pct) is not None]


@dataclass(frozen=True, slots=True)
class Detail:
    """One session, like its summary: every step, the figures, and the comparison."""

    overview: Overview
    steps: tuple[StepRow, ...]
    comparison: Comparison | None
    bests: tuple[BestSoFar, ...] = ()
    """The session's fastest rep at each distance against the best before it."""


# -- the list ---------------------------------------------------------------------------------

_HEAD = (
    "sessions.id, sessions.started_wall, sessions.preset_id, sessions.preset_name, "
    "sessions.status, sessions.exertion, sessions.rating, sessions.note"
)
OLDEST_FIRST = "sessions.started_wall, sessions.id"
NEWEST_FIRST = "sessions.started_wall DESC, sessions.id DESC"


_STATUSES = {status.value: status for status in Status}
_UNREPLAYABLE = "cannot be replayed from its actions"


def _overview(head: Sequence[Any], derived: Derived | None) -> Overview:
    sid, started, preset_id, name, status, exertion, rating, note = head
    problem = None if derived is not None else _UNREPLAYABLE
    if not isinstance(started, float | int):  # a row edited by hand: shown, not fatal
        started, problem = 0.0, "its start time cannot be read"
    return Overview(
        sid, started, str(preset_id), str(name), _STATUSES.get(status, Status.RUNNING),
        exertion, rating, note, derived, problem,
    )  # fmt: skip


def overviews(
    store: HistoryStore, where: str = "1", params: Sequence[object] = (), tail: str = ""
) -> list[Overview]:
    """Sessions as lines, from their derived rows (derived again where needed).

    ``where`` and ``params`` choose the sessions, ``tail`` orders and limits them (SQL on the
    ``sessions`` table). Raises :class:`HistoryError`.
    """
    make = _overview
    return [make(head, d) for head, d in select(store, _HEAD, where, params, tail)]


def _visible(include_discarded: bool) -> str:
    return "1" if include_discarded else "sessions.status != 'discarded'"


def list_sessions(store: HistoryStore, *, include_discarded: bool = False) -> list[Overview]:
    """Every stored session, oldest first. Raises :class:`HistoryError`."""
    return overviews(store, _visible(include_discarded), (), f"ORDER BY {OLDEST_FIRST}")


def count_sessions(store: HistoryStore, *, include_discarded: bool = False) -> int:
    """How many sessions :func:`list_sessions` would list."""
    where = _visible(include_discarded)
    return int(store.fetch(f"SELECT count(*) FROM sessions WHERE {where}")[0][0])


def page(store: HistoryStore, offset: int, limit: int) -> list[Overview]:
    """Sessions ``offset`` to ``offset + limit`` of the list, newest first (the History screen
    loads what is on screen, a page at a time). Raises :class:`HistoryError`."""
    tail = f"ORDER BY {NEWEST_FIRST} LIMIT ? OFFSET ?"
    return overviews(store, _visible(False), (limit, offset), tail)


def latest_id(store: HistoryStore) -> int | None:
    """The id of the newest session (not discarded), or None if there is none."""
    rows = store.fetch(
        f"SELECT id FROM sessions WHERE {_visible(False)} ORDER BY {NEWEST_FIRST} LIMIT 1"
    )
    return int(rows[0][0]) if rows else None


# -- one session ------------------------------------------------------------------------------


def _unreadable(store: HistoryStore, session_id: int, line: Overview | None) -> HistoryError:
    """Why a session cannot be shown: not there, or not to be replayed."""
    if line is None:
        return HistoryError(f"no session {session_id} in {store.path}")
    store.session(session_id)  # raises the reason when the plan is what cannot be read
    return HistoryError(f"session {session_id} {line.problem}")


def detail(store: HistoryStore, session_id: int) -> Detail:
    """One session step by step, compared with the earlier sessions of its preset."""
    found = overviews(store, "sessions.id = ?", (session_id,))
    derived = with_records(store, [session_id]).get(session_id)
    if not found or derived is None:
        raise _unreadable(store, session_id, found[0] if found else None)
    line = found[0]
    stored = store.session(session_id)
    steps = step_rows(stored.plan, derived.records, store.actions(session_id))
    bests = bests_so_far(store, derived.bests, line.id, line.started_wall)
    return Detail(line, tuple(steps), compare(store, line), bests)


def exported(store: HistoryStore, session_ids: Sequence[int]) -> Iterator[Detail]:
    """Sessions step by step, without comparisons (``export``): a few hundred at a time, from
    their derived rows and actions, never a replay unless a row must be derived again."""
    for start in range(0, len(session_ids), 200):
        chunk = list(session_ids[start : start + 200])
        marks = ", ".join("?" for _ in chunk)
        lines = {o.id: o for o in overviews(store, f"sessions.id IN ({marks})", chunk)}
        pairs = {s.id: (s, a) for s, a in store.sessions_with_actions(chunk)}
        derived = with_records(store, chunk)
        for sid in chunk:
            line, known = lines.get(sid), derived.get(sid)
            if line is None or known is None or sid not in pairs:
                raise _unreadable(store, sid, line)
            stored, actions = pairs[sid]
            yield Detail(line, tuple(step_rows(stored.plan, known.records, actions)), None)


def step_rows(
    plan: Plan, records: Sequence[StepRecord], actions: Sequence[StoredAction]
) -> list[StepRow]:
    """Every step the session ran, with wall-clock times mapped from its clock."""
    to_wall = wall_mapper(actions)
    out = []
    for record, row in zip(records, rows(plan, records), strict=True):
        step = plan.steps[record.index]
        windowed = not step.is_rep and step.has_window
        out.append(
            StepRow(
                step=record.index + 1,
                kind="rep" if step.is_rep else step.kind.value,
                rep=step.rep,
                final=row.final,
                distance_m=step.distance_m,
                distance=step.distance_text,
                effort=step.effort,
                started_wall=to_wall(record.started),
                ended_wall=to_wall(record.ended),
                duration_s=record.duration,
                paused_s=record.paused_s,
                window_min_s=step.min_s if windowed else None,
                window_max_s=step.max_s if windowed else None,
                window_met=(row.flag is None) if windowed else None,
                ended_by=record.reason.value,
                flag=row.flag,
                all_out=step.all_out,
            )
        )
    return out


# -- across sessions --------------------------------------------------------------------------

TREND = 30
"""Sessions in a trend: the last month or two of a preset run a few times a week."""
_PAGE = 40


def compare(store: HistoryStore, today: Overview, limit: int = 12) -> Comparison | None:
    """Today against the last ``limit`` earlier sessions of the same preset with a rep done,
    and the trend of the last :data:`TREND` sessions of it, today included."""
    if today.stats is None:
        return None
    wanted = max(limit, TREND - 1)
    where = (
        "sessions.preset_id = ? AND sessions.status != 'discarded' AND sessions.id != ? "
        "AND sessions.started_wall <= ?"
    )
    params = (today.preset_id, today.id, today.started_wall)
    earlier: list[Overview] = []
    offset = 0
    while len(earlier) < wanted:  # newest first, a page at a time: sessions without a rep skip
        tail = f"ORDER BY {NEWEST_FIRST} LIMIT {_PAGE} OFFSET {offset}"
        found = overviews(store, where, params, tail)
        earlier += [o for o in found if o.average_s is not None]
        if len(found) < _PAGE:
            break
        offset += _PAGE
    if not earlier:
        return None
    previous = tuple(reversed(earlier[:limit]))
    trend = (*reversed(earlier[: TREND - 1]), today)
    return Comparison(today.stats, previous, trend, today.workout)


def wall_mapper(actions: Sequence[StoredAction]) -> Callable[[float], float]:
    """Session-clock time to wall-clock time, through the latest action at or before it.

    Each process (and each stretch between a laptop's sleeps) has its own offset between the
    two clocks; the nearest earlier action carries the right one.
    """
    if not actions:
        return lambda at: at
    ats = [a.action.at for a in actions]
    offsets = [a.wall - a.action.at for a in actions]

    def to_wall(at: float) -> float:
        index = max(0, bisect.bisect_right(ats, at) - 1)
        return at + offsets[index]

    return to_wall


def local_time(wall: float, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A wall-clock time in the runner's time zone."""
    return time.strftime(fmt, time.localtime(wall))
