"""How derived rows are packed: a session's figures in about 120 bytes, its step records in
about 11 a step, each readable back exactly (floats as IEEE doubles, not decimals).

A list of ten thousand sessions reads one figures blob a session, not twenty columns: it is
what makes the list fast. Both blobs are checked on the way back (a CRC-32 over the figures is
kept beside them; the records carry their own).
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Sequence
from typing import Any

from trackside.core.events import EndReason
from trackside.core.session import StepRecord

FIGURES = (
    "session_id",
    "version",
    "actions",
    "reps_done",
    "reps_planned",
    "fastest_rep",
    "fastest_s",
    "slowest_rep",
    "slowest_s",
    "average_s",
    "final_s",
    "rest_average_s",
    "sdec_pct",
    "cv_pct",
    "windows",
    "windows_met",
    "final_vs_rest_pct",
)
"""The figures of a session, in the order they are packed (then its best efforts, as text)."""
_FIGURES = struct.Struct("<qHIHHhdhd5dHHd")
_MISSING_REP = -1
_REASONS = tuple(EndReason)
_RECORD = struct.Struct("<HBd")
"""A step record: its index, flags (how it ended; whether a start and a pause follow) and end."""
_START, _PAUSED = 0x10, 0x20
_FLOAT = struct.Struct("<d")
_CRC = struct.Struct("<I")


class Unreadable(ValueError):
    """Packed bytes that cannot be read back: what they held is derived again."""


def pack_figures(values: Sequence[Any], bests: str) -> bytes:
    """The :data:`FIGURES` values (None where a session has none) and the best-efforts text."""
    numbers = list(values)
    for i in (5, 7):  # rep numbers: none without a rep run
        numbers[i] = _MISSING_REP if numbers[i] is None else numbers[i]
    numbers = [math.nan if v is None else v for v in numbers]
    return _FIGURES.pack(*numbers) + bests.encode("utf-8")


def unpack_numbers(packed: bytes) -> tuple[Any, ...]:
    """The :data:`FIGURES` values :func:`pack_figures` packed, as packed: NaN for a missing
    figure, -1 for a missing rep number (see :func:`missing_as_none`). Raises
    :class:`Unreadable`."""
    try:
        return _FIGURES.unpack_from(packed)
    except struct.error as error:
        raise Unreadable(f"figures cannot be read: {error}") from error


def missing_as_none(numbers: Sequence[Any]) -> tuple[Any, ...]:
    """Packed numbers with None again where a figure or rep number was missing."""
    out = [None if isinstance(v, float) and math.isnan(v) else v for v in numbers]
    for i in (5, 7):
        out[i] = None if out[i] == _MISSING_REP else out[i]
    return tuple(out)


def unpack_bests(packed: bytes) -> str:
    """The best-efforts text :func:`pack_figures` packed after the numbers."""
    try:
        return packed[_FIGURES.size :].decode("utf-8")
    except UnicodeDecodeError as error:
        raise Unreadable(f"best efforts cannot be read: {error}") from error


def unpack_figures(packed: bytes) -> tuple[tuple[Any, ...], str]:
    """What :func:`pack_figures` packed: the values (None again where there were none) and
    the best-efforts text. Raises :class:`Unreadable`."""
    return missing_as_none(unpack_numbers(packed)), unpack_bests(packed)


def checksum(packed: bytes) -> int:
    """The CRC-32 kept beside packed figures."""
    return zlib.crc32(packed)


def pack_records(records: Sequence[StepRecord]) -> bytes:
    """Step records as bytes: about 11 a step (a start is written only when it is not the end
    of the step before, a pause only when there was one), then a CRC-32 of them."""
    out = bytearray()
    previous_end: float | None = None
    for record in records:
        flags = _REASONS.index(record.reason)
        if record.started != previous_end:
            flags |= _START
        if record.paused_s:
            flags |= _PAUSED
        out += _RECORD.pack(record.index, flags, record.ended)
        if flags & _START:
            out += _FLOAT.pack(record.started)
        if flags & _PAUSED:
            out += _FLOAT.pack(record.paused_s)
        previous_end = record.ended
    return bytes(out) + _CRC.pack(zlib.crc32(out))


def unpack_records(packed: bytes) -> tuple[StepRecord, ...]:
    """The records :func:`pack_records` packed. Raises :class:`Unreadable`."""
    body, crc = packed[: -_CRC.size], packed[-_CRC.size :]
    if len(crc) != _CRC.size or _CRC.unpack(crc)[0] != zlib.crc32(body):
        raise Unreadable("step records do not match their checksum")
    out = []
    offset, previous_end = 0, 0.0
    try:
        while offset < len(body):
            index, flags, ended = _RECORD.unpack_from(body, offset)
            offset += _RECORD.size
            started = previous_end
            if flags & _START:
                (started,) = _FLOAT.unpack_from(body, offset)
                offset += _FLOAT.size
            paused = 0.0
            if flags & _PAUSED:
                (paused,) = _FLOAT.unpack_from(body, offset)
                offset += _FLOAT.size
            out.append(StepRecord(index, started, ended, paused, _REASONS[flags & 0x0F]))
            previous_end = ended
    except (struct.error, IndexError) as error:
        raise Unreadable(f"step records cannot be read: {error}") from error
    return tuple(out)
