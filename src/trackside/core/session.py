"""The session engine: a pure, clock-injected state machine folded over recorded actions.

A :class:`Session` is immutable. ``apply(kind, now)`` and ``advance(now)`` return a new session
and the events that came due, in order. Every time the session knows derives from the times of
its actions (and the plan's durations), never from counting ticks, so replaying the recorded
actions (``Session.replay``) restores a session exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from trackside.core.events import (
    Action,
    ActionKind,
    EndReason,
    EndsByItself,
    Event,
    EventKind,
    IllegalAction,
    NothingToUndo,
    Phase,
    WindowNotOpen,
)
from trackside.core.plan import Plan, Step, StepKind

A = ActionKind
_STEP_ACTIONS = frozenset({A.MARK, A.PAUSE, A.SKIP, A.UNDO, A.END})

LEGAL: Mapping[Phase, frozenset[ActionKind]] = {
    Phase.READY: frozenset({A.START, A.END}),
    Phase.COUNTDOWN: frozenset({A.SKIP, A.END}),
    Phase.WARMUP: _STEP_ACTIONS,
    Phase.REP: _STEP_ACTIONS,
    Phase.RECOVERY: _STEP_ACTIONS | {A.GO_NOW},
    Phase.COOLDOWN: _STEP_ACTIONS,
    Phase.PAUSED: frozenset({A.RESUME, A.UNDO, A.END}),
    Phase.DONE: frozenset({A.UNDO}),
    Phase.ENDED: frozenset(),
}
"""The one table of which action is legal in which phase. The UI greys out keys from it."""

_UNDOABLE = frozenset({A.MARK, A.GO_NOW, A.SKIP})
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
_EPS = 1e-9


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
    undoable: tuple[int, ...] = field(default=())
    """Positions in ``effective`` of the marks undo can take back, latest last."""


class Outcome(NamedTuple):
    """A new session and the events that came due on the way to it, in order."""

    session: Session
    events: tuple[Event, ...]


class Session:
    """A live workout: a plan, the actions recorded so far, and the state they fold to."""

    __slots__ = ("actions", "countdown_s", "plan", "state")

    def __init__(
        self,
        plan: Plan,
        countdown_s: int = 3,
        *,
        actions: tuple[Action, ...] = (),
        state: State | None = None,
    ) -> None:
        if countdown_s < 0:
            raise ValueError("countdown_s must be zero or more")
        self.plan = plan
        self.countdown_s = countdown_s
        self.actions = actions
        """Every action recorded, in order, undos included: this is what gets persisted."""
        self.state = state if state is not None else State()

    # -- building -------------------------------------------------------------------------

    @classmethod
    def replay(
        cls, plan: Plan, actions: Iterable[Action], now: float | None = None, countdown_s: int = 3
    ) -> Session:
        """Fold recorded actions into the session they made, advanced to ``now`` if given."""
        session = cls(plan, countdown_s)
        for action in actions:
            session = session.apply(action.kind, action.at).session
        if now is not None:
            session = session.advance(now).session
        return session

    def advance(self, now: float) -> Outcome:
        """Move time on to ``now``: steps that end by themselves end, due events come out."""
        if now <= self.state.clock:
            return Outcome(self, ())
        events: list[Event] = []
        state = _Fold(self.plan, self.countdown_s, self.state, events).advance(now)
        return Outcome(self._with(state, self.actions), tuple(events))

    def apply(self, kind: ActionKind, now: float) -> Outcome:
        """Take an action at ``now`` (raises :class:`IllegalAction` if it cannot be taken)."""
        moved, events = self.advance(now)
        at = max(now, moved.state.clock)
        problem = moved._problem(kind, at)
        if problem is not None:
            raise problem
        out: list[Event] = list(events)
        fold = _Fold(self.plan, self.countdown_s, moved.state, out)
        state = fold.undo(at) if kind is A.UNDO else fold.act(Action(kind, at))
        return Outcome(self._with(state, (*self.actions, Action(kind, at))), tuple(out))

    def _with(self, state: State, actions: tuple[Action, ...]) -> Session:
        return Session(self.plan, self.countdown_s, actions=actions, state=state)

    # -- what is legal ----------------------------------------------------------------------

    def check(self, kind: ActionKind, now: float) -> IllegalAction | None:
        """Why ``kind`` cannot be taken at ``now``, or None if it can."""
        moved = self.advance(now).session
        return moved._problem(kind, max(now, moved.state.clock))

    def allowed(self, now: float) -> frozenset[ActionKind]:
        """The actions that can be taken at ``now``."""
        moved = self.advance(now).session
        at = max(now, moved.state.clock)
        return frozenset(k for k in LEGAL[moved.phase] if moved._problem(k, at) is None)

    def _problem(self, kind: ActionKind, at: float) -> IllegalAction | None:
        phase = self.phase
        if kind not in LEGAL[phase]:
            return IllegalAction(kind, phase, _not_now(kind, phase))
        if kind is A.UNDO and not self.state.undoable:
            return NothingToUndo(phase)
        step = self.step
        if kind is A.MARK and step is not None:
            elapsed = self.elapsed(at)
            if step.time_s is not None:
                return EndsByItself(phase, step.time_s - elapsed)
            if step.min_s is not None and elapsed + _EPS < step.min_s:
                return WindowNotOpen(phase, step.min_s - elapsed)
        return None

    # -- views ------------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """The time the session has been advanced to."""
        return self.state.clock

    @property
    def phase(self) -> Phase:
        """The phase the legal-action table is read with (``PAUSED`` while paused)."""
        return Phase.PAUSED if self.state.paused_since is not None else self.state.phase

    @property
    def running_phase(self) -> Phase:
        """The phase of the step, paused or not."""
        return self.state.phase

    @property
    def paused(self) -> bool:
        return self.state.paused_since is not None

    @property
    def finished(self) -> bool:
        return self.state.phase in (Phase.DONE, Phase.ENDED)

    @property
    def step_index(self) -> int | None:
        return self.state.step_index

    @property
    def step(self) -> Step | None:
        """The step being run, or None before the first and after the last."""
        index = self.state.step_index
        return None if index is None else self.plan.steps[index]

    @property
    def records(self) -> tuple[StepRecord, ...]:
        """The steps run so far, in order, with their times."""
        return self.state.records

    def elapsed(self, now: float | None = None) -> float:
        """Active seconds in the current step at ``now`` (default: the session's time)."""
        state = self.state
        if state.step_index is None:
            return 0.0
        at = state.clock if now is None else max(now, state.clock)
        if state.paused_since is not None:
            at = state.paused_since
        return max(0.0, at - state.step_started - state.step_paused_s)

    def countdown_left(self, now: float | None = None) -> float:
        """Seconds left in the 3-2-1 before the first step (0 outside the countdown)."""
        started = self.state.countdown_started
        if self.state.phase is not Phase.COUNTDOWN or started is None:
            return 0.0
        at = self.state.clock if now is None else max(now, self.state.clock)
        return max(0.0, started + self.countdown_s - at)

    def step_left(self, now: float | None = None) -> float | None:
        """Seconds until the current step ends by itself, or None if it waits for the key."""
        step = self.step
        end = None if step is None else step.auto_end_s
        return None if end is None else max(0.0, end - self.elapsed(now))

    def splits(self) -> list[tuple[int, float]]:
        """``(rep number, seconds)`` of every rep run to its end (skipped reps left out)."""
        out = []
        for record in self.records:
            step = self.plan.steps[record.index]
            if step.rep is not None and record.reason in (EndReason.MARKED, EndReason.AUTO):
                out.append((step.rep, record.duration))
        return out

    @property
    def current_rep(self) -> int | None:
        """The rep being run (1-based), or None outside a rep."""
        step = self.step
        return step.rep if step is not None and step.is_rep else None

    @property
    def next_rep_index(self) -> int | None:
        """Index of the next work step after the current one (or the first, before the start)."""
        start = 0 if self.state.step_index is None else self.state.step_index + 1
        if self.finished:
            return None
        for index in range(start, len(self.plan.steps)):
            if self.plan.steps[index].is_rep:
                return index
        return None

    def next_due(self) -> float | None:
        """When the next time-driven event is due, so a UI can sleep until then."""
        return _Fold(self.plan, self.countdown_s, self.state, []).next_due()


def _not_now(kind: ActionKind, phase: Phase) -> str:
    return {
        Phase.READY: "the session has not started",
        Phase.COUNTDOWN: "the session is about to start",
        Phase.PAUSED: "paused: resume first",
        Phase.DONE: "the session is done",
        Phase.ENDED: "the session has ended",
    }.get(phase, f"cannot {kind.value.replace('_', ' ')} during {phase.value}")


class _Fold:
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
        if kind in _UNDOABLE and s.phase is not Phase.COUNTDOWN:
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
            self.s = replace(
                self.s, paused_since=None, step_paused_s=s.step_paused_s + at - s.paused_since
            )
            self.emit(EventKind.RESUMED, at)
        elif kind is A.END:
            if s.step_index is not None:
                self.end_step(at, EndReason.ENDED)
            self.s = replace(self.s, phase=Phase.ENDED, step_index=None, countdown_started=None)
            self.emit(EventKind.SESSION_ENDED, at)
        return self.s

    def _go_now_reason(self, at: float) -> EndReason:
        s = self.s
        assert s.step_index is not None
        step = self.plan.steps[s.step_index]
        elapsed = at - s.step_started - s.step_paused_s
        if step.time_s is not None or (step.min_s is not None and elapsed + _EPS < step.min_s):
            return EndReason.EARLY
        return EndReason.MARKED

    def undo(self, at: float) -> State:
        """Take back the latest mark: refold the actions in force without it."""
        s = self.s
        position = s.undoable[-1]
        kept = s.effective[:position] + s.effective[position + 1 :]
        fold = _Fold(self.plan, self.countdown_s, State(), [])
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
