"""Run a short session for real, for the kill test: ``python drive_session.py HISTORY_DB``.

The real session clock, the real :class:`~trackside.core.runner.Runner` and a real
:class:`~trackside.history.log.SessionLog` on ``HISTORY_DB``; the keys of :data:`SCRIPT` are
pressed at their times (seconds after the start) and the runner is ticked as the app would.
The script prints ``start T0`` (T0 on the session clock, CLOCK_BOOTTIME on Linux, system-wide
and read by the test too), then
``acted KIND AT WALL`` after each press is recorded, and then waits to be killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from trackside.core.clock import SessionClock
from trackside.core.events import ActionKind
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import start_log
from trackside.history.store import HistoryStore

K = ActionKind
COUNTDOWN_S = 1
TICK_S = 0.05


def _rep(number: int) -> Step:
    return Step(StepKind.WORK, 100.0, "100m", effort="fast", rep=number)


_RECOVERY = Step(StepKind.RECOVERY, 100.0, "100m", min_s=1.0, max_s=2.0, activity="walk")
PLAN = Plan(
    "4 x 100m, short windows",
    (
        _rep(1),
        _RECOVERY,
        _rep(2),
        _RECOVERY,
        _rep(3),
        _RECOVERY,
        Step(StepKind.WORK, 100.0, "100m", effort="all out", all_out=True, rep=4),
    ),
)
"""Windows of a second, so the whole session runs in twelve."""

SCRIPT: tuple[tuple[float, ActionKind], ...] = (
    (0.0, K.START),  # 1 s countdown: rep 1 starts at 1.0
    (2.0, K.MARK),  # rep 1 ends; recovery 1 (window 3.0, max 4.0)
    (3.4, K.MARK),  # inside the window: rep 2 starts
    (4.6, K.MARK),  # rep 2 ends; recovery 2 starts ...
    (5.0, K.UNDO),  # ... and is taken back: rep 2 runs on
    (5.6, K.PAUSE),
    (6.4, K.RESUME),
    (7.2, K.MARK),  # rep 2 ends; recovery 2 (window 8.2) ends by itself at 9.2: rep 3
    (10.2, K.MARK),  # rep 3 ends; recovery 3 (window 11.2)
    (10.6, K.GO_NOW),  # the final rep before the window opens
    (11.8, K.MARK),  # the final rep ends: done
)
"""(seconds after the start, key) in order."""


def main(db: Path) -> int:
    store = HistoryStore(db)
    store.open()  # opening is not part of the timed script
    log = start_log(store, PLAN, preset_id="kill-test", countdown_s=COUNTDOWN_S)
    clock = SessionClock()
    runner = Runner(Session(PLAN, COUNTDOWN_S), clock, log=log)
    t0 = clock.now()
    print(f"start {t0!r}", flush=True)
    for offset, kind in SCRIPT:
        _tick_until(runner, clock, t0 + offset)
        runner.act(kind)
        action, wall = log.actions[-1]
        print(f"acted {kind.value} {action.at!r} {wall!r}", flush=True)
    if log.problem is not None:
        print(log.problem, file=sys.stderr, flush=True)
    _tick_until(runner, clock, t0 + 600.0)  # until the test kills us
    return 0


def _tick_until(runner: Runner, clock: SessionClock, due: float) -> None:
    while (left := due - clock.now()) > 0:
        time.sleep(min(TICK_S, left))
        runner.tick()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
