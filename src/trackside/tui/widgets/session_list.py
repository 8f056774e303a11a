"""The History screen's list: one row a session however many there are, loaded as they come on
screen.

A :class:`SessionList` knows how many sessions there are and draws only the rows in view
(Textual's line API). A row whose page of :data:`PAGE` sessions is not loaded yet is drawn as
``…`` and the list asks for that page (:class:`SessionList.PageWanted`); the screen reads it in
a worker and hands it back with :meth:`SessionList.add_page`. Ten thousand sessions open as
fast as ten: the first page is all that is read before the first frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

PAGE = 100
"""Sessions read at a time: a few screens' worth."""
COLUMNS = (("date", 16, False), ("preset", 0, False), ("reps", 5, True), ("average", 7, True),
           ("fade", 6, True), ("status", 11, False))  # fmt: skip
"""(heading, width, right-aligned): the preset takes the width the others leave."""


@dataclass(frozen=True, slots=True)
class ListedRow:
    """A session as the list shows it: its id and the text of each column."""

    session_id: int
    cells: tuple[str, str, str, str, str, str]
    group: bool = False
    """Whether the row is a coach's group (``session_id`` is then the group's id)."""


def layout(cells: tuple[str, ...], width: int) -> str:
    """One row's cells in the columns, fitted to ``width``."""
    fixed = sum(w for _name, w, _right in COLUMNS) + 2 * (len(COLUMNS) - 1)
    flexible = max(6, width - fixed)
    parts = []
    for (_name, w, right), cell in zip(COLUMNS, cells, strict=True):
        size = w or flexible
        text = cell if len(cell) <= size else cell[: size - 1] + "…"
        parts.append(text.rjust(size) if right else text.ljust(size))
    return "  ".join(parts)[:width].ljust(width)


def heading(width: int) -> str:
    """The column headings, fitted to ``width``."""
    return layout(tuple(name for name, _w, _right in COLUMNS), width)


class SessionList(ScrollView, can_focus=True):
    """Every session, newest first, a row each; a cursor row that Enter opens."""

    DEFAULT_CSS = """
    SessionList {
        height: 1fr;
    }
    SessionList > .session-list--cursor {
        background: $accent;
        color: $text;
    }
    SessionList > .session-list--loading {
        color: $foreground 50%;
    }
    """
    COMPONENT_CLASSES = {"session-list--cursor", "session-list--loading"}
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "move_to(0)", "First", show=False),
        Binding("end", "move_to(-1)", "Last", show=False),
        Binding("enter", "choose", "Open", id="history-open"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)
    """The row the cursor is on (0: the newest session)."""

    @dataclass
    class PageWanted(Message):
        """A page of rows came into view and is not loaded yet."""

        page: int

    @dataclass
    class Chosen(Message):
        """The runner opened the session (or the group) under the cursor."""

        session_id: int
        group: bool = False

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.count = 0
        """How many sessions there are (rows in the list)."""
        self.pages: dict[int, list[ListedRow]] = {}
        self._asked: set[int] = set()
        self.rows_shown = 0
        """Loaded rows drawn so far: the first rows are on screen once it is above zero."""

    # -- data ------------------------------------------------------------------------------

    def set_count(self, count: int) -> None:
        """There are ``count`` sessions: the list is that long (the pages come later)."""
        self.count = count
        self.pages.clear()
        self._asked.clear()
        self.virtual_size = Size(self.size.width, count)
        self.cursor = min(self.cursor, max(0, count - 1))
        self.refresh()

    def add_page(self, page: int, rows: list[ListedRow]) -> None:
        """The rows of ``page`` were read."""
        self.pages[page] = rows
        self._asked.discard(page)
        self.refresh()

    def row(self, index: int) -> ListedRow | None:
        """Row ``index`` if its page is loaded; otherwise None, and the page is asked for."""
        page, within = divmod(index, PAGE)
        rows = self.pages.get(page)
        if rows is None:
            if page not in self._asked:
                self._asked.add(page)
                self.post_message(self.PageWanted(page))
            return None
        return rows[within] if within < len(rows) else None

    # -- drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Row ``y`` of the view: a session, ``…`` while its page loads, or blank."""
        width = self.scrollable_content_region.width
        index = round(self.scroll_offset.y) + y
        if index >= self.count:
            return Strip.blank(width, self.rich_style)
        found = self.row(index)
        if found is None:
            text, style = "…".ljust(width), self.get_component_rich_style("session-list--loading")
        else:
            self.rows_shown += 1
            text, style = layout(found.cells, width), self.rich_style
        if index == self.cursor and self.has_focus:
            style = self.get_component_rich_style("session-list--cursor")
        return Strip([Segment(text, style)], width)

    def on_resize(self) -> None:
        """The rows fit the new width."""
        self.virtual_size = Size(self.size.width, self.count)

    def watch_cursor(self, old: int, new: int) -> None:
        """Keep the cursor row in view and draw it (and the row it left)."""
        height = self.scrollable_content_region.height
        top = round(self.scroll_offset.y)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif height and new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False)
        self.refresh()

    def on_focus(self) -> None:
        """The cursor shows while the list has the keys."""
        self.refresh()

    def on_blur(self) -> None:
        """The cursor hides without the keys."""
        self.refresh()

    # -- keys ------------------------------------------------------------------------------

    def action_move(self, by: int) -> None:
        """Move the cursor ``by`` rows."""
        if self.count:
            self.cursor = max(0, min(self.count - 1, self.cursor + by))

    def action_page(self, direction: int) -> None:
        """Move the cursor a screenful."""
        self.action_move(direction * max(1, self.scrollable_content_region.height - 1))

    def action_move_to(self, index: int) -> None:
        """Put the cursor on row ``index`` (-1: the last)."""
        if self.count:
            self.cursor = self.count - 1 if index < 0 else min(index, self.count - 1)

    def action_choose(self) -> None:
        """Open the session under the cursor (once its row is loaded)."""
        found = self.row(self.cursor) if self.count else None
        if found is not None:
            self.post_message(self.Chosen(found.session_id, found.group))

    def on_click(self, event: Click) -> None:
        """A click puts the cursor on the row; a second click on it opens it."""
        index = round(self.scroll_offset.y) + event.y
        if not 0 <= index < self.count:
            return
        if index == self.cursor:
            self.action_choose()
        else:
            self.cursor = index
