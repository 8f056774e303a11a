"""Workouts in, sessions out: FIT and intervals.icu readers and writers, pure and file-free.

Each module takes and gives bytes or text and the engine's own steps (:mod:`trackside.core.plan`),
never a path, so the command line does the reading, the writing and the telling:

- :mod:`~trackside.interop.workout`: a workout as flat steps, and its repeats found and expanded.
- :mod:`~trackside.interop.words`: the words of a step ("jog 400m, go 2:30–3:00"), both ways.
- :mod:`~trackside.interop.fitfile`: a FIT file decoded, hostile ones refused in one line.
- :mod:`~trackside.interop.fitworkout`: FIT workouts (``workout`` + ``workout_step``), both ways.
- :mod:`~trackside.interop.fitactivity`: a session as a FIT activity (laps, records, timer events).
- :mod:`~trackside.interop.icuread`, :mod:`~trackside.interop.icuwrite`: intervals.icu text.
- :mod:`~trackside.interop.presetfile`: a workout written as a trackside preset (TOML).

Only the commands that need them import these modules (``garmin_fit_sdk`` is imported by the FIT
modules alone), so starting ``trackside`` or ``trackside run`` loads none of it.
"""

from __future__ import annotations

from collections.abc import Iterable


class InteropError(Exception):
    """A file that cannot be converted: ``lines`` say, one per problem, the file, where and what."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = tuple(lines)
        super().__init__("\n".join(self.lines))
