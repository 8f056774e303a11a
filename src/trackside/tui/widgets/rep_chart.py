"""A small bar chart of rep times for the Summary: a slower rep is a taller bar."""

from __future__ import annotations

from collections.abc import Hashable

from textual.reactive import reactive

from trackside.core.results import chart
from trackside.tui.widgets.lines import LinesWidget


def draw_chart(times: tuple[float, ...], width: int, rows: int) -> list[str]:
    """Bars two cells wide with a gap when they fit in ``width``, else one cell each."""
    lines = chart(times, rows)
    if len(times) * 3 - 1 <= width:
        return [" ".join(cell * 2 for cell in line) for line in lines]
    return lines


class RepChart(LinesWidget):
    """Rep times as bars, one per rep, as tall as the widget."""

    DEFAULT_CSS = """
    RepChart {
        width: 1fr;
        height: 4;
    }
    """

    times: reactive[tuple[float, ...]] = reactive(tuple)
    """The rep times, in the order run."""

    def __init__(self, times: tuple[float, ...] = (), *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.set_reactive(RepChart.times, times)

    def drawn_from(self) -> Hashable:
        """The times."""
        return self.times

    def lines(self, width: int, height: int) -> list[str]:
        """The bars fitted to the size."""
        return draw_chart(self.times, width, height)
