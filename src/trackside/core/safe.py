"""Text from elsewhere made safe to show: controls and bidi overrides become visible escapes.

A preset, a config file, a history row, a key name or a path may carry ESC (terminal escape
sequences: a window title, a clipboard write through OSC 52), other C0 and C1 controls, DEL, or
bidi override and isolate characters that reorder what the runner reads. :func:`visible` turns
each into the escape Python would write for it (``\\x1b``, ``\\u202e``), so what reaches a
terminal is exactly what the runner sees, and nothing acts on the terminal.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""Arabic letter mark, LRM and RLM, the embeddings and overrides (LRE to RLO), the isolates."""
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, newlines: bool = False) -> str:
    """``text`` with every control and bidi character written as an escape (``\\x1b``).

    With ``newlines=True`` a line feed is kept as a line break (a note of several lines);
    otherwise it is escaped too, so one value stays on one line.
    """
    pattern = _UNSAFE_BUT_NEWLINE if newlines else _UNSAFE
    return pattern.sub(_escape, text)


def is_visible(text: str, *, newlines: bool = False) -> bool:
    """True if ``text`` has nothing :func:`visible` would escape."""
    pattern = _UNSAFE_BUT_NEWLINE if newlines else _UNSAFE
    return pattern.search(text) is None
