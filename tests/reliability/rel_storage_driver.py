"""Run a whole session into a history file under a file-size limit, for the storage suite.

``python rel_storage_driver.py HISTORY_DB LIMIT_BYTES`` sets ``RLIMIT_FSIZE`` (Python ignores
SIGXFSZ, so a write past the limit fails with EFBIG instead of killing the process), runs the
whole 21 x 400m session on fake clocks through a real Runner and SessionLog, and prints what
happened as JSON.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from rel_support import PLAN_21, WALL0, drive, whole_session

from trackside.core.clock import FakeClock
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import SessionLog
from trackside.history.store import HistoryStore, NewSession


def main(db: Path, limit: int) -> int:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    clock = FakeClock(1000.0)
    problems: list[str] = []
    store = HistoryStore(db)
    new = NewSession("21x400m", PLAN_21.name, PLAN_21, 0, 8)
    wall = lambda: clock.now() - 1000.0 + WALL0  # noqa: E731
    log = SessionLog(
        store, new, on_problem=lambda problem: problems.append(str(problem)), wall=wall
    )
    runner = Runner(Session(PLAN_21, 0), clock, log=log, wall=wall)
    drive(runner, clock, whole_session())
    print(
        json.dumps(
            {
                "finished": runner.session.finished,
                "splits": len(runner.session.splits()),
                "actions": len(runner.session.actions),
                "unsaved": log.unsaved,
                "problems": problems,
            }
        )
    )
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2])))
