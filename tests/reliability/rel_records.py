"""Helpers for the record suites: real history files filled by the real engine and session log,
the real program run as a process on them, and what a file holds, to compare before and after."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rel_support import PLAN_21, WALL0, drive, whole_session

from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind
from trackside.core.plan import Plan
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import Cancel, SessionLog
from trackside.history.store import HistoryStore, NewSession

DAY = 86_400.0


def never(_delay: float, _action: object) -> Cancel:
    """A retry timer that never fires: the suites that fill files want no thread of their own."""
    return lambda: None


def record(
    store: HistoryStore,
    day: int,
    plan: Plan = PLAN_21,
    preset_id: str = "21x400m",
    reps: int = 21,
    keys: list[tuple[ActionKind | None, float]] | None = None,
) -> int:
    """A whole session of ``plan`` (its ``reps``, or ``keys`` as :func:`drive` takes them) on
    day ``day``, rated: its id."""
    clock = FakeClock(1000.0)

    def wall() -> float:
        return clock.now() - 1000.0 + WALL0 + day * DAY

    new = NewSession(preset_id, plan.name, plan, 0, 8)
    log = SessionLog(store, new, wall=wall, later=never)
    runner = Runner(Session(plan, 0), clock, log=log, wall=wall)
    drive(runner, clock, keys or whole_session(reps))
    assert log.finish(runner.session, 7, "ok"), log.problem
    assert log.session_id is not None
    return log.session_id


def history(path: Path, sessions: int = 4) -> list[int]:
    """A history file at ``path`` with ``sessions`` whole 21 x 400m sessions, a day apart."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with HistoryStore(path) as store:
        return [record(store, day) for day in range(sessions)]


@dataclass(frozen=True)
class Home:
    """A runner's folders: settings, data (the history) and cache, all under ``root``."""

    root: Path

    @property
    def db(self) -> Path:
        return self.root / "data" / "trackside" / "history.db"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "HOME": str(self.root),
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "XDG_DATA_HOME": str(self.root / "data"),
            "XDG_CACHE_HOME": str(self.root / "cache"),
        }

    def run(self, *argv: str, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
        """``trackside ARGV`` as a process of its own, in this home."""
        return subprocess.run(
            [sys.executable, "-m", "trackside", *argv],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=self.env,
            cwd=self.root,
        )

    def output(self, *argv: str) -> bytes:
        """What ``trackside ARGV`` writes on standard output, byte for byte (it must work)."""
        done = subprocess.run(
            [sys.executable, "-m", "trackside", *argv],
            capture_output=True,
            timeout=120.0,
            check=False,
            env=self.env,
            cwd=self.root,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


def contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """What a history file holds that matters (sessions, actions, plans, leases), read-only."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("sessions", "actions", "plans", "leases")
            if table in tables
        }
    finally:
        conn.close()


def files(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` by name, with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def one_line(text: str) -> str:
    """The only line of ``text`` (a refusal is one line, never a traceback)."""
    assert "Traceback" not in text, text
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


HERE = Path(__file__).resolve().parent


class Window:
    """A trackside window in a process of its own (``rel_window_driver.py``), spoken to line
    by line; each answer is the JSON it printed."""

    def __init__(self, db: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "rel_window_driver.py"), str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(HERE)},
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def say(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the window died: {self._stderr()}"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def kill(self) -> None:
        """``kill -9``: no goodbye, no lease let go."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def leave(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def _stderr(self) -> str:
        self.process.kill()
        assert self.process.stderr is not None
        return self.process.stderr.read()


class Lock:
    """Another program holding the history file locked (``BEGIN EXCLUSIVE``) for ``seconds``,
    in a process of its own; ready once it holds the lock."""

    SCRIPT = (
        "import sqlite3, sys, time\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('BEGIN EXCLUSIVE')\n"
        "print('locked', flush=True)\n"
        "time.sleep(float(sys.argv[2]))\n"
        "conn.execute('COMMIT')\n"
    )

    def __init__(self, db: Path, seconds: float) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", self.SCRIPT, str(db), str(seconds)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        """Let the lock go now: the program is ended, its transaction never committed."""
        self.process.terminate()
        self.process.wait(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()

    def wait(self) -> None:
        """Until the lock is let go (the program ends)."""
        assert self.process.wait(timeout=120) == 0
        assert self.process.stdout is not None
        self.process.stdout.close()
