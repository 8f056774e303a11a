"""Summary: every split and recovery of the session just run, its figures and a chart."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from trackside.core.events import Phase
from trackside.core.session import Session
from trackside.core.timefmt import split
from trackside.summary import RepStats, Row, rep_stats, rows, splits
from trackside.widgets.rep_chart import RepChart

NARROW = 70
"""Below this many columns the chart goes under the figures."""
FLAG_WORDS = {
    "early": "started early (g)",
    "short": "shorter than the window",
    "long": "longer than the window",
    "skipped": "skipped",
    "ended": "ended here",
}


def figures(stats: RepStats | None) -> str:
    """Fastest, slowest, average, spread, and how the final rep compares, as lines."""
    if stats is None:
        return "No rep was run to its end."
    lines = [
        f"Fastest  rep {stats.fastest[0]}  {split(stats.fastest[1])}",
        f"Slowest  rep {stats.slowest[0]}  {split(stats.slowest[1])}",
        f"Average  {split(stats.average)}  over {stats.count} reps",
        f"Spread   {stats.spread:.1f} s",
    ]
    difference = stats.final_vs_rest
    if stats.final is not None and difference is not None:
        if abs(difference) < 0.05:
            compared = "level with the rest"
        else:
            faster = "faster" if difference < 0 else "slower"
            compared = f"{abs(difference):.1f} s {faster} than the rest"
        lines.append(f"Final    {split(stats.final)}  {compared}")
    return "\n".join(lines)


def _row_cells(row: Row) -> tuple[str, str, str, str]:
    if row.rep is not None:
        what = f"rep {row.rep}" + (" (final)" if row.final else "")
    else:
        what = row.kind.value
    flag = FLAG_WORDS.get(row.flag, row.flag) if row.flag else ""
    return what, split(row.seconds), "!" if row.flag and row.rep is None else "", flag


class SummaryScreen(Screen[None]):
    """The Summary of a session: a table of steps, the figures and a chart of rep times."""

    BINDINGS = [
        Binding("escape", "close", "Done", id="summary-done"),
        Binding("u", "undo", "Undo last mark", id="summary-undo"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    @dataclass
    class Closed(Message):
        """The runner is done reading the summary."""

    @dataclass
    class UndoRequested(Message):
        """The last mark was a stray press: take it back and go on with the session."""

    def __init__(self, session: Session, *, can_undo: bool = False) -> None:
        super().__init__()
        self.session = session
        self.can_undo = can_undo
        """Whether the session's last mark can still be taken back (not after an end)."""
        self.rows = rows(session.plan, session.records)
        self.stats = rep_stats(session.plan, session.records)

    def compose(self) -> ComposeResult:
        """Title, figures and chart on top, the table of steps below."""
        session = self.session
        how = "ended early" if session.running_phase is Phase.ENDED else "done"
        times = [seconds for _rep, seconds in splits(session.plan, session.records)]
        with Vertical(id="summary-head"):
            yield Static("Summary", id="summary-title")
            yield Static(f"{session.plan.name} · {how}", id="summary-what", markup=False)
        with VerticalScroll(id="summary-body"):
            with Horizontal(id="summary-top"):
                yield Static(figures(self.stats), id="figures", markup=False)
                with Vertical(id="chart-box"):
                    yield RepChart(tuple(times), id="chart")
                    yield Static("rep times: taller is slower", id="chart-label", markup=False)
            # The table is read, not navigated: the body scrolls it with the figures.
            table: DataTable[str] = DataTable(id="steps", zebra_stripes=True, show_cursor=False)
            table.can_focus = False
            table.add_columns("step", "time", "", "note")
            for row in self.rows:
                table.add_row(*_row_cells(row))
            yield table
        yield Footer()

    def on_resize(self) -> None:
        """On a narrow terminal the chart goes under the figures."""
        self.set_class(self.size.width < NARROW, "narrow")

    def on_mount(self) -> None:
        """Arrow keys and Page Up/Down scroll the summary."""
        self.query_one("#summary-body").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Undo shows only when there is a mark to take back."""
        return self.can_undo if action == "undo" else True

    def action_undo(self) -> None:
        """Take back the last mark and go back to the session."""
        self.post_message(self.UndoRequested())

    def action_close(self) -> None:
        """Leave the summary."""
        self.post_message(self.Closed())
