"""Keymap and settings problems on the screen, and hints that name the keys bound.

A ``[keymap]`` entry that binds a key to two actions, names no binding, gives no key, or takes
the only way to end or mark (``mark = "q"``) is refused, its binding keeping its own keys, and
named in a notice on the first screen with every other settings problem of the real
config.toml. Every hint on screen then names the key bound: the Ready line, the session's line
under the clock, the stray-press notice, the pause line, the footer, the end question.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from trackside.audio import RecordingPlayer
from trackside.core.clock import FakeClock
from trackside.core.events import Phase
from trackside.presets.loader import load_checked
from trackside.tui.app import TracksideApp
from trackside.tui.keys import check_keymap, screen_groups
from trackside.tui.launch import read_settings
from trackside.tui.screens.confirm import ConfirmScreen
from trackside.tui.screens.ready import ReadyScreen
from trackside.tui.screens.session import SessionScreen

CONFIG = """\
[keymap]
mark = "q"
bogus = "x"
undo = "z"
pause = "b"
skip = ""
end = "e,space"
"""


def painted(app: TracksideApp) -> str:
    """Every character the screen renders now, toasts included, line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def flat(app: TracksideApp) -> str:
    """What is painted, with each line's edges and the toast's borders taken off and the lines
    joined with a space (a notice wraps)."""
    lines = (line.rsplit("▌", 1)[-1].strip(" ▎▊▌▐") for line in painted(app).splitlines())
    return " ".join(line for line in lines if line)


@pytest.mark.parametrize(
    ("wanted", "taken", "refused"),
    [
        ({"mark": "q"}, {}, ["mark", "q is already the key of end (the only way to end"]),
        ({"undo": "space"}, {}, ["undo", "space is already the key of mark (the only way"]),
        ({"end": "g"}, {}, ["end", "g is already the key of go-now"]),
        ({"bogus": "x"}, {}, ["bogus", "no binding has that id"]),
        ({"skip": " , "}, {}, ["skip", "no key given; it keeps s"]),
        ({"mark": "space,b", "undo": "z"}, {"mark": "space,b", "undo": "z"}, []),
        ({"help": "?", "quit": "x"}, {"help": "question_mark", "quit": "x"}, []),
        (
            {"mark": "\x1b]0;t\x07"},
            {},
            ['mark = "\\x1b]0;t\\x07": \\x1b]0;t\\x07 is not a key\'s name'],
        ),
    ],
)
def test_each_refused_entry_keeps_its_own_keys_and_is_named(
    wanted: dict[str, str], taken: dict[str, str], refused: list[str]
) -> None:
    checked = check_keymap(wanted, screen_groups())
    assert checked.keymap == taken
    if refused:
        (line,) = checked.problems
        assert all(words in line for words in refused), line
    else:
        assert checked.problems == ()


def app_on(config: Path, clock: FakeClock) -> TracksideApp:
    """The app as ``run_app`` makes it from the real ``config``, on Ready for 21 x 400m."""
    settings, _writable, problems = read_settings(config)
    return TracksideApp(
        clock=clock,
        preset=load_checked("21x400m"),
        preset_id="21x400m",
        settings=settings,
        audio=RecordingPlayer(),
        settings_problems=problems,
    )


async def test_a_settings_problem_is_on_the_first_screen(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('volume = 5\ntheme = "[/]"\n')
    app = app_on(config, FakeClock())
    async with app.run_test(size=(110, 32), notifications=True) as pilot:
        await pilot.pause()
        shown = flat(app)
        assert "volume: must be a number from 0 to 1, got 5 (using the defaults)" in shown
        assert 'theme: must be "trackside-dark" or "trackside-light", got "[/]"' in shown
    assert config.read_text() == 'volume = 5\ntheme = "[/]"\n', "kept as it was"


async def walk(app: TracksideApp, clock: FakeClock, pilot: Pilot[int]) -> None:
    await pilot.pause()
    assert isinstance(app.screen, ReadyScreen)
    shown = flat(app)
    # One notice on the first screen names each refused entry.
    assert 'keymap: mark = "q": q is already the key of end' in shown
    assert 'keymap: bogus = "x": no binding has that id' in shown
    assert 'keymap: skip = "": no key given' in shown
    assert 'keymap: end = "e,space": space is already the key of mark' in shown
    assert "Press SPACE to start" in shown
    await pilot.press("space")
    await pilot.pause()
    assert isinstance(app.screen, SessionScreen)
    clock.advance(3)  # the 3-2-1
    app.screen.tick()
    await pilot.pause()
    shown = flat(app)
    assert "SPACE at the finish" in shown
    assert " z Undo" in shown, "the footer names undo's key"
    assert " b Pause" in shown
    clock.advance(10)
    await pilot.press("space")  # a 400m in 10 s: a stray press
    await pilot.pause()
    assert "Too fast: z undoes it" in flat(app)
    await pilot.press("z")
    await pilot.pause()
    assert app.runner is not None
    assert app.runner.session.phase is Phase.REP
    await pilot.press("b")
    await pilot.pause()
    assert "b resumes" in flat(app)
    await pilot.press("b")
    await pilot.press("q")  # q still ends (mark = "q" was refused)
    await pilot.pause()
    assert isinstance(app.screen, ConfirmScreen)
    assert "y / Enter: yes     n / Esc / q: no" in flat(app)


async def test_refused_entries_on_the_first_screen_and_hints_name_the_keys(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    clock = FakeClock()
    app = app_on(config, clock)
    assert app.keymap_used == {"undo": "z", "pause": "b"}
    async with app.run_test(size=(110, 32), notifications=True) as pilot:
        await walk(app, clock, pilot)
    assert config.read_text() == CONFIG
