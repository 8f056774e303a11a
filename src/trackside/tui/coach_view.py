"""What the coach's screen shows, worked out from a group as plain data (no Textual).

:func:`row_view` turns one athlete's session at a moment into a :class:`RowView` (key, name,
rep, phase by word, the clock of their step, the window, the last split, and the state classes
the stylesheet colours); :func:`row_lines` lays it out in the space a row has, from one line
(twenty athletes) to several beside big digits (a few). :func:`group_headline` names the
group's next event, and :func:`next_redraw` when any of it changes. The single runner's view
(:func:`~trackside.tui.view.view`) gives each athlete's clock and states, so the two screens
agree on what a phase looks like.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from trackside.core.events import Phase
from trackside.core.group import Group
from trackside.core.session import Session
from trackside.core.timefmt import clock, countdown
from trackside.tui.view import SEP, row_parts
from trackside.tui.view import next_redraw as session_redraw

GO_S = 3.0
"""How long a rep that has just started says GO! on its row."""
BIG_COUNTDOWN_S = 5.0
"""A staggered start counts down in whole seconds from here, m:ss before."""


@dataclass(frozen=True, slots=True)
class RowView:
    """One athlete's row at one moment."""

    key: str
    """Their key as printed on the keyboard (``1``, ``A``)."""
    name: str
    rep: str
    """``3/6``: the rep being run, or the one to come; empty before the start and after."""
    phase: str
    """The phase in a word or two: ``REP``, ``RECOVERY``, ``OPEN``, ``GO!`` ..."""
    clock: str
    """The clock of their step (``1:42``), the seconds to an automatic start, or empty."""
    window: str
    """The window's state (``opens in 0:12``, ``goes by itself at 3:00``), or empty."""
    last: str
    """Their last split (``1:12.3``), or empty."""
    classes: frozenset[str]
    """States the stylesheet colours: the single runner's, and ``go``, ``ready``."""


# -- one athlete ----------------------------------------------------------------------------


def row_view(key: str, name: str, session: Session, now: float) -> RowView:
    """What ``session``'s row shows at ``now``."""
    shown_classes, big, last_split = row_parts(session, now)
    classes = set(shown_classes)
    phase = session.running_phase
    step = session.step
    rep = _rep(session)
    word = _PHASE.get(phase, phase.value.upper())
    window = ""
    if phase is Phase.READY:
        classes.add("ready")
        word, big = "READY", ""
    elif phase is Phase.COUNTDOWN:
        left = session.countdown_left(now)
        word = "STARTS IN"
        big = countdown(left) if left > BIG_COUNTDOWN_S else str(math.ceil(left - 1e-9))
    elif phase is Phase.REP and step is not None:
        if "final" in classes:
            word = "FINAL REP"
        if not session.paused and session.elapsed(now) < GO_S:
            classes.add("go")
            word = "GO!"
    elif step is not None and not step.is_rep:
        word, window = _between(session, now, classes, word)
    if session.paused:
        word, big = "PAUSED", clock(session.elapsed(now))
    if session.finished:
        big = ""
    return RowView(key.upper(), name, rep, word, big, window, last_split or "", frozenset(classes))


_PHASE = {
    Phase.REP: "REP",
    Phase.RECOVERY: "RECOVERY",
    Phase.WARMUP: "WARM-UP",
    Phase.COOLDOWN: "COOL-DOWN",
    Phase.DONE: "DONE",
    Phase.ENDED: "ENDED",
}


def _rep(session: Session) -> str:
    total = session.plan.total_reps
    current = session.current_rep
    if current is not None:
        return f"{current}/{total}"
    index = session.next_rep_index
    if session.step is not None and index is not None:
        return f"{session.plan.steps[index].rep}/{total}"
    return ""


def _between(session: Session, now: float, classes: set[str], word: str) -> tuple[str, str]:
    """The phase word and the window's words in a recovery (or warm-up, or cool-down)."""
    step = session.step
    assert step is not None
    elapsed = session.elapsed(now)
    left = session.step_left(now)
    starts_rep = session.next_rep_index is not None
    if step.min_s is not None and elapsed + 1e-9 < step.min_s:
        # Before the window opens the key is refused: never "GO IN", even in a short window.
        classes.discard("last-seconds")
        return word, f"opens in {countdown(step.min_s - elapsed)}"
    if "last-seconds" in classes and starts_rep and left is not None:
        return f"GO IN {math.ceil(left - 1e-9)}", "goes by itself"
    if "window-open" in classes:
        goes = f"goes by itself at {clock(step.max_s)}" if step.max_s and starts_rep else ""
        return "OPEN", goes or "window open"
    if left is not None:
        return word, f"ends in {countdown(left)}"
    return word, ""


# -- laid out -------------------------------------------------------------------------------

_COLUMNS = (
    # (name, rep, phase, clock, window, last): widths of a one-line row, widest first
    (16, 7, 11, 7, 22, 8),
    (12, 6, 10, 6, 16, 7),
    (10, 5, 9, 6, 0, 7),
    (8, 5, 9, 5, 0, 0),
    (6, 0, 9, 5, 0, 0),
)


def row_line(row: RowView, notice: str | None, width: int) -> str:
    """The row on one line of ``width``: the widest layout that fits (the notice, if any, in
    place of the window and the split)."""
    for name_w, rep_w, phase_w, clock_w, window_w, last_w in _COLUMNS:
        tail_w = window_w + last_w + (1 if window_w and last_w else 0)
        need = 2 + name_w + 1 + (rep_w + 1 if rep_w else 0) + phase_w + 1 + clock_w
        if need + (1 + tail_w if tail_w else 0) > width:
            continue
        parts = [row.key.rjust(1), _cut(row.name, name_w)]
        if rep_w:
            parts.append(row.rep.rjust(rep_w))
        parts += [row.phase.ljust(phase_w)[:phase_w], row.clock.rjust(clock_w)]
        if tail_w:
            tail = notice if notice is not None else _tail(row, window_w, last_w)
            parts.append(_cut(tail, tail_w))
        return " ".join(parts)[:width]
    return f"{row.key} {row.clock} {row.name}"[:width]


def _tail(row: RowView, window_w: int, last_w: int) -> str:
    window = _cut(row.window, window_w) if window_w else ""
    last = row.last.rjust(last_w) if last_w else ""
    return f"{window} {last}" if window_w and last_w else window + last


def _cut(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: cut with an ellipsis when longer."""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…" if width > 1 else text[:width]
    return text.ljust(width)


def info_lines(row: RowView, notice: str | None, width: int, height: int) -> list[str]:
    """The words beside a row's big digits: the name, the rep and phase, the window (or a
    notice), the last split; as many as ``height`` has room for, top first."""
    what = SEP.join(part for part in (f"REP {row.rep}" if row.rep else "", row.phase) if part)
    lines = [row.name, what, notice if notice is not None else row.window]
    if row.last:
        lines.append(f"last {row.last}")
    lines = [line for line in lines if line][: max(0, height)]
    return [_cut(line, width).rstrip() for line in lines]


# -- the group ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Next:
    """The group's next event that no key makes: when, whose, and what."""

    at: float
    athlete: int
    what: str


def next_up(group: Group, now: float) -> Next | None:
    """The soonest of each athlete's next event: a start, a window opening, an automatic go."""
    found: Next | None = None
    for index, session in enumerate(group.sessions):
        if session.paused or session.finished:
            continue
        moment = _next_of(session, now)
        if moment is not None and (found is None or moment[0] < found.at):
            found = Next(moment[0], index, moment[1])
    return found


def _next_of(session: Session, now: float) -> tuple[float, str] | None:
    phase = session.running_phase
    if phase is Phase.COUNTDOWN:
        return now + session.countdown_left(now), "starts"
    step = session.step
    if step is None:
        return None
    elapsed = session.elapsed(now)
    if not step.is_rep and step.min_s is not None and elapsed + 1e-9 < step.min_s:
        return now + step.min_s - elapsed, "window opens"
    left = session.step_left(now)
    if left is None:
        return None
    if not step.is_rep and session.next_rep_index is not None:
        return now + left, "goes by itself"
    return now + left, "rep ends" if step.is_rep else f"{step.kind.value} ends"


def group_headline(
    group: Group, names: Sequence[str], title: str, now: float, stagger: bool, start: str = "SPACE"
) -> tuple[str, ...]:
    """The line above the rows, longest first: before the start how to start, then the
    group's next event and whose windows are open, at the end that everyone is done."""
    if not group.started:
        how = "staggered start" if stagger else "all together"
        count = f"{len(names)} athlete{'s' if len(names) != 1 else ''}"
        return (
            SEP.join((title, count, f"{start} starts the group ({how})")),
            f"{start} starts the group ({how})",
            f"{start} starts",
        )
    if group.finished:
        return ("DONE · every athlete has finished", "DONE")
    if group.paused:
        return ("PAUSED · p resumes everyone", "PAUSED")
    opened = [
        names[i] for i, s in enumerate(group.sessions) if _window_open(s, now) and not s.paused
    ]
    open_words = f"OPEN: {', '.join(opened)}" if opened else ""
    upcoming = next_up(group, now)
    if upcoming is None:
        return (open_words or "RUNNING", open_words or "RUNNING")
    left = countdown(upcoming.at - now)
    who = names[upcoming.athlete]
    long = f"NEXT {left} · {who}: {upcoming.what}"
    return (SEP.join(p for p in (long, open_words) if p), long, f"{left} {who}")


def _window_open(session: Session, now: float) -> bool:
    step = session.step
    if step is None or step.is_rep or step.min_s is None:
        return False
    return session.elapsed(now) + 1e-9 >= step.min_s


def next_redraw(group: Group, now: float, together_s: float = 0.0) -> float | None:
    """When anything on the coach's screen changes next without a key: the next second of
    any athlete's clock (a staggered start's included), or the group's next event. With
    ``together_s``, the latest of the changes due within that long of the first: athletes'
    seconds a few milliseconds apart are drawn in one wake, not one each."""
    dues = [due for s in group.sessions if (due := session_redraw(s, now, True)) is not None]
    if not dues:
        return None
    first = min(dues)
    return max(due for due in dues if due <= first + together_s)
