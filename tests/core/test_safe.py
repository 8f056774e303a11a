"""Terminal-safe text: every control and bidi character becomes a visible escape."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from trackside.core.safe import is_visible, visible

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_escapes_are_written_as_python_would() -> None:
    assert visible("a\x1b]0;pwned\x07b") == "a\\x1b]0;pwned\\x07b"
    assert visible("\x9b31m") == "\\x9b31m"
    assert visible("x\x7fy") == "x\\x7fy"
    assert visible("evil\u202etxt.toml") == "evil\\u202etxt.toml"
    assert visible("tab\there") == "tab\\x09here"


def test_a_line_feed_stays_a_line_break_only_when_asked() -> None:
    assert visible("one\ntwo") == "one\\x0atwo"
    assert visible("one\ntwo\r", newlines=True) == "one\ntwo\\x0d"


def test_plain_text_is_left_exactly_as_it_was() -> None:
    text = "21 x 400m · 3K effort — All You Got, 2:30–3:00, Ångström \\x1b, 日本"
    assert visible(text) == text
    assert is_visible(text)


@given(st.text())
def test_nothing_unsafe_survives(text: str) -> None:
    shown = visible(text)
    assert is_visible(shown)
    for char in shown:
        category = unicodedata.category(char)
        assert category != "Cc", repr(char)
        assert char not in BIDI
    # Character by character: a safe one is kept, an unsafe one becomes its code point's escape.
    for char in text:
        if unicodedata.category(char) == "Cc" or char in BIDI:
            assert visible(char) in (f"\\x{ord(char):02x}", f"\\u{ord(char):04x}")
        else:
            assert visible(char) == char
    assert "".join(visible(char) for char in text) == shown
