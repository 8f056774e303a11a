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
_UNSAFE_BUT_LINE_ENDS = re.compile(f"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]|\r(?!\n)")
"""The same but a line feed, and a CR just before one (CSV's line end: it moves nothing)."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, newlines: bool = False, crlf: bool = False) -> str:
    """``text`` with every control and bidi character written as an escape (``\\x1b``).

    With ``newlines=True`` a line feed is kept as a line break (a note of several lines);
    otherwise it is escaped too, so one value stays on one line. With ``crlf=True`` (and
    ``newlines``) so is a CR just before a line feed: CSV's line end, written to a terminal.
    """
    if newlines and crlf:
        return _UNSAFE_BUT_LINE_ENDS.sub(_escape, text)
    pattern = _UNSAFE_BUT_NEWLINE if newlines else _UNSAFE
    return pattern.sub(_escape, text)


def json_visible(text: str) -> str:
    """JSON text (as ``json.dumps(..., ensure_ascii=False)`` writes it) with every control and
    bidi character written as a JSON escape (``\\u202e``): the same values once parsed, and
    nothing a terminal acts on. Line breaks are kept: JSON escapes those inside strings itself,
    so a raw one only stands between values (``indent=2``)."""
    return _UNSAFE_BUT_NEWLINE.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def is_visible(text: str, *, newlines: bool = False) -> bool:
    """True if ``text`` has nothing :func:`visible` would escape."""
    pattern = _UNSAFE_BUT_NEWLINE if newlines else _UNSAFE
    return pattern.search(text) is None
