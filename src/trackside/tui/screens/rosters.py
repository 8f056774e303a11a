"""The saved rosters, offered from the picker: the coach picks who runs the highlighted preset.

Each roster of the config folder's ``rosters/`` is listed, a broken one with its first problem
(so a coach who made a typo sees what is wrong and where); Enter takes the highlighted one, Esc
goes back to the picker.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from trackside.core.safe import visible
from trackside.presets.roster import RosterEntry
from trackside.tui.screens.shown import shown_only


def roster_line(entry: RosterEntry) -> str:
    """A roster as the list shows it: its name and athletes, or why it cannot be used."""
    if entry.roster is None:
        first = entry.errors[0] if entry.errors else "it cannot be read"
        return visible(f"! {entry.id}: {first}")
    names = ", ".join(a.name for a in entry.roster.athletes)
    return visible(f"{entry.roster.name or entry.id} ({len(entry.roster.athletes)}): {names}")


class RosterScreen(ModalScreen[RosterEntry | None]):
    """Which saved roster runs the preset; dismissed with it, or None."""

    BINDINGS = [Binding("escape,q", "back", "Back", id="rosters-back")]

    def __init__(self, rosters: Sequence[RosterEntry], preset_name: str) -> None:
        super().__init__()
        self.rosters = list(rosters)
        self.preset_name = preset_name

    def compose(self) -> ComposeResult:
        """The question, the rosters, the keys."""
        with Vertical(id="dialog"):
            yield Static(f"Who runs {visible(self.preset_name)}?", id="question", markup=False)
            options = [Option(Content(roster_line(r)), id=r.id) for r in self.rosters]
            yield OptionList(*options, id="rosters")
            yield Static("Enter: coach this group     Esc: back", id="answers", markup=False)

    @on(OptionList.OptionSelected, "#rosters")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        entry = self.rosters[event.option_index]
        if entry.roster is None:
            self.notify(roster_line(entry), severity="error")
            return
        self.dismiss(entry)

    @shown_only
    def action_back(self) -> None:
        """Back to the picker."""
        self.dismiss(None)
