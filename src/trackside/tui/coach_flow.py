"""The app's part in coaching a group: the coach's screen shown, its Summary, and back.

A mixin of :class:`~trackside.tui.app.TracksideApp` (its handlers are found by name, like the
app's own); the work is :class:`~trackside.tui.coaching.Coaching`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen

from trackside.core.clock import Clock
from trackside.history.service import HistoryAtStart, store_group_logs
from trackside.settings import Settings
from trackside.tui.coaching import Coaching, CoachRun, CoachStart
from trackside.tui.keeper import HistoryKeeper
from trackside.tui.sound import AppSound

if TYPE_CHECKING:
    from trackside.history.groups import UnfinishedGroup
    from trackside.history.resume import Unfinished
    from trackside.tui.screens.coach import CoachScreen
    from trackside.tui.screens.group_summary import AthleteSummaryScreen, GroupSummaryScreen
    from trackside.tui.screens.picker import PickerScreen


class CoachFlow:
    """The coach's screens' messages, handled for the app."""

    coaching: Coaching
    sound: AppSound
    screen: Screen[object]
    settings: Settings
    history: HistoryKeeper

    def coaching_for(
        self, coach: CoachStart, clock: Clock, history: HistoryAtStart | None
    ) -> Coaching:
        """The app's coaching: ``coach``'s listeners and rosters, its group logs (or the
        history's, when the app was given one)."""
        logs = coach.log_factory
        if logs is None and history is not None:
            logs = store_group_logs(history.store, self.history.tell)
        # The bell and silence play no words: no name is made for them.
        quiet = self.settings.audio_backend.strip().lower() in ("bell", "silent")
        return Coaching(
            self,  # type: ignore[arg-type]
            clock,
            list(coach.listeners),
            logs,
            self._show,
            coach.rosters,
            self.settings.say_names and not quiet,
        )

    def ask_unfinished(self, unfinished: Unfinished | UnfinishedGroup) -> None:
        """Ask about what the last process left running: a runner's session, or a group."""
        from trackside.history.groups import UnfinishedGroup
        from trackside.tui.group_keeper import ask_group

        if isinstance(unfinished, UnfinishedGroup):
            ask_group(self.history, unfinished, lambda r: self.show_group(self.coaching.resumed(r)))
        else:
            self.history.ask(unfinished)

    def _show(self, screen: Screen[None]) -> None:
        raise NotImplementedError  # the app's

    def _back(self, message: Message) -> None:
        raise NotImplementedError  # the app's: to the picker, the preset waiting, or out

    def on_picker_screen_coach_chosen(self, message: PickerScreen.CoachChosen) -> None:
        """A preset and a saved roster were chosen in the picker: the coach's screen."""
        run = self.coaching.from_roster(message.entry, message.roster, self.settings.countdown_s)
        if run is not None:
            self.show_group(run)

    def show_group(self, run: CoachRun) -> None:
        """Show a group on the coach's screen (a new one, or one resumed)."""
        self.sound.start()
        self.coaching.show(run, self.sound.audio, self.sound.player)
        self.show_group_sound()
        if run.runner.group.started:  # a resumed group: no notice over its rows
            self.sound.withdraw_notice()

    def group_on_track(self) -> bool:
        """Whether the coach's screen is shown with its group under way (a sound notice
        would cover its rows)."""
        from trackside.tui.screens.coach import CoachScreen

        screen = self.screen
        return isinstance(screen, CoachScreen) and screen.runner.group.started

    def show_group_sound(self) -> None:
        """The coach's screen, if shown, says why cues fall back (on its top line)."""
        from trackside.tui.screens.coach import CoachScreen

        if isinstance(self.screen, CoachScreen):
            self.screen.show_sound(self.sound.problem)

    def on_coach_screen_started(self, message: CoachScreen.Started) -> None:
        """The group started: the sound's notice, over the rows, is said on the top line."""
        self.sound.withdraw_notice()

    def on_coach_screen_finished(self, message: CoachScreen.Finished) -> None:
        """Every athlete finished: the group's Summary."""
        self.coaching.finished(message.group)

    def on_group_summary_screen_undo_requested(
        self, message: GroupSummaryScreen.UndoRequested
    ) -> None:
        """Take back an athlete's stray final mark and carry on the group."""
        self.coaching.undo(message.athlete, self.sound.audio)

    def on_athlete_summary_screen_athlete_rated(
        self, message: AthleteSummaryScreen.AthleteRated
    ) -> None:
        """Store the coach's rating and note of an athlete's session."""
        self.coaching.rated(message.athlete, message.rating, message.note)

    def on_group_summary_screen_closed(self, message: GroupSummaryScreen.Closed) -> None:
        """The group's Summary was closed: back to the picker, or out."""
        self._back(message)

    def on_coach_screen_backed(self, message: CoachScreen.Backed) -> None:
        """The coach left before starting the group: back to the picker, or out."""
        self._back(message)
