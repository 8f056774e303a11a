"""``trackside history [SESSION]``, ``trackside export [SESSION]`` and ``trackside resume``.

Registered by :mod:`trackside.cli` through :func:`register`. sqlite3 and the store are imported
inside the handlers, so building the parser stays cheap. Every problem a runner can cause or
meet (no history yet, an unknown session, a damaged or locked file) is one line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from trackside.cli import EXIT_OK, CommandError, Commands
from trackside.cli.run_command import add_run_options, launch
from trackside.core.safe import visible

if TYPE_CHECKING:
    from trackside.history.store import HistoryStore, SessionDamaged

LATEST = "latest"
Athletes = dict[int, str] | None
"""A group's sessions, each with its athlete's name (None: not a group's export)."""
Skipped = list[tuple[int, str | None]] | None
"""Where damaged sessions skipped go (None: a damaged session is refused, not skipped)."""


def register(commands: Commands) -> None:
    """Add the ``history``, ``export`` and ``resume`` commands."""
    history = commands.add_parser(
        "history",
        help="list past sessions, or show one",
        description="List past sessions (date, preset, reps done, average rep, status), or "
        "show one step by step with its statistics and its comparison to earlier sessions of "
        "the same preset, or (--stats) personal bests and critical speed.",
    )
    history.add_argument(
        "session", metavar="SESSION", nargs="?", help="a session id, 'latest', or a group (G3)"
    )
    history.add_argument("--all", action="store_true", help="include discarded sessions")
    history.add_argument(
        "--stats",
        action="store_true",
        help="personal bests by rep distance, and critical speed estimated from them",
    )
    history.set_defaults(handler=cmd_history)

    _register_export(commands)

    resume = commands.add_parser(
        "resume",
        help="carry on the session left unfinished",
        description="Carry on the latest session left unfinished (killed, crashed or closed), "
        "where it was, with its clock continued from the real elapsed time.",
    )
    resume.add_argument("--show", action="store_true", help="only say which session it is")
    add_run_options(resume, default=argparse.SUPPRESS)
    resume.set_defaults(handler=cmd_resume)


def _register_export(commands: Commands) -> None:
    export = commands.add_parser(
        "export",
        help="write a session's steps as CSV or JSON, or as a FIT activity",
        description="Write one row per step (kind, rep, planned distance and effort, start and "
        "end times, duration, recovery window and whether it was met, all out or not), with "
        "the session's statistics (fade, evenness, windows kept, final rep). Default: the "
        "latest session, as CSV on standard output.",
    )
    export.add_argument(
        "session", metavar="SESSION", nargs="?", help="a session id (default: latest)"
    )
    export.add_argument(
        "--format", choices=("csv", "json", "fit"), default="csv", help="default: csv"
    )
    export.add_argument("--all", action="store_true", help="every session, not just one")
    export.add_argument(
        "--group",
        metavar="ID",
        help="every athlete of a coach's group (3 or G3), each row with its athlete",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", type=Path, help="write to FILE (CSV gets a BOM for Excel)"
    )
    export.add_argument(
        "--force", action="store_true", help="replace FILE if it exists (never the history)"
    )
    export.set_defaults(handler=cmd_export)


MAX_ID_DIGITS = 18
"""The longest session id taken: any more digits cannot be an SQLite rowid."""
MAX_SHOWN = 40
"""The most of a wrong id quoted back."""


def _open_store() -> HistoryStore:
    from trackside.history.store import HistoryError, HistoryStore
    from trackside.paths import folder_problem, history_db

    try:
        path = history_db()
    except OSError as error:
        raise CommandError([f"trackside: {folder_problem(error, 'the data folder')}"]) from None
    if not path.exists():
        raise CommandError([f"trackside: no sessions recorded yet ({path} does not exist)"])
    # Checked in full only if something is written (a figure derived again), or found damaged.
    store = HistoryStore(path, check_first=False)
    try:
        store.open()
    except HistoryError as error:
        # Locked, read-only, a newer schema, a full disk: each said, each the runner's to fix.
        raise CommandError([f"trackside: {error}"]) from None
    if store.notice is not None:
        print(f"trackside: {store.notice}", file=sys.stderr)
    return store


def _close(store: HistoryStore, said: str | None) -> None:
    """Close the store, and say if checking it later found it damaged and moved it aside
    (``said``: the notice already said when it was opened)."""
    store.close()
    if store.notice is not None and store.notice != said:
        print(f"trackside: {store.notice}", file=sys.stderr)


def _session_id(store: HistoryStore, ref: str | None) -> int:
    from trackside.history.views import latest_id

    if ref is None or ref == LATEST:
        found = latest_id(store)
        if found is None:
            raise CommandError(["trackside: no sessions recorded yet"])
        return found
    digits = ref.strip()
    if digits.isascii() and digits.isdigit() and len(digits) <= MAX_ID_DIGITS:
        return int(digits)
    # Bounded: SQLite's integers stop at 19 digits, and the line shows at most a few dozen.
    shown = ref if len(ref) <= MAX_SHOWN else ref[: MAX_SHOWN - 1] + "…"
    raise CommandError(
        [f"trackside: {shown!r} is not a session id (a number from `trackside history`)"]
    )


def cmd_history(args: argparse.Namespace) -> int:
    """List the sessions, or show one."""
    from trackside.history import text
    from trackside.history.store import HistoryError

    if args.stats and args.session is not None:
        raise CommandError(
            [
                "trackside: --stats is for the whole history; `trackside history SESSION` shows "
                "one session's statistics"
            ]
        )
    store = _open_store()
    said = store.notice
    damaged: list[tuple[int, str | None]] = []
    try:
        if args.stats:
            from trackside.history.progress import progress

            out = text.stats(progress(store))
        elif args.session is None:
            with _no_collections():
                out = _listing(store, args.all, damaged)
        else:
            out = _one(store, args.session)
    except HistoryError as error:
        raise CommandError([f"trackside: {error}"]) from None
    finally:
        _close(store, said)
    if out:
        print("\n".join(out))
    warn_damaged(damaged)
    return EXIT_OK


def _one(store: HistoryStore, ref: str) -> list[str]:
    """``trackside history 3`` (a session) or ``trackside history G3`` (a group's table)."""
    from trackside.history import text, views

    if (group_id := _group_ref(ref)) is not None:
        from trackside.history.group_views import group_detail, group_text

        found = group_detail(store, group_id)
        return group_text(found, views.local_time(found.group.started_wall, "%a %Y-%m-%d %H:%M"))
    return text.detail(views.detail(store, _session_id(store, ref)))


def _listing(
    store: HistoryStore, discarded: bool, damaged: list[tuple[int, str | None]]
) -> list[str]:
    """``trackside history``: the sessions of runners alone and the groups, newest last; a
    session that cannot be read goes to ``damaged``."""
    from trackside.history import text, views
    from trackside.history.group_views import group_lines

    lines = views.list_sessions(store, include_discarded=discarded, alone=True)
    groups = group_lines(store, include_discarded=discarded)
    readable = [line for line in lines if line.problem is None]
    damaged.extend((line.id, line.problem) for line in lines if line.problem is not None)
    if not lines and not groups:
        return ["no sessions recorded yet"]
    return text.listing(readable, groups) if readable or groups else []


DAMAGED_SHOWN = 10
"""Damaged sessions named one a line; more are counted in one line."""


def warn_damaged(damaged: Sequence[tuple[int, str | None]]) -> None:
    """A warning line on stderr for each session skipped as damaged (the first few)."""
    for session_id, reason in damaged[:DAMAGED_SHOWN]:
        line = f"trackside: session {session_id} is damaged ({reason}); skipped"
        print(visible(line), file=sys.stderr)
    if len(damaged) > DAMAGED_SHOWN:
        more = len(damaged) - DAMAGED_SHOWN
        print(f"trackside: {more} more damaged sessions skipped", file=sys.stderr)


@contextlib.contextmanager
def _no_collections() -> Iterator[None]:
    """No garbage collection while a long history is read: its lines make no reference cycles,
    and ten thousand of them would set off collections that walk them all again and again
    (a sixth of the time of `trackside history` with 10,000 sessions)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # What was made is still wanted: into the oldest generation without a scan, or the
        # first collection after would walk it all anyway.
        gc.freeze()
        gc.unfreeze()
        if was:
            gc.enable()


def cmd_export(args: argparse.Namespace) -> int:
    """Write a session (or all) as CSV or JSON, to stdout or ``--output``; FIT elsewhere."""
    if args.format == "fit":
        from trackside.cli.fit_export import export_fit

        return export_fit(args)
    from trackside.history.store import HistoryError

    store = _open_store()
    said = store.notice
    try:
        ids = _export_ids(store, args)
        if not ids:
            raise CommandError(["trackside: no sessions recorded yet"])
        # One session asked for is exported or refused; of --all or a group, a damaged one is
        # skipped (said on a line of its own).
        skipped: Skipped = [] if args.all or args.group is not None else None
        athletes = None if args.group is None else group_athletes(store, args.group)
        with _no_collections():
            if args.output is None:
                out = _stdout_for(args.format)
                _write_export(store, ids, args.format, out, skipped, athletes)
            else:
                _export_to_file(store, ids, args, skipped, athletes)
    except HistoryError as error:
        raise CommandError([f"trackside: {error}"]) from None
    finally:
        _close(store, said)
    warn_damaged(skipped or [])
    return EXIT_OK


def _stdout_for(fmt: str) -> TextIO:
    """Standard output for an export: JSON with every control and bidi character escaped as
    JSON (the same values, valid JSON); CSV made visible on the way out like any output."""
    if fmt != "json":
        return sys.stdout
    from trackside.cli.terminal import safe
    from trackside.core.safe import json_visible

    return safe(sys.stdout, json_visible)


def _group_ref(ref: str) -> int | None:
    from trackside.history.group_views import group_id_of

    return group_id_of(ref)


def group_of(ref: str) -> int:
    """``--group``'s value: ``3`` or ``G3``."""
    found = _group_ref(ref) if not ref.isdigit() else int(ref)
    if found is None:
        raise CommandError([f"trackside: {ref!r} is not a group id (G3, from `trackside history`)"])
    return found


def group_athletes(store: HistoryStore, ref: str) -> dict[int, str]:
    """The sessions of the group ``ref`` names, each with its athlete, in the athletes' order."""
    from trackside.history.group_views import athlete_sessions

    return {
        s.id: s.athlete.name if s.athlete else "" for s in athlete_sessions(store, group_of(ref))
    }


def _export_ids(store: HistoryStore, args: argparse.Namespace) -> list[int]:
    if args.group is not None:
        return list(group_athletes(store, args.group))
    if not args.all:
        session_id = _session_id(store, args.session)
        store.session(session_id)  # no such session: one line, before anything is written
        return [session_id]
    rows = store.fetch(
        "SELECT id FROM sessions WHERE status != 'discarded' ORDER BY started_wall, id"
    )
    return [int(row[0]) for row in rows]


def _write_export(
    store: HistoryStore,
    ids: list[int],
    fmt: str,
    out: TextIO,
    skipped: Skipped,
    athletes: Athletes = None,
) -> None:
    """Write the sessions (a group's with each athlete's name); a damaged one goes to
    ``skipped`` if it is a list, else raises."""
    from trackside.history.export import write
    from trackside.history.views import exported

    def damaged(error: SessionDamaged) -> None:
        assert skipped is not None
        skipped.append((error.session_id, error.reason))

    write(exported(store, ids, None if skipped is None else damaged), fmt, out, athletes)


def _export_to_file(
    store: HistoryStore,
    ids: list[int],
    args: argparse.Namespace,
    skipped: Skipped,
    athletes: Athletes = None,
) -> None:
    """Write to ``--output`` whole or not at all, never over the history, nor over a file
    without ``--force`` (:mod:`trackside.cli.outfile`)."""
    from trackside.cli.outfile import open_text

    # Excel only reads a CSV file as UTF-8 when it starts with a byte-order mark.
    encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
    with open_text(args.output, encoding, force=args.force) as handle:
        _write_export(store, ids, args.format, handle, skipped, athletes)


def cmd_resume(args: argparse.Namespace) -> int:
    """Say which session would be resumed, then hand over to the app to resume it."""
    from trackside.history.resume import Held
    from trackside.history.service import newest_unfinished
    from trackside.history.store import HistoryError

    store = _open_store()
    said = store.notice
    held: list[Held] = []
    try:
        unfinished = newest_unfinished(store, held)
    except HistoryError as error:
        raise CommandError([f"trackside: {error}"]) from None
    finally:
        _close(store, said)
    # Open in another window: said in one line, never resumed (nor written) from here.
    lines = [visible(f"trackside: {other.describe()}") for other in held]
    if unfinished is None:
        raise CommandError(lines[:1] or ["trackside: no unfinished session to resume"])
    for line in lines:
        print(line, file=sys.stderr)
    print(f"resuming {unfinished.describe()}", file=sys.stderr if not args.show else sys.stdout)
    if args.show:
        return EXIT_OK
    # The app reads ``resume_id`` and carries that session (or group) on, not the picker.
    args.resume_id = unfinished.id
    args.preset = None
    code: int = launch(args)
    return code
