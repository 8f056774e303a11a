"""``trackside presets``, ``show PRESET [--json]`` and ``validate FILE...``.

Pydantic and the loader are imported inside the handlers, so building the parser stays cheap.
"""

from __future__ import annotations

import argparse
import json

from trackside.cli import EXIT_OK, EXIT_USAGE, CommandError, Commands


def register(commands: Commands) -> None:
    """Add the ``presets``, ``show`` and ``validate`` commands."""
    listing = commands.add_parser(
        "presets",
        help="list the built-in and your own presets",
        description="List the built-in and user presets: id, name, reps and where each comes "
        "from. Broken presets are listed with their problems.",
    )
    listing.set_defaults(handler=list_presets)

    show = commands.add_parser(
        "show",
        help="print a preset's plan step by step, with totals",
        description="Print the expanded plan of a preset, step by step, with its totals.",
    )
    show.add_argument("preset", metavar="PRESET", help="a preset id or a path to a .toml file")
    show.add_argument("--json", action="store_true", help="print the plan as JSON")
    show.set_defaults(handler=show_preset)

    validate = commands.add_parser(
        "validate",
        help="check preset files",
        description="Check preset files: one line per problem; exit 0 if every file is "
        "valid, 2 otherwise.",
    )
    validate.add_argument("files", metavar="FILE", nargs="+", help="a preset .toml file")
    validate.set_defaults(handler=validate_files)


def list_presets(args: argparse.Namespace) -> int:
    """Print the library as a table, broken presets flagged with their problems."""
    from trackside.cli.render import library_table
    from trackside.presets.loader import load_library, user_presets_dir

    user_dir = user_presets_dir()
    entries = load_library(user_dir=user_dir)
    print("\n".join(library_table(entries)))
    if user_dir is None:
        print(f"\n{_no_presets_folder()}: only the built-in presets are listed")
    else:
        print(f"\nyour presets go in {user_dir}")
    return EXIT_OK


def show_preset(args: argparse.Namespace) -> int:
    """Print the expanded plan of one preset, as text or JSON."""
    from trackside.cli.render import plan_json, plan_text
    from trackside.presets.loader import PresetError, resolve

    try:
        preset = resolve(args.preset)
    except PresetError as error:
        raise CommandError(error.lines) from None
    plan = preset.to_plan()
    if args.json:
        print(json.dumps(plan_json(preset, plan), indent=2))
    else:
        print("\n".join(plan_text(preset, plan)))
    return EXIT_OK


def validate_files(args: argparse.Namespace) -> int:
    """Check every file; ``<file>: ok (...)`` or one line per problem."""
    from trackside.presets.loader import PresetError, load_preset

    failed = False
    for file in args.files:
        try:
            preset = load_preset(file)
        except PresetError as error:
            failed = True
            print("\n".join(error.lines))
            continue
        print(f"{file}: ok ({preset.total_reps} reps, {preset.step_count} steps)")
    return EXIT_USAGE if failed else EXIT_OK


def _no_presets_folder() -> str:
    """Why the user's presets folder cannot be used, in the runner's words."""
    from trackside import paths

    try:
        paths.user_presets_dir()
    except OSError as error:
        return paths.folder_problem(error, "your presets folder")
    return "your presets folder cannot be used"
