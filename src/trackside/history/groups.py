"""A coach's group in the history: one session per athlete, linked by the group's row.

:class:`GroupLog` is the :class:`~trackside.core.group_runner.GroupActionLog` of a group: the
group's first key (Space) writes the group's row, every athlete's session and their start in one
transaction, so a group is never on disk with some athletes and not others; after that each
athlete's actions go to their own :class:`~trackside.history.log.SessionLog`, written as they
happen and kept in memory while the file cannot take them. :func:`latest_unfinished_group` and
:func:`resume_group` carry on a group the last process left running, every athlete where they
were, on one clock.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from trackside.core.clock import Clock, SessionClock
from trackside.core.events import Action, IllegalAction
from trackside.core.group import Athlete, Group
from trackside.core.session import Session
from trackside.history.log import SessionLog, ended_at, status_of
from trackside.history.problems import HistoryProblem, ProblemSink, Then
from trackside.history.resume import Held, OffsetClock
from trackside.history.rows import is_wall
from trackside.history.store import (
    HistoryError,
    HistoryStore,
    NewSession,
    SessionHeld,
    Status,
    StoredAction,
    StoredSession,
)


@dataclass(frozen=True, slots=True)
class StoredGroup:
    """A group's row: what it is called, its countdown, when it started."""

    id: int
    title: str
    countdown_s: int
    started_wall: float


def stored_group(store: HistoryStore, group_id: int) -> StoredGroup:
    """A group's row; raises HistoryError if there is none."""
    rows = store.fetch(
        "SELECT id, title, countdown_s, started_wall FROM groups WHERE id = ?", (group_id,)
    )
    if not rows:
        raise HistoryError(f"no group {group_id} in {store.path}")
    gid, title, countdown, started = rows[0]
    # Read as hostile input, as any session row (history.rows): a row edited by hand.
    if not (isinstance(title, str) and title.isprintable()):
        raise HistoryError(f"group {group_id} is damaged (its title is not text)")
    if not (isinstance(countdown, int) and 0 <= countdown <= 3600):
        raise HistoryError(f"group {group_id} is damaged (its countdown is not a number)")
    if not is_wall(started):
        raise HistoryError(f"group {group_id} is damaged (its start is not a time)")
    return StoredGroup(int(gid), title, countdown, float(started))


class GroupLog:
    """Records a group's actions to the history, durably and without ever raising."""

    def __init__(
        self,
        store: HistoryStore | None,
        title: str,
        countdown_s: int,
        news: Sequence[NewSession],
        *,
        group_id: int | None = None,
        logs: Sequence[SessionLog] = (),
        on_problem: ProblemSink | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.title = title
        self.countdown_s = countdown_s
        self.group_id = group_id
        """The stored group's id; None until its start is on disk."""
        self.logs = list(logs) or [
            SessionLog(store, new, on_problem=on_problem, wall=wall) for new in news
        ]
        self.problem: HistoryProblem | None = None
        self.on_problem = on_problem
        self._news = tuple(news)
        self._opening: list[list[tuple[Action, float]]] = [[] for _ in self.logs]
        self._lock = threading.RLock()

    def record(self, actions: Sequence[tuple[int, Action]], wall: float) -> None:
        """Keep what one key did and commit it at once. Never raises."""
        with self._lock:
            if self.group_id is not None:
                for athlete, action in actions:
                    self.logs[athlete].record(action, wall)
                return
            for athlete, action in actions:
                self._opening[athlete].append((action, wall))
            self._open()

    def _open(self) -> None:
        """Write the group with everything recorded so far (its start), if the file takes it."""
        if self.store is None:
            return
        firsts = list(zip(self._news, self._opening, strict=True))
        started = min((w for acts in self._opening for _, w in acts), default=time.time())
        try:
            group_id, ids = self.store.start_group(self.title, self.countdown_s, started, firsts)
        except HistoryError as error:
            self._report(HistoryProblem(str(error), Then.SESSION_KEPT))
            return
        self.group_id = group_id
        for log, session_id, opening in zip(self.logs, ids, self._opening, strict=True):
            log.adopt(session_id, opening)
        self._opening = [[] for _ in self.logs]

    @property
    def unsaved(self) -> int:
        """How many recorded actions are only in memory."""
        return sum(map(len, self._opening)) + sum(log.unsaved for log in self.logs)

    def finish(
        self, athlete: int, session: Session, rating: int | None = None, note: str | None = None
    ) -> bool:
        """Store how an athlete's session ended, with the coach's rating and note; True if all
        of the group is on disk."""
        with self._lock:
            if self.group_id is None:
                self._open()
            if self.group_id is None:
                return False
        return self.logs[athlete].finish(session, rating, note)

    def _report(self, problem: HistoryProblem) -> None:
        if self.problem is None:
            self.problem = problem
            if self.on_problem is not None:
                self.on_problem(problem)


# -- carrying on a group ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnfinishedGroup:
    """A group left running: its row, and each athlete's stored session with its actions."""

    group: StoredGroup
    athletes: tuple[tuple[StoredSession, tuple[StoredAction, ...]], ...]

    @property
    def id(self) -> int:
        """The stored group's id."""
        return self.group.id

    @property
    def started_wall(self) -> float:
        """When the group started, on the wall clock."""
        return self.group.started_wall

    def describe(self) -> str:
        """One line for ``trackside resume``."""
        started = time.strftime("%a %d %b %H:%M", time.localtime(self.started_wall))
        names = ", ".join(s.athlete.name for s, _ in self.athletes if s.athlete is not None)
        return f"group {self.id}, {self.group.title} (started {started}): {names}"

    def clock_at(self, wall_now: float) -> float:
        """The group's clock at wall time ``wall_now``, read from its latest action (every
        athlete ran on the one clock)."""
        last = max((acts[-1] for _, acts in self.athletes if acts), key=lambda a: a.wall)
        return last.action.at + max(0.0, wall_now - last.wall)

    def group_at(self, now: float) -> Group:
        """Every athlete's session replayed to ``now``. Raises HistoryError."""
        athletes = [_athlete(stored) for stored, _ in self.athletes]
        actions = [[a.action for a in acts] for _, acts in self.athletes]
        try:
            return Group.replay(athletes, actions, now, self.group.countdown_s)
        except (IllegalAction, ValueError) as error:
            raise HistoryError(f"group {self.group.id} cannot be replayed: {error}") from error


def _athlete(stored: StoredSession) -> Athlete:
    """The engine's athlete a stored session of a group was run by."""
    if stored.athlete is None:
        raise HistoryError(f"session {stored.id} is not part of a group")
    return Athlete(stored.athlete.name, stored.plan, max(0, stored.athlete.start_offset_s))


def latest_unfinished_group(
    store: HistoryStore, *, wall: Callable[[], float] = time.time, held: list[Held] | None = None
) -> UnfinishedGroup | None:
    """The newest group with an athlete left running that no other window holds, or None.
    Athletes whose sessions came to their end by themselves while trackside was down are stored
    as such on the way; a group all of whose athletes did is not unfinished. A group one of
    whose athletes runs in another window is skipped (that athlete goes in ``held``), and so is
    one that cannot be read. Raises HistoryError."""
    rows = store.fetch(
        "SELECT DISTINCT group_id FROM sessions WHERE group_id IS NOT NULL "
        "AND status = 'running' ORDER BY group_id DESC"
    )
    for (group_id,) in rows:
        unfinished = _unfinished(store, group_id, held)
        if unfinished is None:
            continue
        try:
            replayed = unfinished.group_at(unfinished.clock_at(wall()))
        except HistoryError:  # a group that cannot be replayed stays as it is, for the history
            continue
        for (stored, _), session in zip(unfinished.athletes, replayed.sessions, strict=True):
            if stored.status is Status.RUNNING and session.finished:
                with contextlib.suppress(SessionHeld):  # taken by a window just now: its own
                    store.settle(stored.id, status_of(session), ended_at(session))
        if not replayed.finished:
            return unfinished
    return None


def _unfinished(
    store: HistoryStore, group_id: object, held: list[Held] | None
) -> UnfinishedGroup | None:
    """The group with every athlete's session and actions, if all can be read, any was
    started and no other window holds one. Raises HistoryError."""
    if not isinstance(group_id, int):
        return None
    try:
        group = stored_group(store, group_id)
    except HistoryError:
        return None
    damaged: dict[int, str] = {}
    ids = [s.id for s in store.sessions(group_id=group.id, include_discarded=True, damaged=damaged)]
    found = store.sessions_with_actions(ids, damaged)
    if damaged or not any(acts for _, acts in found):
        return None  # an athlete that cannot be read: never resumed without them
    for stored, _ in found:
        holder = store.holder(stored.id) if stored.status is Status.RUNNING else None
        if holder is not None:
            if held is not None:
                held.append(Held(stored, holder))
            return None
    return UnfinishedGroup(group, tuple(found))


@dataclass(frozen=True, slots=True)
class ResumedGroup:
    """What the app runs a resumed group with: ``GroupRunner(group, clock, log=log)``."""

    group: Group
    clock: OffsetClock
    log: GroupLog
    keys: tuple[str, ...]
    title: str
    exertions: tuple[int | None, ...]


def resume_group(
    store: HistoryStore,
    unfinished: UnfinishedGroup,
    *,
    clock: Clock | None = None,
    wall: Callable[[], float] = time.time,
    on_problem: ProblemSink | None = None,
) -> ResumedGroup:
    """Carry ``unfinished`` on: every athlete where they are now, the group's clock, and a log
    that keeps recording to the same stored sessions. Raises HistoryError (:class:`SessionHeld`
    if another window took an athlete's session meanwhile: the group is not resumed here)."""
    _take_leases(store, [stored for stored, _ in unfinished.athletes])
    offset_clock = OffsetClock.reading(clock or SessionClock(), unfinished.clock_at(wall()))
    group = unfinished.group_at(offset_clock.now())
    found = unfinished.athletes
    logs = [_carried(store, stored, actions, on_problem, wall) for stored, actions in found]
    news = [log.new for log in logs]
    keys = [stored.athlete.key if stored.athlete else "" for stored, _ in found]
    meta = unfinished.group
    log = GroupLog(
        store,
        meta.title,
        meta.countdown_s,
        news,
        group_id=meta.id,
        logs=logs,
        on_problem=on_problem,
        wall=wall,
    )
    exertions = tuple(s.exertion for s, _ in unfinished.athletes)
    return ResumedGroup(group, offset_clock, log, tuple(keys), meta.title, exertions)


def _take_leases(store: HistoryStore, athletes: Sequence[StoredSession]) -> None:
    """Take every running athlete's lease now, so a second window finds the group held; all
    or none (a file locked just now is no reason not to resume: the first write takes it)."""
    taken = []
    for stored in athletes:
        if stored.status is not Status.RUNNING:
            continue
        try:
            store.renew(stored.id)
            taken.append(stored.id)
        except SessionHeld:
            for session_id in taken:
                with contextlib.suppress(HistoryError):
                    store.release(session_id)
            raise
        except HistoryError:
            pass


def _carried(
    store: HistoryStore,
    stored: StoredSession,
    actions: Sequence[StoredAction],
    on_problem: ProblemSink | None,
    wall: Callable[[], float],
) -> SessionLog:
    """An athlete's log, recording on to their stored session."""
    new = NewSession(
        stored.preset_id,
        stored.preset_name,
        stored.plan,
        stored.countdown_s,
        stored.exertion,
        stored.athlete,
    )
    recorded = [a.action for a in actions]
    return SessionLog(
        store, new, session_id=stored.id, recorded=recorded, on_problem=on_problem, wall=wall
    )
