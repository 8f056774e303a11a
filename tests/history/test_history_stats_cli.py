"""``trackside history --stats`` and the statistics of ``history N``, as a runner reads them;
rows a hand edited are shown, not fatal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from history_support import WALL0, Process, new_session, record_session, whole_session

from trackside.__main__ import main
from trackside.core.events import ActionKind
from trackside.core.plan import Plan, Step, StepKind
from trackside.history.store import HistoryStore

K = ActionKind
REST = Step(StepKind.RECOVERY, time_s=60.0)
EFFORTS = Plan(
    "400-1000-3000",
    (
        Step(StepKind.WORK, 400.0, "400m", rep=1),
        REST,
        Step(StepKind.WORK, 1000.0, "1km", rep=2),
        REST,
        Step(StepKind.WORK, 3000.0, "3km", rep=3),
    ),
)


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = tmp_path / "data" / "trackside" / "history.db"
    path.parent.mkdir(parents=True)
    return path


def _efforts(store: HistoryStore, day: int, times: tuple[float, float, float]) -> None:
    """The three efforts, each timed recovery ending by itself in between."""
    presses = [(K.START, 0.0), (K.MARK, times[0]), (K.MARK, 60.0 + times[1])]
    presses.append((K.MARK, 60.0 + times[2]))
    new = new_session(EFFORTS, "efforts")
    record_session(store, Process(1000.0, WALL0 + day * 86_400), presses, new)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_give_bests_and_critical_speed(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HistoryStore(data_home) as store:
        _efforts(store, 0, (64.0, 215.0, 720.0))
        _efforts(store, 7, (62.5, 212.5, 712.5))  # on the line of 4 m/s and 150 m beyond it
    code, out, err = _run(capsys, "history", "--stats")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Personal bests (the fastest marked rep at each distance, 2 sessions):"
    assert lines[1].split()[:4] == ["400m", "1:02.5", "session", "2,"]
    assert lines[2].split()[:2] == ["1km", "3:32.5"]
    assert lines[3].split()[:2] == ["3km", "11:52.5"]
    assert (
        "Critical speed (an estimate): 4.00 m/s, 4:10 a km; D' 150 m; R² 1.000" in out
    )  # the best at each distance: the second session's
    assert "400m 1:02.5, 1km 3:32.5, 3km 11:52.5" in out


def test_stats_say_why_there_is_no_critical_speed(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HistoryStore(data_home) as store:
        record_session(store, Process(1000.0, WALL0), whole_session(71.0, 72.0, 66.0))
    code, out, _ = _run(capsys, "history", "--stats")
    assert code == 0
    assert "400m  1:06.0" in out
    assert "Critical speed: none from the last 90 days of the history" in out
    assert (
        "needs best efforts at 3 or more distances from 400m to 5km (marked reps); has 400m" in out
    )


def test_stats_are_for_the_whole_history(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HistoryStore(data_home) as store:
        record_session(store, Process(1000.0, WALL0), whole_session(71.0, 72.0, 66.0))
    code, out, err = _run(capsys, "history", "1", "--stats")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert "--stats is for the whole history" in err


def test_one_session_shows_its_statistics_and_the_trend(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HistoryStore(data_home) as store:
        for week, reps in enumerate([(74, 76, 70), (73, 74, 69), (71, 72, 66)]):
            record_session(store, Process(1000.0, WALL0 + week * 7 * 86_400), whole_session(*reps))
    code, out, _ = _run(capsys, "history", "3")
    assert code == 0
    # reps 71 and 72 (the all-out final 66 left out of the fade): 100 x (143 / 142 - 1) = 0.7 %;
    # one recovery of two inside its window; the final 66 against 71.5: 7.7 % faster
    assert (
        "fade (Sdec) 0.7%, variation (CV) 1.0%, windows kept 1 of 2 (50%), "
        "final rep 7.7% faster than the rest"
    ) in out
    assert "best reps: 400m 1:06.0 (personal best, was 1:09.0)" in out
    # averages 73.33, 72.0, 69.67: down 1.83 s a session
    assert "average rep, last 3 sessions: " in out
    assert "1:13.3 -> 1:09.6 (-1.83 s a session)" in out
    assert "fade (Sdec), last 3 sessions:" in out


def test_a_note_that_is_not_text_does_not_hide_the_history(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HistoryStore(data_home) as store:
        record_session(store, Process(1000.0, WALL0), whole_session(71.0, 72.0, 66.0))
        record_session(store, Process(1000.0, WALL0 + 86_400), whole_session(70.0, 71.0, 65.0))
    with sqlite3.connect(data_home) as conn:
        conn.execute("UPDATE sessions SET note = CAST(x'ff00fe' AS TEXT) WHERE id = 1")
    conn.close()
    code, out, _ = _run(capsys, "history")
    assert code == 0
    assert len(out.splitlines()) == 3
    code, out, _ = _run(capsys, "history", "1")
    assert code == 0
    assert "note: \ufffd" in out


def test_a_session_row_edited_by_hand_is_one_line_not_a_traceback(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HistoryStore(data_home) as store:
        record_session(store, Process(1000.0, WALL0), whole_session(71.0, 72.0, 66.0))
        record_session(store, Process(1000.0, WALL0 + 86_400), whole_session(70.0, 71.0, 65.0))
    with sqlite3.connect(data_home) as conn:
        conn.execute("UPDATE sessions SET started_wall = 'yesterday' WHERE id = 1")
    conn.close()
    code, out, err = _run(capsys, "history")
    assert code == 0
    assert err == "trackside: session 1 is damaged (its start 'yesterday' is not a time); skipped\n"
    rows = out.splitlines()[1:]
    assert [row.split()[0] for row in rows] == ["2"], "listed as damaged, and skipped"
    code, out, err = _run(capsys, "history", "1")
    assert (code, out) == (2, "")
    assert err == "trackside: session 1 is damaged (its start 'yesterday' is not a time)\n"
    code, out, _ = _run(capsys, "history", "2")
    assert code == 0
    assert "session 2" in out
