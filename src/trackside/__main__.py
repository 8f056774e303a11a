"""The ``trackside`` command: parse the arguments, run the command, turn user errors into lines.

Importing this module loads neither Textual nor pydantic: each command imports what it needs.
What a command writes reaches the terminal made safe (:mod:`trackside.cli.terminal`): no
character from a preset, a setting, the history or a path can act on the terminal.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from trackside.cli import EXIT_FAILED, EXIT_USAGE, CommandError, build_parser
from trackside.cli.terminal import OutputLost, silence_stdout, terminal_streams, terminal_text

EXIT_INTERRUPTED = 130
MAX_LINE = 200
"""The most of an unexpected error's own words said."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``trackside`` with ``argv`` (default: the process's arguments); return the exit code."""
    try:
        with terminal_streams():
            return _run(argv)
    except OutputLost as lost:
        silence_stdout()
        if lost.broken_pipe:
            # `trackside show 21x400m | head`: the reader left; nothing more to say.
            return EXIT_FAILED
        _say(f"trackside: {lost}")
        return EXIT_USAGE
    except BrokenPipeError:
        silence_stdout()
        return EXIT_FAILED
    except Exception as error:  # a bug: one line, not a traceback (TRACKSIDE_DEBUG shows it)
        if os.environ.get("TRACKSIDE_DEBUG"):
            raise
        _say(f"trackside: unexpected error: {_short(error)} (TRACKSIDE_DEBUG=1 shows where)")
        return EXIT_FAILED


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except CommandError as error:
        print("\n".join(error.lines), file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return code


def _short(error: Exception) -> str:
    """The error's kind and what it says, on one bounded line."""
    said = str(error).splitlines()[0] if str(error) else ""
    if len(said) > MAX_LINE:
        said = said[: MAX_LINE - 1] + "…"
    return f"{type(error).__name__}: {said}" if said else type(error).__name__


def _say(line: str) -> None:
    """One line on standard error made safe, if it can take one (it may be full or closed)."""
    if sys.stderr is None:
        return
    with contextlib.suppress(OSError, ValueError):
        print(terminal_text(line), file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
