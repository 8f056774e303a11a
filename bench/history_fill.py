"""Realistic histories for ``bench/history.py``, written through the code the app records with.

Each session is run by the real engine (:class:`Runner` on a fake clock) with a real
:class:`SessionLog`, from the built-in presets: splits around the runner's pace (longer reps
slower per 400m, a little fade through a session), recoveries kept inside their windows (a few
run to their maximum), open recoveries of 20-60 s, some sessions paused, some with a stray
mark undone, some ended early, a few discarded; most rated, some with a note. Sessions are a
day apart (closer when there are more than ten years of them).

The log writes what it kept in memory when the session finishes, in one transaction: the path
a session takes in the app when the file was locked all session long (the app commits each
action as it happens; a fill of 10,000 sessions that way would take an hour of fsyncs).
Only what trackside offered at schema 1 is used, so the same fill runs against an older
checkout for a before-and-after comparison.
"""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind, IllegalAction
from trackside.core.plan import Plan
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import SessionLog
from trackside.history.store import HistoryStore, NewSession, Status
from trackside.paths import builtin_presets_dir
from trackside.presets.loader import load_library

K = ActionKind
DAY = 86_400.0
WALL0 = 1_500_000_000.0
"""2017-07-14: the first session of a filled history."""
MIXES = ("mixed", "21x400m")
"""A history of every built-in preset in turn, or of one preset only (the comparison's worst
case: every earlier session is of the same preset)."""


def presets() -> dict[str, NewSession]:
    """The built-in presets, as sessions start them (a 3 s countdown)."""
    out = {}
    empty = Path("/nonexistent-trackside-user-presets")
    for entry in load_library(builtin_presets_dir(), empty):
        if entry.preset is not None:
            preset = entry.preset
            plan = preset.to_plan()
            out[entry.id] = NewSession(entry.id, preset.name, plan, 3, preset.exertion)
    return out


class Athlete:
    """Runs one session: the runner's pace today and the keys they press."""

    def __init__(self, runner: Runner, clock: FakeClock, rng: random.Random, pace: float) -> None:
        self.runner = runner
        self.clock = clock
        self.rng = rng
        self.pace = pace
        """Seconds per 400m at this session's effort."""

    def wait(self, seconds: float) -> None:
        self.clock.advance(max(0.0, seconds))
        self.runner.tick()

    def press(self, kind: ActionKind, after: float = 0.0) -> None:
        self.wait(after)
        # The step may have ended by itself meanwhile: as on the track, the press does nothing.
        with contextlib.suppress(IllegalAction):
            self.runner.act(kind)

    def step(self, rep_number: int) -> None:
        """Run the current step to its end, as a runner keeping to the plan would."""
        session = self.runner.session
        step = session.step
        if step is None:
            return
        done = session.elapsed(self.clock.now())
        if step.time_s is not None:
            self.wait(step.time_s - done + 0.01)
        elif step.is_rep:
            metres = step.distance_m or 400.0
            split = self.pace * (metres / 400.0) ** 1.06 * (1 + 0.002 * rep_number)
            self.press(K.MARK, split * self.rng.gauss(1.0, 0.015) - done)
        elif step.max_s is not None and self.rng.random() < 0.05:
            self.wait(step.max_s - done + 0.2)  # lost in thought: the window ran out
        elif step.min_s is not None:
            top = step.max_s if step.max_s is not None else step.min_s + 60.0
            self.press(K.MARK, self.rng.uniform(step.min_s + 0.5, top - 0.5) - done)
        else:
            self.press(K.MARK, self.rng.uniform(20.0, 60.0) - done)


def run_session(
    store: HistoryStore, new: NewSession, wall: float, rng: random.Random, pace: float
) -> None:
    """One session from start to its end (or an early end), then stored with its rating."""
    clock = FakeClock(rng.uniform(100.0, 10_000.0))
    offset = wall - clock.now()

    def wall_now() -> float:
        return clock.now() + offset

    log = SessionLog(None, new, wall=wall_now)
    runner = Runner(Session(new.plan, new.countdown_s), clock, log=log, wall=wall_now)
    athlete = Athlete(runner, clock, rng, pace * rng.gauss(1.0, 0.02))
    plan: Plan = new.plan
    end_after = rng.randrange(2, len(plan.steps) + 1) if rng.random() < 0.08 else None
    pause_at = rng.randrange(len(plan.steps)) if rng.random() < 0.1 else None
    stray_at = rng.randrange(len(plan.steps)) if rng.random() < 0.03 else None
    athlete.press(K.START)
    athlete.wait(new.countdown_s)
    steps = 0
    while not runner.session.finished:
        if steps == end_after:
            athlete.press(K.END, rng.uniform(5.0, 40.0))
            break
        if steps == pause_at:
            athlete.press(K.PAUSE, rng.uniform(5.0, 20.0))
            athlete.press(K.RESUME, rng.uniform(20.0, 180.0))
        step = runner.session.step
        rep = step.rep if step is not None and step.rep is not None else 0
        athlete.step(rep)
        if steps == stray_at and runner.session.step is not None:
            athlete.press(K.MARK, 1.5)  # a stray press ...
            athlete.press(K.UNDO, 3.0)  # ... taken back
        steps += 1
    rating = rng.randint(5, 10) if rng.random() < 0.7 else None
    note = rng.choice(["windy", "felt strong", "heavy legs", "track busy"])
    log.store = store  # written now, in one go (see the module's docstring)
    log.finish(runner.session, rating, note if rng.random() < 0.1 else None)
    if rng.random() < 0.02 and log.session_id is not None:
        store.set_status(log.session_id, Status.DISCARDED, runner.session.now)


def fill(path: Path, count: int, mix: str, seed: int = 14) -> None:
    """Write ``count`` sessions of ``mix`` (see :data:`MIXES`) to the history at ``path``."""
    library = presets()
    ids = sorted(library) if mix == "mixed" else [mix]
    rng = random.Random(seed)
    spacing = min(DAY, 3650 * DAY / max(count, 1))
    pace = 84.0  # a runner getting fitter over the years: 84 s to 72 s a 400m at 3K effort
    with HistoryStore(path) as store:
        for number in range(count):
            preset_id = ids[number % len(ids)] if mix == "mixed" else mix
            today = pace - 12.0 * number / max(count, 1)
            run_session(store, library[preset_id], WALL0 + number * spacing, rng, today)
