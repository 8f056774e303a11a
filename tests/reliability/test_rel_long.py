"""A session left running for hours (fake clock): memory and the history file grow only with what
was recorded, never with the time that passed or the ticks that measured it.
"""

from __future__ import annotations

import gc
import pickle
import tracemalloc
from pathlib import Path

import pytest
from rel_support import PLAN_21, WALL0, check_invariants, make_rig
from textual.pilot import Pilot

from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind, Event
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import SessionLog
from trackside.history.store import HistoryStore, NewSession
from trackside.presets.models import Preset
from trackside.tui.screens.session import SessionScreen

K = ActionKind
HOUR = 3600.0
NEW = NewSession("21x400m", PLAN_21.name, PLAN_21, 0, 8)


class Rig:
    """A runner on a fake clock, recording into a real history file, counting events."""

    def __init__(self, path: Path, *, ticking: bool = True) -> None:
        self.ticking = ticking
        self.clock = FakeClock(1000.0)
        self.store = HistoryStore(path)
        self.events: list[Event] = []
        wall = lambda: self.clock.now() - 1000.0 + WALL0  # noqa: E731
        self.log = SessionLog(self.store, NEW, wall=wall)
        self.runner = Runner(
            Session(PLAN_21, 0),
            self.clock,
            log=self.log,
            listeners=[lambda _s, events: self.events.extend(events)],
            wall=wall,
        )

    def idle(self, seconds: float, tick: float = 1.0) -> None:
        """Leave it: the app's timer ticks, nobody presses anything (a rig without ticks
        just moves its clock: the baseline for what the ticks cost)."""
        if not self.ticking:
            self.clock.advance(seconds)
            return
        for _ in range(int(seconds / tick)):
            self.clock.advance(tick)
            self.runner.tick()

    def press(self, kind: ActionKind, after: float = 0.0) -> None:
        self.clock.advance(after)
        self.runner.tick()
        self.runner.act(kind)

    def footprint(self) -> tuple[int, int, int]:
        """What the session holds (its pickled size) and what the history file holds."""
        path = self.store.path
        wal = Path(f"{path}-wal")
        disk = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
        return len(pickle.dumps(self.runner.session)), disk, len(self.runner.session.actions)


def _held_by_trackside() -> int:
    """Bytes held by what trackside's code allocated (not the worker's other threads, such as
    the history log's renewal timer, or pytest's own)."""
    gc.collect()
    ours = tracemalloc.Filter(True, "*/trackside/*")
    return sum(
        s.size for s in tracemalloc.take_snapshot().filter_traces([ours]).statistics("filename")
    )


def _held_by_the_app() -> int:
    """Bytes held by what the app's screen, engine, Textual and Rich allocated: not the threads
    an earlier test of the same worker left running (a history log's timer, a player's lanes)."""
    gc.collect()
    ours = [
        tracemalloc.Filter(True, pattern)
        for pattern in ("*/trackside/tui/*", "*/trackside/core/*", "*/textual/*", "*/rich/*")
    ]
    return sum(
        s.size for s in tracemalloc.take_snapshot().filter_traces(ours).statistics("filename")
    )


def test_hours_paused_or_in_an_open_rep_hold_nothing_more(tmp_path: Path) -> None:
    rig = Rig(tmp_path / "history.db")
    rig.press(K.START)
    for _ in range(3):
        rig.press(K.MARK, 72.0)
        rig.press(K.MARK, 160.0)
    rig.press(K.PAUSE, 30.0)
    before = rig.footprint()
    events = len(rig.events)
    tracemalloc.start()
    try:
        rig.idle(2 * HOUR)  # paused for hours: 7200 ticks
        start = _held_by_trackside()
        rig.idle(2 * HOUR)
        end = _held_by_trackside()
    finally:
        tracemalloc.stop()
    assert rig.footprint() == before, "four paused hours changed nothing held or stored"
    assert len(rig.events) == events, "a paused session says nothing"
    assert end - start < 64 * 1024, f"{end - start} bytes more after 7200 more ticks"
    rig.press(K.RESUME)
    resumed = rig.footprint()
    rig.idle(3 * HOUR)  # an effort rep nobody marks: it waits for the key for hours
    assert rig.footprint() == resumed
    assert rig.runner.session.elapsed() == pytest.approx(3 * HOUR + 30.0)
    check_invariants(rig.runner.session, rig.clock.now())
    rig.store.close()


def _days_of_pauses(rig: Rig) -> list[tuple[int, int, int]]:
    rig.press(K.START)
    sizes = []
    for rep in range(1, 22):
        rig.press(K.PAUSE, 40.0)  # paused every rep, for longer and longer
        rig.idle(rep * 600.0, tick=5.0)
        rig.press(K.RESUME)
        rig.press(K.MARK, 35.0)
        if rep < 21:
            rig.idle(181.0, tick=1.0)  # the recovery ends by itself at 3:00
            rig.runner.tick()
        sizes.append(rig.footprint())
    rig.store.close()
    return sizes


def test_the_history_grows_with_the_actions_only(tmp_path: Path) -> None:
    rig = Rig(tmp_path / "history.db")
    sizes = _days_of_pauses(rig)
    session = rig.runner.session
    assert session.finished
    assert session.now - 1000.0 > 36 * HOUR, "a session of a day and a half, in fake time"
    assert len(session.actions) == 1 + 21 * 3
    baseline = Rig(tmp_path / "baseline.db", ticking=False)
    _days_of_pauses(baseline)
    assert baseline.runner.session.actions == session.actions
    assert baseline.runner.session.records == session.records
    # Nothing per tick or per hour: the file is what the same actions make without them.
    on_disk = (tmp_path / "history.db").stat().st_size
    assert on_disk == (tmp_path / "baseline.db").stat().st_size
    pickled = [size for size, _disk, _n in sizes]
    growth = [b - a for a, b in zip(pickled, pickled[1:], strict=False)]
    assert max(growth) < 2 * min(growth) + 200, "each rep costs the same, however long it took"


async def test_the_app_holds_no_more_memory_after_hours_on_screen() -> None:
    preset = Preset.model_validate(
        {
            "name": "long",
            "display": "time",
            "block": [{"reps": 3, "work": {"distance": "400m"}, "recovery": {"min": 60}}],
        }
    ).checked()
    rigged = make_rig(preset=preset, countdown_s=0)
    async with rigged.app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")  # Ready: the first rep starts
        screen = rigged.app.screen
        assert isinstance(screen, SessionScreen)
        rigged.clock.advance(70.0)

        async def minutes(count: int) -> None:
            for _ in range(count):
                rigged.clock.advance(60.0)
                screen.tick()
                await pilot.pause()

        await pilot.press("space")  # into the open recovery, shown with a running clock
        await minutes(40)  # warm the caches
        gc.collect()
        tracemalloc.start()
        try:
            await minutes(60)
            first = _held_by_the_app()
            await minutes(120)
            second = _held_by_the_app()
        finally:
            tracemalloc.stop()
        assert second - first < 256 * 1024, f"{second - first} bytes in two more hours"
        session = screen.runner.session
        assert session.elapsed() == pytest.approx(220 * 60.0)
        assert [a.kind for a, _wall in rigged.logs[0].actions] == [K.START, K.MARK]
        await _end(pilot)


async def _end(pilot: Pilot[int]) -> None:
    await pilot.press("q")
    await pilot.press("y")


@pytest.mark.slow
def test_soak_a_week_with_a_pause_every_five_minutes(tmp_path: Path) -> None:
    rig = Rig(tmp_path / "history.db")
    rig.press(K.START)
    pauses = 7 * 24 * 12  # a week: the rep paused and resumed every five minutes
    for _ in range(pauses):
        rig.idle(240.0, tick=0.25)
        rig.press(K.PAUSE)
        rig.idle(60.0, tick=0.25)
        rig.press(K.RESUME)
    size, disk, actions = rig.footprint()
    assert actions == 1 + 2 * pauses
    # Each commit adds a page to the WAL, which SQLite checkpoints and reuses at 1000 pages.
    assert disk < 4.5 * 1024 * 1024
    rig.store.close()
    assert (tmp_path / "history.db").stat().st_size < 48 * actions + 64 * 1024
    assert size < 300 * actions + 20_000
