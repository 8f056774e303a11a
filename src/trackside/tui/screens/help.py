"""The keys of the screen underneath, as they are bound now (remaps included)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from trackside.core.safe import visible
from trackside.tui.keys import KEY_NAMES, key_name
from trackside.tui.screens.shown import shown_only

GUARD_RULE = (
    "A rep faster than 60% of the world-record time for its distance (25.8 s for 400m) "
    "is taken for a stray press: it is marked, and u takes it back."
)


def key_label(keys: str) -> str:
    """``space,enter`` as ``Space / Enter`` (a key from config.toml made visible)."""
    return visible(" / ".join(KEY_NAMES.get(key, key) for key in keys.split(",")))


def bound_keys(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """(keys, what it does, binding id) of each of ``screen``'s own bindings, as bound now."""
    active = screen.active_bindings
    seen: dict[str, tuple[str, str, str]] = {}
    for bound in active.values():
        binding = bound.binding
        if binding.id and bound.node is screen and binding.id not in seen:
            keys = ",".join(key for key, other in active.items() if other.binding.id == binding.id)
            seen[binding.id] = (keys, binding.description, binding.id)
    return list(seen.values())


class HelpScreen(ModalScreen[None]):
    """A table of keys, what they do and the id to remap them with in ``config.toml``."""

    BINDINGS = [Binding("escape,question_mark,q,enter,space", "close", "Close", id="help-close")]

    def __init__(self, keys: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()
        self.keys = keys
        """(keys, what it does, binding id) for every key."""

    def compose(self) -> ComposeResult:
        """The key table, the guard rule and how to close."""
        width = max((len(key_label(keys)) for keys, _what, _id in self.keys), default=0)
        rows = [
            f"{key_label(keys):>{width}}  {what:<10} [{ident}]" for keys, what, ident in self.keys
        ]
        with VerticalScroll(id="dialog"):
            yield Static("Keys", id="title")
            yield Static("\n".join(rows), id="keys", markup=False)
            undo = key_name(self.app, "undo", "u")
            yield Static(GUARD_RULE.replace("u takes", f"{undo} takes"), id="rule", markup=False)
            yield Static('Remap: [keymap] in config.toml, e.g. mark = "space,b"', markup=False)
            yield Static("Esc closes", id="answers", markup=False)

    @shown_only
    def action_close(self) -> None:
        """Back to the session."""
        self.dismiss(None)
