"""``trackside history``, ``export`` and ``resume``: what a runner sees; one line per problem."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from history_support import WALL0, Process, record_session, whole_session

from trackside.__main__ import main
from trackside.core.events import ActionKind
from trackside.history.store import HistoryStore

K = ActionKind


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "trackside" / "history.db"


@pytest.fixture
def recorded(data_home: Path) -> Path:
    data_home.parent.mkdir(parents=True)
    with HistoryStore(data_home) as store:
        record_session(store, Process(1000.0, WALL0), whole_session(71.2, 72.4, 65.0))
        record_session(store, Process(1000.0, WALL0 + 7 * 86400), whole_session(70.0, 71.0, 64.0))
        record_session(store, Process(1000.0, WALL0 + 8 * 86400), [(K.START, 0), (K.MARK, 70.5)])
    return data_home


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_history_lists_the_sessions(recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "history")
    assert (code, err) == (0, "")
    header, *rows = out.splitlines()
    assert header.split() == ["ID", "DATE", "PRESET", "REPS", "AVERAGE", "STATUS", "FELT"]
    assert len(rows) == 3
    assert "3/3" in rows[0]
    assert "1:09.5" in rows[0]  # (71.2 + 72.4 + 65.0) / 3
    assert rows[0].split()[-2:] == ["completed", "-"]
    assert rows[2].split()[-2:] == ["unfinished", "-"]


def test_history_shows_one_session(recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "history", "2")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("3 x 400m: session 2, ")
    assert lines[0].endswith(", completed")
    assert "reps 3 of 3, average 1:08.3, spread 7.0" in lines[1]
    assert any(line.split()[:4] == ["2", "recovery", "1:05.0", "1:00.0-1:30.0"] for line in lines)
    assert any("in window" in line for line in lines)
    assert any(line.rstrip().endswith("early") for line in lines)
    assert any(line.startswith("against the 1 earlier session of this preset") for line in lines)


def test_history_latest(recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "history", "latest")
    assert out.startswith("3 x 400m: session 3, ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("history", "42"), "trackside: no session 42 in "),
        (("history", "first"), "trackside: 'first' is not a session id"),
        (("export", "42"), "trackside: no session 42 in "),
    ],
)
def test_a_bad_session_is_one_line(
    recorded: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, out, err = _run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_no_history_yet(data_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "history")
    assert code == 2
    assert err.startswith("trackside: no sessions recorded yet")
    assert not data_home.exists()


def test_a_damaged_file_is_moved_aside_and_said_once(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_home.parent.mkdir(parents=True)
    data_home.write_bytes(b"rubbish" * 1000)
    code, out, err = _run(capsys, "history")
    assert (code, out) == (0, "no sessions recorded yet\n")
    assert err.count("\n") == 1
    assert "damaged" in err
    assert "history.db.corrupt-" in err
    assert len(list(data_home.parent.glob("history.db.corrupt-*"))) == 1


def test_export_csv_of_the_latest_by_default(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "export")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["session"], r["kind"], r["duration_s"]) for r in rows] == [
        ("3", "rep", "70.5"),
    ]


def test_export_json_of_one_session(recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "export", "1", "--format", "json")
    assert code == 0
    (session,) = json.loads(out)["sessions"]
    assert [step["kind"] for step in session["steps"]] == ["rep", "recovery"] * 2 + ["rep"]


def test_export_all_to_a_file_a_spreadsheet_reads(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "splits.csv"
    code, out, _ = _run(capsys, "export", "--all", "-o", str(target))
    assert (code, out) == (0, "")
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfsession,step,kind")  # a BOM: Excel then reads UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [r["session"] for r in rows] == ["1"] * 5 + ["2"] * 5 + ["3"]


def test_resume_show_names_the_unfinished_session(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "resume", "--show")
    assert code == 0
    assert out.startswith("resuming 3 x 400m (session 3, started ")
    assert "1 of 3 reps done" in out


def test_resume_with_nothing_unfinished(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_home.parent.mkdir(parents=True)
    with HistoryStore(data_home) as store:
        record_session(store, Process(1000.0, WALL0), whole_session(71.2, 72.4, 65.0))
    code, _, err = _run(capsys, "resume")
    assert code == 2
    assert err == "trackside: no unfinished session to resume\n"


def test_the_history_modules_import_no_sqlite_before_use_and_never_textual() -> None:
    probe = (
        "import sys, importlib\n"
        "import trackside.cli.history_commands\n"
        "assert 'sqlite3' not in sys.modules, 'the command line imported sqlite3'\n"
        "for name in ('store', 'log', 'resume', 'views', 'export', 'text', 'planjson'):\n"
        "    importlib.import_module('trackside.history.' + name)\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual']\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
