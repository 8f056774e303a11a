"""A workout as the converters see it: a name and the flat steps the engine runs.

Every format here keeps repeats (a watch counts "5 times"), none keeps trackside's blocks and
sets, so a workout is carried as its expanded steps (:class:`~trackside.core.plan.Step`, the
same steps ``trackside show --json`` prints) and each writer finds the repeats again with
:func:`compress`. Reading expands them back (:func:`expand`): a round trip compares steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from trackside.core.plan import Step

MAX_STEPS = 1000
"""Most steps a workout may expand to: the preset format's own limit."""
MAX_GROUP = 100
"""Longest group of steps looked at for a repeat (a watch caps a whole workout at 50)."""


@dataclass(frozen=True, slots=True)
class Workout:
    """A workout: its name, words about it, and its steps in order (reps numbered 1 to N)."""

    name: str
    steps: tuple[Step, ...]
    description: str | None = None
    origins: tuple[str, ...] = ()
    """Where each step came from (``line 7``, ``step 3``), for the lines that tell the runner."""

    def origin(self, index: int) -> str:
        """Where step ``index`` (0-based) came from: ``line 7``, or ``step 8`` by default."""
        if index < len(self.origins):
            return self.origins[index]
        return f"step {index + 1}"


@dataclass(frozen=True, slots=True)
class Repeat:
    """``count`` times the same ``steps`` in a row (at least twice)."""

    steps: tuple[Step, ...]
    count: int


Segment = Step | Repeat
"""A step on its own, or a group of steps repeated."""


def numbered(steps: Iterable[Step]) -> tuple[Step, ...]:
    """The steps with reps numbered 1 to N in order, and no number on any other step."""
    out: list[Step] = []
    rep = 0
    for step in steps:
        if step.is_rep:
            rep += 1
            out.append(replace(step, rep=rep))
        else:
            out.append(replace(step, rep=None))
    return tuple(out)


def expand(segments: Iterable[Segment]) -> tuple[Step, ...]:
    """The flat steps the segments stand for, reps numbered."""
    flat: list[Step] = []
    for segment in segments:
        if isinstance(segment, Repeat):
            flat.extend(segment.steps * segment.count)
        else:
            flat.append(segment)
    return numbered(flat)


def compress(steps: Sequence[Step]) -> list[Segment]:
    """The fewest lines that give ``steps`` back: runs of the same group become a Repeat.

    Steps are compared without their rep number. Among equally short answers the repeat that
    covers more steps from the earliest place wins, so ``3 x 4 x 300m`` reads as two whole sets
    repeated, then the last set, the way a coach writes it.
    """
    plain = [replace(step, rep=None) for step in steps]
    ids = _ids(plain)
    n = len(ids)
    copies = _copies(ids)
    cost = [0] * (n + 1)
    choice: list[tuple[int, int]] = [(1, 1)] * (n + 1)
    for i in range(n - 1, -1, -1):
        best, pick = cost[i + 1] + 1, (1, 1)
        for length in range(1, min(MAX_GROUP, (n - i) // 2) + 1):
            count = copies[length][i]
            if count < 2:
                continue
            total = length + 1 + cost[i + length * count]
            if total < best or (total == best and length * count > pick[0] * pick[1]):
                best, pick = total, (length, count)
        cost[i], choice[i] = best, pick
    out: list[Segment] = []
    i = 0
    while i < n:
        length, count = choice[i]
        if count == 1:
            out.append(plain[i])
        else:
            out.append(Repeat(tuple(plain[i : i + length]), count))
        i += length * count
    return out


def _ids(steps: Sequence[Step]) -> list[int]:
    seen: dict[Step, int] = {}
    return [seen.setdefault(step, len(seen)) for step in steps]


def _copies(ids: Sequence[int]) -> dict[int, list[int]]:
    """``copies[length][i]``: how many times ``ids[i:i+length]`` occurs in a row from ``i``."""
    n = len(ids)
    out: dict[int, list[int]] = {}
    for length in range(1, min(MAX_GROUP, n // 2) + 1):
        # same[i]: how many places from i on agree with the place ``length`` further on.
        same = [0] * (n + 1)
        for i in range(n - length - 1, -1, -1):
            same[i] = same[i + 1] + 1 if ids[i] == ids[i + length] else 0
        out[length] = [1 + same[i] // length for i in range(n)]
    return out
