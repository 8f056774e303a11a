"""Which sounds an engine event makes, and which the session will make by itself: a pure
mapping, standard library only (the stateful listener that plays them is in ``listener.py``).

A cue is the name of a WAV file in ``sounds/`` (without ``.wav``): ``tone_*`` are synthesized
tones, ``say_*`` and ``num_*`` spoken words. An event maps to a short sequence of cues, and the
events that fall due at the same moment are joined into one :class:`CueBatch`, which a player
renders as one clip so its parts never overlap or arrive out of order.

Splits are never spoken, in any display mode: the runner reads them on the watch or the screen,
and an effort-display workout must not hear a time at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trackside.core.events import Event, EventKind
from trackside.core.plan import Plan
from trackside.core.session import Session

E = EventKind

TONES = (
    "tone_start_pip",
    "tone_group_start",
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
    "say_all_you_got",
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
        return ("tone_go", *say_rep(event.rep or 0, plan.total_reps), *_all_out(event, plan))
    if kind is E.FINAL_REP_STARTED:
        # Always said as the final rep; the siren and "all you got" only when it is run all out.
        if _all_out(event, plan):
            return ("tone_final_go", "say_final_rep", "say_all_you_got")
        return ("tone_go", "say_final_rep")
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
"""How far ahead the cues the session will sound by itself are told to the player."""
_AHEAD_MAX = 16


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


def _all_out(event: Event, plan: Plan) -> tuple[str, ...]:
    """ "all you got" for a rep the plan asks all the runner has for, else nothing."""
    if event.step is not None and 0 <= event.step < len(plan.steps):
        return ("say_all_you_got",) if plan.steps[event.step].all_out else ()
    return ()


def _next_is_rep(event: Event, plan: Plan) -> bool:
    if event.step is None or event.step + 1 >= len(plan.steps):
        return False
    return plan.steps[event.step + 1].is_rep
