"""Keys that reach a screen before it is on screen do nothing.

A mashed keyboard sends several keys in one terminal read. The app takes them one after
another without waiting, so the key after the one that opened a screen reaches that screen's
bindings before the screen has composed: its widgets do not exist yet (``NoMatches``), and a
question has not been asked yet. Such a key is dropped, as a key pressed before the screen
appeared; once the screen is mounted every key counts.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from textual.screen import Screen

P = ParamSpec("P")
S = TypeVar("S", bound=Screen[Any])


def shown_only(action: Callable[Concatenate[S, P], None]) -> Callable[Concatenate[S, P], None]:
    """An action that does nothing until its screen is mounted (composed and shown)."""

    @wraps(action)  # Textual reads the action's parameters through the wrapper
    def guarded(screen: S, /, *args: P.args, **kwargs: P.kwargs) -> None:
        if screen.is_mounted:
            action(screen, *args, **kwargs)

    return guarded


def never_composed(screen: Screen[Any]) -> bool:
    """Whether ``screen`` was closed before its widgets were mounted (a queued ``q`` quit the
    app as it opened): Textual still calls its ``on_mount``, which must not look for them."""
    return not screen.children
