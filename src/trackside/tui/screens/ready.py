"""Ready: the preset's name and what it is, and the one key that starts it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from trackside.core.safe import visible
from trackside.presets.checked import CheckedPreset
from trackside.tui.keys import KEY_NAMES, keys_of, screen_key

SMALL = (30, 12)
"""Below this width or height the Ready screen keeps only the name and ``SPACE to start``."""


def bound_to(key: str, bindings: Sequence[Binding], keymap: Mapping[str, str]) -> list[str]:
    """What ``key`` does among ``bindings``, as remapped by ``keymap`` (binding id -> keys)."""
    return [
        binding.description
        for binding in bindings
        if key in keys_of(keymap.get(binding.id or "", binding.key))
    ]


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
            yield Static("Any key: its name and what it does", id="ready-probe", markup=False)
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        """On a small terminal keep the name and the key (20x8 has room for little else)."""
        small = event.size.width < SMALL[0] or event.size.height < SMALL[1]
        self.set_class(small, "small")
        start = f"{screen_key(self, 'start', loud=True)} to start"
        self.query_one("#ready-key", Static).update(start if small else f"Press {start}")

    def on_key(self, event: events.Key) -> None:
        """Name the key and what it does, here and in the session: a clicker tested first."""
        from trackside.tui.screens.session import SessionScreen

        key = event.key
        name = KEY_NAMES.get(key) or self.app.get_key_display(Binding(key, ""))
        keymap: Mapping[str, str] = getattr(self.app, "keymap_used", {})  # the remaps taken
        here = bound_to(key, self.BINDINGS, keymap)  # type: ignore[arg-type]
        there = bound_to(key, SessionScreen.BINDINGS, keymap)  # type: ignore[arg-type]
        doing = [f"{what} here" for what in here] + [f"{what} in the session" for what in there]
        meaning = ", ".join(doing) if doing else "not bound (config.toml [keymap] can bind it)"
        self.query_one("#ready-probe", Static).update(visible(f"{name}: {meaning}"))

    def action_start(self) -> None:
        """Start the session."""
        self.post_message(self.Started(self.preset, self.preset_id))

    def action_back(self) -> None:
        """Go back without starting."""
        self.post_message(self.Backed())
