"""The runner's :class:`~trackside.core.runner.ActionLog`: each action on disk before the screen
reacts.

:class:`SessionLog` keeps every action in memory as well, so a history file that is locked,
read-only, full, damaged or missing never stops a session: the runner is told once (``problem``
and the ``on_problem`` callback), the session runs on, and what is not yet written is retried
on a timer of its own (:data:`RETRY_FIRST_S`, doubling up to :data:`RETRY_MAX_S`), not at the
next key, which never waits on a file that failed. ``on_unsaved`` hears how many actions wait.

The log holds its session's lease (:mod:`trackside.history.lease`): every write takes or
renews it, and a timer renews it every :data:`~trackside.history.lease.RENEW_S` between keys.
A session held by another window, or found written by one, is never written again by this
log: that is a problem shown to the runner (``stopped``), and what this window recorded stays
in memory, counted as unsaved.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from trackside.core.events import Action, IllegalAction, Phase
from trackside.core.plan import Plan
from trackside.core.session import Session
from trackside.history.lease import RENEW_S
from trackside.history.problems import HistoryProblem, ProblemSink, Then
from trackside.history.store import (
    ActionConflict,
    HistoryError,
    HistoryStore,
    NewSession,
    SessionHeld,
    Status,
)

RETRY_FIRST_S = 0.5
"""The first retry after a failed write: a lock held a moment is soon gone."""
RETRY_MAX_S = 4.0
"""Retries back off, doubling, to this: a few seconds at most between tries."""


class Cancel(Protocol):
    """Calls off what :data:`Later` set up (a no-op once it ran)."""

    def __call__(self) -> None: ...


Later = Callable[[float, Callable[[], None]], Cancel]
"""Runs an action after a delay, on some other thread; returns how to call it off."""


def thread_timer(delay: float, action: Callable[[], None]) -> Cancel:
    """:data:`Later` on a daemon thread (it never keeps the program alive)."""
    timer = threading.Timer(delay, action)
    timer.daemon = True
    timer.start()
    return timer.cancel


def status_of(session: Session) -> Status:
    """The stored status a session's phase stands for (discarded is only ever chosen)."""
    if session.state.phase is Phase.DONE:
        return Status.COMPLETED
    if session.state.phase is Phase.ENDED:
        return Status.ENDED_EARLY
    return Status.RUNNING


def ended_at(session: Session) -> float:
    """When a finished session came to its end on its clock (for a running one: its time now)."""
    if session.finished and session.records:
        return session.records[-1].ended
    return session.now


_Finish = tuple[Status, float, int | None, str | None]


@dataclass
class _State:
    """The retry timer's and the screen's state of a log (guarded by its lock)."""

    failing: bool = False
    """The last write failed: keys only keep their actions; the timer retries."""
    backoff: float = RETRY_FIRST_S
    timer: Cancel | None = None
    closed: bool = False
    told_unsaved: int = 0
    failed_since_told: bool = False
    renewed: float = field(default_factory=time.monotonic)
    """When the lease was last renewed (monotonic)."""


class SessionLog:
    """Records one session's actions to the history, durably and without ever raising.

    Build it with :func:`start_log` for a new session (the session row is written with the
    first action) or get it from :func:`~trackside.history.resume.resume_session`.
    """

    def __init__(
        self,
        store: HistoryStore | None,
        new: NewSession,
        *,
        session_id: int | None = None,
        recorded: Sequence[Action] = (),
        on_problem: ProblemSink | None = None,
        wall: Callable[[], float] = time.time,
        later: Later = thread_timer,
    ) -> None:
        self.store = store
        self.new = new
        self.session_id = session_id
        """The stored session's id; None until the first action is on disk."""
        self.problem: HistoryProblem | None = None
        """The first thing that went wrong with the history (show it once); None if all is well."""
        self.stopped: str | None = None
        """Why this log writes no more (another window holds or wrote the session)."""
        self.actions: list[tuple[Action, float]] = []
        """Every action recorded through this log, with its wall time, written or not."""
        self.on_problem = on_problem
        self.on_unsaved: Callable[[int], None] | None = None
        """Hears how many actions are not yet on disk, each time that changes after a try."""
        self._wall = wall
        self._later = later
        self._next_seq = len(recorded)
        self._unsaved: list[tuple[Action, float]] = []
        self._finish: _Finish | None = None
        self._lock = threading.RLock()
        """Guards the log's state; held only for moments, never across a write."""
        self._writing = threading.Lock()
        """Held across a write to the file: one at a time, in order."""
        self._state = _State()
        # A fold of our own over the same actions, so the stored status follows the session
        # (a final mark completes it, an undo after that makes it running again).
        self._mirror: Session | None = Session.replay(new.plan, recorded, None, new.countdown_s)
        self._status = status_of(self._mirror)
        if store is not None and store.notice is not None:
            self._report(HistoryProblem(store.notice))
        if session_id is not None:
            self._schedule(RENEW_S)

    @property
    def unsaved(self) -> int:
        """How many recorded actions are only in memory."""
        return len(self._unsaved)

    def record(self, action: Action, wall: float) -> None:
        """Keep ``action`` and commit it at once. Never raises.

        After a failed write it is only kept: the retry timer writes it with the others, and
        the key that recorded it never waits on the file.
        """
        with self._lock:
            self.actions.append((action, wall))
            self._unsaved.append((action, wall))
            self._follow(action)
            waiting = self._state.failing or self.stopped is not None
        if waiting:
            self._tell_unsaved()
        else:
            self.flush()

    def adopt(self, session_id: int, written: Sequence[tuple[Action, float]]) -> None:
        """Carry on a session row written elsewhere with its first actions (a group's start:
        every athlete's row and start in one transaction, under this process's lease)."""
        with self._lock:
            self.session_id = session_id
            for action, wall in written:
                self.actions.append((action, wall))
                self._follow(action)
            self._next_seq += len(written)
            self._schedule(RENEW_S)

    def flush(self) -> bool:
        """Try to write what is unsaved now; True if nothing is left in memory only."""
        with self._writing:
            saved, finished = self._write()
        if finished is not None and self.store is not None:
            # Outside the lock: a key pressed meanwhile (an undo on the Summary) never waits.
            _derive(self.store, finished)
        self._tell_unsaved()
        return saved

    def finish(self, session: Session, rating: int | None = None, note: str | None = None) -> bool:
        """Store how the session ended (completed or ended early) and the rating and note.

        Call it from the summary with the session as the runner has it (a session whose last
        step ended by itself is done without any action saying so). A session not finished is
        stored as ended early. True if all is on disk; otherwise it is kept and written by the
        retry timer.
        """
        if rating is not None and not 1 <= rating <= 10:
            raise ValueError("a rating is a whole number from 1 to 10")
        with self._lock:
            status = status_of(session)
            if status is Status.RUNNING:
                status = Status.ENDED_EARLY
            self._status = status
            if self.session_id is None and not self._unsaved:
                return True  # never started: there is nothing to keep
            self._finish = (status, ended_at(session), rating, note)
            waiting = self._state.failing or self.stopped is not None
        if waiting:
            return False
        return self.flush()

    def close(self) -> None:
        """The session is left (the app moves on or exits): one last try to write what waits,
        no more timers, and the lease let go once all is written."""
        with self._lock:
            self._state.closed = True
            self._cancel()
        saved = self.flush()
        store, session_id = self.store, self.session_id
        if saved and self.stopped is None and store is not None and session_id is not None:
            # If it cannot be let go, it is a dead process's lease: the next window takes it.
            with contextlib.suppress(HistoryError):
                store.release(session_id)

    # -- writing ----------------------------------------------------------------------------

    def _write(self) -> tuple[bool, int | None]:
        """Write what waits (the caller holds ``_writing``): whether all is on disk now, and
        the session's id if its end was just stored."""
        with self._lock:
            if self.stopped is not None:
                return False, None
            batch, finish, status = list(self._unsaved), self._finish, self._status
            mirror = self._mirror
            end = ended_at(mirror) if mirror is not None and status is not Status.RUNNING else None
            session_id, first_seq = self.session_id, self._next_seq
        store = self.store
        if store is None:
            return not batch and finish is None, None
        if not batch and finish is None:
            return True, None
        try:
            if batch:
                session_id = store.append(
                    session_id, self.new, first_seq, batch, status, end
                )  # fmt: skip
            if finish is not None and session_id is not None:
                store.finish(session_id, (finish[0], finish[1]), finish[2], finish[3])
        except (SessionHeld, ActionConflict) as error:
            self._stop(str(error))
            return False, None
        except HistoryError as error:
            self._failed(str(error))
            return False, None
        except Exception as error:  # whatever it is, the log must never stop a session
            self._failed(f"history file {store.path}: unexpected {error!r}")
            return False, None
        return True, self._written(session_id, len(batch), finish)

    def _written(self, session_id: int | None, count: int, finish: _Finish | None) -> int | None:
        """Take what was written off the list; the session's id if its end was stored."""
        with self._lock:
            first = self.session_id is None and session_id is not None
            self.session_id = session_id
            del self._unsaved[:count]
            self._next_seq += count
            self._state.failing, self._state.backoff = False, RETRY_FIRST_S
            self._state.renewed = time.monotonic()
            stored_end = finish is not None and self._finish is finish
            if stored_end:
                self._finish = None
            if first:
                self._schedule(RENEW_S)
        if self.store is not None and self.store.notice is not None:
            self._report(HistoryProblem(self.store.notice))
        return session_id if stored_end else None

    def _failed(self, message: str) -> None:
        with self._lock:
            self._state.failing = self._state.failed_since_told = True
            delay = self._state.backoff
            self._state.backoff = min(RETRY_MAX_S, self._state.backoff * 2)
            self._schedule(delay)
        self._report(HistoryProblem(message, Then.SESSION_KEPT))

    def _stop(self, message: str) -> None:
        with self._lock:
            self.stopped = message
            self._cancel()
        self._report(HistoryProblem(message, Then.NOT_SAVED_HERE), always=True)

    # -- the timer --------------------------------------------------------------------------

    def _schedule(self, delay: float) -> None:
        """Wake in ``delay`` seconds (instead of any earlier plan); the caller holds ``_lock``."""
        self._cancel()
        if not self._state.closed and self.stopped is None and self.store is not None:
            self._state.timer = self._later(delay, self._woken)

    def _cancel(self) -> None:
        if self._state.timer is not None:
            self._state.timer()
            self._state.timer = None

    def _woken(self) -> None:
        """Retry what waits, or renew the lease when nothing does; then plan the next wake."""
        with self._lock:
            self._state.timer = None
            if self._state.closed or self.stopped is not None:
                return
            waiting = bool(self._unsaved) or self._finish is not None
            renew_in = RENEW_S - (time.monotonic() - self._state.renewed)
        if waiting:
            self.flush()  # on failure it plans the next retry itself
        elif renew_in <= 0:
            self._renew()
        with self._lock:
            if self._state.timer is None and not self._state.failing:
                self._schedule(max(0.0, RENEW_S - (time.monotonic() - self._state.renewed)))

    def _renew(self) -> None:
        store, session_id = self.store, self.session_id
        if store is None or session_id is None:
            return
        with self._writing:
            try:
                store.renew(session_id)
            except SessionHeld as error:
                self._stop(str(error))
                return
            except HistoryError:
                return  # a locked or full file: the lease stands while this process lives
        with self._lock:
            self._state.renewed = time.monotonic()

    # -- telling ----------------------------------------------------------------------------

    def _tell_unsaved(self) -> None:
        """Tell ``on_unsaved`` the count if it changed, and 0 again once all is saved after a
        failure (the end and the rating may be what waited: the Summary says it is saved)."""
        with self._lock:
            count = len(self._unsaved)
            saved_at_last = count == 0 and self._state.failed_since_told and not self._state.failing
            if count == self._state.told_unsaved and not saved_at_last:
                return
            self._state.told_unsaved = count
            if not self._state.failing:
                self._state.failed_since_told = False
            listener = self.on_unsaved
        if listener is not None:
            listener(count)

    def _follow(self, action: Action) -> None:
        if self._mirror is None:
            return
        try:
            self._mirror = self._mirror.apply(action.kind, action.at).session
        except IllegalAction:
            # Cannot happen with the runner's own actions; if it does, stop guessing the status
            # rather than stop recording.
            self._mirror = None
            return
        self._status = status_of(self._mirror)

    def _report(self, problem: HistoryProblem, *, always: bool = False) -> None:
        """Tell the runner, once: the first problem, and (``always``) a stop after it, which
        changes what is saved."""
        if self.problem is not None and not always:
            return
        self.problem = problem
        if self.on_problem is not None:
            self.on_problem(problem)


def _derive(store: HistoryStore, session_id: int) -> None:
    """Work out a finished session's splits and statistics now, once, so the history and the
    next Summary's comparison read them without a replay. Only for speed: a failure is left to
    the next reader, who derives them again."""
    from trackside.history.derived import derive_again

    try:
        derive_again(store, [session_id])
    except Exception:  # whatever it is, the session is safely stored already
        return


def start_log(
    store: HistoryStore | None,
    plan: Plan,
    *,
    preset_id: str,
    countdown_s: int,
    preset_name: str | None = None,
    exertion: int | None = None,
    on_problem: ProblemSink | None = None,
) -> SessionLog:
    """A log for a new session of ``plan``; nothing is written until the first action."""
    new = NewSession(preset_id, preset_name or plan.name, plan, countdown_s, exertion)
    return SessionLog(store, new, on_problem=on_problem)
