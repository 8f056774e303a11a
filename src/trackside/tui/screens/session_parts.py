"""What the session screen keeps beside the session: its widgets, found once, and a notice;
its sound status line, and the guard on its keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Protocol, TypeVar

from textual.widgets import Static

from trackside.tui.sound import FALLBACKS
from trackside.tui.view import fit_words
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


def sound_status(backend: str, muted: bool, problem: str | None, room: int) -> tuple[str, bool]:
    """The status line for the player in use in ``room`` cells, and whether it is degraded
    (never silently: bell and silent stand out, with why in plain words, never over the clock).
    The reason goes first, then the word "sound" (``bell`` alone on the narrowest screens)."""
    quiet = " (muted)" if muted else ""
    fallen = backend in FALLBACKS
    why = f" · {problem}" if fallen and problem else ""
    text = fit_words(f"sound: {backend}{quiet}{why}", room)
    return (text if text.startswith(f"sound: {backend}") else f"{backend}{quiet}"), fallen or muted


class _Composed(Protocol):
    @property
    def shown(self) -> object:
        """The widgets once mounted; None before."""
        ...


_Screen = TypeVar("_Screen", bound=_Composed)


def when_shown(action: Callable[[_Screen], None]) -> Callable[[_Screen], None]:
    """A key that does nothing until the screen is on screen (its ``shown`` set).

    A mashed keyboard sends several keys in one read: the one after Space on Ready can reach
    the session screen before it has composed. Such a key is dropped, as if pressed before the
    screen appeared (it would act on a session the runner cannot see yet).
    """

    @wraps(action)  # Textual reads the action's parameters through the wrapper
    def guarded(screen: _Screen) -> None:
        if screen.shown is not None:
            action(screen)

    return guarded
