"""Helpers for the app tests: the shipped presets, a fake clock and what is on screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from textual.pilot import Pilot

from trackside.audio import CueListener, RecordingPlayer
from trackside.core.clock import FakeClock
from trackside.core.events import Event, Phase
from trackside.core.session import Session
from trackside.presets.checked import CheckedPreset
from trackside.presets.loader import PresetEntry, load_library, resolve
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.session import SessionScreen
from trackside.tui.widgets.big_text import BigText
from trackside.tui.widgets.headline import Headline

REPO = Path(__file__).resolve().parents[2]
BUILTIN = REPO / "presets"


def library(user_dir: Path) -> list[PresetEntry]:
    """The shipped presets, and whatever the test put in ``user_dir``."""
    return load_library(BUILTIN, user_dir)


def shipped(preset_id: str) -> CheckedPreset:
    """A shipped preset by id."""
    return resolve(preset_id, load_library(BUILTIN, BUILTIN / "none"))


@dataclass
class Heard:
    """A runner listener that keeps every event it hears."""

    events: list[Event] = field(default_factory=list)

    def __call__(self, session: Session, events: tuple[Event, ...]) -> None:
        self.events.extend(events)


@dataclass
class Rig:
    """An app with a fake clock, a recording player and a listener, for Pilot tests."""

    app: TracksideApp
    clock: FakeClock
    player: RecordingPlayer
    heard: Heard

    @property
    def screen(self) -> SessionScreen:
        screen = self.app.screen
        assert isinstance(screen, SessionScreen), type(screen).__name__
        return screen

    @property
    def session(self) -> Session:
        assert self.app.runner is not None
        return self.app.runner.session

    def phase(self) -> Phase:
        """The running phase (a call, so checks in a row are not narrowed by the type checker)."""
        return self.session.running_phase

    def headline(self) -> str:
        return self.screen.query_one(Headline).shown

    def big(self) -> str:
        return self.screen.query_one(BigText).text

    def sub(self) -> str:
        return str(self.screen.query_one("#sub").render())

    async def advance(self, pilot: Pilot[int], seconds: float) -> None:
        """Move the fake clock on and let the screen catch up, as its timer would."""
        self.clock.advance(seconds)
        if isinstance(self.app.screen, SessionScreen):
            self.app.screen.tick()
        await pilot.pause()


def rig(
    preset: CheckedPreset | None = None,
    *,
    entries: list[PresetEntry] | None = None,
    settings: Settings | None = None,
    config_path: Path | None = None,
) -> Rig:
    """Build the app around a fake clock, with a recording player wired as the audio."""
    clock = FakeClock()
    player = RecordingPlayer()
    heard = Heard()
    app = TracksideApp(
        clock=clock,
        library=entries or [],
        preset=preset,
        settings=settings or Settings(countdown_s=3),
        config_path=config_path,
        listeners=[CueListener(player), heard],
        audio=player,
    )
    return Rig(app, clock, player, heard)
