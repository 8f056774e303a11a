"""Which athlete a key is for, and what it does to them: the coach's keypad, without Textual.

An athlete's key does for them what Space does alone (ends their rep, starts their next one once
the window is open). ``g``, ``u`` or ``s`` first arms go-now, undo or skip for the next athlete
key pressed; armed, it shows on screen and lapses after :data:`PENDING_S` (or Esc), so a key
pressed later is never taken as its target by surprise. A key's second press within
:data:`DEBOUNCE_S` of its first is a bounce and does nothing; another athlete's key is never
held back by it (two athletes finish together).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trackside.core.events import ActionKind

PENDING_S = 3.0
"""How long ``g``, ``u`` or ``s`` waits for the athlete's key."""
DEBOUNCE_S = 0.3
"""A second press of the same key within this is one press (a key that bounced, a double tap)."""
ARMED = {
    ActionKind.GO_NOW: "GO NOW",
    ActionKind.UNDO: "UNDO",
    ActionKind.SKIP: "SKIP",
}
"""What each key that waits for an athlete is called on screen."""


@dataclass(frozen=True, slots=True)
class Pending:
    """An action waiting for an athlete's key, until ``until`` on the session clock."""

    kind: ActionKind
    until: float


class Keypad:
    """The athletes' keys (``keys[i]`` is athlete ``i``'s), an armed action and the last press
    of each key."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = tuple(key.lower() for key in keys)
        self._athlete = {key: index for index, key in enumerate(self.keys)}
        self._pending: Pending | None = None
        self._last: dict[int, float] = {}

    def athlete_of(self, key: str) -> int | None:
        """The athlete whose key ``key`` is (a letter in either case), or None."""
        return self._athlete.get(key.lower()) if len(key) == 1 else None

    def arm(self, kind: ActionKind, now: float) -> None:
        """Arm ``kind`` for the next athlete's key (pressing it again re-arms)."""
        self._pending = Pending(kind, now + PENDING_S)

    def pending(self, now: float) -> Pending | None:
        """The action armed now, or None (lapsed, cancelled or taken)."""
        if self._pending is not None and now >= self._pending.until:
            self._pending = None
        return self._pending

    def cancel(self) -> bool:
        """Disarm; True if something was armed."""
        armed, self._pending = self._pending is not None, None
        return armed

    def press(self, athlete: int, now: float) -> ActionKind | None:
        """What the athlete's key does now: the armed action (disarmed by it), else a mark; None
        for a bounce of the key just pressed."""
        last = self._last.get(athlete)
        if last is not None and 0 <= now - last < DEBOUNCE_S:
            return None
        self._last[athlete] = now
        pending = self.pending(now)
        self._pending = None
        return ActionKind.MARK if pending is None else pending.kind
