"""The runner listener that sounds a session's events on a player.

``Runner(session, clock, listeners=[CueListener(player)])``: at each change it hands the player
the cue batches that just came due (:meth:`CuePlayer.play`) and the ones the session will sound
by itself (:meth:`CuePlayer.expect`, see :func:`~trackside.audio.cues.upcoming`). What is told
ahead, withdrawn and not played twice is the player's business; the listener keeps nothing but
the offset between the two clocks.
"""

from __future__ import annotations

from collections.abc import Callable

from trackside.audio.cues import CueBatch, cue_batches, upcoming
from trackside.audio.player import CuePlayer
from trackside.core.events import Event
from trackside.core.session import Session


class CueListener:
    """A runner listener that sounds the events of a session on a player (module docstring).

    The engine's times are on the runner's clock; give ``player_clock`` (the clock the player
    judges lateness by, ``time.monotonic`` for the real one) when the two differ, as for a
    resumed session whose clock carries on from another process, and the due times are moved
    onto it.
    """

    def __init__(self, player: CuePlayer, player_clock: Callable[[], float] | None = None) -> None:
        self.player = player
        self.player_clock = player_clock
        self._shift = 0.0
        self._session_start: object = None

    def __call__(self, session: Session, events: tuple[Event, ...]) -> None:
        shift = self._shift_for(session)
        for batch in cue_batches(events, session.plan):
            self.player.play(batch.cues, batch.due + shift)
        ahead = upcoming(session)
        self.player.expect(tuple(CueBatch(batch.due + shift, batch.cues) for batch in ahead))

    def _shift_for(self, session: Session) -> float:
        """Session time to player time. Reading the player's clock after the runner read its
        own only ever adds to the difference, so within one session the least seen is kept;
        a computer that slept moves it for good (its monotonic clock stopped, the session's
        did not)."""
        if self.player_clock is None:
            return 0.0
        seen = self.player_clock() - session.now
        first = session.actions[0] if session.actions else None
        if first is not self._session_start or seen < self._shift:
            self._session_start = first
            self._shift = seen
        return self._shift
