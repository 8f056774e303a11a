"""A whole 21 x 400m session run by key presses, with the fake clock and a recording player."""

from __future__ import annotations

import re

from app_helpers import Rig, shipped
from textual.pilot import Pilot
from textual.widgets import DataTable

from trackside.core.events import ActionKind, EndReason, EventKind, Phase
from trackside.core.session import Session
from trackside.tui.screens.ready import ReadyScreen
from trackside.tui.screens.summary import SummaryScreen
from trackside.tui.view import view

REP_FORM = re.compile(r"REP \d+/\d+")


def assert_rep(rig: Rig, rep: int) -> None:
    """The headline says the rep being run, and only that."""
    assert rig.phase() is Phase.REP
    headline = rig.headline()
    assert headline.startswith((f"REP {rep}/21", f"FINAL REP {rep}/21"))
    assert "RECOVERY" not in headline
    assert rig.session.current_rep == rep


def assert_recovery(rig: Rig, next_rep: int) -> None:
    """The headline says RECOVERY and describes the next rep without the ``REP n/N`` form."""
    assert rig.phase() is Phase.RECOVERY
    headline = rig.headline()
    assert headline.startswith("RECOVERY")
    assert REP_FORM.search(headline) is None
    assert f"{next_rep} of 21" in headline


async def start(rig: Rig, pilot: Pilot[int]) -> None:
    """Ready, Space, the 3-2-1, rep 1."""
    assert isinstance(rig.app.screen, ReadyScreen)
    assert "Press SPACE to start" in str(rig.app.screen.query_one("#ready-key").render())
    await pilot.press("space")
    assert rig.phase() is Phase.COUNTDOWN
    assert rig.big() == "3"
    await rig.advance(pilot, 1)
    assert rig.big() == "2"
    await rig.advance(pilot, 2)
    assert_rep(rig, 1)


async def run_rep(rig: Rig, pilot: Pilot[int], rep: int, seconds: float) -> None:
    assert_rep(rig, rep)
    await rig.advance(pilot, seconds)
    await pilot.press("space")


async def test_a_whole_21x400m_session(run21: Rig) -> None:
    rig = run21
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await start(rig, pilot)
        # An effort-display preset: the effort big, no running clock.
        assert rig.big() == "3K EFFORT"
        assert rig.headline() == "REP 1/21 · 400m · 3K EFFORT"

        # Rep 1, then an early press in the recovery is refused and says when the window opens.
        await run_rep(rig, pilot, 1, 75)
        assert_recovery(rig, 2)
        assert rig.screen.query_one("RepStrip").last_split == "1:15.0"  # type: ignore[attr-defined]
        await rig.advance(pilot, 60)
        assert rig.big() == "1:00"
        await pilot.press("space")
        assert_recovery(rig, 2)
        assert "window opens in 1:30" in rig.sub()
        assert "g starts now" in rig.sub()

        # The window opens at 2:30: colour and words change; Space starts rep 2.
        await rig.advance(pilot, 90)
        assert rig.screen.has_class("window-open")
        assert "GO WHEN READY" in rig.sub()
        await pilot.press("space")
        assert_rep(rig, 2)

        # Rep 2, then the recovery runs to 3:00 and rep 3 starts by itself, with a countdown.
        await run_rep(rig, pilot, 2, 74)
        await rig.advance(pilot, 176)
        assert rig.screen.has_class("last-seconds")
        assert rig.big() == "4"
        assert "STARTS IN 4" in rig.sub()
        await rig.advance(pilot, 4)
        assert_rep(rig, 3)
        assert rig.session.records[-1].reason is EndReason.AUTO

        # Undo: a mark taken back puts rep 3 back on, its time still running from its start.
        await run_rep(rig, pilot, 3, 70)
        assert_recovery(rig, 4)
        await rig.advance(pilot, 2)
        await pilot.press("u")
        assert_rep(rig, 3)
        assert rig.session.elapsed() == 72
        await rig.advance(pilot, 1)
        await pilot.press("space")
        assert rig.session.splits()[-1] == (3, 73)

        # Pause in the recovery: obvious, and the paused time is not counted.
        await rig.advance(pilot, 10)
        await pilot.press("p")
        assert rig.screen.has_class("paused")
        assert rig.headline().startswith("PAUSED · RECOVERY")
        assert rig.big() == "PAUSED"
        await rig.advance(pilot, 100)
        await pilot.press("p")
        assert not rig.screen.has_class("paused")
        assert rig.session.elapsed() == 10
        await rig.advance(pilot, 140)
        await pilot.press("space")

        # Rep 4 to 20: a go-now start before the window once, the rest inside the window.
        for rep in range(4, 21):
            await run_rep(rig, pilot, rep, 70 + rep % 3)
            assert_recovery(rig, rep + 1)
            if rep == 10:
                await rig.advance(pilot, 100)
                await pilot.press("g")
            else:
                await rig.advance(pilot, 155)
                await pilot.press("space")

        # The final rep: announced in the recovery before, its own look and words.
        assert rig.screen.has_class("final")
        assert_rep(rig, 21)
        assert rig.screen.has_class("all-out")  # 21x400m's last rep is all out
        assert rig.headline() == "FINAL REP 21/21 · 400m · ALL YOU GOT"
        assert rig.big() == "ALL YOU GOT"
        await rig.advance(pilot, 66)
        await pilot.press("space")
        await pilot.pause()

        summary = rig.app.screen
        assert isinstance(summary, SummaryScreen)
        assert str(summary.query_one("#summary-title").render()) == "Summary"
        table = summary.query_one(DataTable)
        cells = [table.get_row_at(i) for i in range(table.row_count)]
        assert sum(1 for row in cells if str(row[0]).startswith("rep ")) == 21
        assert sum(1 for row in cells if str(row[0]) == "recovery") == 20
        assert [row for row in cells if row[3]] == [
            ["recovery", "1:40.0", "!", "started early (g)"]
        ]
        stats = summary.stats
        assert stats is not None
        assert stats.count == 21
        assert stats.fastest == (21, 66)
        assert stats.slowest == (1, 75)
        assert stats.final == 66
        figures = str(summary.query_one("#figures").render())
        assert "Fastest  rep 21  1:06.0" in figures
        assert "faster than the rest" in figures

    kinds = [event.kind for event in rig.heard.events]
    assert kinds.count(EventKind.WINDOW_OPENED) >= 19
    assert EventKind.FINAL_REP_NEXT in kinds
    assert EventKind.FINAL_REP_STARTED in kinds
    assert kinds[-1] is EventKind.SESSION_DONE
    assert rig.player.played, "the recording player heard the cues"


def test_the_last_recovery_announces_the_final_rep() -> None:
    """What the screen shows in the recovery before the final rep (the view, no terminal; the
    engine's test checks the event comes with that recovery and no other)."""
    plan = shipped("21x400m").plan
    session = Session(plan, 0).apply(ActionKind.START, 0.0).session
    now = 0.0
    for _rep in range(1, 21):
        now += 70
        session = session.apply(ActionKind.MARK, now).session
        shown = view(session, now + 150, show_rep_clock=False)
        if session.next_rep_index != plan.final_rep_index:
            assert "final-next" not in shown.classes
            now += 150
            session = session.apply(ActionKind.MARK, now).session
    assert "final-next" in shown.classes
    assert "FINAL REP NEXT" in shown.sub
    assert "FINAL REP 21 of 21" in shown.headline[0]
    assert REP_FORM.search(shown.headline[0]) is None


async def test_the_window_opening_replaces_any_notice_with_go_when_ready(run21: Rig) -> None:
    rig = run21
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await start(rig, pilot)
        # An early press 2 s before the window: its notice would outlive the opening by 3 s.
        await run_rep(rig, pilot, 1, 75)
        await rig.advance(pilot, 148)
        await pilot.press("space")
        assert "window opens in 0:02" in rig.sub()
        await rig.advance(pilot, 2)
        assert "GO WHEN READY" in rig.sub()
        await pilot.press("space")
        # A stray mark 10 s into rep 2 is flagged for the whole recovery, until the window.
        await run_rep(rig, pilot, 2, 10)
        assert "Too fast: u undoes it" in rig.sub()
        await rig.advance(pilot, 149)
        assert "Too fast" in rig.sub()
        await rig.advance(pilot, 1)
        assert "GO WHEN READY" in rig.sub()
        await pilot.press("u")  # the undo still works once the notice has gone
        assert_rep(rig, 2)
