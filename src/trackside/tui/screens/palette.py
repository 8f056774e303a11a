"""Textual's command palette, closed once only, however many keys were queued into it.

Keys a runner mashes arrive in one terminal read, and the app hands them on before the palette
has handled the first. Enters queued behind ``ctrl+p`` reach the palette while it is still
opening: the first ones pick a command, and each later one (already in the palette's queue)
finds the command still chosen and dismisses the palette again, popping the screen underneath
instead, until none is left (``ScreenStackError``). Letters queued behind the one that closed it
start a new search over its list, gone by then (``NoMatches`` in the search worker). Textual 8.2
does not check that the palette is still open; here what reaches a palette no longer on top is
dropped before Textual's handlers see it, and a search still running when it closes is stopped.
"""

from __future__ import annotations

from textual import on
from textual.command import CommandPalette
from textual.widgets import Button, Input, OptionList


class Palette(CommandPalette):
    """The command palette; a selection or a search after it has closed is ignored."""

    @on(Input.Changed)
    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def _closed_already(
        self,
        event: Input.Changed | Input.Submitted | Button.Pressed | OptionList.OptionSelected,
    ) -> None:
        # Handlers of this class run before those of CommandPalette; preventing the default
        # stops the message reaching them.
        if not self.is_active:
            event.prevent_default()
            event.stop()

    def on_screen_suspend(self) -> None:
        """Closed (or covered) by anything, Textual's own keys or not: stop searching (the
        search is the palette's only worker)."""
        self.workers.cancel_node(self)
