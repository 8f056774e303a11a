"""The runner's :class:`~trackside.core.runner.ActionLog`: each action on disk before the screen
reacts.

:class:`SessionLog` keeps every action in memory as well, so a history file that is locked,
read-only, damaged or missing never stops a session: the runner is told once (``problem`` and the
``on_problem`` callback), the session runs on, and the actions not yet written are written with
the next one that gets through.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from trackside.core.events import Action, IllegalAction, Phase
from trackside.core.plan import Plan
from trackside.core.session import Session
from trackside.history.problems import HistoryProblem, ProblemSink, Then
from trackside.history.store import HistoryError, HistoryStore, NewSession, Status

RETRY_AFTER_S = 2.0
"""After a failed write, wait this long (wall clock) before trying again, so a locked file does
not cost every key press a busy wait."""


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
    ) -> None:
        self.store = store
        self.new = new
        self.session_id = session_id
        """The stored session's id; None until the first action is on disk."""
        self.problem: HistoryProblem | None = None
        """The first thing that went wrong with the history (show it once); None if all is well."""
        self.actions: list[tuple[Action, float]] = []
        """Every action recorded through this log, with its wall time, written or not."""
        self.on_problem = on_problem
        self._wall = wall
        self._next_seq = len(recorded)
        self._unsaved: list[tuple[Action, float]] = []
        self._retry_at = 0.0
        self._finish: tuple[Status, float, int | None, str | None] | None = None
        self._lock = threading.RLock()
        # A fold of our own over the same actions, so the stored status follows the session
        # (a final mark completes it, an undo after that makes it running again).
        self._mirror: Session | None = Session.replay(new.plan, recorded, None, new.countdown_s)
        self._status = status_of(self._mirror)
        if store is not None and store.notice is not None:
            self._report(HistoryProblem(store.notice))

    @property
    def unsaved(self) -> int:
        """How many recorded actions are only in memory."""
        return len(self._unsaved)

    def record(self, action: Action, wall: float) -> None:
        """Keep ``action`` and commit it at once (with any left unsaved). Never raises."""
        with self._lock:
            self.actions.append((action, wall))
            self._unsaved.append((action, wall))
            self._follow(action)
            if self._wall() >= self._retry_at:
                self.flush()

    def flush(self) -> bool:
        """Try to write what is unsaved now; True if nothing is left in memory only."""
        saved, finished = self._flush()
        if finished is not None and self.store is not None:
            # Outside the lock: a key pressed meanwhile (an undo on the Summary) never waits.
            _derive(self.store, finished)
        return saved

    def _flush(self) -> tuple[bool, int | None]:
        """Write what is unsaved: whether all is, and the session if its end was just stored."""
        with self._lock:
            if not self._unsaved and self._finish is None:
                return True, None
            if self.store is None:
                return False, None
            derive = False
            try:
                if self._unsaved:
                    self._append(self.store)
                if self._finish is not None and self.session_id is not None:
                    status, end, rating, note = self._finish
                    self.store.set_status(self.session_id, status, end)
                    self.store.set_rating(self.session_id, rating, note)
                    self._finish = None
                    derive = True
            except HistoryError as error:
                self._failed(str(error))
                return False, None
            except Exception as error:  # whatever it is, the log must never stop a session
                self._failed(f"history file {self.store.path}: unexpected {error!r}")
                return False, None
            if self.store.notice is not None:
                self._report(HistoryProblem(self.store.notice))
            return True, self.session_id if derive else None

    def _append(self, store: HistoryStore) -> None:
        mirror = self._mirror
        finished = mirror is not None and self._status is not Status.RUNNING
        end = ended_at(mirror) if mirror is not None and finished else None
        self.session_id = store.append(
            self.session_id, self.new, self._next_seq, self._unsaved, self._status, end
        )
        self._next_seq += len(self._unsaved)
        self._unsaved.clear()

    def finish(self, session: Session, rating: int | None = None, note: str | None = None) -> bool:
        """Store how the session ended (completed or ended early) and the rating and note.

        Call it from the summary with the session as the runner has it (a session whose last
        step ended by itself is done without any action saying so). A session not finished is
        stored as ended early. True if all is on disk; otherwise it is kept and written with the
        next flush.
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
        return self.flush()

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

    def _failed(self, message: str) -> None:
        self._retry_at = self._wall() + RETRY_AFTER_S
        self._report(HistoryProblem(message, Then.SESSION_KEPT))

    def _report(self, problem: HistoryProblem) -> None:
        if self.problem is not None:
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
