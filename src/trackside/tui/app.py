"""The Textual app: the flow from the picker through Ready and the session to the summary.

Everything it uses comes in through the constructor (the library or a preset, the clock, the
runner's log and listeners, the audio, the settings and where to write them, what the history
starts with), so tests build it with a fake clock and a recording player. Its helpers: the
history keeper (:mod:`~trackside.tui.keeper`), the palette (:mod:`~trackside.tui.commands`),
the sound (:mod:`~trackside.tui.sound`), the themes (:mod:`~trackside.tui.themes`), and the
Textual work-rounds (:mod:`~trackside.tui.textual_fixes`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.theme import Theme

from trackside.core.clock import Clock
from trackside.core.events import ActionKind
from trackside.core.runner import ActionLog, EventListener, Runner
from trackside.core.safe import visible
from trackside.core.session import Session
from trackside.history.service import HistoryAtStart, NewLog, store_logs
from trackside.presets.checked import CheckedPreset
from trackside.presets.loader import PresetEntry
from trackside.settings import Settings, save_settings
from trackside.tui.coach_flow import CoachFlow
from trackside.tui.coaching import CoachStart
from trackside.tui.commands import PaletteApp
from trackside.tui.keeper import HistoryKeeper, HistoryNews, ProblemMet, UnfinishedFound
from trackside.tui.keys import checked_keymap
from trackside.tui.screens.ready import ReadyScreen
from trackside.tui.sound import AppSound, AudioFactory, Rang, SoundChanged, SoundChecked
from trackside.tui.textual_fixes import freeze_what_is_loaded
from trackside.tui.themes import THEMES

if TYPE_CHECKING:
    # Loaded when first shown or used, not before the first frame (see ``_picker``); their
    # messages are handled by name (``on_summary_screen_closed``), not with ``@on``.
    from trackside.audio.player import CuePlayer
    from trackside.tui.screens.picker import PickerScreen
    from trackside.tui.screens.session import SessionScreen
    from trackside.tui.screens.summary import SummaryScreen

LogFactory = Callable[[NewLog], ActionLog | None]
"""Makes the action log of a new session (the history store), or None to keep no log."""


class TracksideApp(CoachFlow, PaletteApp):
    """The interval timer: pick a preset, get ready, run it, read the summary.

    It opens on ``history.resume`` (a session restored by the history), else on Ready for
    ``preset`` (library id ``preset_id``: sessions of one preset are compared by it), else on
    the picker. ``config_path``: where changed settings go (None: nowhere). ``listeners`` hear
    every event of every session; ``log_factory`` gives each new session its log (default: the
    history's store). ``audio_factory`` makes the cue player once the app runs; tests pass
    ``audio`` (a recording player) instead. ``history``: what the history starts with
    (:func:`~trackside.history.service.history_at_start`); None: no history at all.
    ``settings_problems``: what was wrong with config.toml, shown with the keymap's on the
    first screen. ``find_library`` reads the picker's presets when the app opened on one preset
    and the runner goes back from Ready (None: going back leaves the app).
    """

    CSS_PATH = "trackside.tcss"
    TITLE = "trackside"

    def __init__(
        self,
        *,
        clock: Clock,
        library: Sequence[PresetEntry] = (),
        preset: CheckedPreset | None = None,
        preset_id: str | None = None,
        settings: Settings | None = None,
        config_path: Path | None = None,
        listeners: Sequence[EventListener] = (),
        log_factory: LogFactory | None = None,
        audio: CuePlayer | None = None,
        audio_factory: AudioFactory | None = None,
        history: HistoryAtStart | None = None,
        settings_problems: Sequence[str] = (),
        find_library: Callable[[], Sequence[PresetEntry]] | None = None,
        coach: CoachStart | None = None,
    ) -> None:
        """Build the app (see the class's docstring for what each argument is)."""
        super().__init__()
        self.clock = clock
        self.library = list(library)
        self.find_library = find_library
        self.preset = preset
        self.preset_id = preset_id
        self.settings = settings if settings is not None else Settings()
        keymap = checked_keymap(self.settings.keymap)
        self.keymap_used = keymap.keymap
        """The ``[keymap]`` entries taken (a refused one leaves its binding's own keys)."""
        self.settings_problems = [*settings_problems, *keymap.problems]
        self.config_path = config_path
        self.listeners = list(listeners)
        start = history if history is not None else HistoryAtStart()
        self.history_at_start = start
        self.history = HistoryKeeper(self, start, clock, self.show_session)
        if log_factory is None and history is not None:
            log_factory = store_logs(history.store)  # None: kept in memory only
        self.log_factory = log_factory
        self.preset_started = False
        """Whether a session of ``preset`` has been started (or only a resumed one run)."""
        self.sound = AppSound(self, audio_factory, audio, self.listeners)
        self.runner: Runner | None = start.resume
        """The runner of the session on screen, once one has started."""
        self.felt: tuple[Runner, int | None, str | None] | None = None
        """The rating and note given at a summary the runner undid, for when it ends again."""
        self.coach = coach if coach is not None else CoachStart()
        self.coaching = self.coaching_for(self.coach, clock, history)
        for theme in THEMES.values():
            self.register_theme(theme)
        self.theme = self.settings.theme

    def on_mount(self) -> None:
        """Apply the key remaps, remember theme changes, open the first screen."""
        self.set_keymap(self.keymap_used)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.runner is not None:
            self.show_session(self.runner)
        elif self.history_at_start.group is not None:
            self.show_group(self.coaching.resumed(self.history_at_start.group))
        elif self.coach.lineup is not None:
            self.show_group(self.coaching.open(self.coach.lineup, self.settings.countdown_s))
        elif self.preset is not None:
            self._show(ReadyScreen(self.preset, self.preset_id))
        else:
            self._show(self._picker())
        # The player (a thread and a process) starts, and the session screen's module loads,
        # once the first frame is up: the runner reads the Ready screen meanwhile.
        self.screen.call_after_refresh(self._after_first_frame)
        if self.history_at_start.problem is not None:
            self.history.tell(self.history_at_start.problem)
        if self.settings_problems:
            text = "\n".join(self.settings_problems)
            self.notify(text, title="Settings", severity="warning", timeout=30, markup=False)

    def _after_first_frame(self) -> None:
        if self.history_at_start.look_later and self.runner is None:
            self.history.look()
        self.sound.start()
        self._session_screen()
        # What is loaded by now lives as long as the app: out of the collector's sight, a full
        # collection no longer walks all of Textual, so none stalls a second's redraw.
        freeze_what_is_loaded()

    @staticmethod
    def _session_screen() -> type[SessionScreen]:
        # Everything a session needs up to its summary is loaded with its screen, before it
        # starts: trackside reinstalled during a workout cannot end it in a ModuleNotFoundError.
        import trackside.history.log
        import trackside.tui.screens.palette
        import trackside.tui.screens.summary  # noqa: F401
        from trackside.tui.screens.session import SessionScreen

        return SessionScreen

    def _show(self, screen: Screen[None]) -> None:
        # One screen at a time over the default one: the flow only goes forward. Dialogs open
        # over the screen being replaced (help, the palette, the end question) go with it: a
        # session can end by itself under them.
        while len(self.screen_stack) > 2 and isinstance(self.screen, ModalScreen):
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # -- the flow -------------------------------------------------------------------------

    def _picker(self) -> Screen[None]:
        from trackside.tui.screens.picker import PickerScreen

        return PickerScreen(self.library, self.coaching.saved_rosters())

    def on_picker_screen_chosen(self, message: PickerScreen.Chosen) -> None:
        """A preset was chosen in the picker: get ready to run it."""
        if message.entry.preset is not None:
            self._show(ReadyScreen(message.entry.preset, message.entry.id))

    @on(ReadyScreen.Started)
    def _started(self, message: ReadyScreen.Started) -> None:
        self.start(message.preset, message.preset_id)

    def start(self, preset: CheckedPreset, preset_id: str | None = None) -> Runner:
        """Start a session of ``preset`` (library id ``preset_id``) now and show it."""
        countdown = self.settings.countdown_s
        session = Session(preset.to_plan(), countdown)
        log = None
        if self.log_factory is not None:
            new = NewLog(preset, preset_id or preset.name, countdown, self.history.tell)
            log = self.log_factory(new)
        runner = Runner(session, self.clock, log=log, listeners=self.listeners)
        self.preset_started = True
        runner.act(ActionKind.START)
        self.show_session(runner)
        return runner

    def show_session(self, runner: Runner) -> None:
        """Show the session ``runner`` holds (a new one, or one resumed from the history)."""
        self.sound.start()
        if self.runner is not None and self.runner is not runner:
            self.history.retire(self.runner.log)  # left for another: its lease let go
        self.runner = runner
        self.history.adopt(runner.log)
        # Every session the app shows is heard, a resumed one included.
        runner.listeners += [heard for heard in self.listeners if heard not in runner.listeners]
        show = self.settings.show_rep_clock
        screen = self._session_screen()(runner, show_rep_clock=show, audio=self.sound.audio)
        screen.sound_problem = self.sound.problem
        self.sound.withdraw_notice()  # one from Ready: the status area says it now
        self._show(screen)

    def on_summary_screen_undo_requested(self, message: SummaryScreen.UndoRequested) -> None:
        """Take back the final mark, keeping the rating and note for the next summary."""
        # The final mark was a stray press: take it back and carry on with the session.
        if self.runner is not None and self.runner.check(ActionKind.UNDO) is None:
            self.felt = (self.runner, message.rating, message.note)
            self.runner.act(ActionKind.UNDO)
            self.show_session(self.runner)

    def on_summary_screen_closed(self, message: SummaryScreen.Closed) -> None:
        """The summary was closed: back to the picker, on to the preset, or out."""
        self._back(message)

    @on(ReadyScreen.Backed)
    def _back(self, message: Message) -> None:
        backed = isinstance(message, ReadyScreen.Backed)
        if not self.library and self.find_library and backed:
            # `trackside run X`: Esc on Ready goes back to the picker, as its footer says.
            self.library = list(self.find_library())
        if self.library:
            self._show(self._picker())
        elif self.preset is not None and not self.preset_started and not backed:
            # `trackside run X` resumed another session first: X is still to be run.
            self._show(ReadyScreen(self.preset, self.preset_id))
        else:
            self.exit(0)

    def on_session_screen_finished(self, message: SessionScreen.Finished) -> None:
        """The session ended: show the summary and store how it went."""
        from trackside.history.log import SessionLog
        from trackside.tui.screens.summary import SummaryScreen

        runner = self.runner
        can_undo = runner is not None and runner.check(ActionKind.UNDO) is None
        log = runner.log if runner is not None else None
        exertion = log.new.exertion if isinstance(log, SessionLog) else None
        rating, note = self._felt_before(runner)
        felt = (rating, note)
        summary = SummaryScreen(message.session, can_undo=can_undo, exertion=exertion, felt=felt)
        self._show(summary)
        # The status goes on disk now, so leaving without a rating (or a crash) loses nothing.
        self.history.finish(log, message.session, rating, note, summary)
        self.history.compare(log, message.session, summary)

    def _felt_before(self, runner: Runner | None) -> tuple[int | None, str | None]:
        """The rating and note given to ``runner``'s session before an undo, or none."""
        if self.felt is None or self.felt[0] is not runner:
            return None, None
        return self.felt[1], self.felt[2]

    def on_summary_screen_rated(self, message: SummaryScreen.Rated) -> None:
        """Store the runner's rating and note."""
        runner = self.runner
        if runner is not None:
            rating, note = message.rating, message.note
            self.history.finish(runner.log, runner.session, rating, note, self.screen)

    # -- history ----------------------------------------------------------------------------

    @on(ProblemMet)
    def _history_problem(self, message: ProblemMet) -> None:
        if self.history.first_time(message.problem):
            text = str(message.problem)
            self.notify(text, title="History", severity="warning", timeout=10, markup=False)

    @on(UnfinishedFound)
    def _unfinished_found(self, message: UnfinishedFound) -> None:
        # Asked only if no session was started (or resumed) while the history was searched.
        if self.runner is None and self.coaching.run is None:
            self.ask_unfinished(message.unfinished)

    @on(HistoryNews)
    def _history_news(self, message: HistoryNews) -> None:
        self.notify(message.text, title="History", markup=False)

    def action_history(self) -> None:
        """Open the history screen (over whatever is shown; Escape comes back)."""
        if self.history.store is None:
            self.notify("No history this run: the history file cannot be used", severity="warning")
        elif isinstance(self.screen, self._session_screen()):
            # Its q quits: not a key to be one screen away from in the middle of a rep.
            self.notify("The history opens from the picker or the summary")
        else:
            from trackside.tui.screens.history import HistoryScreen

            if not isinstance(self.screen, HistoryScreen):
                self.push_screen(HistoryScreen(self.history.store))

    # -- sound --------------------------------------------------------------------------

    @on(Rang)
    def _ring(self) -> None:
        self.sound.ring()

    @on(SoundChanged)
    def _sound_changed(self, message: SoundChanged) -> None:
        on_track = isinstance(self.screen, self._session_screen())
        self.sound.announce(message, self.settings.audio_backend, on_track or self.group_on_track())
        if isinstance(self.screen, self._session_screen()):
            self.screen.show_sound(self.sound.problem)
        self.show_group_sound()

    def action_sound_check(self) -> None:
        """Play a test cue and say which backend played it."""
        self.sound.check()

    @on(SoundChecked)
    def _sound_checked(self, message: SoundChecked) -> None:
        self.notify(f"Sound check: {message.result}", title="Sound", timeout=6, markup=False)

    def set_volume(self, volume: float) -> None:
        """Set the cue volume (0 to 1) and remember it."""
        self.sound.set_volume(volume)
        self.change_settings(volume=volume)
        self.notify(f"Volume {round(volume * 100)}%")

    def on_unmount(self) -> None:
        """Close the player so no device or child process outlives the app."""
        self.sound.close()

    # -- settings -----------------------------------------------------------------------

    def on_session_screen_rep_clock_toggled(self, message: SessionScreen.RepClockToggled) -> None:
        """Remember whether the rep clock is shown."""
        self.change_settings(show_rep_clock=message.shown)

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name in THEMES and theme.name != self.settings.theme:
            self.change_settings(theme=theme.name)

    def change_settings(self, **changes: object) -> None:
        """Change settings and write ``config.toml`` in the background."""
        self.settings = self.settings.changed(**changes)
        if self.config_path is not None:
            self._save(self.settings, self.config_path)

    @work(thread=True, exit_on_error=False, group="settings")
    def _save(self, settings: Settings, path: Path) -> None:
        try:
            save_settings(settings, path)
        except OSError as error:
            text = f"cannot save {path}: {error.strerror}"
            self.call_from_thread(self.notify, text, severity="warning", markup=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Textual's notice, its text made visible first: a notice often carries a path or a
        name from elsewhere (pass ``markup=False`` for those, so ``[/]`` is shown as is)."""
        message, title = visible(message, newlines=True), visible(title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
