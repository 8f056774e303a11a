"""Helpers for the reliability suites (a unique module name: the test folders are not packages)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from trackside.audio import CueListener, RecordingPlayer
from trackside.core.clock import FakeClock
from trackside.core.events import Action, ActionKind, EndReason, Phase
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.runner import Runner
from trackside.core.session import LEGAL, Session
from trackside.history.log import start_log
from trackside.history.service import NewLog
from trackside.history.store import HistoryStore
from trackside.presets.checked import CheckedPreset
from trackside.presets.loader import PresetEntry, load_preset
from trackside.settings import Settings
from trackside.tui.app import TracksideApp

REPO = Path(__file__).resolve().parents[2]
BUILTIN = REPO / "presets"
WALL0 = 1_780_000_000.0
"""A wall-clock time in 2026 where the fake wall clocks start."""


class Hang(Exception):
    """Raised by :func:`deadline` when the code under test took too long."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread if the block runs longer than ``seconds``."""

    def expired(_signum: int, _frame: object) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def short_plan(reps: int = 4, window: tuple[float, float] = (60.0, 90.0)) -> Plan:
    """``reps`` x 400m with a windowed jog between them and an all-out final rep."""
    steps: list[Step] = []
    for rep in range(1, reps + 1):
        final = rep == reps
        steps.append(Step(StepKind.WORK, 400.0, "400m", effort="3K", all_out=final, rep=rep))
        if not final:
            low, high = window
            steps.append(Step(StepKind.RECOVERY, 400.0, "400m", min_s=low, max_s=high))
    return Plan(f"{reps} x 400m", tuple(steps))


@dataclass
class ListLog:
    """An action log that keeps what the runner recorded, in memory."""

    actions: list[tuple[Action, float]] = field(default_factory=list)

    def record(self, action: Action, wall: float) -> None:
        self.actions.append((action, wall))


@dataclass
class Rig:
    """The app around a fake clock, a recording player and an in-memory log."""

    app: TracksideApp
    clock: FakeClock
    player: RecordingPlayer
    logs: list[ListLog]


def make_rig(
    *,
    entries: list[PresetEntry] | None = None,
    preset: CheckedPreset | None = None,
    countdown_s: int = 3,
) -> Rig:
    clock = FakeClock()
    player = RecordingPlayer()
    logs: list[ListLog] = []

    def new_log(_new: NewLog) -> ListLog:
        logs.append(ListLog())
        return logs[-1]

    app = TracksideApp(
        clock=clock,
        library=entries or [],
        preset=preset,
        settings=Settings(countdown_s=countdown_s),
        listeners=[CueListener(player)],
        log_factory=new_log,
        audio=player,
    )
    return Rig(app, clock, player, logs)


def check_invariants(session: Session, now: float | None = None) -> None:
    """What must hold of any session, however it was driven. Raises AssertionError."""
    plan = session.plan
    state = session.state
    # The fold is deterministic: replaying the recorded actions gives the same state.
    replayed = Session.replay(plan, session.actions, session.now, session.countdown_s)
    assert replayed.state == state, "replaying the recorded actions changed the session"
    times = [action.at for action in session.actions]
    assert times == sorted(times), "recorded actions go back in time"
    if now is not None:
        assert session.now <= now + 1e-9, "the session is ahead of its clock"
    assert session.phase in LEGAL
    records = session.records
    assert [r.index for r in records] == list(range(len(records))), "steps run out of order"
    for before, after in zip(records, records[1:], strict=False):
        assert after.started == before.ended, "a gap or an overlap between steps"
    for record in records:
        step = plan.steps[record.index]
        assert record.ended >= record.started
        assert record.paused_s >= -1e-9
        assert record.duration >= -1e-9
        if step.auto_end_s is not None and record.reason is EndReason.AUTO:
            assert abs(record.duration - step.auto_end_s) < 1e-6, "auto end off its time"
        if step.min_s is not None and record.reason is EndReason.MARKED and not step.is_rep:
            assert record.duration >= step.min_s - 1e-6, "a mark taken before the window"
        if step.auto_end_s is not None:
            assert record.duration <= step.auto_end_s + 1e-6, "a step ran past its maximum"
    splits = session.splits()
    assert len(splits) <= plan.total_reps
    assert all(seconds >= -1e-9 for _rep, seconds in splits)  # float sums, never below
    if session.finished:
        assert session.step is None
    elif state.phase not in (Phase.READY, Phase.COUNTDOWN):
        assert session.step is not None
        assert len(records) == session.step_index
        assert session.elapsed() >= 0
        left = session.step_left()
        assert left is None or left >= 0


def kinds(actions: list[Action] | tuple[Action, ...]) -> list[ActionKind]:
    return [action.kind for action in actions]


PLAN_21 = short_plan(21, (150.0, 180.0))
"""21 x 400m as the engine sees it: a 2:30-3:00 jog between reps, the last one all out."""


def whole_session(reps: int = 21) -> list[tuple[ActionKind | None, float]]:
    """Keys for a whole session of ``short_plan(reps, (150, 180))``: (key, seconds after the
    last); a key of None is a tick (a recovery that ends by itself at its maximum).

    Recoveries end on the key in the window, by go-now, or by themselves; one rep is paused
    and resumed, and one stray mark is undone.
    """
    k = ActionKind
    keys: list[tuple[ActionKind | None, float]] = [(k.START, 0.0)]
    for rep in range(1, reps + 1):
        if rep == 5:
            keys += [(k.PAUSE, 20.0), (k.RESUME, 30.0)]
        keys.append((k.MARK, 70.0 + rep % 5))
        if rep == 9:
            keys += [(k.UNDO, 2.0), (k.MARK, 1.0)]
        if rep == reps:
            break
        keys.append([(k.GO_NOW, 100.0), (k.MARK, 160.0), (None, 185.0)][rep % 3])
    return keys


def drive(runner: Runner, clock: FakeClock, keys: list[tuple[ActionKind | None, float]]) -> None:
    """Press ``keys`` on ``runner`` (see :func:`whole_session`), ticking as the app would."""
    for kind, after in keys:
        clock.advance(after)
        runner.tick()
        if kind is not None:
            runner.act(kind)


def stored_session(data: Path, preset_file: Path, note: str) -> None:
    """A session of the preset in ``preset_file`` in the history under ``data`` (a real SQLite
    file): the warm-up skipped, the reps, the recovery and the cool-down marked, rated 7 with
    ``note``."""
    preset = load_preset(preset_file)
    plan = preset.to_plan()
    folder = data / "trackside"
    folder.mkdir(parents=True, exist_ok=True)
    store = HistoryStore(folder / "history.db")
    clock = FakeClock()
    log = start_log(store, plan, preset_id=preset_file.stem, countdown_s=0, preset_name=preset.name)
    runner = Runner(Session(plan, 0), clock, log=log, wall=lambda: 1_780_000_000 + clock.now())
    k = ActionKind
    presses = [(k.START, 0), (k.SKIP, 5), (k.MARK, 75), (k.MARK, 15), (k.MARK, 75), (k.MARK, 60)]
    for kind, after in presses:
        clock.advance(after)
        runner.act(kind)
    assert runner.session.finished
    log.finish(runner.session, 7, note)
    store.close()


# -- disks -------------------------------------------------------------------------------------

# The read-only and full-disk helpers live with the history tests (one place: mounting as root
# or through sudo -n, failing instead of skipping where CI=true).
sys.path.append(str(Path(__file__).resolve().parents[1] / "history"))
from history_support import read_only_folder as read_only  # noqa: E402, F401 (for the suites)
from history_support import small_disk  # noqa: E402, F401 (for the suites)


def fill(folder: Path, leave: int) -> Path:
    """Fill the disk under ``folder`` but ``leave`` bytes; return the filler file."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while handle.write(b"\0" * 4096):
                pass
        except OSError:
            pass
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave))
    return filler
