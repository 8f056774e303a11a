"""``trackside`` and ``trackside run PRESET``: hand over to the Textual app.

The app lives in ``trackside.tui.launch`` (function ``run_app(args) -> int``) and is imported only
inside :func:`launch`, when it is needed, so the other commands never load Textual. ``args``
carries ``preset`` (the id or path as typed, or None for the picker), ``loaded_preset`` (the checked
:class:`~trackside.presets.checked.CheckedPreset`, or None), ``audio``, ``countdown`` and ``theme``
(None when not given: the app then uses the settings file).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from trackside.cli import CommandError, Commands
from trackside.settings import COUNTDOWN_RANGE

if TYPE_CHECKING:
    from trackside.presets.checked import CheckedPreset
    from trackside.presets.roster import LineUp

MAX_COUNTDOWN_S = COUNTDOWN_RANGE[1]


def register(commands: Commands) -> None:
    """Add ``run``; the parser with no command runs the same handler (the picker)."""
    run = commands.add_parser(
        "run",
        help="run a preset, skipping the picker",
        description="Run a preset at once, skipping the picker.",
    )
    run.add_argument(
        "preset", metavar="PRESET", help="a preset id (see `trackside presets`) or a .toml file"
    )
    add_run_options(run, default=argparse.SUPPRESS)
    add_group_options(run)
    run.set_defaults(handler=launch)


def add_group_options(parser: argparse.ArgumentParser) -> None:
    """``--athletes``, ``--roster``, ``--stagger`` and ``--numbers``: a coach timing a group on
    one laptop."""
    group = parser.add_argument_group("coaching a group")
    who = group.add_mutually_exclusive_group()
    who.add_argument(
        "--athletes",
        metavar="NAMES",
        help='a group, one key each (1-9, 0): --athletes "Ann,Ben,Cid"',
    )
    who.add_argument(
        "--roster",
        metavar="ROSTER",
        help="a group from a roster file, or a saved roster's id (in the rosters folder)",
    )
    group.add_argument(
        "--stagger",
        metavar="SECONDS",
        type=stagger_seconds,
        help="start the athletes SECONDS apart, in order (default: all together)",
    )
    group.add_argument(
        "--numbers",
        action="store_true",
        help="call the athletes by number in the cues, not by their spoken names",
    )


def stagger_seconds(text: str) -> int:
    """``--stagger``'s value: whole seconds, 0 to the most a group's start may spread."""
    from trackside.presets.roster import MAX_STAGGER_S

    try:
        seconds = int(text)
    except ValueError:
        seconds = -1
    if not 0 <= seconds <= MAX_STAGGER_S:
        raise argparse.ArgumentTypeError(
            f"expected whole seconds from 0 to {MAX_STAGGER_S}, got {text!r}"
        )
    return seconds


def add_run_options(parser: argparse.ArgumentParser, default: object = None) -> None:
    """The options that shape a session: ``--audio``, ``--countdown``, ``--theme``.

    The top-level parser takes them too (``trackside --theme light`` opens the picker in the
    light theme); subparsers pass ``argparse.SUPPRESS`` so they do not overwrite those values.
    """
    parser.add_argument(
        "--audio",
        metavar="NAME",
        default=default,
        help="sound player: auto, miniaudio, system, winsound, bell or silent",
    )
    parser.add_argument(
        "--countdown",
        metavar="SECONDS",
        type=countdown_seconds,
        default=default,
        help=f"the 3-2-1 before the first step, 0 to {MAX_COUNTDOWN_S} seconds (0: none)",
    )
    parser.add_argument("--theme", choices=("dark", "light"), default=default, help="colour theme")


def countdown_seconds(text: str) -> int:
    """``--countdown``'s value: whole seconds in the range the settings allow."""
    try:
        seconds = int(text)
    except ValueError:
        seconds = -1
    if not 0 <= seconds <= MAX_COUNTDOWN_S:
        message = f"expected whole seconds from 0 to {MAX_COUNTDOWN_S}, got {text!r}"
        raise argparse.ArgumentTypeError(message)
    return seconds


def launch(args: argparse.Namespace) -> int:
    """Check the preset (if one was named) and the group (if any), then start the app."""
    args.loaded_preset = _load(args.preset) if args.preset is not None else None
    args.lineup = _lineup(args)
    from trackside.tui.launch import run_app

    return run_app(args)


def _lineup(args: argparse.Namespace) -> LineUp | None:
    """The group ``--athletes`` or ``--roster`` names, each athlete with their plan."""
    names: str | None = getattr(args, "athletes", None)
    roster_ref: str | None = getattr(args, "roster", None)
    stagger = getattr(args, "stagger", None)
    if names is None and roster_ref is None:
        for option in ("stagger", "numbers"):
            if getattr(args, option, None) not in (None, False):
                why = f"trackside: --{option} is for a group (--athletes or --roster)"
                raise CommandError([why])
        return None
    from trackside.presets.loader import load_checked
    from trackside.presets.roster import (
        RosterError,
        line_up,
        load_roster,
        locate_roster,
        roster_from_names,
    )
    from trackside.tui.launch import preset_id_of

    try:
        if roster_ref is None:
            roster, file = roster_from_names(names or ""), "--athletes"
        else:
            roster, file = load_roster(roster_ref), locate_roster(roster_ref)[1]
        if stagger is not None:
            roster = roster.staggered(stagger)
        return line_up(roster, args.loaded_preset, preset_id_of(args.preset), load_checked, file)
    except RosterError as error:
        raise CommandError(error.lines) from None


def _load(ref: str) -> CheckedPreset:
    from trackside.presets.loader import PresetError, load_checked

    try:
        return load_checked(ref)
    except PresetError as error:
        raise CommandError(error.lines) from None
