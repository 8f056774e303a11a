"""The two themes, side by side: high contrast on black, and black on white for sunshine.

The stylesheet (``trackside.tcss``) uses only the theme's variables (``$success`` for an open
window, ``$warning``, ``$error``), so each state reads the same in both.
"""

from __future__ import annotations

from typing import Any

from textual.theme import Theme

from trackside.settings import ThemeName

_COLOURS = {
    # role: (dark, light)
    "primary": ("#4DA3FF", "#0040C0"),
    "secondary": ("#9AD0FF", "#003080"),
    "accent": ("#FF5CF0", "#B0008A"),
    "warning": ("#FFB020", "#A05A00"),
    "error": ("#FF4D4D", "#C00018"),
    "success": ("#2FE05F", "#007A20"),
    "foreground": ("#FFFFFF", "#000000"),
    "background": ("#000000", "#FFFFFF"),
    "surface": ("#111418", "#F0F0F0"),
    "panel": ("#1C2128", "#E0E0E0"),
}


def _side(side: int) -> dict[str, Any]:
    return {role: colours[side] for role, colours in _COLOURS.items()}


DARK = Theme(name="trackside-dark", dark=True, **_side(0))
"""High contrast on black: for the evening, or a shaded bench."""
LIGHT = Theme(name="trackside-light", dark=False, **_side(1))
"""Black on white with deep colours: readable in sunshine."""
THEMES: dict[ThemeName, Theme] = {"trackside-dark": DARK, "trackside-light": LIGHT}
