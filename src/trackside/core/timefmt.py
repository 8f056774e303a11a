"""How times read to a runner: ``2:30``, ``1:02:05``, ``58.4``."""

from __future__ import annotations

import math


def clock(seconds: float) -> str:
    """Whole seconds as ``m:ss`` or ``h:mm:ss`` (rounded down, as a stopwatch shows them)."""
    total = max(0, math.floor(seconds + 1e-9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def split(seconds: float) -> str:
    """A split to a tenth: ``58.4`` under a minute, ``1:12.3`` above."""
    tenths = max(0, math.floor(seconds * 10 + 1e-6))
    whole, tenth = divmod(tenths, 10)
    if whole < 60:
        return f"{whole}.{tenth}"
    return f"{clock(whole)}.{tenth}"


def countdown(seconds: float) -> str:
    """Seconds left, rounded up, as ``m:ss`` (a countdown shows 0:01 until it reaches zero)."""
    return clock(math.ceil(seconds - 1e-9))
