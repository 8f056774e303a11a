"""Helpers for the history tests and for the kill-test driver (run with this folder on its path)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

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


def cannot(reason: str) -> NoReturn:
    """This machine lacks what a test needs: a skip, but a failure in CI (``CI=true``, as
    ``.ci/run`` says), where every test must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: this test must run here)")
    pytest.skip(reason)


def _as_root(*command: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as root: directly as root, else through ``sudo -n`` (no password)."""
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    try:
        return subprocess.run([*prefix, *command], capture_output=True, text=True, check=False)
    except OSError as error:  # no sudo, or not allowed to run it
        return subprocess.CompletedProcess(command, 127, "", str(error))


def _unmount(folder: Path) -> None:
    # A file still open under the mount makes it busy: detach it lazily then.
    if _as_root("umount", str(folder)).returncode:
        _as_root("umount", "-l", str(folder))


@contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """Make ``folder`` read-only for this process, as a read-only disk would be.

    Without root the write bits are taken away (no mount needed). Root ignores them, so as root
    the folder is bind-mounted read-only on itself (a real read-only file system); where that is
    refused the test is skipped, or fails in CI.
    """
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    bound = _as_root("mount", "--bind", str(folder), str(folder))
    if bound.returncode == 0:
        bound = _as_root("mount", "-o", "remount,ro,bind", str(folder))
        if bound.returncode:
            _unmount(folder)
    if bound.returncode:
        cannot(f"cannot bind-mount a folder read-only here: {bound.stderr.strip()}")
    try:
        yield
    finally:
        _unmount(folder)


@contextmanager
def small_disk(folder: Path, size_kb: int) -> Iterator[Path]:
    """A tmpfs of ``size_kb`` mounted at ``folder``, owned by this process's user (as root, or
    through ``sudo -n``); where mounting is refused the test is skipped, or fails in CI."""
    folder.mkdir()
    owner = f"uid={os.getuid()},gid={os.getgid()}"
    done = _as_root("mount", "-t", "tmpfs", "-o", f"size={size_kb}k,{owner}", "tmpfs", str(folder))
    if done.returncode:
        cannot(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        _unmount(folder)


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


class ManualTimer:
    """A :data:`~trackside.history.log.Later` the test fires by hand: the delays asked for, in
    order, and the action waiting (the latest one not called off)."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self._waiting: list[tuple[int, Callable[[], None]]] = []

    def __call__(self, delay: float, action: Callable[[], None]) -> Callable[[], None]:
        self.delays.append(delay)
        entry = (len(self.delays), action)
        self._waiting.append(entry)

        def cancel() -> None:
            if entry in self._waiting:
                self._waiting.remove(entry)

        return cancel

    @property
    def pending(self) -> bool:
        """Whether an action waits to be fired."""
        return bool(self._waiting)

    def fire(self) -> None:
        """Run the action that waits (as its thread would, when its time came)."""
        assert self._waiting, "nothing waits on the timer"
        _number, action = self._waiting.pop()
        action()
