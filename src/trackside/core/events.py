"""What the engine tells the UI, the audio and the history: actions, events, errors."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from trackside.core.timefmt import countdown


class Phase(StrEnum):
    """Where a session is. A paused session keeps its step; ``PAUSED`` hides it from the table."""

    READY = "ready"
    COUNTDOWN = "countdown"
    WARMUP = "warmup"
    REP = "rep"
    RECOVERY = "recovery"
    COOLDOWN = "cooldown"
    PAUSED = "paused"
    DONE = "done"
    ENDED = "ended"
    """Ended early by the runner; what was run is kept."""


class ActionKind(StrEnum):
    """What the runner can do. Each one is recorded with the time it happened."""

    START = "start"
    MARK = "mark"
    """The one big key: ends a rep or open step, or starts the next rep once the window is open."""
    GO_NOW = "go_now"
    """Start the next rep before the recovery window opens (recorded as a short recovery)."""
    PAUSE = "pause"
    RESUME = "resume"
    UNDO = "undo"
    SKIP = "skip"
    END = "end"


@dataclass(frozen=True, slots=True)
class Action:
    """A recorded action: replaying a session's actions restores it exactly."""

    kind: ActionKind
    at: float
    """Seconds on the session's clock."""


class EndReason(StrEnum):
    """How a step ended."""

    MARKED = "marked"
    """The runner pressed the key (inside the window, for a windowed recovery)."""
    EARLY = "early"
    """Go-now: the runner started the next rep before the window opened."""
    AUTO = "auto"
    """Ended by itself: fixed time over, or the window's maximum reached."""
    SKIPPED = "skipped"
    ENDED = "ended"
    """The session was ended early during this step."""


class EventKind(StrEnum):
    """Something the UI or the audio reacts to."""

    SESSION_STARTED = "session_started"
    START_COUNTDOWN = "start_countdown"
    """One second of the 3-2-1 before the first step; ``value`` is the number shown."""
    WARMUP_STARTED = "warmup_started"
    REP_STARTED = "rep_started"
    FINAL_REP_STARTED = "final_rep_started"
    REP_MARKED = "rep_marked"
    """A rep ended on the key; ``value`` is the split."""
    REP_ENDED = "rep_ended"
    """A timed rep ended by itself; ``value`` is its length."""
    RECOVERY_STARTED = "recovery_started"
    FINAL_REP_NEXT = "final_rep_next"
    WINDOW_OPENED = "window_opened"
    COUNTDOWN = "countdown"
    """A second before a step ends by itself; ``value`` is the seconds left (5 … 1)."""
    AUTO_ENDED = "auto_ended"
    """A recovery (or other non-rep step) ended by itself at its maximum or fixed time."""
    COOLDOWN_STARTED = "cooldown_started"
    SKIPPED = "skipped"
    UNDONE = "undone"
    PAUSED = "paused"
    RESUMED = "resumed"
    SESSION_DONE = "session_done"
    SESSION_ENDED = "session_ended"


@dataclass(frozen=True, slots=True)
class Event:
    """An event and the time it is due on the session's clock."""

    kind: EventKind
    due: float
    step: int | None = None
    """Index of the plan step the event is about."""
    rep: int | None = None
    """1-based rep number, for events about a rep (or the rep to come)."""
    value: float | None = None


class IllegalAction(Exception):
    """An action that cannot be taken now. ``str()`` is a line the runner can read."""

    def __init__(self, action: ActionKind, phase: Phase, reason: str) -> None:
        super().__init__(reason)
        self.action = action
        self.phase = phase
        self.reason = reason


class WindowNotOpen(IllegalAction):
    """The big key before the recovery window opens: the next rep does not start yet."""

    def __init__(self, phase: Phase, opens_in: float) -> None:
        super().__init__(ActionKind.MARK, phase, f"window opens in {countdown(opens_in)}")
        self.opens_in = opens_in


class NothingToUndo(IllegalAction):
    """Undo with no mark left to take back."""

    def __init__(self, phase: Phase) -> None:
        super().__init__(ActionKind.UNDO, phase, "nothing to undo")


class EndsByItself(IllegalAction):
    """The big key on a fixed-length step: it ends by itself (skip ends it now)."""

    def __init__(self, phase: Phase, left: float) -> None:
        super().__init__(ActionKind.MARK, phase, f"ends by itself in {countdown(left)}")
        self.left = left
