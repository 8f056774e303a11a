"""What keeping a session to one window costs each key press: one action's durable write.

Since issue 11 every write checks the session's lease (and renews it) and compares what is
already stored at the action's place, so another window's actions are never silently dropped.
The baseline is the write as it was before, run in the same invocation on a copy of the same
file: ``INSERT OR IGNORE`` of the action and the session's status, one transaction. Both commit
durably (WAL, ``synchronous=FULL``), alternating, each the median of ``--writes`` key presses::

    python -m bench.record               # 300 writes each
    python -m bench.record --writes 1000
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from trackside.core.events import Action, ActionKind
from trackside.core.plan import Plan, Step, StepKind
from trackside.history.store import HistoryStore, NewSession, Status

PLAN = Plan("open", (Step(StepKind.WORK, rep=1),))


def store_new() -> NewSession:
    """The session every write belongs to."""
    return NewSession("open", "open", PLAN, 0)


def _old_write(conn: sqlite3.Connection, session_id: int, seq: int, wall: float) -> None:
    """The write before issue 11: no lease, an action already at its place silently kept."""
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT OR IGNORE INTO actions (session_id, seq, kind, at, wall) VALUES (?, ?, ?, ?, ?)",
        (session_id, seq, ActionKind.MARK.value, float(seq), wall),
    )
    conn.execute(
        "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
        (Status.RUNNING.value, None, session_id),
    )
    conn.execute("COMMIT")


def measure(writes: int) -> tuple[list[float], list[float]]:
    """Seconds per write: the lease-checked store's, and the old write's."""
    with tempfile.TemporaryDirectory(prefix="bench-record-") as scratch:
        new_path, old_path = Path(scratch, "new.db"), Path(scratch, "old.db")
        stores = []
        for path in (new_path, old_path):
            store = HistoryStore(path)
            start = [(Action(ActionKind.START, 0.0), time.time())]
            stores.append(
                (
                    store,
                    store.append(
                        None, NewSession("open", "open", PLAN, 0), 0, start, Status.RUNNING, None
                    ),
                )
            )
        store, session_id = stores[0]
        old_store, old_id = stores[1]
        old_store.close()
        old = sqlite3.connect(old_path, isolation_level=None)
        old.execute("PRAGMA journal_mode=WAL")
        old.execute("PRAGMA synchronous=FULL")
        new_times, old_times = [], []
        for seq in range(1, writes + 1):
            action = [(Action(ActionKind.MARK, float(seq)), time.time())]
            began = time.perf_counter()
            store.append(session_id, store_new(), seq, action, Status.RUNNING, None)
            new_times.append(time.perf_counter() - began)
            began = time.perf_counter()
            _old_write(old, old_id, seq, time.time())
            old_times.append(time.perf_counter() - began)
        store.close()
        old.close()
    return new_times, old_times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=300)
    args = parser.parse_args()
    new_times, old_times = measure(args.writes)
    new, old = statistics.median(new_times), statistics.median(old_times)
    print(f"{'one action written (median of ' + str(args.writes) + ')':<44} {'ms':>8}")
    print(f"{'  lease and place checked (now)':<44} {new * 1000:8.3f}")
    print(f"{'  INSERT OR IGNORE (before, baseline)':<44} {old * 1000:8.3f}")
    print(f"{'  ratio':<44} {new / old:8.2f}x")


if __name__ == "__main__":
    main()
