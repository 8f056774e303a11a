"""The kill test, for real: a session in a subprocess, SIGKILLed at many moments, then resumed.

Every driver (``drive_session.py``) runs at once, each with its own history file, and is killed
at its own moment; the checks then read each file as the next trackside would. The drivers and
this test share the session clock (CLOCK_BOOTTIME on Linux, system-wide), so the moment of each
kill is known on the killed session's own clock; the truth at resume is computed from the
wall-clock time of the kill.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest
from drive_session import COUNTDOWN_S, PLAN, SCRIPT

from trackside.core.clock import SessionClock
from trackside.core.events import Action, ActionKind, Phase
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.resume import latest_unfinished, resume_session
from trackside.history.store import HistoryStore, Status

DRIVER = Path(__file__).with_name("drive_session.py")
CLOCK = SessionClock()
"""The drivers' session clock, read here to kill them at their moments."""
STARTUP_TIMEOUT_S = 30.0
MARGIN_S = 0.2
"""Each kill point is at least this far from any key press (but those meant to be right on one)."""


@dataclass(frozen=True)
class KillPoint:
    name: str
    at: float
    """Seconds after the driver's start: at least MARGIN_S from any key press, or right on one."""
    phase: Phase | None
    """The phase at the kill; None for a kill right on a key press (it may be recorded or not)."""
    paused: bool = False
    rep_on_resume: int | None = None
    """The rep the resumed session is in, when the time down settles it."""


POINTS = (
    KillPoint("countdown", 0.5, Phase.COUNTDOWN),
    KillPoint("mid-rep-1", 1.5, Phase.REP),
    KillPoint("recovery-before-window", 2.6, Phase.RECOVERY),
    KillPoint("recovery-inside-window", 3.15, Phase.RECOVERY),
    KillPoint("rep-after-mark-in-window", 3.9, Phase.REP),
    KillPoint("recovery-just-before-undo", 4.8, Phase.RECOVERY),
    KillPoint("right-after-undo", 5.3, Phase.REP),
    KillPoint("paused", 6.0, Phase.REP, paused=True),
    KillPoint("right-after-resume", 6.7, Phase.REP),
    KillPoint("recovery-max-passes-while-down", 7.7, Phase.RECOVERY, rep_on_resume=3),
    KillPoint("recovery-inside-window-2", 8.7, Phase.RECOVERY, rep_on_resume=3),
    KillPoint("rep-started-by-the-window-max", 9.6, Phase.REP),
    KillPoint("recovery-before-go-now", 10.4, Phase.RECOVERY),
    KillPoint("final-rep", 11.3, Phase.REP),
    KillPoint("done", 12.3, Phase.DONE),
    # Right on a key press: killed before, during or after its commit.
    KillPoint("on-a-mark", 2.001, None),
    KillPoint("on-the-undo", 5.003, None),
    KillPoint("on-go-now", 10.605, None),
)


@dataclass
class Killed:
    """What one driver did before it was killed, as it printed it."""

    db: Path
    t0: float = 0.0
    acted: list[Action] = field(default_factory=list)
    kill_clock: float = 0.0
    kill_wall: float = 0.0
    error: str = ""


def _drive(point: KillPoint, killed: Killed) -> None:
    """Start a driver, kill it at ``point.at`` after its start, and collect what it printed."""
    # stderr goes to a file: with two pipes, communicate() would read the raw pipe and lose
    # what readline() has already buffered.
    errors = killed.db.with_suffix(".stderr")
    with open(errors, "w") as stderr:
        process = subprocess.Popen(
            [sys.executable, str(DRIVER), str(killed.db)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    assert process.stdout is not None
    first = process.stdout.readline().split()
    if len(first) != 2 or first[0] != "start":
        process.kill()
        process.wait()
        killed.error = f"driver did not start: {first} {errors.read_text()}"
        return
    killed.t0 = float(first[1])
    time.sleep(max(0.0, killed.t0 + point.at - CLOCK.now()))
    os.kill(process.pid, signal.SIGKILL)
    killed.kill_clock, killed.kill_wall = CLOCK.now(), time.time()
    out = process.stdout.read()  # what it printed before it died, to the end of the pipe
    process.wait(timeout=STARTUP_TIMEOUT_S)
    for line in out.splitlines():
        _word, kind, at, _wall = line.split()
        killed.acted.append(Action(ActionKind(kind), float(at)))
    killed.error = errors.read_text().strip()
    if process.returncode != -signal.SIGKILL:
        killed.error += f" (driver exited with {process.returncode}, not killed)"


def _drive_all(folder: Path) -> dict[str, Killed]:
    """Every kill point's driver, run at the same time (the script lasts about 12 s)."""
    results = {point.name: Killed(folder / f"{point.name}.db") for point in POINTS}
    threads = [
        threading.Thread(target=_drive, args=(point, results[point.name])) for point in POINTS
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=STARTUP_TIMEOUT_S + 20)
    return results


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Killed]:
    """The drivers' results, run once per test run even when pytest-xdist splits the tests.

    With xdist every worker would run its own session fixture, and twice as many drivers would
    compete for the CPU; the first worker runs them and the others read what it wrote (the
    pattern pytest-xdist documents, with a plain ``flock``).
    """
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run_id is None:
        return _drive_all(tmp_path_factory.mktemp("kill"))
    shared = tmp_path_factory.getbasetemp().parent / f"kill-{run_id}"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        saved = shared / "runs.json"
        if not saved.exists():
            results = _drive_all(shared)
            saved.write_text(json.dumps({k: _to_json(v) for k, v in results.items()}))
        return {k: _from_json(v) for k, v in json.loads(saved.read_text()).items()}


def _to_json(run: Killed) -> dict[str, Any]:
    data = asdict(run)
    data["db"] = str(run.db)
    data["acted"] = [[a.kind.value, a.at] for a in run.acted]
    return data


def _from_json(data: dict[str, Any]) -> Killed:
    acted = [Action(ActionKind(kind), at) for kind, at in data.pop("acted")]
    return Killed(**{**data, "db": Path(data["db"]), "acted": acted})


def _on_time(point: KillPoint, run: Killed) -> bool:
    """Whether the driver pressed each key, and the kill came, within the script's margins.

    A machine too busy to keep a 0.2 s schedule cannot tell which phase a kill landed in, so
    the checks of the phase are then left out (with a warning); what was recorded is checked
    whatever the timing.
    """
    offsets = [offset for offset, _kind in SCRIPT[: len(run.acted)]]
    late = [a.at - run.t0 - offset for a, offset in zip(run.acted, offsets, strict=True)]
    late.append(run.kill_clock - run.t0 - point.at)
    if len(run.acted) < len(SCRIPT) and SCRIPT[len(run.acted)][0] < point.at:
        # A key due before the kill that the driver had not pressed yet: it was that late.
        late.append(run.kill_clock - run.t0 - SCRIPT[len(run.acted)][0])
    if max(late) < MARGIN_S:
        return True
    warnings.warn(f"{point.name}: {max(late):.2f} s late; phase checks left out", stacklevel=2)
    return False


def _check_script(point: KillPoint, run: Killed) -> None:
    kinds = [a.kind for a in run.acted]
    before = [kind for offset, kind in SCRIPT if offset < point.at]
    if point.phase is None:
        assert kinds in (before, before[:-1]), "the driver kept to its script"
        return
    assert kinds == before, "the driver kept to its script"
    at_kill = Session.replay(PLAN, run.acted, run.kill_clock, COUNTDOWN_S)
    assert (at_kill.running_phase, at_kill.paused) == (point.phase, point.paused)


def _on_disk(store: HistoryStore, session_id: int, run: Killed) -> list[Action]:
    """Every action the driver saw recorded is on disk, exactly; at most the one being
    recorded when the kill came is there too (committed, not yet printed)."""
    actions = [a.action for a in store.actions(session_id)]
    assert actions[: len(run.acted)] == run.acted
    assert len(actions) - len(run.acted) in (0, 1)
    if len(actions) > len(run.acted):
        assert actions[-1].kind is SCRIPT[len(run.acted)][1]
    return actions


@pytest.mark.parametrize("point", POINTS, ids=[point.name for point in POINTS])
def test_killed_session_resumes_where_it_was(runs: dict[str, Killed], point: KillPoint) -> None:
    run = runs[point.name]
    assert run.error == ""
    on_time = _on_time(point, run)
    if on_time:
        _check_script(point, run)

    with HistoryStore(run.db) as store:
        (stored,) = store.sessions()
        recorded = _on_disk(store, stored.id, run)
        assert stored.plan == PLAN
        if Session.replay(PLAN, recorded, run.kill_clock, COUNTDOWN_S).finished:
            assert stored.status is Status.COMPLETED
            assert latest_unfinished(store) is None
            return
        unfinished = latest_unfinished(store)
        assert unfinished is not None
        assert unfinished.id == stored.id
        session, clock, log = resume_session(store, unfinished)
        now = clock.now()
        # The truth: the killed session's clock ran on from the kill as the wall clock did.
        truth_now = run.kill_clock + (time.time() - run.kill_wall)
        truth = Session.replay(PLAN, recorded, truth_now, COUNTDOWN_S)
        resumed = session.advance(now).session
        assert resumed.step_index == truth.step_index
        assert resumed.paused == truth.paused
        assert resumed.splits() == truth.splits()
        assert abs(resumed.elapsed(now) - truth.elapsed(truth_now)) < 1.0
        assert abs(resumed.countdown_left(now) - truth.countdown_left(truth_now)) < 1.0
        if on_time and point.rep_on_resume is not None:
            assert resumed.current_rep == point.rep_on_resume

        # It carries on recording to the same session.
        runner = Runner(session, clock, log=log)
        runner.act(ActionKind.END)
        assert log.session_id == stored.id
        assert len(store.actions(stored.id)) == len(recorded) + 1
        assert store.session(stored.id).status is Status.ENDED_EARLY
        assert log.problem is None
