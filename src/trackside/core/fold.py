"""The reducer behind :class:`~trackside.core.session.Session`: state, records and the fold."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from trackside.core.events import Action, ActionKind, EndReason, Event, EventKind, Phase
from trackside.core.plan import Plan, StepKind
from trackside.core.rules import LEGAL, UNDOABLE

A = ActionKind
_PHASE_OF_KIND = {
    StepKind.WARMUP: Phase.WARMUP,
    StepKind.WORK: Phase.REP,
    StepKind.RECOVERY: Phase.RECOVERY,
    StepKind.COOLDOWN: Phase.COOLDOWN,
}
_STARTED_EVENT = {
    StepKind.WARMUP: EventKind.WARMUP_STARTED,
    StepKind.WORK: EventKind.REP_STARTED,
    StepKind.RECOVERY: EventKind.RECOVERY_STARTED,
    StepKind.COOLDOWN: EventKind.COOLDOWN_STARTED,
}
COUNTDOWN_PIPS = 5
"""Seconds before a step ends by itself that each get a countdown event."""
EPS = 1e-9
"""Slack for float comparisons of times (a press exactly at the window counts as inside)."""


@dataclass(frozen=True, slots=True)
class StepRecord:
    """A step that has been run: when it started and ended, and how."""

    index: int
    started: float
    ended: float
    paused_s: float
    reason: EndReason

    @property
    def duration(self) -> float:
        """Active seconds: from start to end, less the time spent paused."""
        return self.ended - self.started - self.paused_s


@dataclass(frozen=True, slots=True)
class State:
    """Everything the fold knows at ``clock``. Two sessions in the same state show the same."""

    phase: Phase = Phase.READY
    """The running phase; a paused session keeps its step's phase here (see ``paused_since``)."""
    clock: float = -math.inf
    """The time the session has been advanced to."""
    step_index: int | None = None
    step_started: float = 0.0
    step_paused_s: float = 0.0
    paused_since: float | None = None
    countdown_started: float | None = None
    records: tuple[StepRecord, ...] = ()
    effective: tuple[Action, ...] = ()
    """The actions still in force (undone marks and the undos themselves removed)."""
    undoable: tuple[int, ...] = ()
    """Positions in ``effective`` of the marks undo can take back, latest last."""


class Fold:
    """The reducer. Works on a private, mutable copy of one state, appends the events it causes,
    and hands back a new immutable :class:`State` (``state()``) when asked.

    Working on plain attributes and building the frozen state once per call, rather than one
    ``dataclasses.replace`` per field change, is what makes folding cheap enough to replay a
    whole history (bench/engine.py).
    """

    __slots__ = (
        "clock",
        "countdown_s",
        "countdown_started",
        "effective",
        "events",
        "final_index",
        "paused_since",
        "phase",
        "plan",
        "records",
        "step_index",
        "step_paused_s",
        "step_started",
        "steps",
        "undoable",
    )

    def __init__(
        self, plan: Plan, countdown_s: int, state: State, events: list[Event] | None
    ) -> None:
        """Fold on from ``state``; the events go to ``events`` (None: nobody listens, as in a
        replay, and none are made)."""
        self.plan = plan
        self.steps = plan.steps
        self.final_index = plan.final_rep_index
        self.countdown_s = countdown_s
        self.events = events
        self.phase = state.phase
        self.clock = state.clock
        self.step_index = state.step_index
        self.step_started = state.step_started
        self.step_paused_s = state.step_paused_s
        self.paused_since = state.paused_since
        self.countdown_started = state.countdown_started
        self.records = state.records
        self.effective = state.effective
        self.undoable = state.undoable

    def state(self) -> State:
        """The state the fold has come to."""
        return State(
            self.phase,
            self.clock,
            self.step_index,
            self.step_started,
            self.step_paused_s,
            self.paused_since,
            self.countdown_started,
            self.records,
            self.effective,
            self.undoable,
        )

    def emit(self, kind: EventKind, due: float, value: float | None = None) -> None:
        """An event about the current step, unless nobody listens (a replay)."""
        if self.events is None:
            return
        index = self.step_index
        rep = None if index is None else self.steps[index].rep
        self.events.append(Event(kind, due, index, rep, value))

    # -- time -------------------------------------------------------------------------------

    def _marks(self) -> list[tuple[float, EventKind | None, float | None]]:
        """Time-driven events of the current phase as (clock time, kind, value), in order.

        A kind of None marks the boundary where the phase ends by itself.
        """
        if self.paused_since is not None:
            return []
        phase = self.phase
        if phase is Phase.COUNTDOWN and self.countdown_started is not None:
            start = self.countdown_started
            marks: list[tuple[float, EventKind | None, float | None]] = [
                (start + k, EventKind.START_COUNTDOWN, float(self.countdown_s - k))
                for k in range(1, self.countdown_s)
            ]
            return [*marks, (start + self.countdown_s, None, None)]
        index = self.step_index
        if index is None or phase in (Phase.DONE, Phase.ENDED, Phase.READY):
            return []
        step = self.steps[index]
        base = self.step_started + self.step_paused_s
        end = step.auto_end_s
        marks = []
        if step.min_s is not None and (end is None or step.min_s < end):
            marks.append((base + step.min_s, EventKind.WINDOW_OPENED, None))
        if end is not None:
            marks += [
                (base + end - k, EventKind.COUNTDOWN, float(k))
                for k in range(COUNTDOWN_PIPS, 0, -1)
                if end - k > 0
            ]
            marks.append((base + end, None, None))
            if len(marks) > 1 and marks[0][0] > marks[1][0]:
                marks.sort(key=lambda mark: mark[0])
        return marks

    def next_due(self) -> float | None:
        """When the next time-driven event of the current phase is due (None: none is)."""
        for due, _kind, _value in self._marks():
            if due > self.clock:
                return due
        return None

    def advance(self, now: float) -> None:
        """Move time on to ``now``: due events come out, steps that end by themselves end."""
        while True:
            boundary = None
            for due, kind, value in self._marks():
                if due <= self.clock:
                    continue
                if due > now:
                    break
                if kind is None:
                    boundary = due
                    break
                self.emit(kind, due, value)
            if boundary is None:
                if now > self.clock:
                    self.clock = now
                return
            self.clock = boundary
            if self.phase is Phase.COUNTDOWN:
                self.begin(0, boundary)
            else:
                self.end_step(boundary, EndReason.AUTO)

    # -- steps ------------------------------------------------------------------------------

    def begin(self, index: int, at: float) -> None:
        """Start step ``index`` at ``at`` (or finish the session past the last step)."""
        steps = self.steps
        if index >= len(steps):
            self.phase = Phase.DONE
            self.step_index = None
            self.emit(EventKind.SESSION_DONE, at)
            return
        step = steps[index]
        self.phase = _PHASE_OF_KIND[step.kind]
        self.step_index = index
        self.step_started = at
        self.step_paused_s = 0.0
        self.countdown_started = None
        final = index == self.final_index
        self.emit(EventKind.FINAL_REP_STARTED if final else _STARTED_EVENT[step.kind], at)
        if (
            step.kind is not StepKind.WORK
            and index + 1 == self.final_index
            and self.events is not None
        ):
            self.events.append(Event(EventKind.FINAL_REP_NEXT, at, index + 1, steps[index + 1].rep))

    def end_step(self, at: float, reason: EndReason) -> None:
        """Close the current step with ``reason`` and start the next one at the same moment."""
        index = self.step_index
        assert index is not None
        paused = self.step_paused_s
        if self.paused_since is not None:
            paused += at - self.paused_since
        record = StepRecord(index, self.step_started, at, paused, reason)
        self.records = (*self.records, record)
        self.paused_since = None
        if reason is EndReason.ENDED:
            return
        step = self.steps[index]
        if reason is EndReason.SKIPPED:
            self.emit(EventKind.SKIPPED, at)
        elif step.kind is StepKind.WORK:
            kind = EventKind.REP_MARKED if reason is EndReason.MARKED else EventKind.REP_ENDED
            self.emit(kind, at, record.duration)
        elif reason is EndReason.AUTO:
            self.emit(EventKind.AUTO_ENDED, at, record.duration)
        self.begin(index + 1, at)

    # -- actions ----------------------------------------------------------------------------

    def act(self, action: Action) -> None:
        """Apply a legal action (checked by the caller) at a time the state has reached."""
        at = action.at
        kind = action.kind
        phase = self.phase
        if kind in UNDOABLE and phase is not Phase.COUNTDOWN:
            self.undoable = (*self.undoable, len(self.effective))
        self.effective = (*self.effective, action)
        if kind is A.MARK:
            self.end_step(at, EndReason.MARKED)
        elif kind is A.START:
            self._start(at)
        elif kind is A.SKIP and phase is Phase.COUNTDOWN:
            self.begin(0, at)
        elif kind is A.SKIP:
            self.end_step(at, EndReason.SKIPPED)
        elif kind is A.GO_NOW:
            self.end_step(at, self._go_now_reason(at))
        elif kind is A.PAUSE:
            self.paused_since = at
            self.emit(EventKind.PAUSED, at)
        elif kind is A.RESUME:
            self._resume(at)
        elif kind is A.END:
            if self.step_index is not None:
                self.end_step(at, EndReason.ENDED)
            self.phase = Phase.ENDED
            self.step_index = None
            self.countdown_started = None
            self.paused_since = None
            self.emit(EventKind.SESSION_ENDED, at)

    def _start(self, at: float) -> None:
        self.emit(EventKind.SESSION_STARTED, at)
        if self.countdown_s:
            self.phase = Phase.COUNTDOWN
            self.countdown_started = at
            self.emit(EventKind.START_COUNTDOWN, at, float(self.countdown_s))
        else:
            self.begin(0, at)

    def _resume(self, at: float) -> None:
        assert self.paused_since is not None
        held = at - self.paused_since
        if self.phase is Phase.COUNTDOWN and self.countdown_started is not None:
            # A paused 3-2-1 picks up where it stopped: its start moves by the pause.
            self.countdown_started += held
        self.step_paused_s += held
        self.paused_since = None
        self.emit(EventKind.RESUMED, at)

    def _go_now_reason(self, at: float) -> EndReason:
        assert self.step_index is not None
        step = self.steps[self.step_index]
        elapsed = at - self.step_started - self.step_paused_s
        if step.time_s is not None or (step.min_s is not None and elapsed + EPS < step.min_s):
            return EndReason.EARLY
        return EndReason.MARKED

    def undo(self, at: float) -> None:
        """Take back the latest mark: refold the actions in force without it."""
        position = self.undoable[-1]
        kept = self.effective[:position] + self.effective[position + 1 :]
        fold = Fold(self.plan, self.countdown_s, State(), None)
        for action in kept:
            fold.advance(action.at)
            # Marks after the undone one were taken back first, so what follows it is only
            # pause and resume; one that no longer fits (its step ended by itself) is dropped
            # from the fold but stays recorded in ``Session.actions``.
            phase = Phase.PAUSED if fold.paused_since is not None else fold.phase
            if action.kind in LEGAL[phase]:
                fold.act(action)
        fold.advance(at)
        for name in _STATE_FIELDS:
            setattr(self, name, getattr(fold, name))
        self.emit(EventKind.UNDONE, at)


_STATE_FIELDS = tuple(f.name for f in fields(State))
