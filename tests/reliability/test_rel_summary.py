"""Nothing recorded is lost at the Summary: a rating and a note given before an undo (a stray
final press) are shown again at the next summary, still changeable, and stored with the session
in the real history file.

The app runs under Pilot on a real SQLite history, with the fake clock: a 2 x 100m preset is run
to its summary, rated 7 with a note, the final mark undone, the final rep marked again.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from trackside.audio import RecordingPlayer
from trackside.core.clock import FakeClock
from trackside.core.events import Phase
from trackside.history.service import HistoryAtStart
from trackside.history.store import HistoryStore
from trackside.history.views import detail, list_sessions
from trackside.presets.loader import load_preset
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.session import SessionScreen
from trackside.tui.screens.summary import SummaryScreen

PRESET = """\
name = "2 x 100m"
exertion = 6

[[block]]
reps = 2
work = { distance = "100m", effort = "mile effort" }
recovery = { distance = "100m", activity = "walk", min = "0:05", max = "0:10" }
"""


async def advance(app: TracksideApp, clock: FakeClock, pilot: Pilot[int], seconds: float) -> None:
    clock.advance(seconds)
    if isinstance(app.screen, SessionScreen):
        app.screen.tick()
    await pilot.pause()


async def settle(pilot: Pilot[int]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def stored(store: HistoryStore) -> tuple[int | None, str | None, str]:
    (line,) = list_sessions(store)
    overview = detail(store, line.id).overview
    return overview.rating, overview.note, overview.status.value


def shown(summary: SummaryScreen) -> tuple[str, str]:
    felt = str(summary.query_one("#felt", Static).render())
    return felt, summary.query_one("#note", Input).value


async def test_rating_and_note_survive_an_undo_and_a_new_final_mark(tmp_path: Path) -> None:
    (tmp_path / "2x100m.toml").write_text(PRESET)
    preset = load_preset(tmp_path / "2x100m.toml")
    store = HistoryStore(tmp_path / "history.db")
    clock = FakeClock()
    app = TracksideApp(
        clock=clock,
        preset=preset,
        preset_id="2x100m",
        settings=Settings(countdown_s=0),
        audio=RecordingPlayer(),
        history=HistoryAtStart(store),
    )
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("space")  # Ready: the session starts, rep 1
            await advance(app, clock, pilot, 20)
            await pilot.press("space")
            await advance(app, clock, pilot, 7)
            await pilot.press("space")  # rep 2, the final
            await advance(app, clock, pilot, 21)
            await pilot.press("space")
            await settle(pilot)
            first = app.screen
            assert isinstance(first, SummaryScreen)
            await pilot.press("7", "n", *"windy, legs ok", "enter")  # Enter keeps the note
            await settle(pilot)
            assert stored(store) == (7, "windy, legs ok", "completed")
            await pilot.press("u")  # the final press was a stray one
            await pilot.pause()
            assert app.runner is not None
            assert app.runner.session.phase is Phase.REP
            await advance(app, clock, pilot, 4)
            await pilot.press("space")  # the real finish
            await settle(pilot)
            again = app.screen
            assert isinstance(again, SummaryScreen)
            assert again is not first
            felt, note = shown(again)
            assert "7/10" in felt
            assert note == "windy, legs ok"
            assert stored(store) == (7, "windy, legs ok", "completed")
            assert app.runner.session.splits()[-1] == (2, 25)
            await pilot.press("8")  # still changeable
            await settle(pilot)
            assert "8/10" in shown(again)[0]
            assert stored(store)[:2] == (8, "windy, legs ok")
    finally:
        store.close()
    reopened = HistoryStore(tmp_path / "history.db")
    try:
        assert stored(reopened) == (8, "windy, legs ok", "completed")
    finally:
        reopened.close()
