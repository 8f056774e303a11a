"""The command line's parser, built from command modules so each part adds its own commands.

A command module has a function ``register(commands)`` that adds its subparsers to
``commands`` (the ``add_subparsers()`` object) and sets ``handler`` on each, a function
``(argparse.Namespace) -> int`` returning the exit code. Modules listed in
:data:`COMMAND_MODULES` that are not installed yet are skipped, so a part can land its commands
without touching this file. Command modules import heavy things (pydantic, Textual, sqlite3)
inside their handlers, never at import: ``trackside --help`` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from trackside import __version__

Handler: TypeAlias = Callable[[argparse.Namespace], int]
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

COMMAND_MODULES: tuple[str, ...] = (
    "trackside.cli.run_command",
    "trackside.cli.preset_commands",
    # Added by other parts when they land; skipped while they do not exist.
    "trackside.history.cli",
)

EXIT_OK = 0
EXIT_FAILED = 1
"""Something outside the user's input went wrong (the app cannot start)."""
EXIT_USAGE = 2
"""The user's input is wrong: a bad preset, an unknown id, bad arguments (argparse uses 2 too)."""


class CommandError(Exception):
    """A problem the user can fix; ``lines`` are printed as they are, then the exit code."""

    def __init__(self, lines: Sequence[str], code: int = EXIT_USAGE) -> None:
        self.lines = tuple(lines)
        self.code = code
        super().__init__("\n".join(self.lines))


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """The ``trackside`` parser with the commands of every installed module in ``modules``."""
    parser = argparse.ArgumentParser(
        prog="trackside",
        description="An interval timer for runners, in the terminal. "
        "With no command, opens the preset picker.",
    )
    parser.add_argument("--version", action="version", version=f"trackside {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in modules:
        module = _optional_module(name)
        if module is not None:
            module.register(commands)
    # With no command, trackside opens the picker; the run options shape the session it starts.
    from trackside.cli.run_command import add_run_options, launch

    add_run_options(parser)
    parser.set_defaults(handler=launch, preset=None)
    return parser


def _optional_module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        # Only the module itself (or its package) missing means "not installed yet"; a
        # missing import inside it is a real bug and must not be hidden.
        if error.name is not None and name.startswith(error.name):
            return None
        raise
