"""What the app does with the history: the background writes and queries, and their answers.

The app owns one :class:`HistoryKeeper`. Anything that touches the SQLite file (finishing a
session with its rating, comparing it, saving or discarding an unfinished one) runs in a worker
thread and answers by message, so the event loop never waits on the disk. Only the recording of
each action runs on the loop, on purpose: it must be on disk before the screen reacts.

The history modules and the screens that show it are imported when first used, not with the
app: the first frame does not wait for SQLite, the summary or the resume question.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump

from trackside.core.clock import Clock
from trackside.core.runner import ActionLog, Runner
from trackside.core.session import Session
from trackside.history.problems import HistoryProblem
from trackside.history.service import HistoryAtStart, find_unfinished, open_store

if TYPE_CHECKING:
    from trackside.history.groups import UnfinishedGroup
    from trackside.history.log import SessionLog
    from trackside.history.resume import Unfinished
    from trackside.tui.screens.resume import Choice


@dataclass
class ProblemMet(Message):
    """Something went wrong with the history (posted from any thread): tell the runner once."""

    problem: HistoryProblem


@dataclass
class HistoryNews(Message):
    """A background change to the history is done: a line to show the runner."""

    text: str


@dataclass
class UnfinishedFound(Message):
    """The look at start-up found a session left running: the app asks about it if idle."""

    unfinished: Unfinished | UnfinishedGroup


class HistoryKeeper:
    """The app's history: the store (None when it cannot be used) and the work done on it.

    ``clock`` is the app's clock (a resumed session runs on it) and ``show`` shows a resumed
    session's runner.
    """

    def __init__(
        self, app: App[int], start: HistoryAtStart, clock: Clock, show: Callable[[Runner], None]
    ) -> None:
        self.app = app
        self.store = start.store
        self.clock = clock
        self.show = show
        self._told: set[str] = set()
        self._finish_lock = threading.Lock()
        self._wanted: dict[SessionLog, tuple[Session, int | None, str | None]] = {}
        self.logs: list[SessionLog] = []
        """Every session log the app ran, to close (and account for) when it exits."""

    # -- problems ---------------------------------------------------------------------------

    def tell(self, problem: HistoryProblem) -> None:
        """Report a history problem, from any thread (the log's ``on_problem``)."""
        self.app.post_message(ProblemMet(problem))

    def first_time(self, problem: HistoryProblem) -> bool:
        """Whether ``problem`` is news: each is shown once, however many logs meet it (and
        whatever each does about it)."""
        if problem.what in self._told:
            return False
        self._told.add(problem.what)
        return True

    def adopt(self, log: ActionLog | None) -> None:
        """Have a session's log report here: its problems (a resumed one's too), and how many
        actions wait for the file (shown on the session screen)."""
        if log is None:
            return
        from trackside.history.log import SessionLog

        if not isinstance(log, SessionLog) or log in self.logs:
            return
        self.logs.append(log)

        def unsaved(count: int) -> None:  # from the log's timer thread too: posted
            self.app.call_later(self._show_unsaved, log, count)

        log.on_unsaved = unsaved
        if log.on_problem is None:
            log.on_problem = self.tell
            if log.problem is not None:
                self.tell(log.problem)

    def _show_unsaved(self, log: SessionLog, count: int) -> None:
        """Show how many actions of the session on screen wait for the file; on the Summary,
        that all is saved at last."""
        from trackside.tui.widgets.unsaved import UnsavedBadge

        if getattr(getattr(self.app, "runner", None), "log", None) is not log:
            return  # another session is on screen now
        screen = self.app.screen
        for badge in screen.query(UnsavedBadge):
            badge.show(count)
        if count == 0:
            from trackside.tui.screens.summary import SummaryScreen

            if isinstance(screen, SummaryScreen):
                screen.post_message(SummaryScreen.Kept(True))

    def retire(self, log: ActionLog | None) -> None:
        """The runner left ``log``'s session for another: close it in the background (a last
        try to write what waits, then its lease let go)."""
        from trackside.history.log import SessionLog

        if isinstance(log, SessionLog) and log in self.logs and not log.unsaved:
            self.logs.remove(log)
            self.app.run_worker(log.close, thread=True, group="history", exit_on_error=False)

    def close(self) -> list[str]:
        """Close every log as the app exits; a line for each session with actions that could
        not be saved (said on the terminal once the screen is gone)."""
        lines = []
        for log in self.logs:
            log.close()
            if log.unsaved:
                where = f"session {log.session_id}" if log.session_id else "the session"
                why = log.stopped or (
                    log.problem.what if log.problem else "the file was not written"
                )
                name = log.new.preset_name
                count = f"{log.unsaved} action{'s' if log.unsaved != 1 else ''}"
                lines.append(f"{where} ({name}): {count} not saved: {why}")
        self.logs.clear()
        return lines

    # -- resuming ---------------------------------------------------------------------------

    def look(self) -> None:
        """Open the store and look for a session left running, in the background; then tell
        the problem if any (once) and post :class:`UnfinishedFound` for the app to ask."""
        store = self.store
        if store is None:
            return

        def work() -> None:
            problem = open_store(store)
            held: list[HistoryProblem] = []
            unfinished, trouble = find_unfinished(store, held)
            first = problem or trouble
            if first is not None:
                self.tell(first)
            for line in held:  # open in another window: said, never resumed or written here
                self.tell(line)
            if unfinished is not None:
                self.app.post_message(UnfinishedFound(unfinished))

        self.app.run_worker(work, thread=True, group="history", exit_on_error=False)

    def ask(self, unfinished: Unfinished) -> None:
        """Ask what to do with ``unfinished``; a resumed session's runner goes to ``show``."""
        from trackside.tui.screens.resume import ResumeScreen

        def chosen(choice: Choice | None) -> None:
            if choice == "resume":
                runner = self.resume(unfinished)
                if runner is not None:
                    self.show(runner)
            elif choice == "end":
                self.settle(unfinished, discard=False)
            elif choice == "discard":
                self._confirm_discard(unfinished)

        self.app.push_screen(ResumeScreen(unfinished.describe()), chosen)

    def _confirm_discard(self, unfinished: Unfinished) -> None:
        from trackside.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.settle(unfinished, discard=True)
            else:
                self.ask(unfinished)

        question = f"Discard session {unfinished.id}? It is hidden from the history for good."
        self.app.push_screen(ConfirmScreen(question), answered)

    def resume(self, unfinished: Unfinished) -> Runner | None:
        """The unfinished session's runner, exactly where it was (None without a store)."""
        if self.store is None:
            return None
        from trackside.history.resume import resume_session
        from trackside.history.store import SessionHeld

        try:
            resumed = resume_session(self.store, unfinished, clock=self.clock, on_problem=self.tell)
        except SessionHeld as held:  # another window took it since the question was asked
            self.tell(HistoryProblem(f"{held}; it is not resumed here"))
            return None
        return Runner(resumed.session, resumed.clock, log=resumed.log)

    def settle(self, unfinished: Unfinished, discard: bool) -> None:
        """Save the unfinished session as ended early, or discard it, in the background."""
        store = self.store
        if store is None:
            return
        from trackside.history.resume import discard_unfinished, end_unfinished
        from trackside.history.store import HistoryError

        def work() -> None:
            try:  # another window that took it meanwhile refuses: SessionHeld, told
                if discard:
                    discard_unfinished(store, unfinished)
                    news = f"Discarded session {unfinished.id} (kept in the file, hidden)"
                else:
                    end_unfinished(store, unfinished)
                    news = f"Saved session {unfinished.id} as ended early"
            except HistoryError as error:
                self.tell(HistoryProblem(str(error)))
                return
            self.app.post_message(HistoryNews(news))

        self.app.run_worker(work, thread=True, group="history", exit_on_error=False)

    # -- the summary ------------------------------------------------------------------------

    def finish(
        self,
        log: ActionLog | None,
        session: Session,
        rating: int | None,
        note: str | None,
        answer: MessagePump,
    ) -> None:
        """Store how ``session`` ended, with the rating and note; ``answer`` hears ``Kept``."""
        from trackside.history.log import SessionLog
        from trackside.tui.screens.summary import SummaryScreen

        if not isinstance(log, SessionLog):
            return
        self._wanted[log] = (session, rating, note)

        def work() -> None:
            # Writes queue on the lock and each takes the newest wish, so a quick 7 then 8
            # can never end up stored as 7.
            with self._finish_lock:
                wanted = self._wanted.get(log)
                if wanted is None:
                    return
                saved = log.finish(*wanted)
            answer.post_message(SummaryScreen.Kept(saved))

        self.app.run_worker(work, thread=True, group="history", exit_on_error=False)

    def compare(self, log: ActionLog | None, session: Session, answer: MessagePump) -> None:
        """Compare ``session`` with the earlier sessions of its preset; ``answer`` hears it."""
        from trackside.history.log import SessionLog
        from trackside.history.service import comparison_for
        from trackside.history.store import HistoryError
        from trackside.tui.screens.summary import SummaryScreen

        store = self.store
        if store is None or not isinstance(log, SessionLog):
            return
        session_id, preset_id = log.session_id, log.new.preset_id

        def work() -> None:
            try:
                comparison = comparison_for(store, session_id, preset_id, session)
            except HistoryError as error:
                self.tell(HistoryProblem(str(error)))
                return
            if comparison is not None:
                answer.post_message(SummaryScreen.Compared(comparison))

        self.app.run_worker(work, thread=True, group="history", exit_on_error=False)
