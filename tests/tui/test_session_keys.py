"""The session screen's keys: greyed out by the engine's table, the guard, end, help, mute."""

from __future__ import annotations

from app_helpers import Heard, Rig, rig, shipped
from textual.pilot import Pilot

from trackside.audio import RecordingPlayer
from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind, EndReason, Phase
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.service import HistoryAtStart
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.confirm import ConfirmScreen
from trackside.tui.screens.help import HelpScreen
from trackside.tui.screens.session import SessionScreen
from trackside.tui.screens.summary import SummaryScreen
from trackside.tui.widgets.big_text import BigText


async def into_rep_1(rig: Rig, pilot: Pilot[int]) -> None:
    await pilot.press("space")
    await rig.advance(pilot, 3)
    assert rig.phase() is Phase.REP


async def test_keys_that_do_nothing_now_are_greyed_out(run21: Rig) -> None:
    rig = run21
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await into_rep_1(rig, pilot)
        screen = rig.screen
        assert screen.check_action("mark", ()) is True
        assert screen.check_action("go_now", ()) is None  # only in a recovery
        assert screen.check_action("undo", ()) is None  # nothing marked yet
        assert screen.check_action("pause", ()) is True
        await rig.advance(pilot, 70)
        await pilot.press("space")
        # Early in the recovery the big key stays live: pressing it says when the window opens.
        assert screen.check_action("mark", ()) is True
        assert screen.check_action("go_now", ()) is True
        assert screen.check_action("undo", ()) is True
        await pilot.press("p")
        assert screen.check_action("skip", ()) is None
        assert screen.check_action("mark", ()) is None
        assert screen.check_action("pause", ()) is True  # resumes


async def test_s_skips_the_3_2_1_then_the_step_on_screen(run21: Rig) -> None:
    rig = run21
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        assert rig.phase() is Phase.COUNTDOWN
        await pilot.press("s")  # no 3-2-1: rep 1 at once
        assert rig.phase() is Phase.REP
        assert rig.headline().startswith("REP 1/21")
        await rig.advance(pilot, 40)
        await pilot.press("s")  # rep 1 skipped: no split, on to its recovery
        assert rig.phase() is Phase.RECOVERY
        assert rig.headline().startswith("RECOVERY")
        assert rig.session.records[-1].reason is EndReason.SKIPPED
        assert rig.session.splits() == []
        await pilot.press("s")  # the recovery skipped: rep 2 starts
        assert rig.phase() is Phase.REP
        assert rig.headline().startswith("REP 2/21")
        assert [action.kind for action in rig.session.actions].count(ActionKind.SKIP) == 3


async def test_a_rep_faster_than_the_guard_is_marked_and_undone_with_one_key(run21: Rig) -> None:
    rig = run21
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await into_rep_1(rig, pilot)
        await rig.advance(pilot, 20)  # 400m in 20 s: under 60% of the 43.03 s world record
        await pilot.press("space")
        assert rig.phase() is Phase.RECOVERY
        assert "20.0 for 400m? Too fast: u undoes it" in rig.sub()
        assert rig.screen.has_class("notice")
        await rig.advance(pilot, 30)
        assert "Too fast" in rig.sub(), "the warning stays for the whole recovery"
        await pilot.press("u")
        assert rig.phase() is Phase.REP
        assert rig.session.elapsed() == 50
        assert not rig.screen.has_class("notice")


async def test_a_plausible_rep_gives_no_warning(run21: Rig) -> None:
    rig = run21
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await into_rep_1(rig, pilot)
        await rig.advance(pilot, 26)
        await pilot.press("space")
        assert "Too fast" not in rig.sub()


async def test_end_asks_first_then_shows_the_summary(run21: Rig) -> None:
    rig = run21
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await into_rep_1(rig, pilot)
        await rig.advance(pilot, 70)
        await pilot.press("space")
        await pilot.press("q")
        assert isinstance(rig.app.screen, ConfirmScreen)
        await pilot.press("n")
        assert rig.phase() is Phase.RECOVERY
        await pilot.press("q")
        await pilot.press("y")
        await pilot.pause()
        summary = rig.app.screen
        assert isinstance(summary, SummaryScreen)
        assert "ended early" in str(summary.query_one("#summary-what").render())
        assert summary.stats is not None
        assert summary.stats.count == 1


async def test_help_lists_the_keys_with_their_ids() -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(keymap={"mark": "space,enter,b"}))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await into_rep_1(rigged, pilot)
        await pilot.press("question_mark")
        helper = rigged.app.screen
        assert isinstance(helper, HelpScreen)
        table = str(helper.query_one("#keys").render())
        assert "Space / Enter / b" in table
        assert "[mark]" in table
        assert "[go-now]" in table
        assert "[rep-clock]" in table
        await pilot.press("escape")
        assert rigged.app.screen is rigged.screen


async def test_a_remapped_key_marks() -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(keymap={"mark": "b"}))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await into_rep_1(rigged, pilot)
        await rigged.advance(pilot, 70)
        await pilot.press("space")
        assert rigged.phase() is Phase.REP
        await pilot.press("b")
        assert rigged.phase() is Phase.RECOVERY


async def test_mute_switches_the_player(run21: Rig) -> None:
    rig = run21
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await into_rep_1(rig, pilot)
        await pilot.press("m")
        assert rig.player.muted
        assert "sound off" in rig.sub()
        await pilot.press("m")
        assert not rig.player.muted


async def test_the_rep_clock_toggles_and_shows_the_running_time(run21: Rig) -> None:
    rig = run21
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await into_rep_1(rig, pilot)
        await rig.advance(pilot, 42.5)
        assert rig.big() == "3K EFFORT"
        assert rig.screen.timer_delay is None, "no clock on screen: nothing to redraw"
        await pilot.press("t")
        assert rig.big() == "0:42"
        assert rig.screen.timer_delay == 0.5
        await pilot.press("t")
        assert rig.big() == "3K EFFORT"
        assert rig.phase() is Phase.REP


async def test_a_stray_final_mark_is_undone_from_the_summary() -> None:
    # The engine runs 3 x 4 x 300m to its final rep; the app opens there, as on a resume.
    clock = FakeClock()
    runner = Runner(Session(shipped("3x4x300m").plan, 0), clock)
    runner.act(ActionKind.START)
    while runner.session.current_rep != 12:
        step = runner.session.step
        assert step is not None
        clock.advance(60 if step.auto_end_s is None else 240)
        if step.auto_end_s is None:
            runner.act(ActionKind.MARK)
        else:
            runner.tick()
    clock.advance(60)
    app = TracksideApp(clock=clock, history=HistoryAtStart(resume=runner))
    rigged = Rig(app, clock, RecordingPlayer(), Heard())
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("space")  # the final rep marked: the summary
        await pilot.pause()
        summary = rigged.app.screen
        assert isinstance(summary, SummaryScreen)
        assert summary.can_undo
        await pilot.press("u")
        await pilot.pause()
        assert rigged.phase() is Phase.REP
        assert rigged.session.current_rep == 12
        await rigged.advance(pilot, 5)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(rigged.app.screen, SummaryScreen)
        assert rigged.session.splits()[-1] == (12, 65)


async def test_no_undo_after_the_session_was_ended(run21: Rig) -> None:
    rig = run21
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await into_rep_1(rig, pilot)
        await pilot.press("q")
        await pilot.press("y")
        await pilot.pause()
        summary = rig.app.screen
        assert isinstance(summary, SummaryScreen)
        assert not summary.can_undo
        await pilot.press("u")
        assert rig.app.screen is summary


async def test_a_resumed_session_opens_on_the_session_screen() -> None:
    clock = FakeClock()
    runner = Runner(Session(shipped("21x400m").to_plan(), 0), clock)
    runner.act(ActionKind.START)
    clock.advance(70)
    runner.act(ActionKind.MARK)
    clock.advance(40)
    app = TracksideApp(clock=clock, history=HistoryAtStart(resume=runner))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.runner is runner
        assert screen.query_one(BigText).text == "0:40"


async def test_the_rep_clock_key_is_greyed_for_a_time_display_preset() -> None:
    rigged = rig(shipped("3x4x300m"), settings=Settings(countdown_s=0))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        assert rigged.screen.check_action("rep_clock", ()) is None
