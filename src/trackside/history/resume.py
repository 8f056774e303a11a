"""Carrying on a session the last process left unfinished (killed, crashed, closed).

A session's clock (:class:`~trackside.core.clock.SessionClock`: monotonic, counting a suspend)
does not survive a reboot, and another process may read another clock, so the time that passed
while trackside was down is measured on the wall clock: the session's clock now reads
``last_action.at + (time.time() - last_action.wall)``. The new process then runs the session on
an :class:`OffsetClock` over its own session clock, so within the new process that clock rules
again and the recorded ``at`` values carry straight on.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from trackside.core.clock import Clock, SessionClock
from trackside.core.events import IllegalAction
from trackside.core.session import Session
from trackside.history.lease import Holder
from trackside.history.log import SessionLog, ended_at, status_of
from trackside.history.problems import ProblemSink
from trackside.history.store import (
    HistoryError,
    HistoryStore,
    NewSession,
    SessionDamaged,
    SessionHeld,
    Status,
    StoredAction,
    StoredSession,
)


class OffsetClock:
    """``base.now() + offset``: another process's session clock, continued on this one's."""

    def __init__(self, base: Clock, offset: float) -> None:
        self.base = base
        self.offset = offset

    @classmethod
    def reading(cls, base: Clock, now: float) -> OffsetClock:
        """A clock over ``base`` that reads ``now`` at this moment."""
        return cls(base, now - base.now())

    def now(self) -> float:
        """The base clock's time plus the offset."""
        return self.base.now() + self.offset


def session_now(actions: Sequence[StoredAction], wall_now: float) -> float:
    """The time on a stored session's clock at wall-clock time ``wall_now``.

    The last action is the latest moment both clocks were read together. A wall clock set
    back while trackside was down counts as no time passing, never as time running backwards.
    """
    if not actions:
        raise ValueError("a session with no actions has no clock")
    last = actions[-1]
    return last.action.at + max(0.0, wall_now - last.wall)


def replay(stored: StoredSession, actions: Sequence[StoredAction], now: float) -> Session:
    """The stored session folded from its actions and advanced to ``now``."""
    try:
        return Session.replay(stored.plan, [a.action for a in actions], now, stored.countdown_s)
    except IllegalAction as error:
        reason = f"it cannot be replayed from its actions: {error}"
        raise SessionDamaged(stored.id, reason) from error


@dataclass(frozen=True, slots=True)
class Unfinished:
    """A session left running, as it stands now (as if the program had been running)."""

    stored: StoredSession
    actions: tuple[StoredAction, ...]
    session: Session
    """Replayed to the moment it was found: recoveries whose maximum passed have ended."""
    down_s: float
    """Wall-clock seconds since the process that ran it was last known to be running: its
    lease's last renewal, or its last recorded action if that came later."""

    @property
    def id(self) -> int:
        """The stored session's id."""
        return self.stored.id

    def describe(self) -> str:
        """One line for the resume prompt and ``trackside resume``."""
        session = self.session
        reps = len(session.splits())
        started = time.strftime("%a %d %b %H:%M", time.localtime(self.stored.started_wall))
        where = _where(session)
        return (
            f"{self.stored.preset_name} (session {self.id}, started {started}): "
            f"{reps} of {session.plan.total_reps} reps done, left {_ago(self.down_s)} {where}"
        )


def _where(session: Session) -> str:
    step = session.step
    if step is None:
        return "before the first step"
    name = f"rep {step.rep}" if step.is_rep and step.rep is not None else step.kind.value
    return f"{'paused in' if session.paused else 'during'} {name}"


def _ago(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s ago"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h ago"
    return f"{seconds / 86400:.0f} days ago"


@dataclass(frozen=True, slots=True)
class Held:
    """A session running in another window: never resumed, settled or written here."""

    stored: StoredSession
    holder: Holder

    def describe(self) -> str:
        """One line: which session, that it is open elsewhere and where, how to see it."""
        sid = self.stored.id
        return (
            f"{self.stored.preset_name} (session {sid}) is open in another window "
            f"({self.holder.where()}); it is not resumed here (`trackside history {sid}` shows it)"
        )


def latest_unfinished(
    store: HistoryStore,
    *,
    wall: Callable[[], float] = time.time,
    held: list[Held] | None = None,
) -> Unfinished | None:
    """The newest session of a runner alone left running that no other window holds, or None.
    Raises :class:`HistoryError`.

    A session that came to its end by itself while trackside was down (its last step ended by
    time) is not unfinished: it is stored as completed on the way and the search goes on. One
    running in another window is skipped (and put in ``held``, if given); so is one that
    cannot be read.
    """
    for stored in reversed(store.sessions()):
        if stored.status is not Status.RUNNING or stored.athlete is not None:
            continue  # an athlete's session is carried on with their group (history.groups)
        holder = store.holder(stored.id)
        if holder is not None:
            if held is not None:
                held.append(Held(stored, holder))
            continue
        try:
            actions = store.actions(stored.id)
            if not actions:
                continue
            now_wall = wall()
            session = replay(stored, actions, session_now(actions, now_wall))
        except HistoryError:  # a session that cannot be read stays as it is, for the history
            continue
        if session.finished:
            with contextlib.suppress(SessionHeld):  # taken by a window just now: its own
                store.settle(stored.id, status_of(session), ended_at(session))
            continue
        down_s = max(0.0, now_wall - last_known_running(store, stored.id, actions, now_wall))
        return Unfinished(stored, actions, session, down_s)
    return None


def last_known_running(
    store: HistoryStore, session_id: int, actions: Sequence[StoredAction], now_wall: float
) -> float:
    """The wall-clock time the process that ran a session was last known to be running: the
    last renewal of its lease (every 5 s, and with each write), or its last action's. A lease
    row that does not hold a number (edited by hand), or a renewal after ``now_wall`` (a clock
    set back since), says nothing."""
    try:
        rows = store.fetch("SELECT renewed_wall FROM leases WHERE session_id = ?", (session_id,))
    except HistoryError:  # only the words depend on it: the last action is near enough
        rows = []
    renewals = [float(r[0]) for r in rows if isinstance(r[0], int | float) and r[0] <= now_wall]
    return max([actions[-1].wall, *renewals])


class Resumed(NamedTuple):
    """What the app runs a resumed session with: ``Runner(session, clock, log=log)``."""

    session: Session
    clock: OffsetClock
    log: SessionLog


def resume_session(
    store: HistoryStore,
    unfinished: Unfinished,
    *,
    clock: Clock | None = None,
    wall: Callable[[], float] = time.time,
    on_problem: ProblemSink | None = None,
) -> Resumed:
    """Carry ``unfinished`` on: the session where it is now, its clock, and a log that keeps
    recording to the same stored session. ``clock`` is the app's clock (default: the session
    clock)."""
    stored, actions = unfinished.stored, unfinished.actions
    # Taken now, so a second window finds it held; a file locked just now is no reason not to
    # resume (the first write takes the lease, or finds it held and says so).
    try:
        store.renew(stored.id)
    except HistoryError as error:
        if isinstance(error, SessionHeld):
            raise
    offset_clock = OffsetClock.reading(clock or SessionClock(), session_now(actions, wall()))
    session = replay(stored, actions, offset_clock.now())
    new = NewSession(
        stored.preset_id, stored.preset_name, stored.plan, stored.countdown_s, stored.exertion
    )
    log = SessionLog(
        store,
        new,
        session_id=stored.id,
        recorded=[a.action for a in actions],
        on_problem=on_problem,
        wall=wall,
    )
    return Resumed(session, offset_clock, log)


def end_unfinished(store: HistoryStore, unfinished: Unfinished) -> None:
    """Keep it as ended early, as it stood at its last recorded action (unless another window
    took it meanwhile: :class:`SessionHeld`)."""
    store.settle(unfinished.id, Status.ENDED_EARLY, unfinished.actions[-1].action.at)


def discard_unfinished(store: HistoryStore, unfinished: Unfinished) -> None:
    """Hide it from the history and from resume. It stays in the file: nothing is deleted.
    (Refused with :class:`SessionHeld` if another window took it meanwhile.)"""
    store.settle(unfinished.id, Status.DISCARDED, unfinished.actions[-1].action.at)
