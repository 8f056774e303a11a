"""Damage stays local: one session that cannot be read (edited by hand, written by a broken
tool) is listed as damaged, with its id and one reason, and skipped; every other session lists,
shows and exports as usual (exit 0 and a warning line), in the app's History screen too. A
history on a full or read-only disk is still read.

Each case damages session 2 of four in a real history file, the way a hand or a tool would,
then runs the real program on it as a process (and the app headless, on the same file).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from rel_records import Home, contents, files, history, one_line
from rel_support import fill, read_only, small_disk
from textual.widgets import Static

from trackside.core.clock import FakeClock
from trackside.history.service import HistoryAtStart
from trackside.history.store import HistoryStore
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.history import HistoryScreen, SessionDetailScreen
from trackside.tui.widgets.session_list import SessionList

YEAR_30000 = 884_541_340_800.0
BAD_STEP = (
    '{"format":1,"name":"x","display":"time","steps":[{"kind":"work","distance_m":"=1+1",'
    '"distance_text":"400m","time_s":null,"min_s":null,"max_s":null,"effort":null,'
    '"all_out":false,"activity":null,"note":null,"rep":1}]}'
)


@dataclass(frozen=True)
class Damage:
    name: str
    sql: tuple[str, ...]
    reason: str | None
    """The reason given; None: not damage to the session (a figure kept for speed, derived
    again from the actions)."""


CASES = [
    Damage(
        "plan-not-json",
        (
            "INSERT INTO plans (hash, plan_json) VALUES ('bad', '{not json')",
            "UPDATE sessions SET plan_id = (SELECT id FROM plans WHERE hash = 'bad') WHERE id = 2",
        ),
        "its plan cannot be read: stored plan is not JSON",
    ),
    Damage(
        "plan-field-of-the-wrong-type",
        (
            f"INSERT INTO plans (hash, plan_json) VALUES ('bad', '{BAD_STEP}')",
            "UPDATE sessions SET plan_id = (SELECT id FROM plans WHERE hash = 'bad') WHERE id = 2",
        ),
        "its plan cannot be read: stored plan cannot be read: distance_m is '=1+1'",
    ),
    Damage(
        "start-time-text",
        ("UPDATE sessions SET started_wall = 'last tuesday' WHERE id = 2",),
        "its start 'last tuesday' is not a time",
    ),
    Damage(
        "year-30000",
        (f"UPDATE sessions SET started_wall = {YEAR_30000} WHERE id = 2",),
        "its start is dated in the year 30000",
    ),
    Damage(
        "unknown-status",
        ("UPDATE sessions SET status = 'paused-forever' WHERE id = 2",),
        "its status 'paused-forever' is not one trackside writes",
    ),
    Damage(
        "rating-text",
        ("UPDATE sessions SET rating = 'great' WHERE id = 2",),
        "its rating 'great' is not a whole number from 1 to 10",
    ),
    Damage(
        "note-not-text",
        ("UPDATE sessions SET note = x'00ff00' WHERE id = 2",),
        "its note is not text",
    ),
    Damage(
        "action-time-text",
        ("UPDATE actions SET at = 'soon' WHERE session_id = 2 AND seq = 3",),
        "action 3's time 'soon' is not a number",
    ),
    Damage(
        "action-unknown",
        ("UPDATE actions SET kind = 'teleport' WHERE session_id = 2 AND seq = 3",),
        "action 3 is 'teleport', not an action",
    ),
    Damage(
        "action-date-year-30000",
        (f"UPDATE actions SET wall = {YEAR_30000} WHERE session_id = 2 AND seq = 3",),
        "action 3's time of day is dated in the year 30000",
    ),
    Damage(
        "actions-that-cannot-be-replayed",
        ("UPDATE actions SET kind = 'mark' WHERE session_id = 2 AND seq = 0",),
        "it cannot be replayed from its actions",
    ),
    Damage(
        "derived-figures-garbage",
        ("UPDATE derived SET figures = x'0011223344' WHERE session_id = 2",),
        None,
    ),
    Damage(
        "derived-steps-garbage",
        ("UPDATE derived_steps SET records = 'not a blob' WHERE session_id = 2",),
        None,
    ),
    Damage(
        "derived-of-another-session",
        (
            "UPDATE derived SET figures = (SELECT figures FROM derived WHERE session_id = 3), "
            "checksum = (SELECT checksum FROM derived WHERE session_id = 3) WHERE session_id = 2",
        ),
        None,
    ),
]


def damaged_home(tmp_path: Path, damage: Damage) -> Home:
    home = Home(tmp_path)
    history(home.db, sessions=4)
    conn = sqlite3.connect(home.db)
    conn.execute("PRAGMA ignore_check_constraints = ON")  # a hand needs no permission
    for statement in damage.sql:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return home


def _warned(stderr: str, damage: Damage) -> None:
    if damage.reason is None:
        assert stderr == ""
        return
    line = one_line(stderr)
    assert line.startswith(f"trackside: session 2 is damaged ({damage.reason}")
    assert line.endswith("); skipped")


def _ids(rows: list[list[str]]) -> set[str]:
    return {row[0] for row in rows[1:]}


@pytest.mark.parametrize("damage", CASES, ids=[c.name for c in CASES])
def test_one_damaged_session_never_hides_the_others(tmp_path: Path, damage: Damage) -> None:
    home = damaged_home(tmp_path, damage)
    others = ["1", "3", "4"] if damage.reason else ["1", "2", "3", "4"]

    listed = home.run("history")
    assert listed.returncode == 0
    _warned(listed.stderr, damage)
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == others

    shown = home.run("history", "2")
    if damage.reason is None:
        assert shown.returncode == 0, shown.stderr
    else:
        assert shown.returncode == 2
        assert one_line(shown.stderr).startswith(
            f"trackside: session 2 is damaged ({damage.reason}"
        )
    for other in ("1", "3", "4", "latest"):
        assert home.run("history", other).returncode == 0

    exported = home.run("export", "--all")
    assert exported.returncode == 0
    _warned(exported.stderr, damage)
    assert _ids(list(csv.reader(io.StringIO(exported.stdout)))) == set(others)

    as_json = home.run("export", "--all", "--format", "json", "-o", str(tmp_path / "all.json"))
    assert as_json.returncode == 0
    _warned(as_json.stderr, damage)
    sessions = json.loads((tmp_path / "all.json").read_text())["sessions"]
    assert [str(s["session"]) for s in sessions] == others

    fit = home.run("export", "--all", "--format", "fit", "-o", str(tmp_path / "watch"))
    assert fit.returncode == 0
    assert len(list((tmp_path / "watch").iterdir())) == len(others)

    stats = home.run("history", "--stats")
    assert stats.returncode == 0, stats.stderr
    assert stats.stdout.startswith("Personal bests")
    for quiet in (stats, home.run("export"), home.run("resume", "--show")):
        assert "Traceback" not in quiet.stderr


@pytest.mark.parametrize(
    "damage",
    [
        c
        for c in CASES
        if c.name
        in ("plan-not-json", "year-30000", "unknown-status", "start-time-text", "action-time-text")
    ],  # fmt: skip
    ids=lambda c: c.name,
)
async def test_the_history_screen_lists_it_as_damaged(tmp_path: Path, damage: Damage) -> None:
    home = damaged_home(tmp_path, damage)
    store = HistoryStore(home.db)
    app = TracksideApp(
        clock=FakeClock(), settings=Settings(countdown_s=0), history=HistoryAtStart(store)
    )
    try:
        async with app.run_test(size=(110, 30)) as pilot:
            app.action_history()
            screen = await _settled(pilot)
            assert isinstance(screen, HistoryScreen)
            title = str(screen.query_one("#history-title", Static).render())
            assert title.startswith("History: 4 sessions")
            bests = str(screen.query_one("#history-progress", Static).render())
            assert bests.startswith("Personal bests: 400m"), "never 'working out…' for ever"
            listing = screen.query_one(SessionList)
            rows = {row.session_id: row.cells for row in listing.pages[0]}
            assert rows[2][-1] == "damaged"
            assert all(rows[sid][-1] == "completed" for sid in (1, 3, 4))
            listing.cursor = list(rows).index(2)
            await pilot.press("enter")
            detail = await _settled(pilot)
            assert isinstance(detail, SessionDetailScreen)
            said = str(detail.query_one("#detail", Static).render())
            assert said == f"session 2 is damaged ({damage.reason})" or said.startswith(
                f"session 2 is damaged ({damage.reason}"
            )
    finally:
        store.close()


async def _settled(pilot: object) -> object:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen


def test_a_read_only_disk_is_read(tmp_path: Path) -> None:
    home = Home(tmp_path)
    history(home.db, sessions=3)
    before = files(home.db.parent)
    with read_only(home.db.parent):
        listed = home.run("history")
        assert listed.returncode == 0, listed.stderr
        assert len(listed.stdout.splitlines()) == 4
        exported = home.run("export", "--all", "--format", "json")
        assert exported.returncode == 0, exported.stderr
        assert len(json.loads(exported.stdout)["sessions"]) == 3
        assert home.run("history", "2").returncode == 0
        assert home.run("history", "--stats").returncode == 0
    assert files(home.db.parent) == before


@pytest.mark.parametrize("log_left", [False, True])
def test_a_full_disk_is_read(tmp_path: Path, log_left: bool) -> None:
    """A full disk: SQLite cannot make the log's index beside a history closed cleanly (no
    -shm); one left by a crash, with its log, is read through as well."""
    home = Home(tmp_path)
    with small_disk(tmp_path / "data", 4096):  # under 1 MB free counts as full: room to fill
        history(home.db, sessions=3)
        if log_left:
            _crash_leaving_the_log(home.db)
        stored = contents(home.db)
        fill(tmp_path / "data", leave=0)
        listed = home.run("history")
        assert listed.returncode == 0, listed.stderr
        assert len(listed.stdout.splitlines()) == 4
        exported = home.run("export", "--all", "--format", "json")
        assert exported.returncode == 0, exported.stderr
        sessions = json.loads(exported.stdout)["sessions"]
        assert len(sessions) == 3
        if log_left:
            assert sessions[2]["note"] == "written last", "what was only in the log is read"
        assert home.run("history", "3").returncode == 0
        (tmp_path / "data" / "filler").unlink()
        assert contents(home.db) == stored


def _crash_leaving_the_log(db: Path) -> None:
    """A writer killed with its log not yet copied back: the -wal and -shm stay."""
    import subprocess
    import sys

    script = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "c.execute(\"UPDATE sessions SET note = 'written last' WHERE id = 3\")\n"
        "os.kill(os.getpid(), 9)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(db)], check=False, timeout=60)
    assert Path(f"{db}-wal").stat().st_size > 0
