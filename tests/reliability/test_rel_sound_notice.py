"""The sound backend the runner is told about: a fallback is said, a choice is not.

``--audio bell`` and ``--audio silent`` are the runner's choice: the session screen shows the
backend and no reason. Falling back (from ``auto``, or from a chosen bell to silence) is said in
the status area, in plain words, never as a toast over the clock. The real player is used, as
:func:`~trackside.audio.factory.make_player` builds it for ``--audio``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rel_support import BUILTIN

from trackside.audio.factory import make_player
from trackside.audio.player import BackendListener, CuePlayer
from trackside.core.clock import FakeClock
from trackside.presets.loader import load_library
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.session import SessionScreen

PRESETS = {entry.id: entry.preset for entry in load_library(BUILTIN, BUILTIN / "none")}
FALLBACK = "No sound device"


async def shown(
    chosen: str, player: str, then: tuple[str, str] | None = None
) -> tuple[str, list[str]]:
    """A session with ``--audio chosen`` on the player ``--audio player`` makes (the same, or
    what ``auto`` fell back to); ``then`` is a later change the player reports. The sound label
    on the session screen and the toasts shown."""
    reported: list[tuple[str, str | None]] = []
    report: list[BackendListener] = []

    def factory(bell: Callable[[], None], on_backend: BackendListener) -> CuePlayer:
        def heard(name: str, reason: str | None) -> None:
            reported.append((name, reason))
            on_backend(name, reason)

        report.append(heard)
        return make_player(player, bell=bell, on_backend=heard)

    app = TracksideApp(
        clock=FakeClock(),
        preset=PRESETS["tabata"],
        settings=Settings(countdown_s=0, audio_backend=chosen),
        audio_factory=factory,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        for _ in range(500):  # the player reports its backend from its own thread, at once
            if reported:
                break
            await pilot.pause(0.01)
        assert reported[0] == (player, None)
        if then is not None:
            report[0](*then)
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        label = str(screen.query_one("#sound").render())
        return label, [str(note.message) for note in app._notifications]


@pytest.mark.parametrize("chosen", ["bell", "silent"])
async def test_a_chosen_bell_or_silence_is_shown_and_not_announced_as_a_fallback(
    chosen: str,
) -> None:
    label, toasts = await shown(chosen, chosen)
    assert label == f"sound: {chosen}"
    assert not [toast for toast in toasts if FALLBACK in toast], toasts


async def test_auto_falling_back_to_the_bell_is_said_in_the_status_area() -> None:
    label, toasts = await shown("auto", "bell")
    assert label == "sound: bell · no sound device"
    # Found on Ready (the player is made once the first frame is up), it was a notice there;
    # on the track screen the status line says it, and the notice is withdrawn.
    assert not [toast for toast in toasts if FALLBACK in toast], toasts


async def test_a_chosen_bell_falling_back_to_silence_is_said_in_the_status_area() -> None:
    label, toasts = await shown("bell", "bell", then=("silent", "the bell failed"))
    assert label.endswith(" · the bell failed")  # the player itself still says bell
    assert not [toast for toast in toasts if FALLBACK in toast], toasts
