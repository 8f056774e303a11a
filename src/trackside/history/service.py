"""The history's side of the app: the store opened, the session logs, the queries it shows.

:func:`history_at_start` is what ``trackside`` starts with (for ``trackside resume``, the
session to carry on); the app's :class:`~trackside.tui.keeper.HistoryKeeper` runs the rest in
worker threads, since all of it may block on the SQLite file. None of it raises: a history that
cannot be used is a :class:`~trackside.history.problems.HistoryProblem` to show the runner, and
sessions run anyway. The history modules (and sqlite3) are imported by the functions that use
them, not with the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trackside import paths
from trackside.core.clock import Clock
from trackside.core.runner import Runner
from trackside.core.safe import visible
from trackside.core.session import Session
from trackside.history.problems import HistoryProblem, ProblemSink, Then
from trackside.presets.checked import CheckedPreset

if TYPE_CHECKING:
    from trackside.history.groups import GroupLog, ResumedGroup, UnfinishedGroup
    from trackside.history.log import SessionLog
    from trackside.history.resume import Held, Unfinished
    from trackside.history.store import HistoryStore
    from trackside.history.views import Comparison, Overview
    from trackside.presets.roster import LineUp


@dataclass(frozen=True, slots=True)
class NewLog:
    """What a log factory is told about a session about to start."""

    preset: CheckedPreset
    preset_id: str
    """The library id (the file stem): sessions of the same preset are compared by it."""
    countdown_s: int
    on_problem: ProblemSink


@dataclass(frozen=True, slots=True)
class HistoryAtStart:
    """What the app starts with from the history."""

    store: HistoryStore | None = None
    """The store (None: no data folder, sessions are kept in memory only)."""
    problem: HistoryProblem | None = None
    """To show the runner once (the file cannot be used, or was moved aside)."""
    resume: Runner | None = None
    """``trackside resume``: the session to open on."""
    group: ResumedGroup | None = None
    """``trackside resume`` when the newest thing left running is a coach's group."""
    look_later: bool = False
    """The store is not opened yet: the app opens it and looks for a session left running
    once its first frame is up."""


def history_at_start(resume: bool, clock: Clock) -> HistoryAtStart | str:
    """For ``trackside resume``, the history opened and the session to carry on (or why there
    is none); otherwise the store for the app to open once its first frame is up (SQLite, the
    migrations and the search for an unfinished session would delay it)."""
    store, problem = history_file()
    if not resume:
        return HistoryAtStart(store, problem, look_later=store is not None)
    if store is None:
        return "no history to resume from"
    problem = open_store(store)
    found = resumed_runner(store, clock)
    if isinstance(found, str):
        return found
    if isinstance(found, Runner):
        return HistoryAtStart(store, problem, resume=found)
    return HistoryAtStart(store, problem, group=found)


def history_file() -> tuple[HistoryStore | None, HistoryProblem | None]:
    """The history store, not opened yet (None without a data folder), and why not."""
    from trackside.history.store import HistoryStore

    try:
        path = paths.history_db()
    except OSError as error:
        why = paths.folder_problem(error, "the data folder")
        return None, HistoryProblem(f"{why}: sessions are not saved")
    return HistoryStore(path), None


def resumed_runner(store: HistoryStore, clock: Clock) -> Runner | ResumedGroup | str:
    """``trackside resume``: the runner of the newest session left running, or the group if
    a coach's group is newer, or why there is none."""
    from trackside.history.groups import UnfinishedGroup, resume_group
    from trackside.history.resume import resume_session
    from trackside.history.store import HistoryError

    held: list[Held] = []
    try:
        unfinished = newest_unfinished(store, held)
        if unfinished is None:
            return visible(held[0].describe()) if held else "no unfinished session to resume"
        if isinstance(unfinished, UnfinishedGroup):
            return resume_group(store, unfinished, clock=clock)
        resumed = resume_session(store, unfinished, clock=clock)
    except HistoryError as error:  # SessionHeld too: taken by another window just now
        return visible(str(error))
    return Runner(resumed.session, resumed.clock, log=resumed.log)


def newest_unfinished(
    store: HistoryStore, held: list[Held] | None = None
) -> Unfinished | UnfinishedGroup | None:
    """The newest session of a runner alone, or group, left running that no other window
    holds (those go in ``held``). Raises HistoryError."""
    from trackside.history.groups import latest_unfinished_group
    from trackside.history.resume import latest_unfinished

    alone = latest_unfinished(store, held=held)
    group = latest_unfinished_group(store, held=held)
    if group is not None and (alone is None or group.started_wall >= alone.stored.started_wall):
        return group
    return alone


def store_logs(store: HistoryStore | None) -> Callable[[NewLog], SessionLog]:
    """A log factory writing every new session to ``store`` (None: kept in memory only)."""

    def make(new: NewLog) -> SessionLog:
        from trackside.history.log import start_log

        preset = new.preset
        return start_log(
            store,
            preset.to_plan(),
            preset_id=new.preset_id,
            countdown_s=new.countdown_s,
            preset_name=preset.name,
            exertion=preset.exertion,
            on_problem=new.on_problem,
        )

    return make


def store_group_logs(
    store: HistoryStore | None, on_problem: ProblemSink | None = None
) -> Callable[[LineUp, int], GroupLog]:
    """A log factory writing every new group to ``store`` (None: kept in memory only): the
    line-up and the countdown of a group about to start."""

    def make(lineup: LineUp, countdown_s: int) -> GroupLog:
        from trackside.history.groups import GroupLog
        from trackside.history.store import NewSession
        from trackside.history.stored import Athlete

        news = [
            NewSession(
                a.preset_id,
                a.preset.name,
                a.preset.to_plan(),
                countdown_s + a.start_offset_s,
                a.preset.exertion,
                Athlete(0, a.name, a.key, a.start_offset_s),  # the group's id once it starts
            )
            for a in lineup.athletes
        ]
        return GroupLog(store, lineup.title, countdown_s, news, on_problem=on_problem)

    return make


def open_store(store: HistoryStore) -> HistoryProblem | None:
    """Open ``store``; the problem to show the runner if something is wrong.

    A store that cannot be opened is kept all the same: each session's log tries it again
    (every few seconds at most) and writes what it kept in memory once the file takes it.
    """
    from trackside.history.store import HistoryError

    try:
        store.open()
    except HistoryError as error:
        return HistoryProblem(str(error), Then.SESSIONS_RUN_ON)
    # A read-only file is reported by the first session that cannot write to it.
    return None if store.notice is None else HistoryProblem(store.notice)


def find_unfinished(
    store: HistoryStore, held: list[HistoryProblem] | None = None
) -> tuple[Unfinished | UnfinishedGroup | None, HistoryProblem | None]:
    """The newest session of a runner alone, or group, left running that no other window
    holds (or None), and the problem if the search failed. A session open in another window is
    a line in ``held``."""
    from trackside.history.store import HistoryError

    found: list[Held] = []
    try:
        unfinished = newest_unfinished(store, found)
    except HistoryError as error:
        return None, HistoryProblem(f"cannot look for an unfinished session: {error}")
    if held is not None:
        held.extend(HistoryProblem(visible(other.describe())) for other in found)
    return unfinished, None


def comparison_for(
    store: HistoryStore, session_id: int | None, preset_id: str, session: Session
) -> Comparison | None:
    """Today's session against the earlier sessions of its preset, with today's best reps
    against the best before them (of any preset). None when there is nothing to compare.
    Raises HistoryError."""
    from dataclasses import replace

    from trackside.history.derived import Derived
    from trackside.history.progress import bests_so_far
    from trackside.history.store import Status
    from trackside.history.views import Comparison, Overview, compare, overviews

    found = overviews(store, "sessions.id = ?", (session_id,)) if session_id is not None else []
    if found and found[0].figures is not None:
        today = found[0]
        figures = found[0].figures
    else:  # not on disk: the earlier sessions are all the stored ones
        figures = Derived.of(-1, len(session.actions), session, steps=False)
        name, now = session.plan.name, time.time()
        today = Overview(-1, now, preset_id, name, Status.RUNNING, None, None, None, figures)
    if today.stats is None:
        return None
    bests = bests_so_far(store, figures.bests, today.id, today.started_wall)
    comparison = compare(store, today)
    if comparison is not None:
        return replace(comparison, bests=bests)
    if bests:
        return Comparison(today.stats, (), (today,), today.workout, bests)
    return None


def sessions_listed(store: HistoryStore) -> list[Overview]:
    """The history screen's rows, newest first. Raises HistoryError."""
    from trackside.history.views import list_sessions

    return list(reversed(list_sessions(store)))
