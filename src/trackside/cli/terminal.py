"""The command line's way out to the terminal: every character it writes made safe, and an
output that cannot be written said in one line.

A preset's name, a TOML key, a history note, a path: any of them may carry terminal escapes
(a window title, a clipboard write through OSC 52) or bidi overrides. Rather than trust every
``print`` of every command to remember, :func:`terminal_streams` puts a :class:`SafeText` over
standard output and standard error while a command runs: what reaches the terminal goes through
:func:`~trackside.core.safe.visible` (line breaks kept, and CSV's ``\\r\\n``). Commands still make
table cells visible before measuring their widths, so the columns line up; this is the net
under them. JSON is escaped as JSON first (:func:`~trackside.core.safe.json_visible`), so it
stays valid and exact.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO, cast

from trackside.core.safe import visible

_WORDS = {
    errno.ENOSPC: "the device is full",
    errno.EBADF: "it is closed",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file is too large",
    errno.EIO: "an input/output error",
}


class OutputLost(Exception):
    """Standard output (or error) could not be written: full, closed, or failing."""

    def __init__(self, stream: str, error: OSError | None) -> None:
        number = None if error is None else error.errno
        reason = _WORDS.get(number or 0) or (
            "it is closed" if error is None else (error.strerror or "it failed")
        )
        super().__init__(f"cannot write to standard {stream}: {reason}")
        self.broken_pipe = isinstance(error, BrokenPipeError)


def terminal_text(text: str) -> str:
    """``text`` with every control and bidi character made visible, line breaks kept (``\\n``,
    and ``\\r\\n``, the line end of CSV)."""
    return visible(text, newlines=True, crlf=True)


class SafeText:
    """A text stream that writes everything through ``escape`` (default: :func:`terminal_text`)
    and turns a failed write into :class:`OutputLost`; everything else is the stream's own."""

    def __init__(
        self, raw: TextIO | None, name: str, escape: Callable[[str], str] = terminal_text
    ) -> None:
        self.raw = raw
        self.name = name
        self.escape = escape

    def write(self, text: str) -> int:
        """Write ``text`` made safe; returns its length as given (as ``print`` expects)."""
        if self.raw is None:
            raise OutputLost(self.name, None)
        try:
            self.raw.write(self.escape(text))
        except OSError as error:
            raise OutputLost(self.name, error) from None
        return len(text)

    def flush(self) -> None:
        """Flush the stream underneath."""
        if self.raw is None:
            return
        try:
            self.raw.flush()
        except OSError as error:
            raise OutputLost(self.name, error) from None

    def isatty(self) -> bool:
        """Whether the stream underneath is a terminal."""
        return self.raw is not None and self.raw.isatty()

    def fileno(self) -> int:
        """The file descriptor underneath."""
        if self.raw is None:
            raise OutputLost(self.name, None)
        return self.raw.fileno()

    def __getattr__(self, name: str) -> Any:
        # ``buffer`` (binary output), ``encoding`` and the rest: the stream's own.
        return getattr(self.raw, name)


def safe(raw: TextIO, escape: Callable[[str], str] = terminal_text) -> TextIO:
    """``raw`` behind a :class:`SafeText` with ``escape`` (for ``json_visible`` on JSON)."""
    return cast(TextIO, SafeText(raw, "output", escape))


@contextlib.contextmanager
def terminal_streams() -> Iterator[None]:
    """Standard output and error made safe (:class:`SafeText`) while the block runs; then
    flushed, so a full or closed output is :class:`OutputLost` here, not at exit."""
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = cast(TextIO, SafeText(stdout, "output"))
    sys.stderr = cast(TextIO, SafeText(stderr, "error"))
    try:
        yield
        sys.stdout.flush()
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def silence_stdout() -> None:
    """Point standard output at the null device: Python flushes it at exit, and that flush
    must not fail again (and print a traceback) after the failure was said."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
