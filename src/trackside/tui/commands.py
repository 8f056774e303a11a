"""The command palette of the app: Textual's commands with the theme picker narrowed to
trackside's two themes, the history, the sound check and the cue volumes.

The base class of :class:`~trackside.tui.app.TracksideApp`, which does what the commands name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import Theme

from trackside.tui.sound import VOLUMES
from trackside.tui.themes import DARK, LIGHT


class PaletteApp(App[int]):
    """An app whose palette offers trackside's commands."""

    action_history: Callable[[], None]
    action_sound_check: Callable[[], None]
    set_volume: Callable[[float], None]

    def action_command_palette(self) -> None:
        """Open the command palette: Textual's, closed once however many Enters were queued."""
        from trackside.tui.screens.palette import Palette  # only loaded when the palette opens

        if self.use_command_palette and not isinstance(self.screen, Palette):
            self.push_screen(Palette(id="--command-palette"))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette: Textual's commands, with the theme picker narrowed to ours."""
        for command in super().get_system_commands(screen):
            if command.title != "Theme":
                yield command
        yield SystemCommand("Theme: dark", "High contrast on black", partial(self._set_theme, DARK))
        yield SystemCommand(
            "Theme: light (sunshine)", "Black on white", partial(self._set_theme, LIGHT)
        )
        yield SystemCommand("History", "Past sessions, each step by step", self.action_history)
        yield SystemCommand(
            "Sound check", "Play a test cue and show the backend", self.action_sound_check
        )
        for volume in VOLUMES:
            percent = round(volume * 100)
            yield SystemCommand(
                f"Volume: {percent}%", "Cue volume", partial(self.set_volume, volume)
            )

    def _set_theme(self, theme: Theme) -> None:
        self.theme = theme.name
