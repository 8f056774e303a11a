"""A FIT file read with Garmin's own decoder, and every way a file can be hostile refused in one
line: too large, not FIT, cut short or with a checksum that does not match, undecodable, or a
FIT file of another kind (an activity where a workout was expected).
"""

from __future__ import annotations

from typing import Any, cast

from garmin_fit_sdk import Decoder, Stream

from trackside.interop import InteropError
from trackside.interop.words import clean

MAX_FIT_BYTES = 1_000_000
"""A workout of a thousand steps is under 100 kB: a larger file is not one (and is not read)."""

Messages = dict[str, list[dict[str, Any]]]
"""Decoded messages by kind: ``{"workout_step_mesgs": [{...}, ...], ...}``."""


def decode(data: bytes, file: str) -> Messages:
    """Every message of the FIT file ``data`` (named ``file`` in the lines), after checking it
    whole: raises :class:`InteropError` for anything but an intact FIT file."""
    if len(data) > MAX_FIT_BYTES:
        raise InteropError([f"{file}: too large for a FIT workout (over {MAX_FIT_BYTES} bytes)"])
    if not _decoder(data).is_fit():
        raise InteropError([f"{file}: not a FIT file"])
    if not _decoder(data).check_integrity():
        raise InteropError([f"{file}: a damaged FIT file (cut short, or its checksum is wrong)"])
    try:
        messages, errors = _decoder(data).read()
    except Exception as error:  # the decoder's own errors are plain Exceptions
        errors, messages = [error], {}
    if errors:
        reason = clean(str(errors[0]), 120) or type(errors[0]).__name__
        raise InteropError([f"{file}: cannot be decoded as FIT ({reason})"])
    # The SDK types each message's fields; the readers check every value as hostile anyway.
    return cast(Messages, messages)


def file_type(messages: Messages) -> str | None:
    """The ``file_id`` type: ``workout``, ``activity``, … (None without a file_id)."""
    ids = messages.get("file_id_mesgs") or [{}]
    kind = ids[0].get("type")
    return kind if isinstance(kind, str) else None


def _decoder(data: bytes) -> Decoder:
    # A decoder reads its stream once: each check gets a fresh one.
    return Decoder(Stream.from_byte_array(bytearray(data)))
