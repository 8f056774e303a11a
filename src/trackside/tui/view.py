"""What the session screen shows, worked out from a session as plain data (no Textual).

:func:`view` turns ``runner.session`` at a moment into a :class:`View`: the headline, the big
text, the state classes, the window bar and the rep strip. :func:`next_redraw` says when any of it
changes next, so the screen sleeps until then. Both are pure, so tests read them directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trackside.core.events import ActionKind, EndReason, Phase
from trackside.core.plan import Display, Step
from trackside.core.safe import visible
from trackside.core.session import COUNTDOWN_PIPS, LEGAL, Session
from trackside.core.timefmt import clock, countdown, split

SEP = " · "
ALL_OUT = "ALL YOU GOT"


@dataclass(frozen=True, slots=True)
class Window:
    """A recovery window to draw: elapsed seconds and where it opens and closes."""

    elapsed: float
    opens: float | None
    closes: float | None


@dataclass(frozen=True, slots=True)
class View:
    """Everything the session screen displays at one moment."""

    headline: tuple[str, ...]
    """The headline, longest first; the screen shows the longest that fits."""
    sub: str
    big: str
    """The clock, the effort or the countdown, in the big font."""
    count: str
    """The rep count in the big font beside it (``7/21``; in a recovery the rep to come), or
    empty."""
    aside: str
    """The last split in the big font (after a rep, when reps show time), or empty."""
    classes: frozenset[str]
    window: Window | None
    strip: tuple[str, ...]
    """One state per rep: ``done``, ``skipped``, ``current``, ``todo``."""
    last_split: str | None


# -- words ----------------------------------------------------------------------------------


def distance_label(step: Step) -> str | None:
    """``400m`` as the preset wrote it, else from the metres."""
    if step.distance_text:
        return step.distance_text
    if step.distance_m:
        return f"{step.distance_m:g}m"
    return None


def effort_phrase(step: Step) -> str | None:
    """``3K effort``, ``all out``, or None if the step names no effort."""
    effort = step.effort or ("all out" if step.all_out else None)
    if effort is None or "effort" in effort.lower() or step.all_out:
        return effort
    return f"{effort} effort"


def fit_words(text: str, width: int) -> str:
    """``text`` in ``width`` columns, never cut mid-word: whole parts (between the ``·``) from
    the first, then whole words; a single word longer than the width is cut."""
    if len(text) <= width:
        return text
    parts = text.split(SEP)
    while len(parts) > 1 and len(SEP.join(parts)) > width:
        parts.pop()
    words = SEP.join(parts).split(" ")
    while len(words) > 1 and len(" ".join(words)) > width:
        words.pop()
    return " ".join(words)[:width]


def _join(*parts: str | None) -> str:
    return SEP.join(part for part in parts if part)


def _rep_effort(step: Step) -> str:
    """The effort of a rep in capitals; ``ALL YOU GOT`` only for a rep run all out."""
    return ALL_OUT if step.all_out else (effort_phrase(step) or "").upper()


def _rep_headline(session: Session, step: Step, final: bool) -> tuple[str, ...]:
    counter = f"{'FINAL ' if final else ''}REP {step.rep}/{session.plan.total_reps}"
    effort = _rep_effort(step)
    return (_join(counter, distance_label(step), effort), _join(counter, effort), counter)


def _next_words(session: Session) -> tuple[str, ...]:
    index = session.next_rep_index
    if index is None:
        return ("", "")
    step = session.plan.steps[index]
    total = session.plan.total_reps
    what = " @ ".join(p for p in (distance_label(step), effort_phrase(step)) if p)
    label = "FINAL REP" if index == session.plan.final_rep_index else "NEXT"
    return (_join(f"{label} {step.rep} of {total}", what), f"{label} {step.rep} of {total}")


_PHASE_WORD = {
    Phase.RECOVERY: "RECOVERY",
    Phase.WARMUP: "WARM-UP",
    Phase.COOLDOWN: "COOL-DOWN",
}
_PHASE_SHORT = {Phase.RECOVERY: "REC", Phase.WARMUP: "WARM-UP", Phase.COOLDOWN: "COOL-DOWN"}
"""The phase in a word that leaves room for the rep on the narrowest screens (``REC 8/21``)."""


def headline(session: Session) -> tuple[str, ...]:
    """The headline variants, longest first. RECOVERY and ``REP n/N`` mean only what they say."""
    phase = session.running_phase
    step = session.step
    if phase is Phase.REP and step is not None:
        variants = _rep_headline(session, step, session.step_index == session.plan.final_rep_index)
    elif phase in _PHASE_WORD:
        word = _PHASE_WORD[phase]
        long, short = _next_words(session)
        count = rep_count(session)
        tight = f"{_PHASE_SHORT[phase]} {count}" if count else _PHASE_SHORT[phase]
        variants = (_join(word, long), _join(word, short), tight, word)
    elif phase is Phase.COUNTDOWN:
        variants = ("GET READY" + SEP + session.plan.name, "GET READY")
    else:
        variants = ({Phase.DONE: "DONE", Phase.ENDED: "ENDED"}.get(phase, session.plan.name),)
    if session.paused:
        variants = tuple("PAUSED" + SEP + text for text in variants) + ("PAUSED",)
    return variants


def rep_count(session: Session) -> str:
    """``7/21`` in a rep, the rep to come in a recovery or the warm-up (``8/21``), else empty."""
    total = session.plan.total_reps
    if session.running_phase is Phase.REP and session.current_rep is not None:
        return f"{session.current_rep}/{total}"
    index = session.next_rep_index
    if session.running_phase in (Phase.RECOVERY, Phase.WARMUP) and index is not None:
        return f"{session.plan.steps[index].rep}/{total}"
    return ""


# -- the view -------------------------------------------------------------------------------


def _shows_rep_clock(session: Session, show_rep_clock: bool) -> bool:
    return session.plan.display is Display.TIME or show_rep_clock


def _big(session: Session, now: float, show_rep_clock: bool) -> str:
    phase = session.running_phase
    step = session.step
    if phase is Phase.COUNTDOWN:
        return str(math.ceil(session.countdown_left(now) - 1e-9))
    if step is None:
        return ""
    if session.paused:
        return "PAUSED"
    elapsed = session.elapsed(now)
    left = session.step_left(now)
    if phase is Phase.REP and not _shows_rep_clock(session, show_rep_clock):
        return _rep_effort(step) or "GO"
    if step.time_s is not None and left is not None:
        return countdown(left)  # a fixed-length step counts down to its end
    if phase is Phase.REP:
        return clock(elapsed)
    if left is not None and left <= COUNTDOWN_PIPS:
        return str(math.ceil(left - 1e-9))
    return clock(elapsed)


@dataclass(frozen=True)
class HintKeys:
    """The keys the hints name: the runner's keymap may have moved them."""

    mark: str = "SPACE"
    pause: str = "p"


DEFAULT_KEYS = HintKeys()


def _sub(session: Session, now: float, classes: set[str], keys: HintKeys) -> str:
    step = session.step
    if step is None:
        return ""
    if session.paused:
        return f"PAUSED at {clock(session.elapsed(now))}" + SEP + f"{keys.pause} resumes"
    if session.running_phase is Phase.REP:
        finish = "ends by itself" if step.time_s is not None else f"{keys.mark} at the finish"
        final = "FINAL REP" if "final" in classes else None
        return _join(ALL_OUT if step.all_out else final, finish)
    final_next = "FINAL REP NEXT" if "final-next" in classes else None
    left = session.step_left(now)
    if left is not None and left <= COUNTDOWN_PIPS and session.next_rep_index is not None:
        go = "GO WHEN READY" if "window-open" in classes else None
        return _join(final_next, go, f"NEXT REP STARTS IN {math.ceil(left - 1e-9)}")
    if "window-open" in classes:
        closes = f"starts by itself at {clock(step.max_s)}" if step.max_s else None
        return _join(final_next, "GO WHEN READY", closes)
    if step.min_s is not None:
        return _join(final_next, f"window opens at {clock(step.min_s)}")
    return _join(final_next, f"{keys.mark} ends it" if left is None else "ends by itself")


def _classes(session: Session, now: float) -> set[str]:
    phase = session.running_phase
    classes = {phase.value}
    index = session.step_index
    final = session.plan.final_rep_index
    step = session.step
    if phase is Phase.REP and index is not None and index == final:
        classes.add("final")
    if phase is Phase.REP and step is not None and step.all_out:
        classes.add("all-out")
    if phase is not Phase.REP and final is not None and session.next_rep_index == final:
        classes.add("final-next")
    opens = None if step is None or phase is Phase.REP else step.min_s
    if opens is not None and session.elapsed(now) + 1e-9 >= opens:
        classes.add("window-open")
    left = session.step_left(now)
    if phase is not Phase.REP and left is not None and left <= COUNTDOWN_PIPS:
        classes.add("last-seconds")
    if session.paused:
        classes.add("paused")
    return classes


def _strip(session: Session) -> tuple[tuple[str, ...], str | None]:
    state = {}
    for record in session.records:
        rep = session.plan.steps[record.index].rep
        if rep is not None:
            skipped = record.reason in (EndReason.SKIPPED, EndReason.ENDED)
            state[rep] = "skipped" if skipped else "done"
    current = session.current_rep
    if current is not None:
        state[current] = "current"
    total = session.plan.total_reps
    strip = tuple(state.get(rep, "todo") for rep in range(1, total + 1))
    done = session.splits()
    return strip, split(done[-1][1]) if done else None


def view(session: Session, now: float, show_rep_clock: bool, keys: HintKeys = DEFAULT_KEYS) -> View:
    """What the session screen shows for ``session`` at ``now``."""
    classes = _classes(session, now)
    window = None
    step = session.step
    if step is not None and not step.is_rep and step.has_window:
        window = Window(session.elapsed(now), step.min_s, step.max_s)
    strip, last = _strip(session)
    # The last split is read big between reps when reps show time; with the effort shown the
    # watch records and the screen does not direct (it stays small, in the strip).
    between = step is not None and not step.is_rep
    big_split = between and last is not None and _shows_rep_clock(session, show_rep_clock)
    # The plan's words (its name, efforts, distances as written) come from a preset file.
    return View(
        headline=tuple(visible(variant) for variant in headline(session)),
        sub=visible(_sub(session, now, classes, keys)),
        big=visible(_big(session, now, show_rep_clock)),
        count=rep_count(session),
        aside=last if big_split and last is not None else "",
        classes=frozenset(classes),
        window=window,
        strip=strip,
        last_split=last,
    )


def row_parts(session: Session, now: float) -> tuple[frozenset[str], str, str | None]:
    """What a coach's row takes from the session screen's view (its classes, its big clock
    with the rep's clock shown, its last split), without the headline, hints and strip a row
    does not show: ten rows a second cost what they show."""
    classes = _classes(session, now)
    splits = session.splits()
    last = split(splits[-1][1]) if splits else None
    return frozenset(classes), visible(_big(session, now, True)), last


def next_redraw(session: Session, now: float, show_rep_clock: bool) -> float | None:
    """When what is shown next changes: the next second of the step's own clock, or the next
    event the engine has due, whichever is first. None means nothing changes until a key."""
    due = session.next_due()
    step = session.step
    if session.paused or step is None:
        return due
    ticking = not step.is_rep or _shows_rep_clock(session, show_rep_clock)
    if not ticking:
        return due
    elapsed = session.elapsed(now)
    # Whole seconds are counted from the step's true start, so the boundary is its start plus n.
    boundary = now + (math.floor(elapsed + 1e-9) + 1 - elapsed)
    return boundary if due is None else min(boundary, due)


# -- the keys -------------------------------------------------------------------------------

KEY_ACTIONS = ("mark", "go_now", "undo", "pause", "skip", "end", "mute", "rep_clock")
"""The session screen's actions whose key is greyed out when it would do nothing."""
_KINDS = {
    "mark": ActionKind.MARK,
    "go_now": ActionKind.GO_NOW,
    "undo": ActionKind.UNDO,
    "skip": ActionKind.SKIP,
    "end": ActionKind.END,
}


def key_live(action: str, session: Session, now: float, can_mute: bool) -> bool:
    """Whether the session screen's ``action`` does something at ``now``, as the engine's
    table says (the footer greys out the others); keys not in :data:`KEY_ACTIONS` always do."""
    if action == "pause":
        kind = ActionKind.RESUME if session.paused else ActionKind.PAUSE
    elif action in _KINDS:
        kind = _KINDS[action]
    elif action == "mute":
        return can_mute
    elif action == "rep_clock":
        # A time-display preset always shows the rep clock: nothing to toggle.
        return session.plan.display is Display.EFFORT
    else:
        return True
    if kind is ActionKind.MARK:
        # Live whenever the phase takes it, so an early press can say when the window opens.
        return kind in LEGAL[session.phase]
    if kind is ActionKind.END:
        return not session.finished
    return session.check(kind, now) is None
