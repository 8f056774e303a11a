"""What the session screen shows, worked out without a terminal: words, font, bars, redraws."""

from __future__ import annotations

import re

import pytest
from app_helpers import shipped

from trackside.core.events import ActionKind
from trackside.core.session import Session
from trackside.tui.view import Window, headline, next_redraw, view
from trackside.tui.widgets.font import render_big
from trackside.tui.widgets.headline import fit
from trackside.tui.widgets.rep_strip import draw_strip
from trackside.tui.widgets.window_bar import draw_window

A = ActionKind


@pytest.fixture
def session() -> Session:
    return Session(shipped("21x400m").to_plan(), countdown_s=0)


def test_headlines_say_the_phase(session: Session) -> None:
    started = session.apply(A.START, 0.0).session
    assert headline(started)[0] == "REP 1/21 · 400m · 3K EFFORT"
    recovering = started.apply(A.MARK, 70.0).session
    words = headline(recovering)
    assert words[0] == "RECOVERY · NEXT 2 of 21 · 400m @ 3K effort"
    assert all(re.search(r"REP \d+/\d+", text) is None for text in words)
    paused = recovering.apply(A.PAUSE, 80.0).session
    assert headline(paused)[0].startswith("PAUSED · RECOVERY")


def test_fit_picks_the_longest_that_fits() -> None:
    variants = ("REP 7/21 · 400m · 3K EFFORT", "REP 7/21 · 3K EFFORT", "REP 7/21")
    assert fit(variants, 100) == variants[0]
    assert fit(variants, 22) == variants[1]
    assert fit(variants, 9) == variants[2]
    assert fit(variants, 4) == "REP "


def test_the_redraw_lines_up_with_the_step_not_the_app(session: Session) -> None:
    started = session.apply(A.START, 0.0).session
    recovering = started.apply(A.MARK, 70.3).session  # the recovery starts at 70.3
    assert next_redraw(recovering, 71.0, False) == pytest.approx(71.3)
    assert next_redraw(recovering, 71.3, False) == pytest.approx(72.3)
    # The rep clock is hidden in an effort-display rep: nothing to redraw until a key.
    assert next_redraw(started, 10.0, False) is None
    assert next_redraw(started, 10.25, True) == pytest.approx(11.0)
    # Paused: nothing moves.
    paused = recovering.apply(A.PAUSE, 80.0).session
    assert next_redraw(paused, 90.0, False) is None


def test_the_engine_due_event_comes_first_when_it_is_earlier() -> None:
    plan = shipped("21x400m").to_plan()
    counting = Session(plan, countdown_s=3).apply(A.START, 0.5).session
    assert next_redraw(counting, 0.5, False) == pytest.approx(1.5)


def test_the_view_in_a_window(session: Session) -> None:
    recovering = session.apply(A.START, 0.0).session.apply(A.MARK, 70.0).session
    before = view(recovering, 70.0 + 149, False)
    assert "window-open" not in before.classes
    assert before.big == "2:29"
    assert before.sub == "window opens at 2:30"
    opened = view(recovering, 70.0 + 150, False)
    assert "window-open" in opened.classes
    assert opened.sub == "GO WHEN READY · starts by itself at 3:00"
    last = view(recovering, 70.0 + 176.5, False)
    assert "last-seconds" in last.classes
    assert last.big == "4"
    assert last.window == Window(176.5, 150, 180)
    assert last.strip[:3] == ("done", "todo", "todo")
    assert last.last_split == "1:10.0"


def test_render_big_scales_and_falls_back() -> None:
    small = render_big("2:30", 40, 5)
    large = render_big("2:30", 100, 20)
    assert len(small) == 5
    assert all(len(line) == 40 for line in small)
    assert sum(1 for line in large if line.strip()) > sum(1 for line in small if line.strip())
    assert render_big("2:30", 20, 3)[0].strip().startswith("▀▀█")  # the small font
    assert "2:30" in "".join(render_big("2:30", 10, 2))  # no room at all: plain text
    assert render_big("2:30", 0, 0) == []
    words = render_big("3K EFFORT", 98, 24)
    assert sum(1 for line in words if line.strip()) > 8, "two lines when that is larger"


def test_window_bar_marks() -> None:
    bar, labels = draw_window(Window(100, 150, 180), 60)
    assert bar.count("┃") == 2
    assert "2:30" in labels
    assert "3:00" in labels
    assert labels.index("2:30") < labels.index("3:00")
    assert bar.index("░") < bar.index("┃")


def test_the_strip_centres_on_the_current_rep() -> None:
    states = ("done",) * 15 + ("current",) + ("todo",) * 5
    assert draw_strip(states, "1:12.0", 100) == "■" * 15 + "▶" + "□" * 5 + "  last 1:12.0"
    narrow = draw_strip(states, "1:12.0", 20)
    assert len(narrow) == 20
    assert "▶" in narrow
    assert narrow.endswith(" 1:12.0")


def _final_rep(preset_id: str) -> tuple[Session, float]:
    """The preset run on the key (150 s a step) to 10 s into its final rep, and that moment."""
    plan = shipped(preset_id).to_plan()
    session = Session(plan, countdown_s=0).apply(A.START, 0.0).session
    now = 0.0
    while session.step_index != plan.final_rep_index:
        now += 150.0
        session = session.apply(A.MARK, now).session
    return session, now + 10


def test_the_final_rep_is_named_and_all_you_got_only_when_it_is_all_out() -> None:
    easy, now = _final_rep("6x800m")
    shown = view(easy, now, False)
    assert shown.headline[0] == "FINAL REP 6/6 · 800m · 10K EFFORT"
    assert shown.big == "10K EFFORT"
    assert shown.sub == "FINAL REP · SPACE at the finish"
    assert "final" in shown.classes
    assert "all-out" not in shown.classes
    hard, now = _final_rep("21x400m")
    shown = view(hard, now, False)
    assert shown.headline[0] == "FINAL REP 21/21 · 400m · ALL YOU GOT"
    assert shown.big == "ALL YOU GOT"
    assert shown.sub == "ALL YOU GOT · SPACE at the finish"
    assert {"final", "all-out"} <= shown.classes
    assert shown.count == "21/21"


def test_the_narrowest_headline_names_phase_and_rep(session: Session) -> None:
    recovering = session.apply(A.START, 0.0).session.apply(A.MARK, 70.0).session
    assert fit(headline(recovering), 18) == "REC 2/21"
    assert fit(headline(session.apply(A.START, 0.0).session), 18) == "REP 1/21"


def test_the_sub_line_is_never_cut_mid_word() -> None:
    from trackside.tui.view import fit_words

    text = "GO WHEN READY · starts by itself at 3:00"
    assert fit_words(text, 40) == text
    assert fit_words(text, 18) == "GO WHEN READY"
    assert fit_words("window opens in 1:30 · g starts now", 12) == "window opens"
    assert fit_words("ALL YOU GOT", 5) == "ALL"
