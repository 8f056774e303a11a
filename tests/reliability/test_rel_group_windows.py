"""One window per group: a coach's running group is held like any session (each athlete's
session under the lease of the process timing it). A second window, the real program's
``trackside resume``, finds it held, says so in one line and writes nothing to it: never the
group, never one athlete alone; the first window's keys still go to the file after it.
"""

from __future__ import annotations

import time
from pathlib import Path

from rel_records import Home, contents

from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind
from trackside.core.group import Athlete, Group
from trackside.core.group_runner import GroupRunner
from trackside.core.plan import Display, Plan, Step, StepKind
from trackside.history.groups import GroupLog, latest_unfinished_group
from trackside.history.resume import Held
from trackside.history.store import HistoryStore, NewSession
from trackside.history.stored import Athlete as StoredAthlete

PLAN = Plan(
    "2 x 400m",
    (
        Step(StepKind.WORK, 400.0, "400m", effort="3K effort", rep=1),
        Step(StepKind.RECOVERY, 400.0, "400m", min_s=60.0, max_s=90.0, activity="jog"),
        Step(StepKind.WORK, 400.0, "400m", effort="3K effort", rep=2),
    ),
    Display.EFFORT,
)
NAMES = ("Ann", "Ben", "Cid")


def running_group(store: HistoryStore, clock: FakeClock) -> GroupRunner:
    """This process timing a group of three: started, Ann's first rep marked."""
    news = [
        NewSession("2x400", PLAN.name, PLAN, 3, None, StoredAthlete(0, name, str(i + 1)))
        for i, name in enumerate(NAMES)
    ]
    log = GroupLog(store, "Tuesday squad", 3, news)
    runner = GroupRunner(Group([Athlete(n, PLAN) for n in NAMES], 3), clock, log=log)
    runner.act_all(ActionKind.START)
    clock.advance(3 + 70)
    runner.act(0, ActionKind.MARK)
    return runner


def test_a_second_window_never_takes_a_running_group(tmp_path: Path) -> None:
    home = Home(tmp_path)
    home.db.parent.mkdir(parents=True)
    clock = FakeClock(100.0)
    with HistoryStore(home.db) as store:
        runner = running_group(store, clock)
        assert isinstance(runner.log, GroupLog)
        assert runner.log.unsaved == 0
        before = contents(home.db)
        assert len(before["leases"]) == 3  # every athlete's session held by this process
        # This process's own search finds the group is its own, not another window's ...
        held: list[Held] = []
        assert latest_unfinished_group(store, wall=time.time, held=held) is not None
        assert held == []

        for argv in (("resume", "--show"), ("resume",)):
            done = home.run(*argv)
            assert done.returncode == 2, done.stderr
            (line,) = done.stderr.splitlines()
            assert "is open in another window" in line
            assert "not resumed here" in line
            assert "Traceback" not in done.stderr
        after = contents(home.db)
        assert after["sessions"] == before["sessions"]
        assert after["actions"] == before["actions"]
        assert [lease[:2] for lease in after["leases"]] == [lease[:2] for lease in before["leases"]]

        # ... and the first window's keys still reach the file after the second one looked.
        clock.advance(5)
        runner.act(1, ActionKind.MARK)
        assert runner.log.unsaved == 0
        assert len(contents(home.db)["actions"]) == len(before["actions"]) + 1
