"""A trackside window, driven line by line: ``python rel_window_driver.py HISTORY_DB``.

It runs a session the way the app does (a real Runner, a real SessionLog with its retry and
lease timers, the real clocks) and answers each command on standard input with one line of
JSON about where it stands:

``start``                 a new session, its first action taken
``resume``                the latest unfinished session carried on (or ``error``)
``act KIND``              a key: ``mark``, ``pause``, ``resume``, ``undo``...
``append SESSION SEQ``    a write straight to the store, as a window that lost track would
``wait-saved SECONDS``    no key: wait for the retry timer to save what waits
``close`` / ``exit``      leave the session (its lease let go) / leave at once
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from trackside.core.clock import SessionClock
from trackside.core.events import Action, ActionKind
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import SessionLog, start_log
from trackside.history.problems import HistoryProblem
from trackside.history.resume import Held, latest_unfinished, resume_session
from trackside.history.store import HistoryError, HistoryStore, Status

PLAN = Plan(
    "10 x open",
    tuple(
        step
        for rep in range(1, 11)
        for step in (Step(StepKind.WORK, rep=rep), Step(StepKind.RECOVERY))
    )[:-1],
)
"""Reps and recoveries that end on the key: any key at any moment is a real one."""


class Window:
    def __init__(self, db: Path) -> None:
        self.store = HistoryStore(db, busy_timeout_s=0.25)  # as the app's
        self.clock = SessionClock()
        self.runner: Runner | None = None
        self.heard: list[int] = []
        self.problems: list[str] = []

    def tell(self, problem: HistoryProblem) -> None:
        self.problems.append(str(problem))

    @property
    def log(self) -> SessionLog:
        assert self.runner is not None
        assert isinstance(self.runner.log, SessionLog)
        return self.runner.log

    def start(self) -> dict[str, Any]:
        log = start_log(self.store, PLAN, preset_id="open", countdown_s=0, on_problem=self.tell)
        log.on_unsaved = self.heard.append
        self.runner = Runner(Session(PLAN, 0), self.clock, log=log)
        self.runner.act(ActionKind.START)
        return self.state()

    def resume(self) -> dict[str, Any]:
        held: list[Held] = []
        try:
            found = latest_unfinished(self.store, held=held)
            if found is None:
                return {"error": "nothing to resume", "held": [h.describe() for h in held]}
            resumed = resume_session(self.store, found, clock=self.clock, on_problem=self.tell)
        except HistoryError as error:
            return {"error": str(error)}
        resumed.log.on_unsaved = self.heard.append
        self.runner = Runner(resumed.session, resumed.clock, log=resumed.log)
        return self.state()

    def act(self, kind: str) -> dict[str, Any]:
        assert self.runner is not None
        self.runner.act(ActionKind(kind))
        return self.state()

    def append(self, session_id: int, seq: int) -> dict[str, Any]:
        new = self.log.new if self.runner is not None else _new()
        try:
            self.store.append(
                session_id, new, seq, [(Action(ActionKind.MARK, 1.0), time.time())],
                Status.RUNNING, None,
            )  # fmt: skip
        except HistoryError as error:
            return {"error": str(error), "kind": type(error).__name__}
        return {"written": True}

    def wait_saved(self, seconds: float) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while self.log.unsaved and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.state()

    def state(self) -> dict[str, Any]:
        log = self.log
        return {
            "pid": os.getpid(),
            "session": log.session_id,
            "unsaved": log.unsaved,
            "actions": len(log.actions),
            "problems": self.problems,
            "stopped": log.stopped,
            "heard": self.heard,
        }


def _new() -> Any:
    from trackside.history.store import NewSession

    return NewSession("open", PLAN.name, PLAN, 0)


def main(db: Path) -> int:
    window = Window(db)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "exit":
            return 0
        if command == "close":
            window.log.close()
            reply = window.state()
        elif command == "wait-saved":
            reply = window.wait_saved(float(args[0]))
        elif command == "append":
            reply = window.append(int(args[0]), int(args[1]))
        elif command == "act":
            reply = window.act(args[0])
        else:
            reply = getattr(window, command)()
        print(json.dumps(reply), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
