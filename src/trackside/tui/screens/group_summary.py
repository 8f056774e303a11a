"""The group's Summary: every athlete's splits side by side, their average and statistics; each
athlete's own Summary (and how hard it felt) a key away.

An athlete's key opens their own :class:`~trackside.tui.screens.summary.SummaryScreen`, where
``1``-``9``, ``0`` rate their session; ``u`` then an athlete's key takes back that athlete's
last mark (a stray final press) and goes back to the coach's screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from trackside.core.events import ActionKind, Phase
from trackside.core.group import Group
from trackside.core.group_results import AthleteResult, athlete_result, group_table
from trackside.core.safe import visible
from trackside.tui.coach_keys import Keypad
from trackside.tui.keys import screen_key
from trackside.tui.screens.shown import never_composed, shown_only
from trackside.tui.screens.summary import SummaryScreen, say_kept

_HOW = {Phase.DONE: "done", Phase.ENDED: "ended early"}


def results_of(group: Group) -> list[AthleteResult]:
    """Each athlete's figures as their session stands."""
    return [
        athlete_result(
            visible(athlete.name),
            session.plan,
            session.records,
            _HOW.get(session.running_phase, "running"),
        )
        for athlete, session in zip(group.athletes, group.sessions, strict=True)
    ]


class AthleteSummaryScreen(SummaryScreen):
    """One athlete's own Summary, over the group's; Esc goes back to the group."""

    @dataclass
    class AthleteRated(Message):
        """The coach rated an athlete's session or wrote a note for it."""

        athlete: int
        rating: int | None
        note: str | None

    def __init__(self, athlete: int, name: str, group: Group, exertion: int | None) -> None:
        super().__init__(group.sessions[athlete], can_undo=False, exertion=exertion)
        self.athlete = athlete
        self.athlete_name = name

    def on_mount(self) -> None:
        """Name the athlete in the title."""
        super().on_mount()
        if not never_composed(self):
            self.query_one("#summary-title", Static).update(f"{self.athlete_name} · Summary")

    def on_summary_screen_rated(self, message: SummaryScreen.Rated) -> None:
        """A rating or note here is this athlete's: the app stores it with their session."""
        message.stop()
        self.post_message(self.AthleteRated(self.athlete, message.rating, message.note))

    @shown_only
    def action_close(self) -> None:
        """Back to the group's Summary, keeping the note as typed."""
        self._keep_note()
        self.dismiss(None)


class GroupSummaryScreen(Screen[None]):
    """A table of athletes by rep, with their average, fade, evenness and windows kept."""

    BINDINGS = [
        Binding("escape", "close", "Done", id="group-summary-done"),
        Binding("enter", "open", "Athlete's own", id="group-summary-open"),
        Binding("u", "arm_undo", "Undo…", id="group-summary-undo"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    @dataclass
    class Closed(Message):
        """The coach is done reading the group's Summary."""

    @dataclass
    class UndoRequested(Message):
        """An athlete's last mark was a stray press: take it back and go on."""

        athlete: int

    @dataclass
    class Kept(Message):
        """The group's sessions (and ratings) are on disk, or only in memory."""

        saved: bool

    def __init__(
        self,
        group: Group,
        keys: Sequence[str],
        *,
        title: str = "",
        exertions: Sequence[int | None] = (),
    ) -> None:
        super().__init__()
        self.group = group
        self.keypad = Keypad(keys)
        self.names = [visible(athlete.name) for athlete in group.athletes]
        self.title_text = visible(title) or ", ".join(self.names)
        self.exertions = list(exertions) or [None] * len(self.names)
        self.results = results_of(group)
        self.undo_armed = False

    def compose(self) -> ComposeResult:
        """The title, the table, what the keys do."""
        ended = any(s.running_phase is Phase.ENDED for s in self.group.sessions)
        how = "ended early" if ended else "done"
        plans = sorted({s.plan.name for s in self.group.sessions})
        with Vertical(id="group-summary-head"):
            yield Static("Group summary", id="group-summary-title")
            what = f"{self.title_text} · {' / '.join(plans)} · {how}"
            yield Static(what, id="group-summary-what", markup=False)
        table: DataTable[str] = DataTable(id="group-table", cursor_type="row", zebra_stripes=True)
        rows = group_table(self.results, self.keypad.keys)
        table.add_columns(*rows[0])
        for cells in rows[1:]:
            table.add_row(*cells)
        yield table
        opener, undo, done = (
            screen_key(self, name, every=True)
            for name in ("group-summary-open", "group-summary-undo", "group-summary-done")
        )
        hint = f"An athlete's key (or {opener}) opens their own Summary, to rate it; {undo} then "
        hint += f"a key takes back their last mark; {done}: done"
        yield Static(hint, id="group-summary-hint", markup=False)
        yield Static(id="kept", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """The table takes the arrow keys (and scrolls sideways through long sessions)."""
        if not never_composed(self):
            self.query_one(DataTable).focus()

    def on_key(self, event: events.Key) -> None:
        """An athlete's key: their own Summary, or (after ``u``) their last mark taken back."""
        athlete = self.keypad.athlete_of(event.character or "")
        if athlete is None or not self.is_mounted:
            return
        event.stop()
        event.prevent_default()
        if self.undo_armed:
            self.undo_armed = False
            self._undo(athlete)
        else:
            self.open_athlete(athlete)

    def open_athlete(self, athlete: int) -> None:
        """Show the athlete's own Summary over this one."""
        name = self.names[athlete]
        self.app.push_screen(
            AthleteSummaryScreen(athlete, name, self.group, self.exertions[athlete])
        )

    def _undo(self, athlete: int) -> None:
        session = self.group.sessions[athlete]
        if session.check(ActionKind.UNDO, session.now) is not None:
            self.notify(f"{self.names[athlete]}: no mark to take back", severity="warning")
            return
        self.post_message(self.UndoRequested(athlete))

    @shown_only
    def action_open(self) -> None:
        """Enter: the highlighted athlete's own Summary."""
        row = self.query_one(DataTable).cursor_row
        if 0 <= row < len(self.names):
            self.open_athlete(row)

    @shown_only
    def action_arm_undo(self) -> None:
        """``u``: the next athlete's key takes back their last mark."""
        self.undo_armed = True
        self.notify("Undo: press the athlete's key", timeout=3)

    @shown_only
    def action_close(self) -> None:
        """Leave the Summary."""
        self.post_message(self.Closed())

    @on(Kept)
    def show_kept(self, message: Kept) -> None:
        """Say whether the group is on disk or only in memory."""
        say_kept(self.query_one("#kept", Static), message.saved)
