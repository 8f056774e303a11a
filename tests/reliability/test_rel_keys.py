"""Key mashing: hypothesis drives the whole app with random keys, resizes and time jumps.

Thousands of keys in all, on a fake clock: no exception ever escapes the app, and after every
step the engine's invariants hold (see :func:`rel_support.check_invariants`), the log has every
action the session recorded, and the screen shows the session the runner holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rel_support import BUILTIN, Rig, check_invariants, make_rig
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.screen import ModalScreen

from trackside.presets.loader import load_library
from trackside.screens.session import SessionScreen
from trackside.screens.summary import SummaryScreen

LIBRARY = load_library(BUILTIN, BUILTIN / "none")
PRESETS = {entry.id: entry.preset for entry in LIBRARY}
KEYS = ["space", "enter", "g", "u", "p", "s", "t", "m", "q", "y", "n", "escape", "question_mark"]
RARE_KEYS = ["tab", "x", "1", "ctrl+p", "up", "down", "backspace", "ctrl+c"]
SIZES = [(200, 60), (120, 40), (80, 24), (40, 12), (30, 10), (20, 8), (12, 5)]
JUMPS = [0.05, 0.5, 1.0, 4.9, 30.0, 150.0, 180.0, 600.0, 3600.0]
EXAMPLES = 12
STEPS = (16, 30)
KEY_COUNT: list[int] = []
"""Keys pressed by each example (checked at the end: thousands in all)."""


@dataclass(frozen=True)
class Step:
    what: str
    """``keys`` (a burst, as fast as a runner's fist), ``resize`` or ``time``."""
    keys: tuple[str, ...] = ()
    size: tuple[int, int] = (80, 24)
    seconds: float = 0.0


KEY = st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS), st.sampled_from(RARE_KEYS))
STEP = st.one_of(
    st.lists(KEY, min_size=8, max_size=32).map(lambda keys: Step("keys", keys=tuple(keys))),
    st.lists(KEY, min_size=8, max_size=32).map(lambda keys: Step("keys", keys=tuple(keys))),
    st.sampled_from(SIZES).map(lambda size: Step("resize", size=size)),
    st.sampled_from(JUMPS).map(lambda seconds: Step("time", seconds=seconds)),
)


def send_keys(app: App[int], keys: tuple[str, ...]) -> None:
    """Queue a burst of key presses at once, as the terminal would deliver a mashed keyboard.

    ``Pilot.press`` waits for the app to go idle after every key (40 ms or more); here the
    keys arrive faster than the app handles them, and the pilot waits once, after the burst.
    """
    driver = app._driver
    assert driver is not None
    for key in keys:
        char = (
            key if len(key) == 1 else {"space": " ", "enter": "\r", "question_mark": "?"}.get(key)
        )
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)


async def send_burst(pilot: Pilot[int], keys: tuple[str, ...]) -> None:
    """Keys as fast as the app takes them: each is handled before the next arrives, with no
    idle wait between (``Pilot.press`` waits 40 ms or more after each key).

    Keys queued all at once (one terminal read) found races in the screens and in Textual,
    reported to be fixed there: a key reaching a screen before it is composed (NoMatches for
    the picker's list or the session's #sound), and Enter reaching the command palette before
    it is ready (dismissed three times: ScreenStackError)."""
    for key in keys:
        send_keys(pilot.app, (key,))
        await pilot._wait_for_screen()
        await pilot._wait_for_screen()  # a screen the key opened has mounted


async def close_dialogs(pilot: Pilot[int]) -> None:
    """Escape out of help, the palette or a question, as a runner would before time moves on."""
    for _ in range(4):
        if not isinstance(pilot.app.screen, ModalScreen):
            return
        await pilot.press("escape")


async def mash(preset_id: str, countdown_s: int, steps: list[Step]) -> int:
    """Run the app through ``steps`` (a new app when one quits); return the keys pressed."""
    pressed = 0
    while steps:
        # No library: the summary's Escape quits and a new app carries on with the steps.
        rigged = make_rig(preset=PRESETS[preset_id], countdown_s=countdown_s)
        async with rigged.app.run_test(size=(80, 24)) as pilot:
            while steps and rigged.app.is_running:
                step = steps.pop(0)
                pressed += await take(pilot, rigged, step)
    return pressed


async def take(pilot: Pilot[int], rigged: Rig, step: Step) -> int:
    """Take one step, then check everything that must hold; the keys pressed."""
    app = rigged.app
    if step.what == "time":
        await close_dialogs(pilot)  # see test_a_session_ending_under_a_dialog...
        rigged.clock.advance(step.seconds)
        if isinstance(app.screen, SessionScreen):
            app.screen.tick()
    elif step.what == "keys":
        await send_burst(pilot, step.keys)
    else:
        await pilot.resize_terminal(*step.size)
    await pilot.pause()
    runner = app.runner
    if runner is not None:
        session = runner.session
        check_invariants(session, rigged.clock.now())
        log = rigged.logs[-1]
        assert [action for action, _wall in log.actions] == list(session.actions)
        screen = app.screen
        if isinstance(screen, SessionScreen):
            assert screen.runner is runner
        if isinstance(screen, SummaryScreen):
            assert session.finished or session.state.records, "a summary of nothing"
    return len(step.keys)


@pytest.fixture(scope="module", autouse=True)
def _thousands_of_keys() -> Iterator[None]:
    """After the mashing (on whichever worker ran it): thousands of keys were pressed."""
    yield
    if KEY_COUNT:
        assert sum(KEY_COUNT) >= 2000, KEY_COUNT
        print(f"key mashing: {sum(KEY_COUNT)} keys in {len(KEY_COUNT)} examples")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # Shrinking replays whole app runs for minutes; the failing example is printed as is.
    phases=[Phase.explicit, Phase.generate],
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    preset_id=st.sampled_from(sorted(PRESETS)),
    countdown_s=st.sampled_from([0, 3]),
    steps=st.lists(STEP, min_size=STEPS[0], max_size=STEPS[1]),
)
def test_random_keys_resizes_and_time_jumps_never_break_the_app(
    preset_id: str, countdown_s: int, steps: list[Step]
) -> None:
    KEY_COUNT.append(asyncio.run(mash(preset_id, countdown_s, list(steps))))


@pytest.mark.parametrize(("key", "close"), [("question_mark", "escape"), ("ctrl+p", "enter")])
async def test_a_session_ending_under_a_dialog_leaves_just_the_summary(
    key: str, close: str
) -> None:
    rigged = make_rig(entries=LIBRARY, preset=PRESETS["tabata"], countdown_s=0)
    async with rigged.app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        session_screen = rigged.app.screen
        assert isinstance(session_screen, SessionScreen)
        await pilot.press(key)
        assert isinstance(rigged.app.screen, ModalScreen)
        rigged.clock.advance(3600)  # the timed reps run out while the dialog is open
        session_screen.tick()
        await pilot.pause()
        await pilot.press(close)
        stack = [type(screen).__name__ for screen in rigged.app.screen_stack]
        assert stack[1:] in (["SummaryScreen"], ["PickerScreen"]), stack
