"""The Textual app: picker, ready, session and summary screens, themes and settings.

Everything it uses comes in through the constructor (the library or a preset, the clock, the
runner's log and listeners, the audio switch, the settings and where to write them), so tests
build it with a fake clock and a recording listener.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import Theme

from trackside.core.clock import Clock
from trackside.core.events import ActionKind
from trackside.core.session import Session
from trackside.presets.loader import PresetEntry
from trackside.presets.models import Preset
from trackside.runner import ActionLog, EventListener, Runner
from trackside.screens.picker import PickerScreen
from trackside.screens.ready import ReadyScreen
from trackside.screens.session import AudioControl, SessionScreen
from trackside.screens.summary import SummaryScreen
from trackside.settings import Settings, ThemeName, save_settings

DARK = Theme(
    name="trackside-dark",
    primary="#4DA3FF",
    secondary="#9AD0FF",
    accent="#FF5CF0",
    warning="#FFB020",
    error="#FF4D4D",
    success="#2FE05F",
    foreground="#FFFFFF",
    background="#000000",
    surface="#111418",
    panel="#1C2128",
    dark=True,
)
"""High contrast on black: for the evening, or a shaded bench."""

LIGHT = Theme(
    name="trackside-light",
    primary="#0040C0",
    secondary="#003080",
    accent="#B0008A",
    warning="#A05A00",
    error="#C00018",
    success="#007A20",
    foreground="#000000",
    background="#FFFFFF",
    surface="#F0F0F0",
    panel="#E0E0E0",
    dark=False,
)
"""Black on white with deep colours: readable in sunshine."""

THEMES = {"trackside-dark": DARK, "trackside-light": LIGHT}
LogFactory = Callable[[Preset], ActionLog | None]
"""Makes the action log of a new session (the history store), or None to keep no log."""


class TracksideApp(App[int]):
    """The interval timer: pick a preset, get ready, run it, read the summary."""

    CSS_PATH = "trackside.tcss"
    TITLE = "trackside"

    def __init__(
        self,
        *,
        clock: Clock,
        library: Sequence[PresetEntry] = (),
        preset: Preset | None = None,
        settings: Settings | None = None,
        config_path: Path | None = None,
        listeners: Sequence[EventListener] = (),
        log_factory: LogFactory | None = None,
        audio: AudioControl | None = None,
        resume: Runner | None = None,
    ) -> None:
        """Build the app. With ``resume`` it opens on that session (restored by the history),
        with ``preset`` on Ready, otherwise on the picker.

        ``config_path`` is where changed settings are written (None: never written).
        ``listeners`` hear every event of every session (the audio); ``log_factory`` gives
        each new session its action log (the history store).
        """
        super().__init__()
        self.clock = clock
        self.library = list(library)
        self.preset = preset
        self.settings = settings if settings is not None else Settings()
        self.config_path = config_path
        self.listeners = list(listeners)
        self.log_factory = log_factory
        self.audio = audio
        self.runner: Runner | None = resume
        """The runner of the session on screen, once one has started."""
        for theme in THEMES.values():
            self.register_theme(theme)
        self.theme = self.settings.theme

    def on_mount(self) -> None:
        """Apply the key remaps, remember theme changes, open the first screen."""
        self.set_keymap(self.settings.keymap)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.runner is not None:
            self.show_session(self.runner)
        elif self.preset is not None:
            self._show(ReadyScreen(self.preset))
        else:
            self._show(PickerScreen(self.library))

    def _show(self, screen: Screen[None]) -> None:
        # One screen at a time over the default one: the flow only goes forward.
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # -- the flow -------------------------------------------------------------------------

    @on(PickerScreen.Chosen)
    def _chosen(self, message: PickerScreen.Chosen) -> None:
        if message.entry.preset is not None:
            self._show(ReadyScreen(message.entry.preset))

    @on(ReadyScreen.Started)
    def _started(self, message: ReadyScreen.Started) -> None:
        self.start(message.preset)

    def start(self, preset: Preset) -> Runner:
        """Start a session of ``preset`` now and show it."""
        session = Session(preset.to_plan(), self.settings.countdown_s)
        log = self.log_factory(preset) if self.log_factory is not None else None
        runner = Runner(session, self.clock, log=log, listeners=self.listeners)
        runner.act(ActionKind.START)
        self.show_session(runner)
        return runner

    def show_session(self, runner: Runner) -> None:
        """Show the session ``runner`` holds (a new one, or one resumed from the history)."""
        self.runner = runner
        show = self.settings.show_rep_clock
        self._show(SessionScreen(runner, show_rep_clock=show, audio=self.audio))

    @on(SummaryScreen.UndoRequested)
    def _undo_last_mark(self) -> None:
        # The final mark was a stray press: take it back and carry on with the session.
        if self.runner is not None and self.runner.check(ActionKind.UNDO) is None:
            self.runner.act(ActionKind.UNDO)
            self.show_session(self.runner)

    @on(ReadyScreen.Backed)
    @on(SummaryScreen.Closed)
    def _back(self) -> None:
        if self.library:
            self._show(PickerScreen(self.library))
        else:
            self.exit(0)

    @on(SessionScreen.Finished)
    def _finished(self, message: SessionScreen.Finished) -> None:
        runner = self.runner
        can_undo = runner is not None and runner.check(ActionKind.UNDO) is None
        self._show(SummaryScreen(message.session, can_undo=can_undo))

    # -- settings -----------------------------------------------------------------------

    @on(SessionScreen.RepClockToggled)
    def _rep_clock(self, message: SessionScreen.RepClockToggled) -> None:
        self.change_settings(show_rep_clock=message.shown)

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name in THEMES and theme.name != self.settings.theme:
            name: ThemeName = "trackside-light" if theme.name == LIGHT.name else "trackside-dark"
            self.change_settings(theme=name)

    def change_settings(self, **changes: object) -> None:
        """Change settings and write ``config.toml`` in the background."""
        self.settings = self.settings.model_copy(update=changes)
        if self.config_path is not None:
            self._save(self.settings, self.config_path)

    @work(thread=True, exit_on_error=False, group="settings")
    def _save(self, settings: Settings, path: Path) -> None:
        try:
            save_settings(settings, path)
        except OSError as error:
            self.call_from_thread(
                self.notify, f"cannot save {path}: {error.strerror}", severity="warning"
            )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette: Textual's commands, with the theme picker narrowed to ours."""
        for command in super().get_system_commands(screen):
            if command.title != "Theme":
                yield command
        yield SystemCommand("Theme: dark", "High contrast on black", self._set_dark)
        yield SystemCommand("Theme: light (sunshine)", "Black on white", self._set_light)

    def _set_dark(self) -> None:
        self.theme = DARK.name

    def _set_light(self) -> None:
        self.theme = LIGHT.name
