"""Every athlete's row on the coach's screen, drawn by one widget a line at a time.

A row shows the athlete's key, their words and the clock of their step: given room (a few
athletes), the key and the clock in big digits beside the words; with many, the row is one
line (``row_line``). One widget draws them all through Textual's line API, so a second going
by costs the screen one widget to compose, not three per athlete (ten athletes' clocks turn
each second); a row that changed repaints only its cells that differ.

The colours stay in the stylesheet as component classes (``athlete-rows--rep`` ...); each part
of a row takes them in :data:`CASCADE` order, later ones over earlier ones, as the stylesheet's
rules on a row's parts would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from trackside.tui.coach_view import RowView, info_lines, row_line
from trackside.tui.widgets.board import Board, draw_board
from trackside.tui.widgets.lines import changed_regions

BIG_ROWS = 4
"""A row this tall or taller has its key and clock in the big font; 3 in the small big font,
and under 3 the row is one line."""
KEY_WIDTH = {3: 6, BIG_ROWS: 10}
"""The key's width (its padding included) by row height: mid rows, big rows."""
CLOCK_WIDTH = 24
"""The clock's width in mid rows; in big rows it takes :data:`CLOCK_SHARE` of the width."""
CLOCK_SHARE = 45
"""Percent of the width the clock takes in big rows."""
LIT = frozenset({"window-open", "last-seconds", "go"})
"""States that draw the whole row bold on its colour."""
OVER = frozenset({"done", "ended"})

Shown = tuple[RowView, str | None, bool]
"""A row's moment: what it shows, the notice in place of its window, whether its key is lit."""
When = Callable[[frozenset[str], bool, bool, bool], bool]
"""Whether a component class applies: (the row's states, notice, pressed, one line)."""


def _on(*states: str) -> When:
    wanted = frozenset(states)
    return lambda classes, _notice, _pressed, _line: bool(classes & wanted)


def _always(*_: object) -> bool:
    return True


ROW = (
    ("recovery", _on("recovery", "warmup", "cooldown")),
    ("window-open", _on("window-open")),
    ("go", _on("last-seconds", "go")),
    ("final", _on("final")),
)
"""The row's background, the last that applies winning."""
CASCADE: dict[str, tuple[tuple[str, When], ...]] = {
    "key": (
        ("key", _always),
        ("lit", _on(*LIT)),
        ("done", _on(*OVER)),
        ("pressed", lambda _c, _n, pressed, _l: pressed),
    ),
    "words": (
        ("words", _always),
        ("rep", _on("rep")),
        ("lit", _on(*LIT)),
        ("paused", _on("paused")),
        ("done", _on(*OVER)),
        ("notice", lambda _c, notice, _p, _l: notice),
        ("pressed", lambda _c, _n, pressed, line: pressed and line),
    ),
    "clock": (
        ("clock", _always),
        ("rep", _on("rep")),
        ("lit", _on(*LIT)),
        ("paused", _on("paused")),
    ),
}
"""Each part's component classes in the order they apply."""


class Part(NamedTuple):
    """One part of a row's lines: from ``x`` to ``end``, drawn in ``style``; ``pad`` cells of
    padding either side of its text take only its background."""

    x: int
    end: int
    style: Style
    pad: int


class Drawn(NamedTuple):
    """A row as drawn: its parts and its lines of text (each the row's width)."""

    parts: tuple[Part, ...]
    lines: list[str]
    size: tuple[int, int]
    """The rows' width and height it was drawn at: at another, it is drawn again."""


def words_lines(shown: Shown, width: int, height: int, one_line: bool) -> list[str]:
    """A row's words in ``width`` x ``height``: the whole row on one line, or a few lines
    vertically centred beside the big digits."""
    row, notice, _ = shown
    if one_line:
        return [row_line(row, notice, width)]
    words = info_lines(row, notice, width, height)
    return [""] * max(0, (height - len(words)) // 2) + words


class AthleteRows(Widget):
    """Every athlete's row; :meth:`show` puts a new moment on one."""

    COMPONENT_CLASSES = {
        f"athlete-rows--{name}"
        for name in (*(n for n, _ in ROW), *(n for c in CASCADE.values() for n, _ in c))
    }
    DEFAULT_CSS = """
    AthleteRows {
        height: 1fr;
        width: 1fr;
    }
    """

    def __init__(self, count: int, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.count = count
        self.shown: list[Shown | None] = [None] * count
        """What each row shows now (None before its first moment)."""
        self._drawn: list[Drawn | None] = [None] * count
        self._styles: dict[tuple[frozenset[str], bool, bool, bool], tuple[Style, ...]] = {}

    def rows_layout(self) -> tuple[int, int]:
        """The rows' width and each row's height: the widget's height shared out, at least a
        line each (under 3 lines a row is one line, with no big digits)."""
        width, height = self.size
        return width, max(1, height // max(1, self.count))

    def show(self, moments: Iterable[tuple[int, Shown]]) -> None:
        """Put each ``(index, shown)`` on its row, repainting only the cells that changed
        (in one refresh: ten rows a second are one update, not ten)."""
        width, height = self.rows_layout()
        regions: list[Region] = []
        whole = not self.is_mounted
        for index, shown in moments:
            if self.shown[index] == shown:
                continue
            self.shown[index] = shown
            before = self._drawn[index]
            if before is None or whole or before.size != (width, height):
                self._drawn[index] = None
                whole = True
                continue
            after = self._drawn[index] = self._draw(index, width, height)
            top = index * height
            if after.parts != before.parts:
                regions.append(Region(0, top, width, height))
                continue
            changed = changed_regions(before.lines, after.lines, width, height)
            regions += (region.translate((0, top)) for region in changed)
        if whole:
            self.refresh()
        elif regions:
            self.refresh(*regions)

    def on_resize(self, _event: events.Resize) -> None:
        """Lay every row out again at the new size."""
        self._drawn = [None] * self.count
        self.refresh()

    def notify_style_update(self) -> None:
        """A new theme or stylesheet: work the colours out again."""
        super().notify_style_update()
        self._styles.clear()
        self._drawn = [None] * self.count

    def render_line(self, y: int) -> Strip:
        """Line ``y``: a line of the row it falls in, or blank under the last row."""
        width, height = self.rows_layout()
        index = y // height
        if index >= self.count or self.shown[index] is None:
            return Strip([Segment(" " * width, self._blank())], width)
        drawn = self._drawn[index]
        # The size can change before on_resize is handled: a row drawn at the old one is stale.
        if drawn is None or drawn.size != (width, height):
            drawn = self._drawn[index] = self._draw(index, width, height)
        text = drawn.lines[y - index * height]
        segments = []
        for part in drawn.parts:
            pad = Style(bgcolor=part.style.bgcolor)
            inner = text[part.x + part.pad : part.end - part.pad]
            if part.pad:
                segments.append(Segment(" " * part.pad, pad))
            segments.append(Segment(inner, part.style))
            if part.pad:
                segments.append(Segment(" " * part.pad, pad))
        return Strip([s for s in segments if s.text], width)

    # -- laid out ---------------------------------------------------------------------------

    def _draw(self, index: int, width: int, height: int) -> Drawn:
        """Row ``index`` at ``width`` and the rows' ``height``: its parts and lines."""
        shown = self.shown[index]
        assert shown is not None
        row, notice, pressed = shown
        one_line = height < 3
        key_style, words_style, clock_style = self._part_styles(
            row.classes, notice is not None, pressed, one_line
        )
        if one_line:
            lines = words_lines(shown, width - 2, height, True)
            part = Part(0, width, words_style, 1)
            return Drawn((part,), _padded(((part, lines),), width, height), (width, height))
        key_w = min(width, KEY_WIDTH[min(height, BIG_ROWS)])
        clock_w = CLOCK_WIDTH if height == 3 else width - width * (100 - CLOCK_SHARE) // 100
        clock_w = min(clock_w, width - key_w)
        words_w = width - key_w - clock_w
        key = Part(0, key_w, key_style, 1)
        words = Part(key_w, key_w + words_w, words_style, 1)
        clock = Part(key_w + words_w, width, clock_style, 1)
        texts = (
            (key, draw_board(Board(row.key), max(0, key_w - 2), height)),
            (words, words_lines(shown, max(0, words_w - 2), height, False)),
            (clock, draw_board(Board(row.clock), max(0, clock_w - 2), height)),
        )
        return Drawn((key, words, clock), _padded(texts, width, height), (width, height))

    # -- coloured ---------------------------------------------------------------------------

    def _blank(self) -> Style:
        return Style(bgcolor=self.background_colors[1].rich_color)

    def _part_styles(
        self, classes: frozenset[str], notice: bool, pressed: bool, one_line: bool
    ) -> tuple[Style, ...]:
        """The key's, the words' and the clock's styles for a row in these states (worked out
        once per combination and theme)."""
        key = (classes, notice, pressed, one_line)
        if key not in self._styles:
            base = self.background_colors[1]
            for name, when in ROW:
                styles = self.get_component_styles(f"athlete-rows--{name}")
                if when(*key) and styles.has_rule("background"):
                    base = self.background_colors[1] + styles.background
            self._styles[key] = tuple(self._cascade(base, CASCADE[part], key) for part in CASCADE)
        return self._styles[key]

    def _cascade(
        self,
        background: Color,
        rules: tuple[tuple[str, When], ...],
        states: tuple[frozenset[str], bool, bool, bool],
    ) -> Style:
        """A part's style: its component classes that apply, later over earlier, composed as
        Textual composes a widget's over its parent's background."""
        color = Color(255, 255, 255, 0)
        own: Color | None = None
        text = Style()
        for name, when in rules:
            if not when(*states):
                continue
            styles = self.get_component_styles(f"athlete-rows--{name}")
            if styles.has_rule("background"):
                own = styles.background
            if styles.has_rule("color"):
                color = styles.color
            text += styles.text_style
        back = background if own is None else background + own
        return text + Style.from_color((back + color).rich_color, back.rich_color)


def _padded(texts: tuple[tuple[Part, list[str]], ...], width: int, height: int) -> list[str]:
    """The parts' lines side by side, each cut or padded to its part's width."""
    lines = []
    for y in range(height):
        line = ""
        for part, drawn in texts:
            inner = part.end - part.x - 2 * part.pad
            text = drawn[y] if y < len(drawn) else ""
            line += " " * part.pad + text[: max(0, inner)].ljust(max(0, inner)) + " " * part.pad
        lines.append(line[:width].ljust(width))
    return lines
