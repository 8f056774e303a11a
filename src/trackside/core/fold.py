"""The reducer behind :class:`~trackside.core.session.Session`: state, records and the fold."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

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
    """The reducer. Works on one state at a time and appends the events it causes."""

    def __init__(self, plan: Plan, countdown_s: int, state: State, events: list[Event]) -> None:
        self.plan = plan
        self.countdown_s = countdown_s
        self.s = state
        self.events = events

    def emit(self, kind: EventKind, due: float, value: float | None = None) -> None:
        index = self.s.step_index
        rep = None
        if index is not None:
            rep = self.plan.steps[index].rep
        self.events.append(Event(kind, due, index, rep, value))

    # -- time -------------------------------------------------------------------------------

    def _marks(self) -> list[tuple[float, EventKind | None, float | None]]:
        """Time-driven events of the current phase as (clock time, kind, value), in order.

        A kind of None marks the boundary where the phase ends by itself.
        """
        s = self.s
        if s.paused_since is not None:
            return []
        if s.phase is Phase.COUNTDOWN and s.countdown_started is not None:
            start = s.countdown_started
            marks: list[tuple[float, EventKind | None, float | None]] = [
                (start + k, EventKind.START_COUNTDOWN, float(self.countdown_s - k))
                for k in range(1, self.countdown_s)
            ]
            return [*marks, (start + self.countdown_s, None, None)]
        step = self.plan.steps[s.step_index] if s.step_index is not None else None
        if step is None or s.phase in (Phase.DONE, Phase.ENDED, Phase.READY):
            return []
        base = s.step_started + s.step_paused_s
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
        marks.sort(key=lambda mark: mark[0])
        return marks

    def next_due(self) -> float | None:
        for due, _kind, _value in self._marks():
            if due > self.s.clock:
                return due
        return None

    def advance(self, now: float) -> State:
        while True:
            boundary = None
            for due, kind, value in self._marks():
                if due <= self.s.clock:
                    continue
                if due > now:
                    break
                if kind is None:
                    boundary = due
                    break
                self.emit(kind, due, value)
            if boundary is None:
                self.s = replace(self.s, clock=max(now, self.s.clock))
                return self.s
            self.s = replace(self.s, clock=boundary)
            if self.s.phase is Phase.COUNTDOWN:
                self.begin(0, boundary)
            else:
                self.end_step(boundary, EndReason.AUTO)

    # -- steps ------------------------------------------------------------------------------

    def begin(self, index: int, at: float) -> None:
        """Start step ``index`` at ``at`` (or finish the session past the last step)."""
        steps = self.plan.steps
        if index >= len(steps):
            self.s = replace(self.s, phase=Phase.DONE, step_index=None)
            self.emit(EventKind.SESSION_DONE, at)
            return
        step = steps[index]
        self.s = replace(
            self.s,
            phase=_PHASE_OF_KIND[step.kind],
            step_index=index,
            step_started=at,
            step_paused_s=0.0,
            countdown_started=None,
        )
        final = index == self.plan.final_rep_index
        kind = EventKind.FINAL_REP_STARTED if final else _STARTED_EVENT[step.kind]
        self.emit(kind, at)
        if not step.is_rep and index + 1 == self.plan.final_rep_index:
            self.events.append(Event(EventKind.FINAL_REP_NEXT, at, index + 1, steps[index + 1].rep))

    def end_step(self, at: float, reason: EndReason) -> None:
        """Close the current step with ``reason`` and start the next one at the same moment."""
        s = self.s
        assert s.step_index is not None
        paused = s.step_paused_s
        if s.paused_since is not None:
            paused += at - s.paused_since
        record = StepRecord(s.step_index, s.step_started, at, paused, reason)
        self.s = replace(s, records=(*s.records, record), paused_since=None)
        step = self.plan.steps[s.step_index]
        if reason is EndReason.ENDED:
            return
        if reason is EndReason.SKIPPED:
            self.emit(EventKind.SKIPPED, at)
        elif step.is_rep:
            kind = EventKind.REP_MARKED if reason is EndReason.MARKED else EventKind.REP_ENDED
            self.emit(kind, at, record.duration)
        elif reason is EndReason.AUTO:
            self.emit(EventKind.AUTO_ENDED, at, record.duration)
        self.begin(s.step_index + 1, at)

    # -- actions ----------------------------------------------------------------------------

    def act(self, action: Action) -> State:
        """Apply a legal action (checked by the caller) at a time the state has reached."""
        at = action.at
        kind = action.kind
        s = self.s
        position = len(s.effective)
        self.s = replace(s, effective=(*s.effective, action))
        if kind in UNDOABLE and s.phase is not Phase.COUNTDOWN:
            self.s = replace(self.s, undoable=(*s.undoable, position))
        if kind is A.START:
            self.emit(EventKind.SESSION_STARTED, at)
            if self.countdown_s:
                self.s = replace(self.s, phase=Phase.COUNTDOWN, countdown_started=at)
                self.emit(EventKind.START_COUNTDOWN, at, float(self.countdown_s))
            else:
                self.begin(0, at)
        elif kind is A.SKIP and s.phase is Phase.COUNTDOWN:
            self.begin(0, at)
        elif kind is A.SKIP:
            self.end_step(at, EndReason.SKIPPED)
        elif kind is A.MARK:
            self.end_step(at, EndReason.MARKED)
        elif kind is A.GO_NOW:
            self.end_step(at, self._go_now_reason(at))
        elif kind is A.PAUSE:
            self.s = replace(self.s, paused_since=at)
            self.emit(EventKind.PAUSED, at)
        elif kind is A.RESUME:
            assert s.paused_since is not None
            held = at - s.paused_since
            if s.phase is Phase.COUNTDOWN and s.countdown_started is not None:
                # A paused 3-2-1 picks up where it stopped: its start moves by the pause.
                self.s = replace(self.s, countdown_started=s.countdown_started + held)
            self.s = replace(self.s, paused_since=None, step_paused_s=s.step_paused_s + held)
            self.emit(EventKind.RESUMED, at)
        elif kind is A.END:
            if s.step_index is not None:
                self.end_step(at, EndReason.ENDED)
            self.s = replace(
                self.s,
                phase=Phase.ENDED,
                step_index=None,
                countdown_started=None,
                paused_since=None,
            )
            self.emit(EventKind.SESSION_ENDED, at)
        return self.s

    def _go_now_reason(self, at: float) -> EndReason:
        s = self.s
        assert s.step_index is not None
        step = self.plan.steps[s.step_index]
        elapsed = at - s.step_started - s.step_paused_s
        if step.time_s is not None or (step.min_s is not None and elapsed + EPS < step.min_s):
            return EndReason.EARLY
        return EndReason.MARKED

    def undo(self, at: float) -> State:
        """Take back the latest mark: refold the actions in force without it."""
        s = self.s
        position = s.undoable[-1]
        kept = s.effective[:position] + s.effective[position + 1 :]
        fold = Fold(self.plan, self.countdown_s, State(), [])
        for action in kept:
            fold.advance(action.at)
            # Marks after the undone one were taken back first, so what follows it is only
            # pause and resume; one that no longer fits (its step ended by itself) is dropped
            # from the fold but stays recorded in ``Session.actions``.
            paused = fold.s.paused_since is not None
            phase = Phase.PAUSED if paused else fold.s.phase
            if action.kind in LEGAL[phase]:
                fold.act(action)
        self.s = fold.advance(at)
        self.emit(EventKind.UNDONE, at)
        return self.s
