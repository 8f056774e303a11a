"""Which sounds an engine event makes: a pure mapping, standard library only.

A cue is the name of a WAV file in ``sounds/`` (without ``.wav``): ``tone_*`` are synthesized
tones, ``say_*`` and ``num_*`` spoken words. An event maps to a short sequence of cues, and the
events that fall due at the same moment are joined into one :class:`CueBatch`, which a player
renders as one clip so its parts never overlap or arrive out of order.

Splits are never spoken, in any display mode: the runner reads them on the watch or the screen,
and an effort-display workout must not hear a time at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from trackside.core.events import Event, EventKind
from trackside.core.plan import Plan
from trackside.core.session import Session

E = EventKind

TONES = (
    "tone_start_pip",
    "tone_pip",
    "tone_go",
    "tone_marked",
    "tone_window",
    "tone_auto_go",
    "tone_final_next",
    "tone_final_go",
    "tone_stop",
    "tone_done",
    "tone_paused",
    "tone_resumed",
)
"""Every synthesized tone."""

PHRASES = (
    "say_rep",
    "say_of",
    "say_go",
    "say_window_open",
    "say_final_next",
    "say_final_rep",
    "say_done",
    "say_ended",
    "say_warmup",
    "say_cooldown",
    "say_check",
)
"""Every spoken phrase other than numbers."""

NUMBERS = tuple(f"num_{n}" for n in (*range(1, 20), *range(20, 100, 10)))
"""The spoken numbers: one to nineteen and the tens, from which 1 to 99 are built."""

ALL_CUES = frozenset((*TONES, *PHRASES, *NUMBERS))
"""Every cue a player must be able to play (one WAV file each in ``sounds/``)."""

SOUND_CHECK = ("tone_go", "say_check")
"""What the sound check plays."""

_FIXED: dict[EventKind, tuple[str, ...]] = {
    E.REP_MARKED: ("tone_marked",),
    E.REP_ENDED: ("tone_stop",),
    E.WINDOW_OPENED: ("tone_window", "say_window_open"),
    E.COUNTDOWN: ("tone_pip",),
    E.FINAL_REP_NEXT: ("tone_final_next", "say_final_next"),
    E.FINAL_REP_STARTED: ("tone_final_go", "say_final_rep"),
    E.WARMUP_STARTED: ("tone_go", "say_warmup"),
    E.COOLDOWN_STARTED: ("tone_stop", "say_cooldown"),
    E.PAUSED: ("tone_paused",),
    E.RESUMED: ("tone_resumed",),
    E.SESSION_DONE: ("tone_done", "say_done"),
    E.SESSION_ENDED: ("tone_stop", "say_ended"),
}
# Silent on purpose: SESSION_STARTED (the 3-2-1 follows at once), RECOVERY_STARTED (it comes with
# the mark's confirmation), SKIPPED and UNDONE (the runner is at the laptop, looking at it).


@dataclass(frozen=True, slots=True)
class CueBatch:
    """Cues to play back to back, and when they are due on the session's clock."""

    due: float
    cues: tuple[str, ...]


def say_number(n: int) -> tuple[str, ...]:
    """The spoken cues for ``n`` (1 to 99), or nothing for a number the clips cannot say."""
    if not 1 <= n <= 99:
        return ()
    if n < 20:
        return (f"num_{n}",)
    tens, ones = divmod(n, 10)
    return (f"num_{tens * 10}",) + ((f"num_{ones}",) if ones else ())


def say_rep(rep: int, total: int) -> tuple[str, ...]:
    """ "rep seven of twenty-one", as cues (just "rep seven" if the total is past 99)."""
    number = say_number(rep)
    if not number:
        return ()
    of_total = ("say_of", *say_number(total)) if say_number(total) else ()
    return ("say_rep", *number, *of_total)


def cues_for(event: Event, plan: Plan) -> tuple[str, ...]:
    """The cues one event makes, in order (empty for an event that makes no sound)."""
    kind = event.kind
    if kind in _FIXED:
        return _FIXED[kind]
    if kind is E.START_COUNTDOWN:
        return ("tone_start_pip", *say_number(round(event.value or 0)))
    if kind is E.REP_STARTED:
        return ("tone_go", *say_rep(event.rep or 0, plan.total_reps))
    if kind is E.AUTO_ENDED:
        return ("tone_auto_go",) if _next_is_rep(event, plan) else ("tone_stop",)
    return ()


def cue_batches(events: Iterable[Event], plan: Plan) -> tuple[CueBatch, ...]:
    """Join the cues of events due at the same moment into batches, in order.

    When a recovery ends by itself at its maximum, the auto-start tone stands in for the plain
    "go" tone of the rep it starts, so the runner hears one start signal, not two.
    """
    batches: list[CueBatch] = []
    for event in events:
        cues = cues_for(event, plan)
        if not cues:
            continue
        if batches and batches[-1].due == event.due:
            previous = batches[-1].cues
            if "tone_auto_go" in previous:
                cues = tuple(cue for cue in cues if cue != "tone_go")
            batches[-1] = CueBatch(event.due, previous + cues)
        else:
            batches.append(CueBatch(event.due, cues))
    return tuple(batches)


AHEAD_S = 10.0
"""How far ahead the cues the session will sound by itself are handed to a scheduling player."""
_AHEAD_MAX = 16
_RESHIFT_S = 0.001
"""A batch told ahead is told again when the clock shift is known this much better."""
_SUSPENDED_S = 0.5
"""A shift that moved this much means the clocks parted (a suspend): what was told is stale."""


def upcoming(session: Session, horizon: float = AHEAD_S) -> tuple[CueBatch, ...]:
    """The cue batches the session sounds by itself if no key is pressed: those due within
    ``horizon`` seconds of its time, and at least the next one (the 3-2-1, the window opening,
    the pips, a step ending at its maximum or its time, and what starts with the next step).

    Each is the batch the runner hears when its moment comes, with the same due time.
    """
    batches: list[CueBatch] = []
    start = session.now
    for _ in range(_AHEAD_MAX):
        due = session.next_due()
        if due is None or (batches and due > start + horizon):
            break
        session, events = session.advance(due)
        batches.extend(cue_batches(events, session.plan))
    return tuple(batches)


class CueSink(Protocol):
    """Anything with a player's ``play(cues, due)``."""

    def play(self, cues: Sequence[str], due: float | None = None) -> None: ...


@runtime_checkable
class CueScheduler(Protocol):
    """A player that can also be told a cue ahead of its time, and told again it is off."""

    def play(self, cues: Sequence[str], due: float | None = None) -> None: ...

    def schedule(self, cues: Sequence[str], due: float) -> int: ...

    def cancel(self, ticket: int) -> None: ...


class CueListener:
    """A runner listener that sounds the events of a session on a player.

    ``Runner(session, clock, listeners=[CueListener(player)])``: each batch is played with its
    due time. The engine's times are on the runner's clock; give ``player_clock`` (the clock the
    player judges lateness by, ``time.monotonic`` for the real one) when the two differ, as for a
    resumed session whose clock carries on from another process, and the due times are moved
    onto it.

    With a player that schedules (:class:`CueScheduler`), the batches the session will sound by
    itself (:func:`upcoming`) are scheduled ahead at each change, so each starts at its moment
    whatever the app's thread is doing then; any key (a mark, undo, pause, skip, end) changes
    what is upcoming, and what is no longer coming is cancelled. When an event comes due, its
    batch was scheduled already and is not played twice.
    """

    def __init__(self, player: CueSink, player_clock: Callable[[], float] | None = None) -> None:
        self.player = player
        self.player_clock = player_clock
        self._tickets: dict[tuple[float, tuple[str, ...]], tuple[int, float]] = {}
        """Each batch told ahead: its ticket, and the clock shift it was told with."""
        self._shift = 0.0
        self._session_start: object = None

    def __call__(self, session: Session, events: tuple[Event, ...]) -> None:
        shift = self._shift_for(session)
        for batch in cue_batches(events, session.plan):
            told = self._tickets.pop((batch.due, batch.cues), None)
            if told is not None and abs(told[1] - shift) > _SUSPENDED_S:
                # Told on a clock that has since jumped (the computer slept): take it back,
                # and this batch is judged late or not like any other.
                if isinstance(self.player, CueScheduler):
                    self.player.cancel(told[0])
                told = None
            if told is None:
                self.player.play(batch.cues, batch.due + shift)
        if isinstance(self.player, CueScheduler):
            self._schedule(self.player, session, shift)

    def _schedule(self, player: CueScheduler, session: Session, shift: float) -> None:
        ahead = {(batch.due, batch.cues): batch for batch in upcoming(session)}
        for key, (ticket, told_shift) in list(self._tickets.items()):
            if key not in ahead or abs(told_shift - shift) > _RESHIFT_S:
                player.cancel(ticket)
                del self._tickets[key]
        for key, batch in ahead.items():
            if key not in self._tickets:
                self._tickets[key] = (player.schedule(batch.cues, batch.due + shift), shift)

    def _shift_for(self, session: Session) -> float:
        """Session time to player time. Reading the player's clock after the runner read its
        own only ever adds to the difference, so within one session the least seen is kept."""
        if self.player_clock is None:
            return 0.0
        seen = self.player_clock() - session.now
        first = session.actions[0] if session.actions else None
        if first is not self._session_start or seen < self._shift:
            self._session_start = first
            self._shift = seen
        return self._shift


def _next_is_rep(event: Event, plan: Plan) -> bool:
    if event.step is None or event.step + 1 >= len(plan.steps):
        return False
    return plan.steps[event.step + 1].is_rep
