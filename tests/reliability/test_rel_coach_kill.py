"""The real program timing a group in a real terminal (tmux), killed with SIGKILL mid-group,
then ``trackside resume``: every athlete's every key is on disk, and each carries on where they
were, on the one clock (a split run across the kill counts the time trackside was down)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from test_rel_terminal import Terminal, gone, pytestmark  # noqa: F401  (the same skip)

from trackside.core.events import ActionKind, Phase
from trackside.history.groups import latest_unfinished_group
from trackside.history.resume import replay
from trackside.history.store import HistoryStore

PRESET = """
name = "3 x 200m"

[[block]]
reps = 3
work = { distance = "200m" }
recovery = { activity = "walk", min = 60, max = 90 }
"""
"""A window far longer than the test: nothing happens by itself while it runs."""
K = ActionKind


@pytest.fixture
def terminal(tmp_path: Path) -> object:
    shown = Terminal(tmp_path, "coach-kill")
    yield shown
    shown.close()


def stored_kinds(db: Path) -> list[list[ActionKind]]:
    """Each athlete's actions on disk, in the athletes' order (as the next process reads)."""
    with HistoryStore(db) as store:
        return [[a.action.kind for a in store.actions(s.id)] for s in store.sessions()]


def wait_stored(db: Path, want: list[list[ActionKind]]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if db.exists() and stored_kinds(db) == want:
            return
        time.sleep(0.1)
    raise AssertionError(f"never stored {want}: {stored_kinds(db) if db.exists() else 'none'}")


def test_a_group_killed_mid_way_resumes_every_athlete(terminal: Terminal, tmp_path: Path) -> None:
    preset = tmp_path / "short.toml"
    preset.write_text(PRESET, encoding="utf-8")
    db = tmp_path / "data" / "trackside" / "history.db"
    pid = terminal.start(f"run {preset} --athletes Ann,Ben,Cid --audio silent", (100, 30))
    terminal.wait_for(lambda s: "SPACE starts the group" in s, "the coach's screen")
    terminal.keys("Space")
    terminal.wait_for(lambda s: s.count("REP 1/3") == 3, "everyone in rep 1")
    terminal.keys("1")
    terminal.wait_for(lambda s: "RECOVERY" in s, "Ann in her recovery")
    terminal.keys("2")
    terminal.keys("p")  # everyone paused, then on again: on disk for each athlete
    terminal.wait_for(lambda s: "PAUSED" in s, "the group paused")
    terminal.keys("p")
    terminal.wait_for(lambda s: "PAUSED" not in s, "the group going again")
    marked = [[K.START, K.MARK, K.PAUSE, K.RESUME]] * 2 + [[K.START, K.PAUSE, K.RESUME]]
    wait_stored(db, marked)
    os.kill(pid, signal.SIGKILL)
    assert gone(pid)
    killed_wall = time.time()
    with HistoryStore(db) as store:
        found = latest_unfinished_group(store)
        assert found is not None
        group = found.group_at(found.clock_at(time.time()))
    assert [s.running_phase for s in group.sessions] == [Phase.RECOVERY] * 2 + [Phase.REP]
    terminal.close()

    again = Terminal(tmp_path, "coach-resume")
    try:
        time.sleep(1.0)  # down for a while: Cid's rep 1 goes on counting
        again.start("resume --audio silent", (100, 30))
        shown = again.wait_for(lambda s: "Cid" in s and "REP 1/3" in s, "the group resumed")
        assert shown.count("REP 2/3") == 2, shown  # Ann and Ben: in their recoveries to rep 2
        again.keys("3")
        wait_stored(db, [*marked[:2], [K.START, K.PAUSE, K.RESUME, K.MARK]])
    finally:
        again.close()
    with HistoryStore(db) as store:
        cid = store.sessions()[2]
        actions = store.actions(cid.id)
    start, pause, resume, mark = actions
    split = replay(cid, actions, mark.action.at).records[0].duration
    # Cid's rep 1 spans the kill: on the one clock carried over, it is the wall time from his
    # rep's start (after the 3-2-1) to his mark, less the pause; trackside being down counts.
    on_the_wall = (mark.wall - start.wall - 3) - (resume.wall - pause.wall)
    assert split == pytest.approx(on_the_wall, abs=0.5)
    assert mark.wall - killed_wall > 1.0
