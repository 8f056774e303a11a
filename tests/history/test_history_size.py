"""The history file stays small: a plan is stored once, a 21 x 400m session takes under 4 KB."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from history_support import WALL0

from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import SessionLog
from trackside.history.store import HistoryStore, NewSession
from trackside.presets.loader import load_preset

K = ActionKind
PRESET = Path(__file__).resolve().parents[2] / "presets" / "21x400m.toml"


def _run(store: HistoryStore, new: NewSession, wall: float, rng: random.Random) -> None:
    """A whole 21 x 400m: reps around 75 s, recoveries inside their window, one stored
    at the end in one go (as when the file was locked all session)."""
    clock = FakeClock(rng.uniform(100.0, 9000.0))
    offset = wall - clock.now()
    log = SessionLog(None, new, wall=lambda: clock.now() + offset)
    runner = Runner(Session(new.plan, 3), clock, log=log, wall=lambda: clock.now() + offset)
    runner.act(K.START)
    clock.advance(3.0)
    runner.tick()
    while not runner.session.finished:
        step = runner.session.step
        assert step is not None
        clock.advance(rng.uniform(72.0, 78.0) if step.is_rep else rng.uniform(151.0, 179.0))
        runner.act(K.MARK)
    log.store = store
    assert log.finish(runner.session, rng.randint(5, 9), None)


def _size(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db.stat().st_size


def test_a_21x400m_session_takes_under_4_kb(db_path: Path) -> None:
    preset = load_preset(PRESET)
    new = NewSession("21x400m", preset.name, preset.to_plan(), 3, preset.exertion)
    rng = random.Random(21)
    with HistoryStore(db_path) as store:
        for n in range(20):
            _run(store, new, WALL0 + n * 86_400, rng)
        first = _size(db_path)
        for n in range(20, 80):
            _run(store, new, WALL0 + n * 86_400, rng)
        last = _size(db_path)
        plans = store.fetch("SELECT count(*) FROM plans")[0][0]
        kept = store.fetch("SELECT count(*) FROM derived")[0][0]
    assert plans == 1
    assert kept == 80  # each session's splits and figures, derived when it finished
    assert (last - first) / 60 <= 4096
