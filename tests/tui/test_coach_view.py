"""What the coach's screen shows, as plain data: rows, lines, the group's next event, keys."""

from __future__ import annotations

import pytest

from trackside.core.events import ActionKind
from trackside.core.group import Athlete, Group
from trackside.core.plan import Plan, Step, StepKind
from trackside.tui.coach_keys import DEBOUNCE_S, PENDING_S, Keypad
from trackside.tui.coach_view import group_headline, next_up, row_line, row_view


def plan(reps: int = 2) -> Plan:
    steps: list[Step] = []
    for n in range(1, reps + 1):
        steps.append(Step(StepKind.WORK, rep=n, distance_m=100.0))
        if n < reps:
            steps.append(Step(StepKind.RECOVERY, min_s=4.0, max_s=30.0))
    return Plan("short", tuple(steps))


def group(names: str = "Ann,Ben,Cid", offsets: tuple[int, ...] = ()) -> Group:
    athletes = [
        Athlete(name, plan(), offsets[i] if i < len(offsets) else 0)
        for i, name in enumerate(names.split(","))
    ]
    return Group(athletes, 3)


def test_a_row_says_the_phase_the_clock_and_the_window() -> None:
    g = group().apply_all(ActionKind.START, 0).group
    g = g.apply(0, ActionKind.MARK, 23.0).group
    ann = row_view("1", "Ann", g.sessions[0], 24.0)
    assert (ann.key, ann.rep, ann.phase, ann.window, ann.last) == (
        "1",
        "2/2",
        "RECOVERY",
        "opens in 0:03",
        "20.0",
    )
    assert "recovery" in ann.classes
    opened = row_view("1", "Ann", g.sessions[0], 27.5)
    assert (opened.phase, opened.window) == ("OPEN", "goes by itself at 0:30")
    assert "window-open" in opened.classes
    going = row_view("1", "Ann", g.sessions[0], 50.5)
    assert going.phase == "GO IN 3"
    assert "last-seconds" in going.classes
    ben = row_view("2", "Ben", g.sessions[1], 24.0)
    assert (ben.phase, ben.clock) == ("REP", "0:21")


@pytest.mark.parametrize("width", [30, 40, 60, 100])
def test_a_row_on_one_line_fits_its_width(width: int) -> None:
    g = group("Alexandra Featherstonehaugh,B,C").apply_all(ActionKind.START, 0).group
    g = g.apply(0, ActionKind.MARK, 23.0).group
    line = row_line(row_view("1", g.athletes[0].name, g.sessions[0], 24.0), None, width)
    assert len(line) <= width
    assert line.startswith("1 Alex")
    notice = row_line(row_view("1", "Ann", g.sessions[0], 24.0), "window opens in 0:03", 100)
    assert "window opens in 0:03" in notice


def test_the_headline_names_the_groups_next_event_and_open_windows() -> None:
    names = ["Ann", "Ben", "Cid"]
    g = group()
    assert "SPACE starts the group (all together)" in group_headline(g, names, "T", 0, False)[0]
    g = g.apply_all(ActionKind.START, 0).group
    g = g.apply(0, ActionKind.MARK, 20.0).group
    g = g.apply(1, ActionKind.MARK, 21.0).group
    upcoming = next_up(g, 22.0)
    assert upcoming is not None
    assert (upcoming.athlete, upcoming.what) == (0, "window opens")
    assert group_headline(g, names, "T", 22.0, False)[0] == "NEXT 0:02 · Ann: window opens"
    assert "OPEN: Ann" in group_headline(g, names, "T", 24.5, False)[0]


def test_a_staggered_start_names_who_starts_next() -> None:
    g = group(offsets=(0, 10, 20)).apply_all(ActionKind.START, 0).group.advance(5.0).group
    upcoming = next_up(g, 5.0)
    assert upcoming is not None
    assert (upcoming.athlete, upcoming.what) == (1, "starts")
    assert upcoming.at == pytest.approx(13.0)


def test_the_keypad_arms_lapses_and_debounces() -> None:
    pad = Keypad(["1", "2", "A"])
    assert pad.athlete_of("a") == pad.athlete_of("A") == 2
    assert pad.athlete_of("x") is None
    assert pad.press(0, 10.0) is ActionKind.MARK
    assert pad.press(0, 10.0 + DEBOUNCE_S / 2) is None  # the same key bounced
    assert pad.press(1, 10.0 + DEBOUNCE_S / 2) is ActionKind.MARK  # another athlete's is not
    pad.arm(ActionKind.GO_NOW, 20.0)
    assert pad.press(2, 21.0) is ActionKind.GO_NOW
    assert pad.press(1, 22.0) is ActionKind.MARK  # taken once, then disarmed
    pad.arm(ActionKind.UNDO, 30.0)
    assert pad.press(1, 30.0 + PENDING_S) is ActionKind.MARK  # lapsed
    pad.arm(ActionKind.UNDO, 40.0)
    assert pad.cancel()
    assert not pad.cancel()
    assert pad.press(0, 41.0) is ActionKind.MARK


def test_a_short_window_says_go_only_once_it_is_open() -> None:
    short = Plan(
        "short",
        (
            Step(StepKind.WORK, rep=1, distance_m=100.0),
            Step(StepKind.RECOVERY, min_s=4.0, max_s=6.0),
            Step(StepKind.WORK, rep=2, distance_m=100.0),
        ),
    )
    g = Group([Athlete("Ann", short)], 3).apply_all(ActionKind.START, 0).group
    g = g.apply(0, ActionKind.MARK, 13.0).group
    early = row_view("1", "Ann", g.sessions[0], 15.0)  # 4 s to the automatic start, not open
    assert (early.phase, early.window) == ("RECOVERY", "opens in 0:02")
    assert "last-seconds" not in early.classes
    going = row_view("1", "Ann", g.sessions[0], 17.5)
    assert (going.phase, going.window) == ("GO IN 2", "goes by itself")


def test_a_rows_parts_are_what_the_session_screen_would_show() -> None:
    """A row takes only the classes, the big clock and the last split of the session screen's
    view (not its headline, hints and strip, ten times a second's turn): the same values."""
    from trackside.tui.view import row_parts, view

    g = group().apply_all(ActionKind.START, 0).group
    g = g.apply(0, ActionKind.MARK, 23.0).group
    g = g.apply(1, ActionKind.PAUSE, 25.0).group
    for session in g.sessions:
        for now in (1.0, 3.5, 24.0, 27.5, 50.5, 60.0):
            whole = view(session, now, show_rep_clock=True)
            assert row_parts(session, now) == (whole.classes, whole.big, whole.last_split)
