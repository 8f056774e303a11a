"""The app and the history: sessions recorded, rated, resumed, listed; a broken store runs on.

Pilot tests on a fake clock with a real SQLite file in ``tmp_path``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_helpers import Heard, Rig
from textual.pilot import Pilot
from textual.widgets import Static

from trackside import paths
from trackside.audio import CueListener, RecordingPlayer
from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind, Phase
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import start_log
from trackside.history.problems import HistoryProblem
from trackside.history.resume import end_unfinished, latest_unfinished
from trackside.history.service import HistoryAtStart, open_store
from trackside.history.store import HistoryStore, Status
from trackside.presets.checked import CheckedPreset
from trackside.presets.loader import load_preset
from trackside.settings import Settings
from trackside.tui import launch
from trackside.tui.app import TracksideApp
from trackside.tui.launch import run_app
from trackside.tui.screens.history import HistoryScreen, SessionDetailScreen
from trackside.tui.screens.picker import PickerScreen
from trackside.tui.screens.resume import ResumeScreen
from trackside.tui.screens.session import SessionScreen
from trackside.tui.screens.summary import SummaryScreen
from trackside.tui.widgets.session_list import SessionList

# The read-only disk helper lives with the history tests.
sys.path.append(str(Path(__file__).resolve().parents[1] / "history"))
from history_support import read_only_folder  # noqa: E402

# The recovery's window is wide (0:05-0:30): a session left 8 s into it is still in it when the
# app, started on a busy machine, resumes it seconds later.
SHORT = """\
name = "4 x 100m"
exertion = 6
display = "effort"

[[block]]
reps = 4
work = { distance = "100m", effort = "mile effort" }
recovery = { distance = "100m", activity = "walk", min = "0:05", max = "0:30" }
"""


@pytest.fixture
def short(tmp_path: Path) -> CheckedPreset:
    path = tmp_path / "4x100m.toml"
    path.write_text(SHORT)
    return load_preset(path)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    history = HistoryStore(tmp_path / "data" / "history.db")
    (tmp_path / "data").mkdir()
    yield history
    history.close()


def history_rig(
    store: HistoryStore | None,
    preset: CheckedPreset | None = None,
    *,
    problem: HistoryProblem | None = None,
    look: bool = False,
) -> Rig:
    """The app with a fake clock and the real store, as ``run_app`` builds it; with ``look``
    the app opens it and looks for a session left running once its first frame is up."""
    clock = FakeClock()
    player = RecordingPlayer()
    heard = Heard()
    app = TracksideApp(
        clock=clock,
        preset=preset,
        preset_id="4x100m" if preset is not None else None,
        settings=Settings(countdown_s=0),
        listeners=[CueListener(player), heard],
        audio=player,
        history=HistoryAtStart(store, problem, look_later=look),
    )
    told: list[str] = []
    shown = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        told.append(message)
        shown(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    app.told_for_tests = told  # type: ignore[attr-defined]
    return Rig(app, clock, player, heard)


async def run_reps(rig: Rig, pilot: Pilot[int], reps: int, rep_s: float = 20.0) -> None:
    """From Ready: Space, then ``reps`` reps of ``rep_s`` with 7 s recoveries between them."""
    await pilot.press("space")
    for rep in range(reps):
        await rig.advance(pilot, rep_s + rep)
        await pilot.press("space")
        if rig.session.finished:
            return
        await rig.advance(pilot, 7)
        await pilot.press("space")


async def settle(pilot: Pilot[int]) -> None:
    """Let the history's worker threads finish and their answers arrive."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def notices(app: TracksideApp) -> list[str]:
    """Every notice the app showed, those whose ten seconds are over too: on a busy machine a
    test outlives a notice, and what was said is what counts."""
    told: list[str] = app.told_for_tests  # type: ignore[attr-defined]
    return told


async def test_a_session_run_in_the_app_is_stored_with_every_action(
    store: HistoryStore, short: CheckedPreset
) -> None:
    rig = history_rig(store, short)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await run_reps(rig, pilot, 4)
        assert isinstance(rig.app.screen, SummaryScreen)
        await settle(pilot)
        assert "Saved to the history" in str(rig.app.screen.query_one("#kept", Static).render())
        actions = rig.session.actions
    (stored,) = store.sessions()
    assert stored.preset_id == "4x100m"
    assert stored.exertion == 6
    assert stored.status is Status.COMPLETED
    assert [a.action for a in store.actions(stored.id)] == list(actions)
    assert len(actions) == 1 + 4 + 3  # start, four rep marks, three recovery marks


async def test_the_rating_and_note_are_stored(store: HistoryStore, short: CheckedPreset) -> None:
    rig = history_rig(store, short)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await run_reps(rig, pilot, 4)
        summary = rig.app.screen
        assert isinstance(summary, SummaryScreen)
        felt = summary.query_one("#felt", Static)
        assert "prescribed 6/10" in str(felt.render())
        await pilot.press("7")
        await pilot.press("0")  # changed their mind: 10
        assert "Felt 10/10" in str(felt.render())
        await pilot.press("n")
        await pilot.press(*"legs 9 of 10")
        await pilot.press("enter")
        await pilot.press("escape")
        await settle(pilot)
    (stored,) = store.sessions()
    assert (stored.rating, stored.note) == (10, "legs 9 of 10")


async def test_leaving_without_a_rating_still_stores_the_status(
    store: HistoryStore, short: CheckedPreset
) -> None:
    rig = history_rig(store, short)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await run_reps(rig, pilot, 2)
        await pilot.press("q")
        await pilot.press("y")  # end the session early
        assert isinstance(rig.app.screen, SummaryScreen)
        await pilot.press("escape")
        await settle(pilot)
    (stored,) = store.sessions()
    assert stored.status is Status.ENDED_EARLY
    assert stored.rating is None


def left_running(store: HistoryStore, preset: CheckedPreset, recovery_s: float) -> float:
    """A session killed in the recovery after rep 2, that recovery ``recovery_s`` seconds old
    now on the wall clock (the kill was a moment after the last mark); returns that now."""
    plan = preset.to_plan()
    clock = FakeClock()
    presses = [(ActionKind.START, 0.0), (ActionKind.MARK, 20.0), (ActionKind.MARK, 7.0)]
    presses.append((ActionKind.MARK, 21.0))
    start_wall = time.time() - sum(after for _kind, after in presses) - recovery_s
    log = start_log(store, plan, preset_id="4x100m", countdown_s=0, exertion=6)
    began = clock.now()
    runner = Runner(Session(plan, 0), clock, log=log, wall=lambda: start_wall + clock.now() - began)
    for kind, after in presses:
        clock.advance(after)
        runner.act(kind)
    return start_wall + sum(after for _kind, after in presses) + recovery_s


def assert_real_elapsed(elapsed: float, expected: float, left_at: float) -> None:
    """``elapsed`` is ``expected`` plus the wall time since ``left_at`` (a loaded machine may take
    seconds to start the app), to within half a second."""
    since = time.time() - left_at
    assert expected - 0.5 <= elapsed <= expected + since + 0.5, (elapsed, expected, since)


async def answer_prompt(rig: Rig, pilot: Pilot[int], *keys: str) -> ResumeScreen:
    await settle(pilot)
    prompt = rig.app.screen
    assert isinstance(prompt, ResumeScreen)
    await pilot.press(*keys)
    return prompt


async def test_resume_lands_on_the_same_rep_with_the_real_elapsed_time(
    store: HistoryStore, short: CheckedPreset
) -> None:
    left_at = left_running(store, short, recovery_s=8)
    rig = history_rig(store, look=True)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        prompt = await answer_prompt(rig, pilot, "r")
        assert "2 of 4 reps done" in prompt.described
        assert "during recovery" in prompt.described
        assert isinstance(rig.app.screen, SessionScreen)
        assert rig.phase() is Phase.RECOVERY
        assert rig.session.step_index == 3  # the recovery after rep 2
        assert [seconds for _rep, seconds in rig.session.splits()] == [20.0, 21.0]
        assert rig.app.runner is not None
        assert_real_elapsed(rig.session.elapsed(rig.app.runner.now()), 8.0, left_at)
        # It carries on where it was: the window is open, Space starts rep 3, and it is kept.
        await pilot.press("space")
        assert rig.phase() is Phase.REP
        assert rig.session.current_rep == 3
    (stored,) = store.sessions()
    kinds = [stored_action.action.kind for stored_action in store.actions(stored.id)]
    assert kinds == [ActionKind.START, *[ActionKind.MARK] * 4]


async def test_a_recovery_that_ran_out_while_down_ended_at_its_maximum(
    store: HistoryStore, short: CheckedPreset
) -> None:
    left_at = left_running(store, short, recovery_s=50)
    rig = history_rig(store, look=True)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await answer_prompt(rig, pilot, "enter")
        assert rig.phase() is Phase.REP
        assert rig.session.current_rep == 3
        assert rig.app.runner is not None
        assert_real_elapsed(rig.session.elapsed(rig.app.runner.now()), 20.0, left_at)


async def test_save_as_ended_early(store: HistoryStore, short: CheckedPreset) -> None:
    left_running(store, short, recovery_s=8)
    rig = history_rig(store, short, look=True)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await answer_prompt(rig, pilot, "e")
        await settle(pilot)
        assert not isinstance(rig.app.screen, ResumeScreen)
        assert any("ended early" in text for text in notices(rig.app))
    (stored,) = store.sessions()
    assert stored.status is Status.ENDED_EARLY
    assert latest_unfinished(store) is None


async def test_discard_asks_first(store: HistoryStore, short: CheckedPreset) -> None:
    left_running(store, short, recovery_s=8)
    rig = history_rig(store, short, look=True)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await answer_prompt(rig, pilot, "d", "n")  # not sure: asked again
        await answer_prompt(rig, pilot, "d", "y")
        await settle(pilot)
        assert rig.app.screen.__class__.__name__ == "ReadyScreen"
    assert store.sessions() == []
    assert [s.status for s in store.sessions(include_discarded=True)] == [Status.DISCARDED]


async def test_the_history_screen_lists_and_opens_sessions(
    store: HistoryStore, short: CheckedPreset, tmp_path: Path
) -> None:
    left_running(store, short, recovery_s=8)
    unfinished = latest_unfinished(store)
    assert unfinished is not None
    end_unfinished(store, unfinished)
    rig = history_rig(store)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        assert isinstance(rig.app.screen, PickerScreen)
        await pilot.press("h")
        await settle(pilot)
        listing = rig.app.screen
        assert isinstance(listing, HistoryScreen)
        rows = listing.query_one(SessionList)
        assert rows.count == 1
        assert rows.rows_shown > 0
        # reps of 20 and 21 s: a fade of 100 x ((20 + 21) / (20 x 2) - 1) = 2.5 %
        assert rows.pages[0][0].cells[1:] == ("4 x 100m", "2/4", "20.5", "2.5%", "ended early")
        await pilot.press("enter")
        await settle(pilot)
        shown = rig.app.screen
        assert isinstance(shown, SessionDetailScreen)
        text = str(shown.query_one("#detail", Static).render())
        assert "rep 1     20.0" in text
        assert "in window" in text
        await pilot.press("escape", "escape")
        assert isinstance(rig.app.screen, PickerScreen)


async def test_a_broken_store_runs_the_session_and_says_so_once(
    tmp_path: Path, short: CheckedPreset
) -> None:
    path = tmp_path / "history.db"
    path.mkdir()  # a folder where the file should be
    store = HistoryStore(path)
    problem = open_store(store)
    assert problem is not None
    rig = history_rig(store, short, problem=problem)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await run_reps(rig, pilot, 4)
        await settle(pilot)
        summary = rig.app.screen
        assert isinstance(summary, SummaryScreen)
        assert "memory only" in str(summary.query_one("#kept", Static).render())
        await pilot.press("escape")
        await rig.app.workers.wait_for_complete()
        history_notes = [text for text in notices(rig.app) if "history" in text.lower()]
        assert len(history_notes) == 1, history_notes
        assert "Is a directory: sessions still run" in history_notes[0]


async def test_a_read_only_history_runs_the_session_and_says_so_once(
    tmp_path: Path, short: CheckedPreset
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    HistoryStore(folder / "history.db").open()  # a file from before, now on a read-only disk
    with read_only_folder(folder):
        store = HistoryStore(folder / "history.db")
        problem = open_store(store)
        rig = history_rig(store, short, problem=problem)
        async with rig.app.run_test(size=(80, 24)) as pilot:
            await run_reps(rig, pilot, 4)
            await settle(pilot)
            assert isinstance(rig.app.screen, SummaryScreen)
            await pilot.press("5", "escape")
            await settle(pilot)
            history_notes = [text for text in notices(rig.app) if "memory" in text]
            assert len(history_notes) == 1, notices(rig.app)
        store.close()


def test_trackside_resume_goes_straight_to_the_session(
    tmp_path: Path, short: CheckedPreset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    args = argparse.Namespace(preset=None, audio="silent", countdown=None, theme=None)
    args.resume_id = 1
    ran: list[TracksideApp] = []
    monkeypatch.setattr(TracksideApp, "run", lambda app: ran.append(app))
    monkeypatch.setattr(launch, "terminal_problem", lambda: None)  # pytest's stdin
    assert run_app(args) == 2, "nothing to resume: one line and exit 2"
    with HistoryStore(paths.history_db()) as store:
        left_at = left_running(store, short, recovery_s=8)
    assert run_app(args) == 0
    (app,) = ran
    assert not app.history_at_start.look_later, "no prompt: it is resumed at once"
    assert app.runner is not None
    assert app.runner.session.step_index == 3
    assert len(app.runner.session.splits()) == 2
    assert_real_elapsed(app.runner.session.elapsed(app.runner.now()), 8.0, left_at)


def test_trackside_resume_with_nothing_to_resume_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    args = argparse.Namespace(preset=None, audio="silent", countdown=None, theme=None)
    args.resume_id = 1
    assert run_app(args) == 2
    assert capsys.readouterr().err == "trackside: no unfinished session to resume\n"


async def test_the_summary_compares_with_earlier_sessions_of_the_preset(
    store: HistoryStore, short: CheckedPreset
) -> None:
    left_running(store, short, recovery_s=8)  # reps of 20.0 and 21.0 before today
    unfinished = latest_unfinished(store)
    assert unfinished is not None
    end_unfinished(store, unfinished)
    rig = history_rig(store, short)
    async with rig.app.run_test(size=(40, 12)) as pilot:
        await run_reps(rig, pilot, 4, rep_s=19.0)  # 19, 20, 21, 22: average 20.5 again
        await settle(pilot)
        summary = rig.app.screen
        assert isinstance(summary, SummaryScreen)
        box = summary.query_one("#compare-box")
        assert box.display
        assert not box.has_class("hidden")
        text = str(summary.query_one("#compare", Static).render())
        assert "Against 1 earlier session of this preset" in text
        assert "Average  20.5  before 20.5 (+0.0 s)" in text
        assert summary.query_one("#compare-chart").times == (20.5, 20.5)  # type: ignore[attr-defined]
        # The fade before: 100 x ((20 + 21) / (20 x 2) - 1) = 2.5 %; today's reps of 19, 20,
        # 21 and 22: 100 x (82 / (19 x 4) - 1) = 7.89 %
        fades = summary.query_one("#fade-chart").times  # type: ignore[attr-defined]
        assert fades == pytest.approx((2.5, 100 * (82 / 76 - 1)))
        assert "Best reps: 100m 19.0 (personal best, was 20.0)" in text
        figures = str(summary.query_one("#figures", Static).render())
        assert "Fade     7.9%" in figures
        # At 40x12 the rating is on screen without scrolling, and the rest scrolls.
        felt = summary.query_one("#felt")
        assert felt.region.y < 12
        assert summary.query_one("#summary-body").max_scroll_y > 0


async def test_run_preset_after_resuming_another_goes_on_to_ready(
    store: HistoryStore, short: CheckedPreset
) -> None:
    left_running(store, short, recovery_s=8)
    rig = history_rig(store, short, look=True)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await answer_prompt(rig, pilot, "r")
        for wait in (0, 20, 7, 20):  # rep 3, its recovery, rep 4
            await rig.advance(pilot, wait)
            await pilot.press("space")
        assert isinstance(rig.app.screen, SummaryScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert rig.app.screen.__class__.__name__ == "ReadyScreen"
    (stored,) = store.sessions()
    assert stored.status is Status.COMPLETED
    assert len(store.actions(stored.id)) == 8


async def test_the_palette_opens_the_history_but_not_mid_session(
    store: HistoryStore, short: CheckedPreset
) -> None:
    rig = history_rig(store, short)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        titles = [command.title for command in rig.app.get_system_commands(rig.app.screen)]
        assert "History" in titles
        await pilot.press("space")
        rig.app.action_history()
        await pilot.pause()
        assert isinstance(rig.app.screen, SessionScreen)
        assert any("opens from the picker" in text for text in notices(rig.app))
        await pilot.press("q", "y")
        assert isinstance(rig.app.screen, SummaryScreen)
        rig.app.action_history()
        await settle(pilot)
        assert isinstance(rig.app.screen, HistoryScreen)
        await pilot.press("escape")
        assert isinstance(rig.app.screen, SummaryScreen)


# -- the history opened once the first frame is up (``trackside`` and ``trackside run``) -------


async def test_the_app_looks_for_an_unfinished_session_once_it_is_up(
    store: HistoryStore, short: CheckedPreset
) -> None:
    left_running(store, short, recovery_s=8)
    store.close()
    rig = history_rig(store, short, look=True)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        prompt = await answer_prompt(rig, pilot, "r")
        assert isinstance(prompt, ResumeScreen)
        await pilot.pause()
        assert isinstance(rig.app.screen, SessionScreen)
        assert rig.app.runner is not None
        assert len(rig.app.runner.session.splits()) == 2


async def test_a_broken_store_found_once_up_is_told_once(
    tmp_path: Path, short: CheckedPreset
) -> None:
    path = tmp_path / "history.db"
    path.mkdir()  # a folder where the file should be
    rig = history_rig(HistoryStore(path), short, look=True)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await run_reps(rig, pilot, 4)
        await settle(pilot)
        history_notes = [text for text in notices(rig.app) if "history" in text.lower()]
        assert len(history_notes) == 1, history_notes
        assert "Is a directory: sessions still run" in history_notes[0]


def test_run_app_leaves_the_history_to_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    args = argparse.Namespace(preset="21x400m", audio="silent", countdown=None, theme=None)
    ran: list[TracksideApp] = []
    monkeypatch.setattr(TracksideApp, "run", lambda app: ran.append(app))
    monkeypatch.setattr(launch, "terminal_problem", lambda: None)  # pytest's stdin
    assert run_app(args) == 0
    (app,) = ran
    assert app.history_at_start.look_later
    assert app.history.store is not None
    assert not paths.history_db().exists(), "not even created before the first frame"
