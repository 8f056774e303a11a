"""Crash and resume: SIGKILL at random moments of random whole sessions, then resume.

The history suite kills one scripted session at 18 chosen moments; here each of 24 drivers runs
its own seeded random session (pauses, stray marks undone, go-now, skips, recoveries ending by
themselves) and is killed at a seeded random moment from its first second to past its end. Every
action a driver saw recorded must be on disk (zero lost), and the resumed session must be where
the truth is, its clock within a second.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rel_kill_driver import COUNTDOWN_S, plan, script

from trackside.core.clock import SessionClock
from trackside.core.events import Action, ActionKind
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.resume import latest_unfinished, resume_session
from trackside.history.store import HistoryStore, Status

DRIVER = Path(__file__).with_name("rel_kill_driver.py")
POINTS = 24
SEED = 7
PLAN = plan()
CLOCK = SessionClock()
"""The drivers' session clock (system-wide: CLOCK_BOOTTIME on Linux), read here to kill them."""


@dataclass
class Killed:
    seed: int
    at: float
    """Seconds after the driver's start."""
    db: Path
    t0: float = 0.0
    acted: list[Action] = field(default_factory=list)
    refused: int = 0
    kill_clock: float = 0.0
    """The session clock when the driver was killed."""
    kill_wall: float = 0.0
    error: str = ""


def kill_points(folder: Path) -> list[Killed]:
    rng = random.Random(SEED)
    points = []
    for number in range(POINTS):
        seed = rng.randrange(10**6)
        length = script(seed)[-1][0]
        points.append(Killed(seed, rng.uniform(0.3, length + 0.3), folder / f"kill-{number}.db"))
    return points


def _drive(killed: Killed) -> None:
    errors = killed.db.with_suffix(".stderr")
    with open(errors, "w") as stderr:
        process = subprocess.Popen(
            [sys.executable, str(DRIVER), str(killed.seed), str(killed.db)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env={**os.environ, "PYTHONPATH": str(DRIVER.parent)},
        )
    assert process.stdout is not None
    first = process.stdout.readline().split()
    if len(first) != 2 or first[0] != "start":
        process.kill()
        process.wait()
        killed.error = f"driver did not start: {first} {errors.read_text()}"
        return
    killed.t0 = float(first[1])
    time.sleep(max(0.0, killed.t0 + killed.at - CLOCK.now()))
    os.kill(process.pid, signal.SIGKILL)
    killed.kill_clock, killed.kill_wall = CLOCK.now(), time.time()
    out = process.stdout.read()
    process.wait(timeout=30)
    for line in out.splitlines():
        word, kind, *rest = line.split()
        if word == "refused":
            killed.refused += 1
        else:
            killed.acted.append(Action(ActionKind(kind), float(rest[0])))
    killed.error = errors.read_text().strip()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[Killed]:
    points = kill_points(tmp_path_factory.mktemp("kill"))
    threads = [threading.Thread(target=_drive, args=(point,)) for point in points]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return points


def test_the_kill_points_spread_over_whole_sessions() -> None:
    points = kill_points(Path("/nonexistent"))
    assert len(points) >= 20
    fractions = sorted(p.at / script(p.seed)[-1][0] for p in points)
    assert fractions[0] < 0.2, fractions
    assert fractions[-1] > 0.9, fractions
    phases = set()
    for point in points:
        keys = [Action(k, t) for t, k in script(point.seed) if k is not None and t < point.at]
        at_kill = Session.replay(PLAN, keys, point.at, COUNTDOWN_S)
        phases.add((at_kill.running_phase.value, at_kill.paused))
    assert {("rep", False), ("rep", True), ("recovery", False), ("countdown", False)} <= phases


def check(run: Killed) -> str:
    """Everything recorded survived and the resumed session is where the truth is."""
    if run.error:
        return f"driver: {run.error}"
    if not run.db.exists() or not run.acted:
        return ""  # killed before the first key was recorded: nothing to lose
    with HistoryStore(run.db) as store:
        (stored,) = store.sessions()
        on_disk = [a.action for a in store.actions(stored.id)]
        if on_disk[: len(run.acted)] != run.acted or len(on_disk) - len(run.acted) not in (0, 1):
            return f"lost or changed: printed {run.acted}, on disk {on_disk}"
        if Session.replay(PLAN, on_disk, run.kill_clock, COUNTDOWN_S).finished:
            if stored.status is not Status.COMPLETED or latest_unfinished(store) is not None:
                return f"a finished session stored as {stored.status}"
            return ""
        unfinished = latest_unfinished(store)
        if unfinished is None or unfinished.id != stored.id:
            return "not offered for resume"
        session, clock, log = resume_session(store, unfinished)
        now = clock.now()
        # The truth: the killed session's clock ran on from the kill as the wall clock did.
        truth_now = run.kill_clock + (time.time() - run.kill_wall)
        if abs(now - truth_now) >= 1.0:
            return f"the resumed clock is {now - truth_now:+.3f} s off"
        resumed = session.advance(now).session
        if resumed.state != Session.replay(PLAN, on_disk, now, COUNTDOWN_S).state:
            return "the resumed session is not the recorded one"
        truth = Session.replay(PLAN, on_disk, truth_now, COUNTDOWN_S)
        if resumed.splits() != truth.splits() and len(resumed.records) == len(truth.records):
            return f"splits {resumed.splits()} != {truth.splits()}"
        same_step = (resumed.step_index, resumed.paused) == (truth.step_index, truth.paused)
        if same_step and abs(resumed.elapsed(now) - truth.elapsed(truth_now)) >= 1.0:
            return f"step clock off: {resumed.elapsed(now)} vs {truth.elapsed(truth_now)}"
        Runner(session, clock, log=log).act(ActionKind.END)
        if len(store.actions(stored.id)) != len(on_disk) + 1 or log.problem is not None:
            return "the resumed session does not record to the same place"
    return ""


def test_random_kills_lose_nothing_and_resume_within_a_second(runs: list[Killed]) -> None:
    problems = [f"seed {r.seed} killed at {r.at:.2f} s: {p}" for r in runs if (p := check(r))]
    assert problems == [], "\n".join(problems)
    recorded = sum(len(run.acted) for run in runs)
    assert recorded > 4 * POINTS, "the drivers ran their sessions"
    assert sum(1 for run in runs if run.acted and run.refused == 0) >= POINTS // 2
