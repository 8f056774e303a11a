"""A yes-or-no question asked before something that cannot be taken back (ending a session)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from trackside.tui.keys import screen_key
from trackside.tui.screens.shown import shown_only


class ConfirmScreen(ModalScreen[bool]):
    """Asks a question; ``y`` (or Enter) answers yes, ``n`` (or Escape) no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape,q", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The question and the keys that answer it."""
        with Vertical(id="dialog"):
            yield Static(self.question, id="question", markup=False)
            yes, no = (screen_key(self, f"confirm-{it}", every=True) for it in ("yes", "no"))
            yield Static(f"{yes}: yes     {no}: no", id="answers", markup=False)

    @shown_only
    def action_answer(self, yes: bool) -> None:
        """Close the dialog with the answer."""
        self.dismiss(yes)
