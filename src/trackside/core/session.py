"""The session engine: a pure, clock-injected state machine folded over recorded actions.

A :class:`Session` is immutable. ``apply(kind, now)`` and ``advance(now)`` return a new session
and the events that came due, in order. Every time the session knows derives from the times of
its actions (and the plan's durations), never from counting ticks, so replaying the recorded
actions (``Session.replay``) restores a session exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from trackside.core.events import (
    Action,
    ActionKind,
    EndReason,
    EndsByItself,
    Event,
    IllegalAction,
    NothingToUndo,
    Phase,
    WindowNotOpen,
)
from trackside.core.fold import COUNTDOWN_PIPS, EPS, Fold, State, StepRecord
from trackside.core.plan import Plan, Step
from trackside.core.rules import LEGAL, not_now

__all__ = ["COUNTDOWN_PIPS", "LEGAL", "Outcome", "Session", "State", "StepRecord"]

A = ActionKind


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
        # One fold over every action (the same checks as ``apply``, without a session and a
        # state object per action): a history replays thousands of sessions.
        fold = Fold(plan, countdown_s, State(), None)
        recorded = [_take(fold, action.kind, action.at) for action in actions]
        if now is not None and now > fold.clock:
            fold.advance(now)
        return cls(plan, countdown_s, actions=tuple(recorded), state=fold.state())

    def advance(self, now: float) -> Outcome:
        """Move time on to ``now``: steps that end by themselves end, due events come out."""
        if now <= self.state.clock:
            return Outcome(self, ())
        events: list[Event] = []
        fold = Fold(self.plan, self.countdown_s, self.state, events)
        fold.advance(now)
        return Outcome(self._with(fold.state(), self.actions), tuple(events))

    def apply(self, kind: ActionKind, now: float) -> Outcome:
        """Take an action at ``now`` (raises :class:`IllegalAction` if it cannot be taken)."""
        events: list[Event] = []
        fold = Fold(self.plan, self.countdown_s, self.state, events)
        taken = _take(fold, kind, now)
        return Outcome(self._with(fold.state(), (*self.actions, taken)), tuple(events))

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
        return _problem(self.plan, self.state, kind, at)

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
        if self.state.paused_since is not None:
            at = self.state.paused_since
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
        return Fold(self.plan, self.countdown_s, self.state, None).next_due()


def _take(fold: Fold, kind: ActionKind, now: float) -> Action:
    """Move ``fold`` on to ``now`` and take ``kind`` there; the action as recorded (at the
    fold's time if ``now`` was earlier). Raises :class:`IllegalAction`."""
    if now > fold.clock:
        fold.advance(now)
    at = max(now, fold.clock)
    problem = _problem(fold.plan, fold.state(), kind, at)
    if problem is not None:
        raise problem
    if kind is A.UNDO:
        fold.undo(at)
    else:
        fold.act(Action(kind, at))
    return Action(kind, at)


def _elapsed(state: State, at: float) -> float:
    """Active seconds in the current step at ``at`` (a time the state has reached)."""
    if state.step_index is None:
        return 0.0
    if state.paused_since is not None:
        at = state.paused_since
    return max(0.0, at - state.step_started - state.step_paused_s)


def _problem(plan: Plan, state: State, kind: ActionKind, at: float) -> IllegalAction | None:
    """Why ``kind`` cannot be taken at ``at`` in ``state``, or None if it can."""
    phase = Phase.PAUSED if state.paused_since is not None else state.phase
    if kind not in LEGAL[phase]:
        return IllegalAction(kind, phase, not_now(kind, phase))
    if kind is A.UNDO and not state.undoable:
        return NothingToUndo(phase)
    if kind is A.MARK and state.step_index is not None:
        step = plan.steps[state.step_index]
        elapsed = _elapsed(state, max(at, state.clock))
        if step.time_s is not None:
            return EndsByItself(phase, step.time_s - elapsed)
        if step.min_s is not None and elapsed + EPS < step.min_s:
            return WindowNotOpen(phase, step.min_s - elapsed)
    return None
