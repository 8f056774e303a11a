"""Time: the wall clock jumping (NTP, a time-zone change) never changes a recorded split or
recovery; a laptop suspended mid-recovery (CLOCK_MONOTONIC stops, CLOCK_BOOTTIME and the wall
clock run on) shows the real elapsed time, whether the same process wakes or a new one resumes.
At the history level, with fake clocks (the kernel's faked under the real session clock).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rel_support import WALL0, short_plan

from trackside.audio import CueBatch, CueListener
from trackside.core.clock import FakeClock, SessionClock
from trackside.core.events import ActionKind, EndReason, Phase
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import SessionLog
from trackside.history.resume import latest_unfinished, resume_session
from trackside.history.store import HistoryStore, NewSession, Status
from trackside.history.views import detail

K = ActionKind
PLAN = short_plan(5)  # windows of 60 to 90 s
NEW = NewSession("5x400m", PLAN.name, PLAN, 0, 8)
SCRIPT: list[tuple[K, float]] = [
    (K.START, 0.0),
    (K.MARK, 71.3),  # rep 1
    (K.MARK, 65.0),  # recovery 1, in its window
    (K.PAUSE, 20.0),  # rep 2, paused for a shoelace
    (K.RESUME, 45.0),
    (K.MARK, 50.4),  # rep 2 (70.4 active)
    (K.GO_NOW, 40.0),  # recovery 2 cut short
    (K.MARK, 69.9),  # rep 3
    (K.MARK, 100.0),  # recovery 3 ends by itself at 90 s; rep 4 is marked 10 s later
]
"""(key, seconds after the previous key)."""


class Laptop:
    """A process's two clocks: monotonic (stops in suspend) and wall (jumps, runs on)."""

    def __init__(self, mono: float = 5000.0, wall: float = WALL0) -> None:
        self.clock = FakeClock(mono)
        self._wall = wall

    def wall(self) -> float:
        return self._wall

    def run(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self._wall += seconds

    def jump_wall(self, seconds: float) -> None:
        self._wall += seconds

    def suspend(self, seconds: float) -> None:
        self._wall += seconds  # the monotonic clock does not move


def record(
    store: HistoryStore, laptop: Laptop, jumps: Callable[[int], float]
) -> tuple[Runner, SessionLog]:
    """Run SCRIPT through a real log; before press ``i`` the wall clock jumps ``jumps(i)``."""
    log = SessionLog(store, NEW, wall=laptop.wall)
    runner = Runner(Session(PLAN, 0), laptop.clock, log=log, wall=laptop.wall)
    for index, (kind, after) in enumerate(SCRIPT):
        laptop.run(after)
        laptop.jump_wall(jumps(index))
        runner.act(kind)
    return runner, log


def figures(store: HistoryStore, session_id: int) -> list[tuple[object, ...]]:
    """What the history says of each step: kind, rep, duration, pause, how it ended."""
    return [
        (row.kind, row.rep, round(row.duration_s, 6), round(row.paused_s, 6), row.ended_by)
        for row in detail(store, session_id).steps
    ]


JUMPS: dict[str, Callable[[int], float]] = {
    "steady": lambda i: 0.0,
    "ntp-forward-an-hour": lambda i: 3600.0 if i == 3 else 0.0,
    "ntp-back-an-hour": lambda i: -3600.0 if i == 4 else 0.0,
    "back-a-day-then-forward": lambda i: {2: -86400.0, 6: 90000.0}.get(i, 0.0),
    "drifting-every-press": lambda i: (-1) ** i * 7.5 * i,
}
"""A time-zone change moves no clock at all (``time.time()`` is UTC); NTP and a runner setting
the clock by hand do."""


@pytest.mark.parametrize("name", sorted(JUMPS))
def test_a_wall_clock_jump_changes_no_split_or_recovery(name: str, tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "steady.db") as steady_store:
        steady, steady_log = record(steady_store, Laptop(), JUMPS["steady"])
        expected = figures(steady_store, steady_log.session_id or 0)
    with HistoryStore(tmp_path / f"{name}.db") as store:
        runner, log = record(store, Laptop(), JUMPS[name])
        assert runner.session.splits() == steady.session.splits()
        assert runner.session.records == steady.session.records
        assert figures(store, log.session_id or 0) == expected
        stored = [a.action for a in store.actions(log.session_id or 0)]
        assert stored == list(steady.session.actions)
    # The figures are the runner's: rep 2 ran 70.4 s active, recovery 3 ended at its maximum.
    kinds = [(kind, rep, duration, ended) for kind, rep, duration, _p, ended in expected]
    assert kinds[2] == ("rep", 2, 70.4, "marked")
    assert kinds[5] == ("recovery", None, 90.0, "auto")
    assert kinds[3][3] == "early"


def _resume(path: Path, laptop: Laptop) -> tuple[Session, float, Sequence[object]]:
    """A new process on ``laptop`` finds the session and carries it on."""
    with HistoryStore(path) as store:
        unfinished = latest_unfinished(store, wall=laptop.wall)
        assert unfinished is not None
        session, clock, _log = resume_session(
            store, unfinished, clock=laptop.clock, wall=laptop.wall
        )
        now = clock.now()
        return session.advance(now).session, now, store.actions(unfinished.id)


@pytest.mark.parametrize(
    ("asleep", "phase", "rep", "elapsed"),
    [
        (40.0, Phase.RECOVERY, None, 10.0 + 40.0 + 3.0),  # asleep before the window opened
        (70.0, Phase.RECOVERY, None, 10.0 + 70.0 + 3.0),  # woke inside the window
        (600.0, Phase.REP, 2, 10.0 + 600.0 + 3.0 - 90.0),  # the maximum passed: rep 2 runs
    ],
)
def test_a_laptop_suspended_mid_recovery_resumes_with_the_real_time(
    tmp_path: Path, asleep: float, phase: Phase, rep: int | None, elapsed: float
) -> None:
    path = tmp_path / "history.db"
    laptop = Laptop()
    with HistoryStore(path) as store:
        log = SessionLog(store, NEW, wall=laptop.wall)
        runner = Runner(Session(PLAN, 0), laptop.clock, log=log, wall=laptop.wall)
        runner.act(K.START)
        laptop.run(71.3)
        runner.act(K.MARK)  # rep 1 done: the recovery (60-90 s) starts
        laptop.run(10.0)
        runner.tick()
        laptop.suspend(asleep)  # lid closed: monotonic stops, the wall clock runs on
        # ... and the battery dies in its sleep: the process never runs again.
    woken = Laptop(mono=50.0, wall=laptop.wall() + 3.0)  # a new boot, a new monotonic clock
    session, now, actions = _resume(path, woken)
    assert session.running_phase is phase
    assert session.current_rep == rep
    assert session.elapsed(now) == pytest.approx(elapsed, abs=1e-6)
    assert session.splits() == [(1, pytest.approx(71.3))]
    assert len(actions) == 2, "resuming writes nothing by itself"
    if phase is Phase.REP:
        recovery = session.records[-1]
        assert (recovery.reason, recovery.duration) == (EndReason.AUTO, 90.0)


def test_a_wall_clock_set_back_while_down_counts_as_no_time_not_negative(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    laptop = Laptop()
    with HistoryStore(path) as store:
        log = SessionLog(store, NEW, wall=laptop.wall)
        runner = Runner(Session(PLAN, 0), laptop.clock, log=log, wall=laptop.wall)
        runner.act(K.START)
        laptop.run(30.0)
        runner.act(K.PAUSE)
        laptop.run(12.0)
    back = Laptop(mono=10.0, wall=laptop.wall() - 7200.0)  # the clock was two hours fast
    session, now, _actions = _resume(path, back)
    assert session.paused
    assert session.elapsed(now) == pytest.approx(30.0)
    assert session.running_phase is Phase.REP
    with HistoryStore(path) as store:
        assert store.sessions()[0].status is Status.RUNNING


class Kernel:
    """The system's clocks as the kernel keeps them: CLOCK_MONOTONIC stops while the laptop is
    suspended, CLOCK_BOOTTIME (and the wall clock) run on."""

    def __init__(self, monotonic: float = 5000.0, asleep_before: float = 3600.0) -> None:
        self.monotonic = monotonic
        self.boottime = monotonic + asleep_before  # suspended before, since the boot

    def run(self, seconds: float) -> None:
        self.monotonic += seconds
        self.boottime += seconds

    def suspend(self, seconds: float) -> None:
        self.boottime += seconds

    def clock_gettime(self, which: int) -> float:
        assert which == time.CLOCK_BOOTTIME, "the session clock reads CLOCK_BOOTTIME"
        return self.boottime

    def read_monotonic(self) -> float:
        return self.monotonic


@pytest.fixture
def kernel(monkeypatch: pytest.MonkeyPatch) -> Kernel:
    if not hasattr(time, "CLOCK_BOOTTIME"):
        pytest.skip("no CLOCK_BOOTTIME here: the session clock is time.monotonic")
    faked = Kernel()
    monkeypatch.setattr(time, "clock_gettime", faked.clock_gettime)
    monkeypatch.setattr(time, "monotonic", faked.read_monotonic)
    return faked


@dataclass
class Heard:
    """A player's ``play(cues, due)``, keeping what it was asked and its own clock then."""

    clock: Callable[[], float]
    played: list[tuple[tuple[str, ...], float, float]] = field(default_factory=list)

    def play(self, cues: Sequence[str], due: float | None = None) -> None:
        now = self.clock()
        self.played.append((tuple(cues), now if due is None else due, now))

    def expect(self, batches: Sequence[CueBatch]) -> None:
        """What is told ahead is not kept: each batch comes to ``play`` when it is due."""


def test_a_laptop_suspended_mid_recovery_wakes_with_the_real_time(kernel: Kernel) -> None:
    # The same process sleeps and wakes: the session clock counted the sleep (on CLOCK_MONOTONIC
    # the recovery would still be at 10 s and the runner's window would open 10 minutes late).
    clock = SessionClock()
    assert clock.source == "CLOCK_BOOTTIME"
    player = Heard(time.monotonic)  # the player judges lateness on time.monotonic
    runner = Runner(Session(PLAN, 0), clock, listeners=[CueListener(player, time.monotonic)])
    runner.act(K.START)
    kernel.run(71.3)
    runner.act(K.MARK)  # rep 1 done: the recovery (60-90 s) starts
    kernel.run(10.0)
    runner.tick()
    kernel.suspend(600.0)  # lid closed mid-recovery
    kernel.run(0.5)  # woken: the app ticks
    runner.tick()
    session = runner.session
    recovery = session.records[-1]
    assert (recovery.reason, recovery.duration) == (EndReason.AUTO, 90.0)
    assert session.current_rep == 2
    assert session.elapsed() == pytest.approx(10.0 + 600.0 + 0.5 - 90.0)
    # The cue of the recovery's end reaches the player as late as it really is on the player's
    # own clock (dropped there: a late beep is worse than none)...
    cues, due, heard_at = player.played[-1]
    assert heard_at - due == pytest.approx(10.0 + 600.0 + 0.5 - 90.0)
    # ... and a cue after waking is due at once on the player's clock, not 600 s off.
    kernel.run(65.0)
    runner.act(K.MARK)  # rep 2
    cues, due, heard_at = player.played[-1]
    assert due == pytest.approx(heard_at)


def test_a_suspend_then_a_restart_resumes_on_the_wall_clock(kernel: Kernel, tmp_path: Path) -> None:
    # Recorded on CLOCK_BOOTTIME, resumed by a new process (a new boot: a new clock origin)
    # from the wall clock: the session carries on where the truth is.
    path = tmp_path / "history.db"
    wall = [WALL0]

    def wall_now() -> float:
        return wall[0]

    with HistoryStore(path) as store:
        log = SessionLog(store, NEW, wall=wall_now)
        runner = Runner(Session(PLAN, 0), SessionClock(), log=log, wall=wall_now)
        runner.act(K.START)
        kernel.run(71.3)
        wall[0] += 71.3
        runner.act(K.MARK)
        kernel.suspend(40.0)  # asleep 40 s, then the battery dies
        wall[0] += 40.0
    kernel.boottime, kernel.monotonic = 20.0, 20.0  # rebooted
    wall[0] += 5.0
    with HistoryStore(path) as store:
        unfinished = latest_unfinished(store, wall=wall_now)
        assert unfinished is not None
        session, clock, _log = resume_session(store, unfinished, wall=wall_now)
        assert session.elapsed(clock.now()) == pytest.approx(45.0)
        kernel.run(30.0)  # the new process's session clock carries on
        assert session.advance(clock.now()).session.elapsed(clock.now()) == pytest.approx(75.0)
