"""What the session screen keeps beside the session: its widgets, found once, and a notice."""

from __future__ import annotations

from dataclasses import dataclass

from textual.widgets import Static

from trackside.tui.widgets.big_text import BigText
from trackside.tui.widgets.headline import Headline
from trackside.tui.widgets.rep_strip import RepStrip
from trackside.tui.widgets.window_bar import WindowBar


@dataclass(frozen=True, slots=True)
class Shown:
    """The screen's widgets, found once when it is mounted (a query each second costs)."""

    headline: Headline
    sub: Static
    big: BigText
    window: WindowBar
    strip: RepStrip
    sound: Static


@dataclass(frozen=True, slots=True)
class Notice:
    """A line shown in place of the sub line, until its step ends (or for a few seconds)."""

    text: str
    step: int | None
    until: float | None
    """Session-clock time it goes away at; None keeps it until the step ends."""
