"""The sound on the coach's screen: a fallback said on its top line, not a notice over its rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coach_helpers import lineup_of, short_preset

from trackside.audio import RecordingPlayer
from trackside.audio.player import BackendListener, CuePlayer
from trackside.core.clock import FakeClock
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.coaching import CoachStart
from trackside.tui.screens.coach import CoachScreen
from trackside.tui.widgets.headline import Headline


async def test_a_fallback_is_a_notice_before_space_then_the_top_line_says_it(
    tmp_path: Path,
) -> None:
    made: list[RecordingPlayer] = []
    told: list[BackendListener] = []

    def factory(bell: Callable[[], None], on_backend: BackendListener) -> CuePlayer:
        made.append(RecordingPlayer(backend="miniaudio"))
        told.append(on_backend)
        return made[-1]

    lineup = lineup_of("Ann,Ben,Cid", short_preset(tmp_path))
    app = TracksideApp(
        clock=FakeClock(),
        settings=Settings(countdown_s=0),
        audio_factory=factory,
        coach=CoachStart(lineup=lineup),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        made[0]._backend = "bell"
        told[0]("bell", "('failed to init device', -401)")
        await pilot.pause()
        # Before Space the rows only say READY: a notice, as on a runner's Ready screen.
        assert [notice.title for notice in app._notifications] == ["Sound"]
        await pilot.press("space")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CoachScreen)
        assert not app._notifications  # nothing over the rows once the group runs
        top = screen.query_one(Headline).shown
        assert top.endswith("· sound: bell · no sound device could be opened"), top
        # A fallback that comes during the run is said there too, and never as a notice.
        made[0]._backend = "silent"
        told[0]("silent", "aplay exited with status 1")
        await pilot.pause()
        assert not app._notifications
        assert "sound: silent · aplay exited with status 1" in screen.query_one(Headline).shown
