"""A random whole session for real, to be killed: ``python rel_kill_driver.py SEED HISTORY_DB``.

The seed picks the keys and their moments (:func:`script`), so the test knows them too. The real
session clock (:class:`~trackside.core.clock.SessionClock`, system-wide, so the test reads the
same one), a real Runner and SessionLog; prints ``start T0``, then ``acted KIND AT WALL``
after each press is recorded (``refused KIND`` when the machine was so late that the key no longer
fits), ticks as the app would, and after the last key waits to be killed.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from trackside.core.clock import SessionClock
from trackside.core.events import ActionKind, IllegalAction
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import start_log
from trackside.history.store import HistoryStore

K = ActionKind
COUNTDOWN_S = 1
TICK_S = 0.05
REPS = 6
MIN_S, MAX_S = 1.0, 2.5


def plan() -> Plan:
    steps: list[Step] = []
    for rep in range(1, REPS + 1):
        steps.append(Step(StepKind.WORK, 100.0, "100m", all_out=rep == REPS, rep=rep))
        if rep < REPS:
            steps.append(Step(StepKind.RECOVERY, 100.0, "100m", min_s=MIN_S, max_s=MAX_S))
    return Plan("6 x 100m, short windows", tuple(steps))


def script(seed: int) -> list[tuple[float, ActionKind | None]]:
    """(seconds after the start, key) for a whole session; None is the end of the script."""
    rng = random.Random(seed)
    keys: list[tuple[float, ActionKind | None]] = [(0.0, K.START)]
    t = float(COUNTDOWN_S)
    for rep in range(1, REPS + 1):
        if rng.random() < 0.4:  # a pause in the rep
            t += rng.uniform(0.2, 0.5)
            keys.append((t, K.PAUSE))
            t += rng.uniform(0.6, 1.5)
            keys.append((t, K.RESUME))
        t += rng.uniform(0.5, 1.0)
        keys.append((t, K.MARK))
        if rng.random() < 0.25:  # a stray mark, taken back, then the real one
            t += rng.uniform(0.15, 0.3)
            keys.append((t, K.UNDO))
            t += rng.uniform(0.3, 0.6)
            keys.append((t, K.MARK))
        if rep == REPS:
            break
        how = rng.choice(["window", "window", "go-now", "auto", "skip"])
        if how == "window":
            t += rng.uniform(MIN_S + 0.3, MAX_S - 0.5)
            keys.append((t, K.MARK))
        elif how == "go-now":
            t += rng.uniform(0.3, MIN_S - 0.3)
            keys.append((t, K.GO_NOW))
        elif how == "skip":
            t += rng.uniform(0.3, 1.5)
            keys.append((t, K.SKIP))
        else:
            t += MAX_S  # the recovery ends by itself; the next rep starts at its maximum
    keys.append((t + 0.5, None))
    return keys


def main(seed: int, db: Path) -> int:
    store = HistoryStore(db)
    store.open()  # opening is not part of the timed script
    session_plan = plan()
    log = start_log(store, session_plan, preset_id="kill", countdown_s=COUNTDOWN_S)
    clock = SessionClock()
    runner = Runner(Session(session_plan, COUNTDOWN_S), clock, log=log)
    t0 = clock.now()
    print(f"start {t0!r}", flush=True)
    for offset, kind in script(seed):
        _tick_until(runner, clock, t0 + offset)
        if kind is None:
            break
        try:
            runner.act(kind)
        except IllegalAction:
            print(f"refused {kind.value}", flush=True)
            continue
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
    sys.exit(main(int(sys.argv[1]), Path(sys.argv[2])))
