"""The preset picker: every preset in the library, a preview of the highlighted one, Enter starts.

Broken presets are listed with their errors rather than hidden, so a runner who made a typo in
their own file sees what is wrong and where.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from trackside.core.plan import Plan, Step, StepKind
from trackside.core.safe import visible
from trackside.presets.checked import CheckedPreset
from trackside.presets.loader import PresetEntry
from trackside.presets.outline import (
    extras_text,
    format_range,
    reps_text,
    step_length,
    step_what,
    summarize,
)
from trackside.presets.roster import RosterEntry
from trackside.tui.screens.rosters import RosterScreen
from trackside.tui.screens.shown import never_composed, shown_only
from trackside.tui.view import distance_label


def _step_words(step: Step) -> str:
    parts = [distance_label(step), step_what(step)]
    if not step.is_rep:
        parts.insert(0, step.kind.value)
        parts.append(step_length(step))
    elif step.time_s is not None:
        parts.append(step_length(step))
    return " ".join(part for part in parts if part)


def _units(plan: Plan) -> list[str]:
    """The steps as lines, a rep and its recovery together, runs of the same counted once."""
    steps = plan.steps
    units: list[str] = []
    index = 0
    while index < len(steps):
        step = steps[index]
        following = steps[index + 1] if index + 1 < len(steps) else None
        if step.is_rep and following is not None and following.kind.value == "recovery":
            units.append(f"{_step_words(step)}, then {_step_words(following)}")
            index += 2
        else:
            units.append(_step_words(step))
            index += 1
    lines: list[str] = []
    count = 0
    for position, unit in enumerate(units):
        count += 1
        if position + 1 == len(units) or units[position + 1] != unit:
            lines.append(f"{count} x {unit}" if count > 1 else unit)
            count = 0
    return lines


def preview(entry: PresetEntry) -> str:
    """What the picker shows about ``entry``: the preset's facts, or its errors, made visible
    (a control or bidi character in the file, its name or its path as its escape)."""
    where = f"{entry.source} · {entry.id}"
    if entry.preset is None:
        errors = "\n".join(f"  {line}" for line in entry.errors)
        heading = f"{entry.id}  ({where})"
        shown = f"{heading}\n\nThis preset has errors and cannot run:\n{errors}\n\n{entry.path}"
    else:
        shown = describe(entry.preset, where)
    return visible(shown, newlines=True)


def describe(preset: CheckedPreset, where: str = "") -> str:
    """A preset's facts: what it is, who it is for, its reps and recoveries, how long it takes."""
    plan = preset.to_plan()
    totals = summarize(plan)
    recovers = any(step.kind is StepKind.RECOVERY for step in plan.steps)
    duration = f"about {format_range(totals.duration_s)}"
    facts = [
        ("Designed for", preset.designed_for),
        ("Periodization", preset.periodization),
        ("Exertion", f"{preset.exertion}/10" if preset.exertion is not None else None),
        ("Display", f"{plan.display.value} during reps"),
        ("Reps", reps_text(totals)),
        ("Recovery", format_range(totals.recovery_s) if recovers else None),
        ("Duration", " ".join(filter(None, (duration, extras_text(plan))))),
    ]
    lines = [f"{preset.name}  ({where})" if where else preset.name]
    if preset.description:
        lines += ["", preset.description]
    lines.append("")
    lines += [f"{label:<15}{value}" for label, value in facts if value]
    lines += ["", "Steps", *(f"  {line}" for line in _units(plan))]
    return "\n".join(lines)


class PickerScreen(Screen[None]):
    """The library on the left, the highlighted preset on the right; Enter starts it."""

    BINDINGS = [
        Binding("enter", "start", "Start", id="picker-start", show=True, priority=False),
        Binding("h", "app.history", "History", id="picker-history"),
        Binding("c", "coach", "Coach a group", id="picker-coach"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    @dataclass
    class Chosen(Message):
        """The runner picked a preset to run."""

        entry: PresetEntry

    @dataclass
    class CoachChosen(Message):
        """The coach picked a preset and a saved roster to run it."""

        entry: PresetEntry
        roster: RosterEntry

    def __init__(self, library: Sequence[PresetEntry], rosters: Sequence[RosterEntry] = ()) -> None:
        super().__init__()
        self.library = list(library)
        self.rosters = list(rosters)
        """The saved rosters (``c`` offers them with the highlighted preset)."""

    def compose(self) -> ComposeResult:
        """The list and the preview side by side."""
        options = [
            Option(
                Content(visible(entry.name if entry.ok else f"! {entry.id} (broken)")), id=str(i)
            )
            for i, entry in enumerate(self.library)
        ]
        with Horizontal():
            yield OptionList(*options, id="presets")
            with VerticalScroll(id="preview-box"):
                yield Static(id="preview", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Select the first preset (21x400m) and show it."""
        if never_composed(self):
            return
        presets = self.query_one(OptionList)
        if self.library:
            presets.highlighted = 0
            self._show(0)
        else:
            self.query_one("#preview", Static).update("No presets found.")
        presets.focus()

    @on(OptionList.OptionHighlighted, "#presets")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    @on(OptionList.OptionSelected, "#presets")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _show(self, index: int) -> None:
        entry = self.library[index]
        self.query_one("#preview", Static).update(preview(entry))
        self.query_one("#preview-box").set_class(not entry.ok, "broken")

    def _choose(self, index: int) -> None:
        entry = self.library[index]
        if entry.preset is None:
            first = entry.errors[0] if entry.errors else "it cannot be read"
            self.notify(f"{entry.id} cannot run: {first}", severity="error", markup=False)
            return
        self.post_message(self.Chosen(entry))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``c`` only when there are saved rosters to offer."""
        return bool(self.rosters) if action == "coach" else True

    @shown_only
    def action_coach(self) -> None:
        """The saved rosters, to coach a group through the highlighted preset."""
        index = self.query_one(OptionList).highlighted
        if index is None or not self.rosters:
            return
        entry = self.library[index]
        if entry.preset is None:
            self._choose(index)  # says why it cannot run
            return

        def chosen(roster: RosterEntry | None) -> None:
            if roster is not None:
                self.post_message(self.CoachChosen(entry, roster))

        self.app.push_screen(RosterScreen(self.rosters, entry.preset.name), chosen)

    @shown_only
    def action_start(self) -> None:
        """Start the highlighted preset."""
        index = self.query_one(OptionList).highlighted
        if index is not None:
            self._choose(index)
