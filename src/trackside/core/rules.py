"""The one table of which action is legal in which phase, and why not in the others."""

from __future__ import annotations

from collections.abc import Mapping

from trackside.core.events import ActionKind, Phase

A = ActionKind
_STEP_ACTIONS = frozenset({A.MARK, A.PAUSE, A.SKIP, A.UNDO, A.END})

LEGAL: Mapping[Phase, frozenset[ActionKind]] = {
    Phase.READY: frozenset({A.START, A.END}),
    Phase.COUNTDOWN: frozenset({A.PAUSE, A.SKIP, A.END}),
    Phase.WARMUP: _STEP_ACTIONS,
    Phase.REP: _STEP_ACTIONS,
    Phase.RECOVERY: _STEP_ACTIONS | {A.GO_NOW},
    Phase.COOLDOWN: _STEP_ACTIONS,
    Phase.PAUSED: frozenset({A.RESUME, A.UNDO, A.END}),
    Phase.DONE: frozenset({A.UNDO}),
    Phase.ENDED: frozenset(),
}
"""The one table of which action is legal in which phase. The UI greys out keys from it."""

UNDOABLE = frozenset({A.MARK, A.GO_NOW, A.SKIP})
"""The marks undo can take back."""


def not_now(kind: ActionKind, phase: Phase) -> str:
    return {
        Phase.READY: "the session has not started",
        Phase.COUNTDOWN: "the session is about to start",
        Phase.PAUSED: "paused: resume first",
        Phase.DONE: "the session is done",
        Phase.ENDED: "the session has ended",
    }.get(phase, f"cannot {kind.value.replace('_', ' ')} during {phase.value}")
