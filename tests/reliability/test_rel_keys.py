"""Key mashing: hypothesis drives the whole app with random keys, resizes and time jumps.

Thousands of keys in all, on a fake clock, some handled one by one and some queued at once as a
mashed keyboard sends them (keys reaching a screen before it has composed): no exception ever
escapes the app, and after every step the engine's invariants hold (see
:func:`rel_support.check_invariants`), the log has every action the session recorded, and the
screen shows the session the runner holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rel_support import BUILTIN, Rig, check_invariants, make_rig
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.command import CommandList
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen

from trackside.core.session import Session
from trackside.history.store import HistoryStore
from trackside.presets.loader import load_library
from trackside.tui.screens.confirm import ConfirmScreen
from trackside.tui.screens.help import HelpScreen
from trackside.tui.screens.history import HistoryScreen, SessionDetailScreen
from trackside.tui.screens.picker import PickerScreen
from trackside.tui.screens.resume import ResumeScreen
from trackside.tui.screens.session import SessionScreen
from trackside.tui.screens.summary import SummaryScreen

LIBRARY = load_library(BUILTIN, BUILTIN / "none")
PRESETS = {entry.id: entry.preset for entry in LIBRARY}
KEYS = ["space", "enter", "g", "u", "p", "s", "t", "m", "q", "y", "n", "escape", "question_mark"]
RARE_KEYS = ["tab", "x", "1", "ctrl+p", "up", "down", "backspace", "ctrl+c"]
SIZES = [(200, 60), (120, 40), (80, 24), (40, 12), (30, 10), (20, 8), (12, 5)]
JUMPS = [0.05, 0.5, 1.0, 4.9, 30.0, 150.0, 180.0, 600.0, 3600.0]
EXAMPLES = 12
STEPS = (16, 30)
THOUSANDS = 2000
"""Keys the app must have taken in all (the examples send about 2300)."""


@dataclass(frozen=True)
class Step:
    what: str
    """``keys`` (each handled before the next), ``burst`` (all queued at once, as one terminal
    read of a mashed keyboard), ``resize`` or ``time``."""
    keys: tuple[str, ...] = ()
    size: tuple[int, int] = (80, 24)
    seconds: float = 0.0


KEY = st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS), st.sampled_from(RARE_KEYS))
STEP = st.one_of(
    st.lists(KEY, min_size=8, max_size=32).map(lambda keys: Step("keys", keys=tuple(keys))),
    st.lists(KEY, min_size=8, max_size=64).map(lambda keys: Step("burst", keys=tuple(keys))),
    st.lists(KEY, min_size=8, max_size=64).map(lambda keys: Step("burst", keys=tuple(keys))),
    st.sampled_from(SIZES).map(lambda size: Step("resize", size=size)),
    st.sampled_from(JUMPS).map(lambda seconds: Step("time", seconds=seconds)),
)


class Keys:
    """The keys sent to an app, and how many of them it took off its queue (a key queued
    behind one that quits the app is never pressed)."""

    def __init__(self) -> None:
        self.sent: dict[int, events.Key] = {}
        """The keys sent and not taken yet, by identity."""
        self.count = 0
        """Keys sent."""
        self.queued = 0
        """Keys sent in bursts queued at once."""
        self.taken = 0
        """Keys the app took off its queue."""

    def watch(self, app: App[int]) -> None:
        """Count each key sent here as ``app`` handles it."""

        def handled(message: Message) -> None:
            if self.sent.pop(id(message), None) is not None:
                self.taken += 1

        app.message_signal.subscribe(app, handled, immediate=True)

    def send(self, app: App[int], keys: tuple[str, ...]) -> None:
        """Queue a burst of key presses at once, as the terminal delivers a mashed keyboard.

        ``Pilot.press`` waits for the app to go idle after every key (40 ms or more); here the
        keys arrive faster than the app handles them, and the pilot waits once, after the burst.
        """
        driver = app._driver
        assert driver is not None
        self.count += len(keys)
        self.queued += len(keys) if len(keys) > 1 else 0
        for key in keys:
            char = CHARS.get(key, key if len(key) == 1 else None)
            event = events.Key(key, char)
            event.set_sender(app)
            self.sent[id(event)] = event
            driver.send_message(event)


CHARS = {"space": " ", "enter": "\r", "question_mark": "?"}


async def send_one_by_one(pilot: Pilot[int], keys: Keys, burst: tuple[str, ...]) -> None:
    """Keys as fast as the app takes them: each is handled (and a screen it opened mounted)
    before the next arrives, with no idle wait between."""
    for key in burst:
        keys.send(pilot.app, (key,))
        await pilot._wait_for_screen()
        await pilot._wait_for_screen()  # a screen the key opened has mounted


async def send_queued(pilot: Pilot[int], keys: Keys, burst: tuple[str, ...]) -> None:
    """All the keys at once: a key can reach a screen that has not composed yet."""
    keys.send(pilot.app, burst)
    await pilot._wait_for_screen()
    await pilot._wait_for_screen()


async def close_dialogs(pilot: Pilot[int]) -> None:
    """Escape out of help, the palette or a question, as a runner would before time moves on."""
    for _ in range(4):
        if not isinstance(pilot.app.screen, ModalScreen):
            return
        await pilot.press("escape")


async def mash(preset_id: str, countdown_s: int, library: bool, steps: list[Step]) -> Keys:
    """Run the app through ``steps`` (a new app when one quits); the keys sent and taken.

    With the ``library`` the app opens on the picker and comes back to it after each summary;
    without, on Ready, and the summary's Escape quits.
    """
    keys = Keys()
    while steps:
        if library:
            rigged = make_rig(entries=LIBRARY, countdown_s=countdown_s)
        else:
            rigged = make_rig(preset=PRESETS[preset_id], countdown_s=countdown_s)
        async with rigged.app.run_test(size=(80, 24)) as pilot:
            keys.watch(rigged.app)
            while steps and rigged.app.is_running:
                await take(pilot, rigged, keys, steps.pop(0))
    return keys


async def take(pilot: Pilot[int], rigged: Rig, keys: Keys, step: Step) -> None:
    """Take one step, then check everything that must hold."""
    app = rigged.app
    if step.what == "time":
        await close_dialogs(pilot)  # see test_a_session_ending_under_a_dialog...
        rigged.clock.advance(step.seconds)
        if isinstance(app.screen, SessionScreen):
            app.screen.tick()
    elif step.what == "keys":
        await send_one_by_one(pilot, keys, step.keys)
    elif step.what == "burst":
        await send_queued(pilot, keys, step.keys)
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


MASHED: list[Keys] = []
"""The keys of each example of the run under way."""


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
    library=st.booleans(),
    steps=st.lists(STEP, min_size=STEPS[0], max_size=STEPS[1]),
)
def mash_examples(preset_id: str, countdown_s: int, library: bool, steps: list[Step]) -> None:
    """One example: an app (or several, one after another when one quits) through ``steps``."""
    MASHED.append(asyncio.run(mash(preset_id, countdown_s, library, list(steps))))


def test_random_keys_resizes_and_time_jumps_never_break_the_app() -> None:
    # Counted here, once every example has passed (a module fixture also counted the examples
    # run before a failure, and said so as a second error): the examples are the same on every
    # run (derandomized), and only keys the app took off its queue count.
    MASHED.clear()
    mash_examples()
    assert len(MASHED) == EXAMPLES
    taken = sum(keys.taken for keys in MASHED)
    assert taken >= THOUSANDS, [keys.taken for keys in MASHED]
    queued = sum(keys.queued for keys in MASHED)
    assert queued >= THOUSANDS // 2, "half of them or more queued at once"
    sent = sum(keys.count for keys in MASHED)
    print(f"key mashing: {taken} keys taken of {sent} sent ({queued} queued at once)")


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


def _screens(store: HistoryStore) -> dict[str, Callable[[], Screen[Any]]]:
    session = Session(PRESETS["tabata"].to_plan(), 0)
    return {
        "picker": lambda: PickerScreen(LIBRARY),
        "summary": lambda: SummaryScreen(session, can_undo=True),
        "history": lambda: HistoryScreen(store),
        "detail": lambda: SessionDetailScreen(store, 1),
        "help": lambda: HelpScreen([("space", "mark", "mark")]),
        "confirm": lambda: ConfirmScreen("End the session?"),
        "resume": lambda: ResumeScreen("21 x 400m (session 1): 3 of 21 reps done"),
    }


QUEUED = [
    (name, key, binding.action)
    for name, make in _screens(HistoryStore(Path("unused.db"))).items()
    for binding in type(make()).BINDINGS
    if isinstance(binding, Binding)
    for key in binding.key.split(",")
]
"""Every key bound on each of our screens (the session and Ready screens are tested apart)."""


@pytest.mark.parametrize(("name", "key", "action"), QUEUED)
async def test_a_key_queued_behind_the_one_that_opened_a_screen(
    name: str, key: str, action: str, tmp_path: Path
) -> None:
    # What a mashed keyboard does: the app takes the next key before the screen the last one
    # opened has composed. The key does nothing there (the screen is not on screen yet), and
    # quitting then leaves no error behind.
    rigged = make_rig(entries=LIBRARY, countdown_s=0)
    async with rigged.app.run_test(size=(80, 24)) as pilot:
        screen = _screens(HistoryStore(tmp_path / "history.db"))[name]()
        rigged.app.push_screen(screen)
        assert not screen.is_mounted
        await rigged.app._check_bindings(key)  # as the app does for a key from the terminal
        await pilot._wait_for_screen()
        await pilot.pause()
        if action.startswith("app.quit"):
            assert not rigged.app.is_running
            assert rigged.app.return_code == 0
        else:
            assert rigged.app.screen is screen, "a key pressed before the screen was shown"


@pytest.mark.parametrize("enters", [2, 3, 6])
async def test_enters_queued_into_the_palette_as_it_opens_close_it_once(enters: int) -> None:
    # Textual's palette took each queued Enter as another "run the chosen command and close",
    # popping the screens underneath until none was left (ScreenStackError).
    rigged = make_rig(entries=LIBRARY, countdown_s=0)
    async with rigged.app.run_test(size=(80, 24)) as pilot:
        Keys().send(rigged.app, ("ctrl+p",) + ("enter",) * enters)
        await pilot._wait_for_screen()
        await pilot._wait_for_screen()
        await pilot.pause()
        under = [type(screen).__name__ for screen in rigged.app.screen_stack][1:]
        assert under[0] == "PickerScreen", under
        assert len(under) <= 2, under  # the picker, and what the command opened if anything


async def test_the_palette_still_searches_and_runs_a_command() -> None:
    rigged = make_rig(entries=LIBRARY, countdown_s=0)
    async with rigged.app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"sunshine")
        found = rigged.app.screen.query_one(CommandList)
        for _ in range(100):  # the search runs in a worker
            if found.option_count:
                break
            await pilot.pause(0.02)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert rigged.app.theme == "trackside-light"
        assert [type(s).__name__ for s in rigged.app.screen_stack][1:] == ["PickerScreen"]
