"""The ``trackside`` command: parse the arguments, run the command, turn user errors into lines.

Importing this module loads neither Textual nor pydantic: each command imports what it needs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from trackside.cli import EXIT_FAILED, CommandError, build_parser

EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``trackside`` with ``argv`` (default: the process's arguments); return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except CommandError as error:
        print("\n".join(error.lines), file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `trackside show 21x400m | head`: the reader left; nothing more to say.
        _silence_stdout()
        return EXIT_FAILED
    return code


def _silence_stdout() -> None:
    # Python flushes stdout at exit; pointing it at devnull keeps that flush from failing too.
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
