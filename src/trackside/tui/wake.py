"""A screen's next wake: its tick, called once at the moment what it shows next changes.

The event loop's own timer hands the tick to the screen's queue (one hop); Textual's
``set_timer`` goes through a new task and ``call_next`` (two hops, a signature inspected twice):
about a millisecond later and a tenth of the CPU a track screen uses. The tick runs through the
screen's queue, so an error in it is Textual's to show and end the app with, as in any handler.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.message_pump import MessagePump

TIMER_SLACK_S = 0.0002
"""Wake a little after a boundary, so the new second is already there to show (the event loop
never wakes early, but rounds its sleep up to the next millisecond: every millisecond more is
late on the clock and the cues)."""


class Wake:
    """One wake of ``screen`` at a time, calling ``tick``: a new one replaces the last."""

    def __init__(self, screen: MessagePump, tick: Callable[[], None]) -> None:
        self._screen = screen
        self._tick = tick
        self._handle: asyncio.TimerHandle | None = None

    def after(self, delay: float | None) -> None:
        """Wake in ``delay`` seconds (at once if it is past), or never if None."""
        self.cancel()
        if delay is not None:
            loop = asyncio.get_running_loop()
            self._handle = loop.call_later(max(0.0, delay) + TIMER_SLACK_S, self._woken)

    def cancel(self) -> None:
        """No wake until the next :meth:`after`."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _woken(self) -> None:
        self._handle = None
        self._screen.call_later(self._tick)
