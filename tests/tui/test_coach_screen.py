"""The coach's screen through Pilot: a key per athlete, the coach's own keys, the Summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from coach_helpers import CoachRig, coach_rig, lineup_of, short_preset
from textual.pilot import Pilot
from textual.widgets import DataTable

from trackside import paths
from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind, Phase
from trackside.core.session import Session
from trackside.history.service import store_group_logs
from trackside.history.store import HistoryStore, Status
from trackside.presets.loader import PresetEntry
from trackside.presets.roster import saved_rosters
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.coach_view import RowView, row_view
from trackside.tui.coaching import CoachStart
from trackside.tui.screens import coach as coach_module
from trackside.tui.screens.coach import CoachScreen
from trackside.tui.screens.confirm import ConfirmScreen
from trackside.tui.screens.group_summary import AthleteSummaryScreen, GroupSummaryScreen
from trackside.tui.screens.rosters import RosterScreen
from trackside.tui.widgets.athlete_rows import AthleteRows, words_lines
from trackside.tui.widgets.headline import Headline


@pytest.fixture
def three(tmp_path: Path) -> CoachRig:
    return coach_rig(lineup_of("Ann,Ben,Cid", short_preset(tmp_path)))


def phases(rig: CoachRig) -> list[Phase]:
    return [s.running_phase for s in rig.group.sessions]


def row_text(rig: CoachRig, athlete: int) -> str:
    shown = rig.screen.query_one(AthleteRows).shown[athlete]
    assert shown is not None
    return "\n".join(words_lines(shown, 60, 6, False))


async def started(rig: CoachRig, pilot: Pilot[int]) -> None:
    await pilot.press("space")
    await rig.advance(pilot, 3)
    assert phases(rig) == [Phase.REP] * 3


async def test_each_key_marks_its_own_athlete_only(three: CoachRig) -> None:
    rig = three
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")  # before the start: nobody's key does anything
        assert not rig.group.started
        await started(rig, pilot)
        await rig.advance(pilot, 20)
        await pilot.press("2")
        assert phases(rig) == [Phase.REP, Phase.RECOVERY, Phase.REP]
        await rig.advance(pilot, 1.5)
        await pilot.press("1")
        await rig.advance(pilot, 2)
        await pilot.press("3")
        assert phases(rig) == [Phase.RECOVERY] * 3
        splits = [s.records[0].duration for s in rig.group.sessions]
        assert splits == pytest.approx([21.5, 20.0, 23.5])
        assert "last 21.5" in row_text(rig, 0)


async def test_an_early_press_is_refused_on_that_athletes_row(three: CoachRig) -> None:
    rig = three
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await started(rig, pilot)
        await rig.advance(pilot, 20)
        await pilot.press("1")
        await rig.advance(pilot, 1)
        await pilot.press("1")  # the window opens at 4 s: refused, the reason on Ann's row
        assert rig.group.sessions[0].running_phase is Phase.RECOVERY
        assert "window opens in 0:03 · g then 1 starts now" in row_text(rig, 0)
        assert "window opens" not in row_text(rig, 1)
        await rig.advance(pilot, 3)  # open now: the same key starts her next rep
        await pilot.press("1")
        assert rig.group.sessions[0].current_rep == 2


async def test_a_recovery_left_alone_starts_the_next_rep_at_its_maximum(three: CoachRig) -> None:
    rig = three
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await started(rig, pilot)
        await rig.advance(pilot, 20)
        await pilot.press("3")
        await rig.advance(pilot, 5.9)
        assert rig.group.sessions[2].running_phase is Phase.RECOVERY
        await rig.advance(pilot, 0.2)
        assert rig.group.sessions[2].current_rep == 2
        assert [s.current_rep for s in rig.group.sessions] == [1, 1, 2]


async def test_g_then_a_key_sends_that_athlete_now(three: CoachRig) -> None:
    rig = three
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await started(rig, pilot)
        await rig.advance(pilot, 20)
        await pilot.press("1", "2")
        await rig.advance(pilot, 1)
        await pilot.press("g")
        assert "GO NOW" in rig.screen.query_one(Headline).shown
        assert rig.screen.query_one(Headline).has_class("armed")
        await pilot.press("2")
        assert [s.current_rep for s in rig.group.sessions] == [None, 2, 1]
        assert rig.group.sessions[1].actions[-1].kind is ActionKind.GO_NOW
        assert not rig.screen.query_one(Headline).has_class("armed")


async def test_u_then_a_key_takes_back_that_athletes_last_mark(three: CoachRig) -> None:
    rig = three
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await started(rig, pilot)
        await rig.advance(pilot, 20)
        await pilot.press("1", "2")
        await rig.advance(pilot, 1)
        await pilot.press("u", "2")
        assert phases(rig) == [Phase.RECOVERY, Phase.REP, Phase.REP]


async def test_an_armed_key_lapses_and_esc_cancels_it(three: CoachRig) -> None:
    rig = three
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await started(rig, pilot)
        await rig.advance(pilot, 20)
        await pilot.press("u")
        await rig.advance(pilot, 3.5)  # lapsed: the key is a plain mark, not an undo
        await pilot.press("1")
        assert phases(rig)[0] is Phase.RECOVERY
        await pilot.press("u", "escape")
        await rig.advance(pilot, 0.5)
        await pilot.press("2")
        assert phases(rig) == [Phase.RECOVERY, Phase.RECOVERY, Phase.REP]


async def test_a_bounce_is_one_press_but_two_athletes_finish_together(three: CoachRig) -> None:
    rig = three
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await started(rig, pilot)
        await rig.advance(pilot, 20)
        await pilot.press("1", "1", "2")  # no time between: 1 bounced, 2 is its own
        assert [len(s.actions) for s in rig.group.sessions] == [2, 2, 1]


async def test_p_pauses_and_resumes_everyone(three: CoachRig) -> None:
    rig = three
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await started(rig, pilot)
        await rig.advance(pilot, 10)
        await pilot.press("p")
        assert rig.group.paused
        assert "PAUSED" in rig.screen.query_one(Headline).shown
        await rig.advance(pilot, 30)
        await pilot.press("p")
        assert not rig.group.paused
        assert [s.elapsed(rig.clock.now()) for s in rig.group.sessions] == [10.0] * 3


async def test_q_asks_then_ends_the_group_into_its_summary(three: CoachRig) -> None:
    rig = three
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await started(rig, pilot)
        await rig.advance(pilot, 20)
        await pilot.press("1")
        await pilot.press("q")
        assert isinstance(rig.app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(rig.app.screen, GroupSummaryScreen)
        assert phases(rig) == [Phase.ENDED] * 3


async def test_a_whole_group_to_its_summary_and_an_athletes_own(three: CoachRig) -> None:
    rig = three
    async with rig.app.run_test(size=(120, 30)) as pilot:
        await started(rig, pilot)
        for rep in range(3):
            await rig.advance(pilot, 20)
            await pilot.press("1")
            await rig.advance(pilot, 1)
            await pilot.press("2")
            await rig.advance(pilot, 1)
            await pilot.press("3")
            if rep < 2:
                await rig.advance(pilot, 7)  # every recovery runs to its maximum: 23 s reps after
        await pilot.pause()
        summary = rig.app.screen
        assert isinstance(summary, GroupSummaryScreen)
        table = summary.query_one(DataTable)
        assert table.row_count == 3
        cells = [str(c) for c in table.get_row_at(1)]
        assert cells[:4] == ["2", "Ben", "3/3", "22.3"]
        assert cells[-3:] == ["21.0", "23.0", "23.0"]
        await pilot.press("3")
        assert isinstance(rig.app.screen, AthleteSummaryScreen)
        assert rig.app.screen.athlete == 2
        await pilot.press("escape")
        assert isinstance(rig.app.screen, GroupSummaryScreen)


async def test_every_mark_is_in_the_history_and_the_summary_says_saved(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.db")
    rig = coach_rig(lineup_of("Ann,Ben", short_preset(tmp_path)), store_group_logs(store))
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await rig.advance(pilot, 3)
        for rep in range(3):
            await rig.advance(pilot, 20)
            await pilot.press("1", "2")
            if rep < 2:
                await rig.advance(pilot, 5)
                await pilot.press("1")  # Ann goes in her window, Ben at its maximum
                await rig.advance(pilot, 1.5)
        await rig.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(rig.app.screen, GroupSummaryScreen)
        assert "Saved to the history" in str(rig.app.screen.query_one("#kept").render())
    stored = store.sessions()
    assert [s.athlete.name for s in stored if s.athlete] == ["Ann", "Ben"]
    assert [s.status for s in stored] == [Status.COMPLETED] * 2
    for session, on_disk in zip(rig.group.sessions, stored, strict=True):
        assert [a.action for a in store.actions(on_disk.id)] == list(session.actions)
    store.close()


async def test_the_picker_offers_the_saved_rosters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    folder = paths.user_rosters_dir()
    (folder / "tuesday.toml").write_text(
        'name = "Tuesday squad"\n[[athlete]]\nname = "Ann"\n[[athlete]]\nname = "Ben"\nkey = "b"\n',
        encoding="utf-8",
    )
    (folder / "broken.toml").write_text("[[athlete]]\nname = 3\n", encoding="utf-8")
    entry = PresetEntry("short", tmp_path / "short.toml", "user", short_preset(tmp_path))
    app = TracksideApp(
        clock=FakeClock(),
        library=[entry],
        settings=Settings(countdown_s=3),
        coach=CoachStart(rosters=saved_rosters),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, RosterScreen)
        await pilot.press("enter")  # the broken one, listed first: it says why, and stays
        assert isinstance(app.screen, RosterScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CoachScreen)
        assert screen.keypad.keys == ("1", "b")
        assert screen.title_text == "Tuesday squad"
        await pilot.press("space")
        assert screen.runner.group.started


async def test_a_tick_redraws_only_the_rows_whose_moment_came(
    three: CoachRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    rig = three
    drawn: list[str] = []

    def counted(key: str, name: str, session: Session, now: float) -> RowView:
        drawn.append(name)
        return row_view(key, name, session, now)

    monkeypatch.setattr(coach_module, "row_view", counted)
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await started(rig, pilot)
        await rig.advance(pilot, 20.2)
        await pilot.press("1")
        await rig.advance(pilot, 0.4)
        await pilot.press("2")
        await rig.advance(pilot, 0.7)  # past the keys' highlight: those rows drawn once more
        drawn.clear()
        await rig.advance(pilot, 0.35)  # Ben's recovery clock turns 0:01, no one else's does
        assert drawn == ["Ben"]
        drawn.clear()
        await rig.advance(pilot, 0.4)  # Cid's rep clock turns 0:22
        assert drawn == ["Cid"]
        drawn.clear()
        await rig.advance(pilot, 0.2)  # Ann's turns 0:02
        assert drawn == ["Ann"]


def test_a_coach_key_remapped_onto_an_athletes_digit_is_refused() -> None:
    """The coach's screen is among the screens the keymap is checked against: ``p`` moved to
    ``1`` would take Ann's key, and ``q`` onto ``p`` two actions on one key."""
    from trackside.tui.keys import check_keymap, screen_groups

    checked = check_keymap(
        {"coach-pause": "1", "coach-end": "p", "coach-go-now": "n"}, screen_groups()
    )
    assert checked.keymap == {"coach-go-now": "n"}
    assert len(checked.problems) == 2
    assert "1 is already the key of coach-athlete" in checked.problems[0]


async def test_the_rows_hints_name_the_keys_bound_now(tmp_path: Path) -> None:
    lineup = lineup_of("Ann,Ben,Cid", short_preset(tmp_path))
    rig = coach_rig(lineup, settings=Settings(countdown_s=3, keymap={"coach-go-now": "n"}))
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await started(rig, pilot)
        await rig.advance(pilot, 20)
        await pilot.press("1")
        await rig.advance(pilot, 1)
        await pilot.press("1")
        assert "window opens in 0:03 · n then 1 starts now" in row_text(rig, 0)
        await rig.advance(pilot, 1)  # past the bounce guard of Ann's key
        await pilot.press("n", "1")
        assert rig.group.sessions[0].current_rep == 2
