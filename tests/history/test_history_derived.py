"""What is kept for speed is derived from the actions, never the truth: a row that is missing,
damaged, of another version or outdated by a new action is derived again."""

from __future__ import annotations

import ast
import hashlib
import sqlite3
from pathlib import Path

import pytest
from history_support import WALL0, Process, new_session, record_session, whole_session

import trackside.core
import trackside.history
from trackside.core.events import ActionKind
from trackside.history import derived as derived_module
from trackside.history.derived import COLUMNS, DERIVED_VERSION, Derived, derive, keep, to_row
from trackside.history.log import SessionLog
from trackside.history.packing import pack_records, unpack_records
from trackside.history.progress import progress
from trackside.history.store import HistoryStore, Status
from trackside.history.views import detail, exported, list_sessions

K = ActionKind


def _recorded(store: HistoryStore, count: int = 3) -> list[int]:
    ids = []
    for n in range(count):
        process = Process(1000.0, WALL0 + n * 86_400)
        runner = record_session(store, process, whole_session(71.0 + n, 72.0, 66.0))
        log = runner.log
        assert isinstance(log, SessionLog)
        assert log.finish(runner.session, 7, None)
        assert log.session_id is not None
        ids.append(log.session_id)
    return ids


def _row(db: Path, session_id: int) -> dict[str, object] | None:
    with sqlite3.connect(db) as conn:
        found = conn.execute(
            f"SELECT {', '.join(COLUMNS)} FROM derived WHERE session_id = ?", (session_id,)
        ).fetchone()
    conn.close()
    return None if found is None else dict(zip(COLUMNS, found, strict=True))


def _fresh(store: HistoryStore, session_id: int) -> tuple[object, ...]:
    """The row derived from the actions now, as it would be kept."""
    return to_row(derive(store.session(session_id), store.actions(session_id)))


def _steps(db: Path, session_id: int) -> bytes | None:
    with sqlite3.connect(db) as conn:
        found = conn.execute(
            "SELECT records FROM derived_steps WHERE session_id = ?", (session_id,)
        ).fetchone()
    conn.close()
    return None if found is None else bytes(found[0])


def _fresh_steps(store: HistoryStore, session_id: int) -> bytes | None:
    return derive(store.session(session_id), store.actions(session_id)).blob


def _tamper(db: Path, sql: str, *params: object) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(sql, params)
    conn.close()


def test_a_finished_session_is_derived_once_and_kept(store: HistoryStore, db_path: Path) -> None:
    (sid,) = _recorded(store, 1)
    row = _row(db_path, sid)
    assert row is not None
    assert tuple(row.values()) == _fresh(store, sid)
    figures = Derived(row["figures"])  # type: ignore[arg-type]
    assert (row["version"], figures.actions, figures.reps_done) == (DERIVED_VERSION, 6, 3)


@pytest.mark.parametrize(
    ("what", "sql"),
    [
        ("a figure changed", "UPDATE derived SET figures = x'00' || substr(figures, 2)"),
        ("the bests changed", "UPDATE derived SET figures = figures || ' 200.0:1.0:1'"),
        ("figures of the wrong type", "UPDATE derived SET figures = 'fast', checksum = 0"),
        ("garbage records", "UPDATE derived_steps SET records = x'00ff'"),
        ("records of the wrong type", "UPDATE derived_steps SET records = 'splits'"),
        ("records missing", "DELETE FROM derived_steps"),
        ("the checksum changed", "UPDATE derived SET checksum = checksum + 1"),
        ("an older version", "UPDATE derived SET version = 0"),
        (
            "another session's figures",
            "UPDATE derived SET (figures, checksum) = "
            "(SELECT figures, checksum FROM derived WHERE session_id = 1)",
        ),
        ("a missing row", "DELETE FROM derived"),
    ],
)
def test_a_damaged_or_missing_row_is_derived_again(
    store: HistoryStore, db_path: Path, what: str, sql: str
) -> None:
    ids = _recorded(store)
    good = {sid: _fresh(store, sid) for sid in ids}
    _tamper(db_path, sql + " WHERE session_id = ?", ids[1])
    lines = list_sessions(store)
    assert lines[1].average_s == pytest.approx((72 + 72 + 66) / 3), what
    steps = [d.steps for d in exported(store, ids)]  # the step records are read here
    assert [row.duration_s for row in steps[1]] == pytest.approx([72, 65, 72, 50, 66]), what
    for sid in ids:
        row = _row(db_path, sid)
        assert row is not None, what
        assert tuple(row.values()) == good[sid], what
        assert _steps(db_path, sid) == _fresh_steps(store, sid), what


def test_a_new_action_makes_the_row_stale_at_once(store: HistoryStore, db_path: Path) -> None:
    process = Process(1000.0, WALL0)
    runner = record_session(store, process, [(K.START, 0.0), (K.MARK, 70.0)])
    sid = runner.log.session_id  # type: ignore[union-attr]
    assert list_sessions(store)[0].reps_done == 1
    assert _row(db_path, sid) is not None
    process.advance(65.0)
    runner.act(K.MARK)
    assert _row(db_path, sid) is None  # the file's trigger removed it with the new action
    process.advance(71.0)
    runner.act(K.MARK)
    assert list_sessions(store)[0].reps_done == 2
    assert _row(db_path, sid) is not None


def test_a_changed_end_makes_the_row_stale(store: HistoryStore, db_path: Path) -> None:
    process = Process(1000.0, WALL0)
    runner = record_session(store, process, [(K.START, 0.0), (K.MARK, 70.0)])
    sid = runner.log.session_id  # type: ignore[union-attr]
    list_sessions(store)
    store.set_rating(sid, 6, "a rating is not what splits are derived from")
    assert _row(db_path, sid) is not None
    store.set_status(sid, Status.ENDED_EARLY, 1100.0)
    assert _row(db_path, sid) is None


def test_a_row_derived_before_an_action_landed_is_not_kept(
    store: HistoryStore, db_path: Path
) -> None:
    """A list derives a running session while the app writes its next action: the row of the
    old actions must not be kept over the new one."""
    process = Process(1000.0, WALL0)
    runner = record_session(store, process, [(K.START, 0.0), (K.MARK, 70.0)])
    sid = runner.log.session_id  # type: ignore[union-attr]
    stored, actions = store.session(sid), store.actions(sid)
    late = derive(stored, actions)
    process.advance(65.0)
    runner.act(K.MARK)  # lands between the read and the keep
    keep(store, [(stored, late)])
    assert _row(db_path, sid) is None
    assert list_sessions(store)[0].reps_done == 1  # and the next read derives it afresh
    assert _row(db_path, sid) is not None
    row = _row(db_path, sid)
    assert row is not None
    assert Derived(row["figures"]).actions == 3  # type: ignore[arg-type]


def test_another_version_is_derived_again(
    store: HistoryStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _recorded(store, 2)
    monkeypatch.setattr(derived_module, "DERIVED_VERSION", DERIVED_VERSION + 1)
    list_sessions(store)
    for sid in ids:
        row = _row(db_path, sid)
        assert row is not None
        assert row["version"] == DERIVED_VERSION + 1


def test_lists_and_exports_replay_nothing_once_derived(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _recorded(store)

    def no_replay(*args: object) -> None:
        raise AssertionError("a session was replayed")

    monkeypatch.setattr(derived_module, "replay", no_replay)
    assert [line.id for line in list_sessions(store)] == ids
    assert [len(d.steps) for d in exported(store, ids)] == [5, 5, 5]
    assert detail(store, ids[-1]).comparison is not None


def test_a_read_only_file_still_shows_the_right_figures(store: HistoryStore) -> None:
    ids = _recorded(store, 2)
    store.read_only = True  # as opened on a read-only disk: nothing can be kept
    assert [round(line.average_s or 0, 3) for line in list_sessions(store)] == [
        round((71 + 72 + 66) / 3, 3),
        round((72 + 72 + 66) / 3, 3),
    ]
    assert ids


def test_records_pack_small_and_come_back_exactly(store: HistoryStore) -> None:
    process = Process(1000.0, WALL0)
    presses = [
        (K.START, 0.0),
        (K.MARK, 71.3),
        (K.PAUSE, 5.0),
        (K.RESUME, 40.0),
        (K.MARK, 60.0),
        (K.MARK, 70.0),
        (K.SKIP, 3.0),
        (K.END, 10.0),
    ]
    runner = record_session(store, process, presses, new_session())
    records = runner.session.records
    blob = pack_records(records)
    assert unpack_records(blob) == records
    assert len(blob) <= 12 * len(records) + 16  # a start written once, one pause


# -- the version follows the code -------------------------------------------------------------

DERIVING = (
    Path(trackside.core.__file__).parent / "fold.py",
    Path(trackside.core.__file__).parent / "session.py",
    Path(trackside.core.__file__).parent / "results.py",
    Path(trackside.core.__file__).parent / "stats.py",
    Path(trackside.history.__file__).parent / "derived.py",
)
FINGERPRINTS = {1: "e15d4e0c"}
"""The code that derives the history, by DERIVED_VERSION: its syntax without docstrings."""


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in DERIVING:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            first = body[0] if isinstance(body, list) and body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                body[0] = ast.Pass()  # type: ignore[index] # a docstring: not what is derived
        digest.update(ast.dump(tree).encode())
    return digest.hexdigest()[:8]


def test_the_derived_version_follows_the_code_that_derives() -> None:
    assert FINGERPRINTS.get(DERIVED_VERSION) == _fingerprint(), (
        "The code that derives the history's splits and statistics changed. If what it works "
        "out could change, bump DERIVED_VERSION in trackside/history/derived.py (every kept "
        "row is then derived again); either way, record the new fingerprint in FINGERPRINTS: "
        f"{{{DERIVED_VERSION}: {_fingerprint()!r}}}"
    )


def test_a_best_effort_changed_by_hand_is_put_right(store: HistoryStore, db_path: Path) -> None:
    ids = _recorded(store, 3)  # 400 m reps; the fastest of all, 66.0, in every session
    _tamper(db_path, "UPDATE bests SET seconds = 30.0 WHERE session_id = ?", ids[1])
    _tamper(db_path, "DELETE FROM bests WHERE session_id = ?", ids[2])
    found = progress(store)
    (best,) = found.bests
    assert (best.distance_m, best.seconds, best.session_id) == (400.0, 66.0, ids[0])
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT session_id, seconds FROM bests ORDER BY session_id")
        kept = rows.fetchall()
    conn.close()
    assert kept[:2] == [(ids[0], 66.0), (ids[1], 66.0)]  # derived again from the actions
