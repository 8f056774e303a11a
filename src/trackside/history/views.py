"""What the history shows: one line per session, one session step by step, and comparisons.

Everything is derived from the stored plan and actions by replaying them (the same fold the
session ran on), with the figures and window flags of :mod:`trackside.core.results`, so the history
of a session reads exactly like the summary the runner saw on the day.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import fmean

from trackside.core.results import RepStats, rep_stats, rows
from trackside.core.session import Session
from trackside.history.resume import replay
from trackside.history.store import HistoryStore, Status, StoredAction, StoredSession


@dataclass(frozen=True, slots=True)
class StepRow:
    """A step that was run, with its plan and its times (what ``export`` writes)."""

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


@dataclass(frozen=True, slots=True)
class Overview:
    """One line of ``trackside history``."""

    id: int
    started_wall: float
    preset_id: str
    preset_name: str
    status: Status
    reps_done: int
    reps_planned: int
    stats: RepStats | None
    exertion: int | None
    rating: int | None
    note: str | None

    @property
    def average_s(self) -> float | None:
        """The average rep, or None if no rep was run to its end."""
        return None if self.stats is None else self.stats.average


@dataclass(frozen=True, slots=True)
class Comparison:
    """How a session compares with the earlier sessions of the same preset (oldest first)."""

    today: RepStats
    previous: tuple[Overview, ...]

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


@dataclass(frozen=True, slots=True)
class Detail:
    """One session, like its summary: every step, the figures, and the comparison."""

    overview: Overview
    steps: tuple[StepRow, ...]
    comparison: Comparison | None


def finished_session(stored: StoredSession, actions: Sequence[StoredAction]) -> Session:
    """The session as it stands in the history: replayed to where it ended, or to its last
    action while it is running (never beyond: history does not pretend the runner ran on)."""
    if stored.ended_at is not None:
        now = stored.ended_at
    else:
        now = actions[-1].action.at if actions else 0.0
    return replay(stored, actions, now)


def overview(stored: StoredSession, session: Session) -> Overview:
    """The history line of a replayed session."""
    return Overview(
        id=stored.id,
        started_wall=stored.started_wall,
        preset_id=stored.preset_id,
        preset_name=stored.preset_name,
        status=stored.status,
        reps_done=len(session.splits()),
        reps_planned=session.plan.total_reps,
        stats=rep_stats(session.plan, session.records),
        exertion=stored.exertion,
        rating=stored.rating,
        note=stored.note,
    )


def list_sessions(store: HistoryStore, *, include_discarded: bool = False) -> list[Overview]:
    """Every stored session, oldest first. Raises :class:`HistoryError`."""
    out = []
    for stored in store.sessions(include_discarded=include_discarded):
        out.append(overview(stored, finished_session(stored, store.actions(stored.id))))
    return out


def latest_id(store: HistoryStore) -> int | None:
    """The id of the newest session (not discarded), or None if there is none."""
    sessions = store.sessions()
    return sessions[-1].id if sessions else None


def detail(store: HistoryStore, session_id: int) -> Detail:
    """One session step by step, compared with the earlier sessions of its preset."""
    stored = store.session(session_id)
    actions = store.actions(session_id)
    session = finished_session(stored, actions)
    line = overview(stored, session)
    return Detail(line, tuple(step_rows(session, actions)), compare(store, line))


def compare(store: HistoryStore, today: Overview, limit: int = 12) -> Comparison | None:
    """Today against the last ``limit`` earlier sessions of the same preset with a rep done."""
    if today.stats is None:
        return None
    earlier: list[Overview] = []
    # Newest first, so only the sessions shown are replayed however long the history is.
    for stored in reversed(store.sessions(preset_id=today.preset_id)):
        if len(earlier) == limit:
            break
        if stored.id == today.id or stored.started_wall > today.started_wall:
            continue
        line = overview(stored, finished_session(stored, store.actions(stored.id)))
        if line.stats is not None:
            earlier.append(line)
    if not earlier:
        return None
    return Comparison(today.stats, tuple(reversed(earlier)))


def step_rows(session: Session, actions: Sequence[StoredAction]) -> list[StepRow]:
    """Every step the session ran, with wall-clock times mapped from its clock."""
    plan = session.plan
    to_wall = wall_mapper(actions)
    out = []
    for record, row in zip(session.records, rows(plan, session.records), strict=True):
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
            )
        )
    return out


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
