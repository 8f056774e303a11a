"""The rep strip: every rep of the session as a mark (done, current, to come) and the last split."""

from __future__ import annotations

from collections.abc import Hashable

from textual.reactive import var

from trackside.tui.widgets.lines import LinesWidget

SYMBOLS = {"done": "■", "skipped": "×", "current": "▶", "todo": "□"}


def draw_strip(states: tuple[str, ...], last_split: str | None, width: int) -> str:
    """The strip fitted to ``width``: reps around the current one if they do not all fit."""
    tail = f"  last {last_split}" if last_split else ""
    if len(states) + len(tail) > width and last_split:
        tail = f" {last_split}"
    room = max(0, width - len(tail))
    marks = "".join(SYMBOLS.get(state, "?") for state in states)
    if len(marks) > room:
        current = next((i for i, s in enumerate(states) if s in ("current", "todo")), len(marks))
        start = max(0, min(len(marks) - room, current - room // 2))
        marks = marks[start : start + room]
    return (marks + tail)[:width]


class RepStrip(LinesWidget):
    """One line: a mark per rep and the last split."""

    DEFAULT_CSS = """
    RepStrip {
        width: 1fr;
        height: 1;
    }
    """

    states: var[tuple[str, ...]] = var(tuple, init=False)
    """One state per rep: done, skipped, current or todo."""
    last_split: var[str | None] = var(None, init=False)
    """The last rep's split, once one is marked."""

    def watch_states(self) -> None:
        """Repaint what changed."""
        self.redraw()

    def watch_last_split(self) -> None:
        """Repaint what changed."""
        self.redraw()

    def drawn_from(self) -> Hashable:
        """The reps and the last split."""
        return (self.states, self.last_split)

    def lines(self, width: int, height: int) -> list[str]:
        """The strip, centred."""
        return [draw_strip(self.states, self.last_split, width).center(width)]
