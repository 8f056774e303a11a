"""The command line's parser, built from one module per group of commands.

A command module has a function ``register(commands)`` that adds its subparsers to
``commands`` (the ``add_subparsers()`` object) and sets ``handler`` on each, a function
``(argparse.Namespace) -> int`` returning the exit code. Command modules import heavy things
(pydantic, Textual, sqlite3) inside their handlers, never at import: ``trackside --help`` stays
instant.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TypeAlias

from trackside import __version__

Handler: TypeAlias = Callable[[argparse.Namespace], int]
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

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


def build_parser() -> argparse.ArgumentParser:
    """The ``trackside`` parser with every command."""
    parser = argparse.ArgumentParser(
        prog="trackside",
        description="An interval timer for runners, in the terminal. "
        "With no command, opens the preset picker.",
    )
    parser.add_argument("--version", action="version", version=f"trackside {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    # Here, not at the top: each command module imports ``Handler`` and the errors above.
    from trackside.cli import history_commands, interop_commands, preset_commands, run_command

    for module in (run_command, preset_commands, history_commands, interop_commands):
        module.register(commands)
    # With no command, trackside opens the picker; the run options shape the session it starts.
    from trackside.cli.run_command import add_run_options, launch

    add_run_options(parser)
    parser.set_defaults(handler=launch, preset=None)
    return parser
