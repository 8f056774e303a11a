"""The history in the app: past sessions newest first, and one session step by step.

Both screens read the store in worker threads and show what came back by message, so a slow or
locked file never freezes the app; a file that cannot be read is one line on the screen. The
list holds a row for every session but reads only the pages that come into view
(:class:`~trackside.tui.widgets.session_list.SessionList`); above it, personal bests and the
critical speed estimate, worked out once the first rows are up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from trackside.core.safe import visible
from trackside.core.timefmt import split
from trackside.history import text
from trackside.history.group_views import (
    Entries,
    GroupLine,
    count_entries,
    entry_page,
    group_detail,
    group_text,
)
from trackside.history.store import HistoryError, HistoryStore
from trackside.history.views import Overview, detail, local_time
from trackside.tui.keys import key_name
from trackside.tui.screens.shown import never_composed, shown_only
from trackside.tui.widgets.session_list import PAGE, ListedRow, SessionList, heading


def row_cells(line: Overview) -> tuple[str, str, str, str, str, str]:
    """Date, preset, reps done, average rep, fade and status: the columns of the list (a
    damaged session says so; Enter on it says why)."""
    if line.problem is not None:
        when = local_time(line.started_wall) if line.started_wall else "?"
        return (when, line.preset_name, "-", "-", "-", text.status_text(line))
    average = "-" if line.average_s is None else split(line.average_s)
    fade = line.workout.sdec_pct
    reps = f"{line.reps_done}/{line.reps_planned}"
    return (
        local_time(line.started_wall),
        text.shown_name(line.preset_name),
        reps,
        average,
        "-" if fade is None else f"{fade:.1f}%",
        text.status_text(line),
    )


def group_cells(line: GroupLine) -> tuple[str, str, str, str, str, str]:
    """A coach's group on one line: its id and title, how many athletes, how it stands."""
    what = f"G{line.id} {line.title} · {line.athletes} athletes"
    return (local_time(line.started_wall), what, "", "", "", text.STATUS_WORDS[line.status])


def counted(entries: Entries) -> str:
    """``12 sessions, 2 groups``: a group's athletes are one line, so not counted as sessions."""
    counts = (("session", entries.sessions), ("group", entries.groups))
    shown = [(word, n) for word, n in counts if n] or [counts[0]]
    return ", ".join(f"{n:,} {word}{'s' if n != 1 else ''}" for word, n in shown)


def listed(lines: Sequence[Overview | GroupLine]) -> list[ListedRow]:
    """Sessions (and groups, a line each) as rows of the list."""
    return [
        ListedRow(line.id, group_cells(line), group=True)
        if isinstance(line, GroupLine)
        else ListedRow(line.id, row_cells(line))
        for line in lines
    ]


@dataclass
class Counted(Message):
    """How many sessions there are, and the first page of them (or why they could not be read)."""

    count: Entries
    first: list[ListedRow]
    problem: str | None = None


@dataclass
class PageRead(Message):
    """A page of the list came back from the store."""

    page: int
    rows: list[ListedRow]


@dataclass
class Progressed(Message):
    """Personal bests and critical speed, as lines to show above the list."""

    lines: list[str]


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
        """A heading line, bests and critical speed, the column names and the list."""
        yield Static("History: loading…", id="history-title", markup=False)
        yield Static("", id="history-progress", markup=False)
        yield Static("", id="history-columns", markup=False)
        yield SessionList(id="history-list")
        yield Footer()

    def on_mount(self) -> None:
        """Ask the store how many sessions there are and for the first page."""
        if never_composed(self):
            return
        self.query_one(SessionList).focus()
        self._count()

    def on_resize(self) -> None:
        """The column names fit the width."""
        if not never_composed(self):
            width = self.query_one(SessionList).scrollable_content_region.width
            self.query_one("#history-columns", Static).update(heading(width or self.size.width))

    @work(thread=True, exit_on_error=False, group="history")
    def _count(self) -> None:
        try:
            count = count_entries(self.store)
            self.post_message(Counted(count, listed(entry_page(self.store, 0, PAGE))))
        except HistoryError as error:
            self.post_message(Counted(Entries(0, 0), [], str(error)))
        except Exception as error:  # never "loading…" for ever: say it, in one line
            self.post_message(Counted(Entries(0, 0), [], f"cannot be read ({error})"))

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        listing = self.query_one(SessionList)
        listing.set_count(message.count.lines)
        listing.add_page(0, message.first)
        count = message.count.lines
        opens = key_name(self.app, "history-open", "enter")
        title = f"History: {counted(message.count)} · {opens} opens one"
        if message.problem is not None:
            title = f"History: {visible(message.problem)}"
        elif count == 0:
            title = "History: no sessions recorded yet"
        self.query_one("#history-title", Static).update(title)
        self.on_resize()
        if count:
            self.query_one("#history-progress", Static).update("Personal bests: working out…")
            self._progress()

    @on(SessionList.PageWanted)
    def _wanted(self, message: SessionList.PageWanted) -> None:
        if message.page:  # the first page comes with the count
            self._read_page(message.page)

    @work(thread=True, exit_on_error=False, group="history-pages")
    def _read_page(self, number: int) -> None:
        try:
            rows = listed(entry_page(self.store, number * PAGE, PAGE))
        except Exception:  # a worker's error would only be logged
            return  # the rows stay "…": the title already says when the file cannot be read
        self.post_message(PageRead(number, rows))

    @on(PageRead)
    def _page_read(self, message: PageRead) -> None:
        self.query_one(SessionList).add_page(message.page, message.rows)

    @work(thread=True, exit_on_error=False, group="history-progress")
    def _progress(self) -> None:
        from trackside.history.progress import progress

        try:
            lines = text.stats_short(progress(self.store))
        except Exception as error:  # a worker's error would leave "working out…" for ever
            lines = [f"Personal bests: {visible(str(error))}"]
        self.post_message(Progressed(lines))

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        self.query_one("#history-progress", Static).update("\n".join(message.lines))

    @on(SessionList.Chosen)
    def _open(self, event: SessionList.Chosen) -> None:
        if event.group:
            self.app.push_screen(SessionDetailScreen(self.store, event.session_id, group=True))
        else:
            self.app.push_screen(SessionDetailScreen(self.store, event.session_id))

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

    def __init__(self, store: HistoryStore, session_id: int, *, group: bool = False) -> None:
        super().__init__()
        self.store = store
        self.session_id = session_id
        self.group = group
        """Whether ``session_id`` is a coach's group's: its athletes' table and sessions."""

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
            if self.group:
                found = group_detail(self.store, self.session_id)
                lines = group_text(found, local_time(found.group.started_wall))
            else:
                lines = text.detail(detail(self.store, self.session_id))
        except HistoryError as error:
            lines = [str(error)]
        except Exception as error:  # a worker's error would leave "loading…" for ever
            lines = [f"session {self.session_id} cannot be shown ({error})"]
        self.post_message(Read(visible("\n".join(lines), newlines=True)))

    @on(Read)
    def _read(self, message: Read) -> None:
        self.query_one("#detail", Static).update(message.text)

    @shown_only
    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss(None)
