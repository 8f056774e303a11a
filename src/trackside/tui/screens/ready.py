"""Ready: the preset's name and what it is, and the one key that starts it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from trackside.core.safe import visible
from trackside.presets.checked import CheckedPreset
from trackside.tui.keys import screen_key


class ReadyScreen(Screen[None]):
    """Before the first step: name, description, ``Press SPACE to start``."""

    BINDINGS = [
        Binding("space,enter", "start", "Start", id="start"),
        Binding("c", "app.sound_check", "Sound check", id="ready-sound-check"),
        Binding("escape", "back", "Back", id="back"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    @dataclass
    class Started(Message):
        """The runner pressed the start key."""

        preset: CheckedPreset
        preset_id: str | None = None
        """The preset's library id (file stem), if it came from the library or a file."""

    @dataclass
    class Backed(Message):
        """The runner went back (to the picker, or out)."""

    def __init__(self, preset: CheckedPreset, preset_id: str | None = None) -> None:
        super().__init__()
        self.preset = preset
        self.preset_id = preset_id

    def compose(self) -> ComposeResult:
        """Name, what it is, and the key."""
        preset = self.preset
        about = [preset.description or "", preset.designed_for or ""]
        with Vertical(id="ready"):
            yield Static(visible(preset.name), id="ready-name", markup=False)
            about_text = visible("\n".join(line for line in about if line), newlines=True)
            yield Static(about_text, id="ready-about", markup=False)
            with Center():
                start = screen_key(self, "start", loud=True)
                yield Static(f"Press {start} to start", id="ready-key", markup=False)
        yield Footer()

    def action_start(self) -> None:
        """Start the session."""
        self.post_message(self.Started(self.preset, self.preset_id))

    def action_back(self) -> None:
        """Go back without starting."""
        self.post_message(self.Backed())
