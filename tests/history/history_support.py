"""Helpers for the history tests and for the kill-test driver (run with this folder on its path)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind
from trackside.core.plan import Display, Plan, Step, StepKind
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import SessionLog
from trackside.history.store import HistoryStore, NewSession

WALL0 = 1_780_000_000.0
DAY = 86_400.0
"""A wall-clock time in 2026: the fake processes' wall clocks start here."""

PLAN = Plan(
    "3 x 400m",
    (
        Step(StepKind.WORK, 400.0, "400m", effort="3K effort", rep=1),
        Step(StepKind.RECOVERY, 400.0, "400m", min_s=60.0, max_s=90.0, activity="jog"),
        Step(StepKind.WORK, 400.0, "400m", effort="3K effort", rep=2),
        Step(StepKind.RECOVERY, 400.0, "400m", min_s=60.0, max_s=90.0, activity="jog"),
        Step(StepKind.WORK, 400.0, "400m", effort="All You Got", all_out=True, rep=3),
    ),
    Display.EFFORT,
)


def new_session(plan: Plan = PLAN, preset_id: str = "3x400m", countdown_s: int = 0) -> NewSession:
    return NewSession(preset_id, plan.name, plan, countdown_s, exertion=8)


class Process:
    """One fake process: a monotonic clock of its own and a wall clock that moves with it."""

    def __init__(self, mono_start: float, wall_start: float) -> None:
        self.clock = FakeClock(mono_start)
        self._wall_offset = wall_start - mono_start

    def wall(self) -> float:
        return self.clock.now() + self._wall_offset

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)


@contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """Make ``folder`` read-only for this process, as a read-only disk would be.

    Root ignores permission bits, so as root the folder is bind-mounted read-only on itself
    (a real read-only file system); without that capability the test is skipped.
    """
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    mount = subprocess.run(
        f"mount --bind '{folder}' '{folder}' && mount -o remount,ro,bind '{folder}'",
        shell=True,
        capture_output=True,
        check=False,
    )
    if mount.returncode != 0:
        subprocess.run(["umount", str(folder)], capture_output=True, check=False)
        pytest.skip("root without a read-only bind mount cannot make a folder read-only")
    try:
        yield
    finally:
        # A file still open under the mount makes it busy: detach it lazily then.
        if subprocess.run(["umount", str(folder)], capture_output=True, check=False).returncode:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def press(runner: Runner, process: Process, kind: ActionKind, after: float = 0.0) -> None:
    """Wait ``after`` seconds on the process's clock, then press the key for ``kind``."""
    process.advance(after)
    runner.act(kind)


def record_session(
    store: HistoryStore,
    process: Process,
    presses: Sequence[tuple[ActionKind, float]],
    new: NewSession | None = None,
) -> Runner:
    """Run a session through a real SessionLog: each press is (key, seconds after the last)."""
    new = new or new_session()
    log = SessionLog(store, new, wall=process.wall)
    runner = Runner(Session(new.plan, new.countdown_s), process.clock, log=log, wall=process.wall)
    for kind, after in presses:
        press(runner, process, kind, after)
    return runner


def whole_session(rep1: float, rep2: float, final: float) -> list[tuple[ActionKind, float]]:
    """PLAN run to its end: recovery 1 inside its window (65 s), recovery 2 cut short (go now)."""
    return [
        (ActionKind.START, 0.0),
        (ActionKind.MARK, rep1),
        (ActionKind.MARK, 65.0),
        (ActionKind.MARK, rep2),
        (ActionKind.GO_NOW, 50.0),
        (ActionKind.MARK, final),
    ]
