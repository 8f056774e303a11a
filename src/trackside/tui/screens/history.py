"""The history in the app: past sessions newest first, and one session step by step.

Both screens read the store in a worker thread and show what came back by message, so a slow or
locked file never freezes the app; a file that cannot be read is one line on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from trackside.core.timefmt import split
from trackside.history import text
from trackside.history.service import sessions_listed
from trackside.history.store import HistoryError, HistoryStore
from trackside.history.views import Overview, detail, local_time
from trackside.tui.screens.shown import never_composed, shown_only


def row_cells(line: Overview) -> tuple[str, str, str, str, str]:
    """Date, preset, reps done, average rep and status: the columns of the list."""
    average = "-" if line.average_s is None else split(line.average_s)
    reps = f"{line.reps_done}/{line.reps_planned}"
    return local_time(line.started_wall), line.preset_name, reps, average, text.status_text(line)


@dataclass
class Listed(Message):
    """The sessions came back from the store (or why they did not)."""

    lines: list[Overview]
    problem: str | None = None


@dataclass
class Read(Message):
    """One session came back from the store, as text (or why it did not)."""

    text: str


class HistoryScreen(Screen[None]):
    """Every session, newest first; Enter opens one, Escape goes back."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="history-back"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, store: HistoryStore) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        """A heading line and the table (filled once the store has answered)."""
        yield Static("History: loading…", id="history-title", markup=False)
        table: DataTable[str] = DataTable(id="history-list", cursor_type="row", zebra_stripes=True)
        table.add_columns("date", "preset", "reps", "average", "status")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        """Ask the store for the sessions."""
        if never_composed(self):
            return
        self.query_one(DataTable).focus()
        self._load()

    @work(thread=True, exit_on_error=False, group="history")
    def _load(self) -> None:
        try:
            self.post_message(Listed(sessions_listed(self.store)))
        except HistoryError as error:
            self.post_message(Listed([], str(error)))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        table: DataTable[str] = self.query_one(DataTable)
        table.clear()
        for line in message.lines:
            table.add_row(*row_cells(line), key=str(line.id))
        count = table.row_count
        title = f"History: {count} session{'s' if count != 1 else ''} · Enter opens one"
        if message.problem is not None:
            title = f"History: {message.problem}"
        elif count == 0:
            title = "History: no sessions recorded yet"
        self.query_one("#history-title", Static).update(title)

    @on(DataTable.RowSelected, "#history-list")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.push_screen(SessionDetailScreen(self.store, int(event.row_key.value)))

    @shown_only
    def action_back(self) -> None:
        """Back to where the history was opened from."""
        self.dismiss(None)


class SessionDetailScreen(Screen[None]):
    """One session like its summary: every split and recovery with its window, the figures,
    the rating and how it compares with earlier sessions of the preset."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="detail-back"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, store: HistoryStore, session_id: int) -> None:
        super().__init__()
        self.store = store
        self.session_id = session_id

    def compose(self) -> ComposeResult:
        """The session as text, scrolling."""
        with VerticalScroll(id="detail-body"):
            yield Static("loading…", id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Ask the store for the session."""
        if never_composed(self):
            return
        self.query_one("#detail-body").focus()
        self._load()

    @work(thread=True, exit_on_error=False, group="history")
    def _load(self) -> None:
        try:
            lines = text.detail(detail(self.store, self.session_id))
        except HistoryError as error:
            lines = [str(error)]
        self.post_message(Read("\n".join(lines)))

    @on(Read)
    def _read(self, message: Read) -> None:
        self.query_one("#detail", Static).update(message.text)

    @shown_only
    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss(None)
