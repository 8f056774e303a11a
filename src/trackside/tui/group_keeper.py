"""A coach's group left running, offered at the app's start like a runner's own session.

The look for what was left unfinished (:meth:`HistoryKeeper.look`) finds the newest session of
a runner alone or group, whichever was left last. A group is asked about with the same
question: resumed, every athlete carries on where they are on the coach's screen; saved as
ended early, or discarded (after asking), every athlete's running session with it, never one
athlete alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from trackside.history.problems import HistoryProblem

if TYPE_CHECKING:
    from trackside.history.groups import ResumedGroup, UnfinishedGroup
    from trackside.tui.keeper import HistoryKeeper
    from trackside.tui.screens.resume import Choice


def ask_group(
    keeper: HistoryKeeper, unfinished: UnfinishedGroup, show: Callable[[ResumedGroup], None]
) -> None:
    """Ask what to do with the group ``unfinished``; resumed, it goes to ``show``."""
    from trackside.tui.screens.resume import ResumeScreen

    def chosen(choice: Choice | None) -> None:
        if choice == "resume":
            resumed = resume(keeper, unfinished)
            if resumed is not None:
                show(resumed)
        elif choice == "end":
            settle_group(keeper, unfinished, discard=False)
        elif choice == "discard":
            confirm_discard(keeper, unfinished, show)

    keeper.app.push_screen(ResumeScreen(unfinished.describe()), chosen)


def confirm_discard(
    keeper: HistoryKeeper, unfinished: UnfinishedGroup, show: Callable[[ResumedGroup], None]
) -> None:
    """Discard the group once the coach says yes; no: the question again."""
    from trackside.tui.screens.confirm import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if yes:
            settle_group(keeper, unfinished, discard=True)
        else:
            ask_group(keeper, unfinished, show)

    count = len(unfinished.athletes)
    question = (
        f"Discard group G{unfinished.id} and its {count} athletes' sessions? "
        "They are hidden from the history for good."
    )
    keeper.app.push_screen(ConfirmScreen(question), answered)


def resume(keeper: HistoryKeeper, unfinished: UnfinishedGroup) -> ResumedGroup | None:
    """The group carried on, every athlete on one clock (None without a store)."""
    if keeper.store is None:
        return None
    from trackside.history.groups import resume_group
    from trackside.history.store import HistoryError

    try:
        return resume_group(keeper.store, unfinished, clock=keeper.clock, on_problem=keeper.tell)
    except HistoryError as error:
        keeper.tell(HistoryProblem(f"cannot resume the group: {error}"))
        return None


def settle_group(keeper: HistoryKeeper, unfinished: UnfinishedGroup, discard: bool) -> None:
    """Every athlete's running session saved as ended early, or discarded, in the background."""
    store = keeper.store
    if store is None:
        return
    from trackside.history.store import HistoryError, SessionHeld, Status
    from trackside.tui.keeper import HistoryNews

    status = Status.DISCARDED if discard else Status.ENDED_EARLY

    def work() -> None:
        running = [
            (stored, actions)
            for stored, actions in unfinished.athletes
            if stored.status is Status.RUNNING and actions
        ]
        try:
            # Refused for all if another window took any athlete since the question was asked.
            for stored, _ in running:
                if (holder := store.holder(stored.id)) is not None:
                    raise SessionHeld(stored.id, holder)
            for stored, actions in running:
                store.settle(stored.id, status, actions[-1].action.at)
        except HistoryError as error:
            keeper.tell(HistoryProblem(str(error)))
            return
        done = "Discarded (kept in the file, hidden)" if discard else "Saved as ended early"
        keeper.app.post_message(HistoryNews(f"{done}: group G{unfinished.id}"))

    keeper.app.run_worker(work, thread=True, group="history", exit_on_error=False)
