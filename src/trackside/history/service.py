"""The app's side of the history: the store opened once, the session logs, the queries it shows.

Everything here may block on the SQLite file, so :func:`open_store` and :func:`find_unfinished`
run before the event loop starts (in ``run_app``) and the queries run in worker threads. None of
it raises: a history that cannot be used is a line to show the runner, and sessions run anyway.
The history modules (and sqlite3) are imported by the functions that use them, not with the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trackside.core.session import Session
from trackside.presets.checked import AnyPreset

if TYPE_CHECKING:
    from trackside.history.log import SessionLog
    from trackside.history.resume import Unfinished
    from trackside.history.store import HistoryStore
    from trackside.history.views import Comparison, Overview

STILL_RUNS = ": sessions still run, kept in memory until it can be saved"
"""Added to a history file that cannot be opened at start-up: the runner's next question."""
LOG_KEEPS = ": this session is kept in memory until it can be saved"
"""What a session's log adds to a problem it meets (see :class:`SessionLog`)."""
ProblemSink = Callable[[str], None]
"""Where a history problem goes to be shown (must be safe to call from any thread)."""


@dataclass(frozen=True, slots=True)
class NewLog:
    """What a log factory is told about a session about to start."""

    preset: AnyPreset
    preset_id: str
    """The library id (the file stem): sessions of the same preset are compared by it."""
    countdown_s: int
    on_problem: ProblemSink


def problem_core(text: str) -> str:
    """The problem itself, without what is done about it: two lines about one problem match."""
    for tail in (STILL_RUNS, LOG_KEEPS):
        text = text.removesuffix(tail)
    return text


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


def open_store(store: HistoryStore) -> tuple[HistoryStore, str | None]:
    """Open ``store``: it, and the line to show the runner if something is wrong.

    A store that cannot be opened is kept all the same: each session's log tries it again
    (every few seconds at most) and writes what it kept in memory once the file takes it.
    """
    from trackside.history.store import HistoryError

    try:
        store.open()
    except HistoryError as error:
        return store, f"{error}{STILL_RUNS}"
    # A read-only file is reported by the first session that cannot write to it.
    return store, store.notice


def find_unfinished(store: HistoryStore | None) -> tuple[Unfinished | None, str | None]:
    """The newest session left running (or None), and a problem line if the search failed."""
    if store is None:
        return None, None
    from trackside.history.resume import latest_unfinished
    from trackside.history.store import HistoryError

    try:
        return latest_unfinished(store), None
    except HistoryError as error:
        return None, f"cannot look for an unfinished session: {error}"


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
