"""``trackside history`` shows a group as one line, ``history G1`` opens it to its athletes,
``export --group`` writes every athlete's steps with an ``athlete`` field."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from history_support import PLAN, WALL0, Process, record_session, whole_session

from trackside.__main__ import main
from trackside.core.events import ActionKind
from trackside.core.group import Athlete, Group
from trackside.core.group_runner import GroupRunner
from trackside.history.groups import GroupLog
from trackside.history.store import HistoryStore, NewSession
from trackside.history.stored import Athlete as StoredAthlete

NAMES = ("Ann", "Ben")


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A runner alone, then a group of two who ran all three reps, then the runner again."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = tmp_path / "data" / "trackside" / "history.db"
    path.parent.mkdir(parents=True)
    with HistoryStore(path) as store:
        record_session(store, Process(1000.0, WALL0), whole_session(71.2, 72.4, 65.0))
        process = Process(1000.0, WALL0 + 3600)
        news = [
            NewSession("3x400m", PLAN.name, PLAN, 3, 8, StoredAthlete(0, n, str(i + 1)))
            for i, n in enumerate(NAMES)
        ]
        log = GroupLog(store, "Tuesday squad", 3, news, wall=process.wall)
        group = Group([Athlete(n, PLAN) for n in NAMES], 3)
        runner = GroupRunner(group, process.clock, log=log, wall=process.wall)
        runner.act_all(ActionKind.START)
        process.advance(3 + 70)
        for rep in range(3):
            runner.act(0, ActionKind.MARK)
            process.advance(2)
            runner.act(1, ActionKind.MARK)
            if rep < 2:
                process.advance(70)
                runner.act(0, ActionKind.MARK)  # Ann in her window, Ben at its maximum
                process.advance(70)
        for athlete, session in enumerate(runner.group.sessions):
            assert log.finish(athlete, session)
        later = Process(1000.0, WALL0 + 7200)
        record_session(store, later, whole_session(70.0, 71.0, 64.0))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_group_is_one_line_of_the_history(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "history")
    assert (code, err) == (0, "")
    rows = out.splitlines()[1:]
    assert [row.split()[0] for row in rows] == ["1", "G1", "4"]
    assert "Tuesday squad · 2 athletes" in rows[1]
    assert "completed" in rows[1]


def test_the_groups_line_opens_to_its_athletes(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "history", "G1")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("Tuesday squad: group G1")
    ann = next(line for line in lines if line.startswith("Ann "))
    assert ann.split()[:3] == ["Ann", "3/3", "1:10.0"]
    assert ann.split()[-3:] == ["1:10.0", "1:10.0", "1:10.0"]
    assert "Ben: session 3 (trackside history 3)" in lines
    code, out, err = run(capsys, "history", "G7")
    assert code != 0
    assert err.strip() == f"trackside: no group 7 in {recorded}"


def test_export_group_names_the_athlete_of_every_row(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "export", "--group", "G1")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    reps = [(r["athlete"], r["rep"], r["duration_s"]) for r in rows if r["kind"] == "rep"]
    assert reps[:3] == [("Ann", "1", "70"), ("Ann", "2", "70"), ("Ann", "3", "70")]
    assert {r["athlete"] for r in rows} == {"Ann", "Ben"}
    code, out, err = run(capsys, "export", "--group", "1", "--format", "json")
    assert code == 0
    sessions = json.loads(out)["sessions"]
    assert [(s["session"], s["athlete"]) for s in sessions] == [(2, "Ann"), (3, "Ben")]


def test_export_group_as_fit_writes_a_file_an_athlete(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "fit"
    code, out, err = run(capsys, "export", "--group", "G1", "--format", "fit", "-o", str(folder))
    assert (code, err) == (0, "")
    written = sorted(p.name for p in folder.iterdir())
    assert [Path(line).name for line in out.split()] == written
    assert [name.split("-")[1] for name in written] == ["2", "3"]
    assert all(p.read_bytes()[8:12] == b".FIT" for p in folder.iterdir())


def test_a_bad_group_id_is_one_line(recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "--group", "Tuesday")
    assert code != 0
    assert err.strip() == "trackside: 'Tuesday' is not a group id (G3, from `trackside history`)"
