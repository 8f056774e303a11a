"""``trackside export [SESSION] --format fit -o FILE``: a session as a FIT activity to upload.

The session comes from the history as ``export --format json`` sees it (one row per step, times
on the wall clock) and its pauses from the recorded actions; :mod:`trackside.interop.fitactivity`
writes the file. ``--all`` writes one file a session into the folder ``-o`` names.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from trackside import __version__
from trackside.cli import EXIT_OK, CommandError
from trackside.cli.history_commands import _open_store, _session_id, warn_damaged
from trackside.cli.outfile import checked_target, write_bytes
from trackside.core.events import ActionKind
from trackside.core.plan import StepKind

if TYPE_CHECKING:
    from trackside.history.store import HistoryStore, StoredAction
    from trackside.history.views import Detail, StepRow
    from trackside.interop.fitactivity import Activity, Lap

_NOT_COVERED = ("skipped", "ended")
"""Steps not run to their end: their planned distance was not covered."""


def export_fit(args: argparse.Namespace) -> int:
    """Write the session (or, with ``--all``, every session) as FIT activity files."""
    from trackside.history import views
    from trackside.history.store import HistoryError

    if args.output is None:
        raise CommandError(
            ["trackside: a FIT file is binary: give -o FILE (a folder with --all or --group)"]
        )
    store = _open_store()
    damaged: list[tuple[int, str | None]] = []
    group = args.group
    try:
        if group is not None:
            from trackside.cli.history_commands import group_athletes

            sessions = [_session(store, session_id) for session_id in group_athletes(store, group)]
        elif args.all:
            lines = views.list_sessions(store)
            if not lines:
                raise CommandError(["trackside: no sessions recorded yet"])
            damaged = [(line.id, line.problem) for line in lines if line.problem is not None]
            sessions = [_session(store, line.id) for line in lines if line.problem is None]
        else:
            sessions = [_session(store, _session_id(store, args.session))]
    except HistoryError as error:
        raise CommandError([f"trackside: {error}"]) from None
    finally:
        store.close()
    if args.all or group is not None:  # a group: a file an athlete, in the folder -o names
        code = _write_all(sessions, Path(args.output), force=args.force)
        warn_damaged(damaged)
        return code
    detail, activity = sessions[0]
    target = Path(args.output)
    if target.is_dir():
        target = target / file_name(detail)
    write_bytes(target, _encode(detail, activity), force=args.force)
    return EXIT_OK


def _write_all(sessions: Sequence[tuple[Detail, Activity]], folder: Path, force: bool) -> int:
    """One file a session into ``folder``; a file already there is refused before any is
    written (unless ``force``), so a run is never left half done."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError([f"{folder}: cannot make the folder ({error.strerror})"]) from None
    for detail, activity in sessions:
        if activity.laps:
            checked_target(folder / file_name(detail), force=force)
    for detail, activity in sessions:
        if not activity.laps:
            print(
                f"session {detail.overview.id}: no step was run; nothing to write", file=sys.stderr
            )
            continue
        target = folder / file_name(detail)
        write_bytes(target, _encode(detail, activity), force=force)
        print(target)
    return EXIT_OK


def _encode(detail: Detail, activity: Activity) -> bytes:
    from trackside.interop.fitactivity import write_activity

    if not activity.laps:
        raise CommandError([f"trackside: session {detail.overview.id}: no step was run"])
    try:
        return write_activity(activity)
    except ValueError as error:
        message = f"trackside: session {detail.overview.id} cannot be written as FIT ({error})"
        raise CommandError([message]) from None


def file_name(detail: Detail) -> str:
    """``trackside-12-2026-11-26.fit``: the session's id and the day it was run."""
    day = time.strftime("%Y-%m-%d", time.localtime(detail.overview.started_wall))
    return f"trackside-{detail.overview.id}-{day}.fit"


def _session(store: HistoryStore, session_id: int) -> tuple[Detail, Activity]:
    from trackside.history import views

    # The session's steps as export reads them: no comparison, no bests (detail's work).
    (detail,) = views.exported(store, [session_id])
    return detail, activity(detail.steps, store.actions(session_id), detail.overview.started_wall)


def activity(rows: Sequence[StepRow], actions: Sequence[StoredAction], started: float) -> Activity:
    """The session's steps and pauses as the FIT writer takes them."""
    from trackside.interop.fitactivity import Activity

    pauses: list[tuple[int, int | None]] = []
    for stored in actions:
        if stored.action.kind is ActionKind.PAUSE and (not pauses or pauses[-1][1] is not None):
            pauses.append((wall_ms(stored.wall), None))
        elif stored.action.kind is ActionKind.RESUME and pauses and pauses[-1][1] is None:
            pauses[-1] = (pauses[-1][0], wall_ms(stored.wall))
    offset = time.localtime(started).tm_gmtoff
    return Activity(tuple(_lap(row) for row in rows), tuple(pauses), offset, __version__)


def _lap(row: StepRow) -> Lap:
    from trackside.interop.fitactivity import Lap

    started, ended = wall_ms(row.started_wall), wall_ms(row.ended_wall)
    elapsed = max(0, ended - started)
    return Lap(
        step_index=row.step - 1,
        kind=StepKind.WORK if row.kind == "rep" else StepKind(row.kind),
        started_ms=started,
        ended_ms=started + elapsed,
        timer_ms=max(0, elapsed - round(row.paused_s * 1000)),
        distance_m=None if row.ended_by in _NOT_COVERED else row.distance_m,
        trigger="time"
        if row.ended_by == "auto"
        else ("session_end" if row.ended_by == "ended" else "manual"),
    )


def wall_ms(wall: float) -> int:
    """A wall-clock time in whole milliseconds, as ``export`` shows it: rounded to the
    microsecond (as ``datetime`` does), then cut to the millisecond (as ``isoformat`` does)."""
    fraction, whole = math.modf(wall)
    micro = round(fraction * 1_000_000)
    return int(whole) * 1000 + micro // 1000
