"""What went wrong with the history, as a value: the problem itself, and what is done about it.

One problem often reaches the runner from several places (the store opened at start-up, then
each session's log, each retrying the same locked file). They say the same :attr:`what` with a
different :attr:`then`, so the app tells each ``what`` once, comparing values, not sentences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Then(Enum):
    """What trackside does about a history problem (the runner's next question)."""

    SESSIONS_RUN_ON = "sessions still run, kept in memory until it can be saved"
    """The history file cannot be opened at start-up."""
    SESSION_KEPT = "this session is kept in memory until it can be saved"
    """A session's log cannot write its actions."""
    NOT_SAVED_HERE = "this window's actions are kept in memory, not saved"
    """Another window holds or wrote the session: this one writes no more to it."""


@dataclass(frozen=True, slots=True)
class HistoryProblem:
    """A line to show the runner once: ``what`` went wrong, and ``then`` what is done."""

    what: str
    then: Then | None = None

    def __str__(self) -> str:
        return self.what if self.then is None else f"{self.what}: {self.then.value}"


ProblemSink = Callable[[HistoryProblem], None]
"""Where a history problem goes to be shown (must be safe to call from any thread)."""
