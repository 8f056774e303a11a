"""Summary: every split and recovery of the session just run, its figures and a chart.

It also asks how hard the session felt (1-10, next to the preset's prescribed exertion) and
takes an optional note; both go up to the app in :class:`SummaryScreen.Rated`, which stores them
in the background and answers with :class:`SummaryScreen.Kept`. For a preset run before, the
app sends :class:`SummaryScreen.Compared` once the history has answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from trackside.core.events import Phase
from trackside.core.results import RepStats, Row, rep_stats, rows, splits
from trackside.core.safe import visible
from trackside.core.session import Session
from trackside.core.stats import WorkoutStats, workout_stats
from trackside.core.timefmt import split
from trackside.history.text import bests_text
from trackside.history.views import Comparison
from trackside.tui.keys import screen_key
from trackside.tui.screens.shown import never_composed, shown_only
from trackside.tui.widgets.rep_chart import RepChart

NARROW = 70
"""Below this many columns the chart goes under the figures."""
FLAG_WORDS = {
    "early": "started early (g)",
    "short": "shorter than the window",
    "long": "longer than the window",
    "skipped": "skipped",
    "ended": "ended here",
}


def figures(stats: RepStats | None, workout: WorkoutStats | None = None) -> str:
    """Fastest, slowest, average, spread, how the final rep compares, and (with ``workout``)
    the fade, the evenness and the windows kept, as lines."""
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
    return "\n".join(lines + ([] if workout is None else workout_lines(workout)))


def workout_lines(workout: WorkoutStats) -> list[str]:
    """The fade (Sdec), the evenness (CV) and the windows kept, those the session has."""
    lines = []
    if workout.sdec_pct is not None:
        lines.append(f"Fade     {workout.sdec_pct:.1f}%  (Sdec: 0 is none)")
    if workout.cv_pct is not None:
        lines.append(f"Evenness {workout.cv_pct:.1f}%  (CV of the reps)")
    kept = workout.window_adherence_pct
    if kept is not None:
        lines.append(f"Windows  {workout.windows_met} of {workout.windows} kept ({kept:.0f}%)")
    return lines


RATING_KEYS = {str(n % 10): n for n in range(1, 11)}
"""``1``...``9`` rate 1 to 9 and ``0`` rates 10."""


def felt_line(rating: int | None, exertion: int | None) -> str:
    """The rating question, the answer so far and the prescribed exertion beside it."""
    prescribed = f" · prescribed {exertion}/10" if exertion is not None else ""
    if rating is None:
        return f"How hard did it feel? Keys 1-9, 0 for 10{prescribed}"
    return f"Felt {rating}/10{prescribed} (1-9, 0 for 10 to change)"


def _versus(today: float | None, before: float | None, seconds: bool = False) -> str:
    def shown(value: float) -> str:
        return f"{value:.1f} s" if seconds else split(value)

    if today is None:
        return "-"
    if before is None:
        return shown(today)
    delta = today - before
    sign = "+" if delta >= 0 else "-"
    return f"{shown(today)}  before {shown(before)} ({sign}{abs(delta):.1f} s)"


def comparison_text(comparison: Comparison) -> str:
    """Today against the earlier sessions of the preset: average, spread and final rep, and
    today's best reps against the best before (empty when there is nothing to compare)."""
    count = len(comparison.previous)
    today = comparison.today
    lines = []
    if count:
        lines = [
            f"Against {count} earlier session{'s' if count != 1 else ''} of this preset",
            f"Average  {_versus(today.average, comparison.previous_average)}",
            f"Spread   {_versus(today.spread, comparison.previous_spread, seconds=True)}",
            f"Final    {_versus(today.final, comparison.previous_final)}",
        ]
    if comparison.bests:
        lines.append(bests_text(comparison.bests).replace("best reps: ", "Best reps: ", 1))
    return "\n".join(lines)


def trend_label(values: list[float], what: str, shown: str) -> str:
    """What a trend chart shows, its first and last value."""
    return f"{what}, last {len(values)} sessions ({shown}), today on the right"


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
        Binding("n", "note", "Note", id="summary-note"),
        *(
            Binding(key, f"rate({value})", f"Felt {value}/10", id=f"rate-{value}", show=False)
            for key, value in RATING_KEYS.items()
        ),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    @dataclass
    class Closed(Message):
        """The runner is done reading the summary."""

    @dataclass
    class UndoRequested(Message):
        """The last mark was a stray press: take it back and go on with the session. The
        rating and note given so far go with it, to be shown again at the next summary."""

        rating: int | None = None
        note: str | None = None

    @dataclass
    class Rated(Message):
        """The runner rated the session or wrote a note (sent again on leaving)."""

        rating: int | None
        note: str | None

    @dataclass
    class Kept(Message):
        """The session, rating and note are on disk (``saved``), or only in memory."""

        saved: bool

    @dataclass
    class Compared(Message):
        """How the session compares with the earlier sessions of its preset."""

        comparison: Comparison

    def __init__(
        self,
        session: Session,
        *,
        can_undo: bool = False,
        exertion: int | None = None,
        felt: tuple[int | None, str | None] = (None, None),
    ) -> None:
        super().__init__()
        self.session = session
        self.can_undo = can_undo
        """Whether the session's last mark can still be taken back (not after an end)."""
        self.exertion = exertion
        """The preset's prescribed exertion (1-10), shown next to the rating."""
        self.rating, self.note = felt
        """The rating and note: none yet, or those given before an undo (still changeable)."""
        self.rows = rows(session.plan, session.records)
        self.stats = rep_stats(session.plan, session.records)
        self.workout = workout_stats(session.plan, session.records)

    def compose(self) -> ComposeResult:
        """Title, figures and chart on top, the table of steps below."""
        session = self.session
        how = "ended early" if session.running_phase is Phase.ENDED else "done"
        times = [seconds for _rep, seconds in splits(session.plan, session.records)]
        with Vertical(id="summary-head"):
            yield Static("Summary", id="summary-title")
            what = f"{visible(session.plan.name)} · {how}"
            yield Static(what, id="summary-what", markup=False)
        with VerticalScroll(id="summary-body"):
            # How it felt comes first, so it is on screen even on a small terminal.
            yield Static(felt_line(self.rating, self.exertion), id="felt", markup=False)
            hint = f"a note ({screen_key(self, 'summary-note')}), Enter keeps it"
            yield Input(self.note or "", placeholder=hint, id="note", compact=True)
            yield Static(id="kept", markup=False)
            with Horizontal(id="summary-top"):
                yield Static(figures(self.stats, self.workout), id="figures", markup=False)
                with Vertical(id="chart-box"):
                    yield RepChart(tuple(times), id="chart")
                    yield Static("rep times: taller is slower", id="chart-label", markup=False)
            with Vertical(id="compare-box", classes="hidden"):
                yield Static(id="compare", markup=False)
                with Vertical(id="trend-box"):
                    yield RepChart(id="compare-chart")
                    yield Static(id="compare-label", markup=False)
                    yield RepChart(id="fade-chart")
                    yield Static(id="fade-label", markup=False)
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
        if never_composed(self):
            return
        self.query_one("#summary-body").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Undo shows only when there is a mark to take back."""
        return self.can_undo if action == "undo" else True

    @shown_only
    def action_undo(self) -> None:
        """Take back the last mark and go back to the session, the rating and note (as typed)
        kept for the next summary."""
        self.note = self.query_one("#note", Input).value.strip() or None
        self.post_message(self.UndoRequested(self.rating, self.note))

    @shown_only
    def action_close(self) -> None:
        """Leave the summary, keeping the note as typed (and the rating, or none)."""
        self._keep_note()
        self.post_message(self.Closed())

    @shown_only
    def action_rate(self, rating: int) -> None:
        """Rate how hard the session felt."""
        self.rating = rating
        self.query_one("#felt", Static).update(felt_line(rating, self.exertion))
        self.post_message(self.Rated(rating, self.note))

    @shown_only
    def action_note(self) -> None:
        """Type a note."""
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    def _noted(self) -> None:
        self._keep_note()
        self.query_one("#summary-body").focus()

    def _keep_note(self) -> None:
        self.note = self.query_one("#note", Input).value.strip() or None
        self.post_message(self.Rated(self.rating, self.note))

    @on(Kept)
    def show_kept(self, message: Kept) -> None:
        """Say whether the session, rating and note are on disk or only in memory."""
        say_kept(self.query_one("#kept", Static), message.saved)

    @on(Compared)
    def show_comparison(self, message: Compared) -> None:
        """Show how today compares with the earlier sessions of the same preset: the figures,
        the trend of the average rep and of the fade (charts), and today's best reps."""
        comparison = message.comparison
        self.query_one("#compare", Static).update(comparison_text(comparison))
        averages, fades = comparison.trend_averages(), comparison.trend_sdec()
        self.query_one("#trend-box").set_class(len(averages) < 2, "hidden")
        self.query_one("#compare-chart", RepChart).times = tuple(averages)
        if len(averages) >= 2:
            shown = f"{split(averages[0])} to {split(averages[-1])}"
            label = trend_label(averages, "Average rep", shown)
            self.query_one("#compare-label", Static).update(label)
        self.query_one("#fade-chart", RepChart).set_class(len(fades) < 2, "hidden")
        self.query_one("#fade-label", Static).set_class(len(fades) < 2, "hidden")
        if len(fades) >= 2:
            self.query_one("#fade-chart", RepChart).times = tuple(fades)
            shown = f"{fades[0]:.1f}% to {fades[-1]:.1f}%"
            self.query_one("#fade-label", Static).update(trend_label(fades, "Fade", shown))
        self.query_one("#compare-box").remove_class("hidden")


def say_kept(kept: Static, saved: bool) -> None:
    """Say in ``kept`` whether what the Summary shows is on disk (``saved``) or only in memory."""
    kept.update("Saved to the history" if saved else "Kept in memory only: not saved")
    kept.set_class(not saved, "unsaved")
