"""Asked at start-up when the last session was left unfinished: resume, keep, or discard it."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from trackside.core.safe import visible
from trackside.tui.keys import screen_key
from trackside.tui.screens.shown import shown_only

Choice = Literal["resume", "end", "discard"]
"""What the runner chose to do with the unfinished session."""


class ResumeScreen(ModalScreen[Choice]):
    """The unfinished session in one line and the three things that can be done with it.

    There is no way to close it without choosing: leaving the session running would only ask
    the same question next time.
    """

    BINDINGS = [
        Binding("r,enter", "choose('resume')", "Resume", id="resume-resume"),
        Binding("e", "choose('end')", "Ended early", id="resume-end"),
        Binding("d", "choose('discard')", "Discard", id="resume-discard"),
    ]

    def __init__(self, described: str) -> None:
        super().__init__()
        self.described = described
        """The unfinished session, as :meth:`Unfinished.describe` tells it."""

    def compose(self) -> ComposeResult:
        """The question, the session and the keys."""
        with VerticalScroll(id="dialog"):
            yield Static("A session was left unfinished", id="question", markup=False)
            yield Static(visible(self.described), id="unfinished", markup=False)
            resume, end, discard = (
                screen_key(self, f"resume-{it}", every=True) for it in ("resume", "end", "discard")
            )
            yield Static(
                f"{resume}: resume where it was\n"
                f"{end}: save it as ended early\n"
                f"{discard}: discard it (asks first)",
                id="answers",
                markup=False,
            )
        # The keys stay in sight in the footer when a small terminal scrolls the dialog.
        yield Footer()

    @shown_only
    def action_choose(self, choice: Choice) -> None:
        """Close with the runner's choice (the app asks again before discarding)."""
        self.dismiss(choice)
