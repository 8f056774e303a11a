"""The headline: the phase in words, always visible, fitted to the width it has."""

from __future__ import annotations

from collections.abc import Hashable

from textual.reactive import var

from trackside.tui.widgets.lines import LinesWidget


def fit(variants: tuple[str, ...], width: int) -> str:
    """The first (longest) variant that fits in ``width``, else the last one cut to fit."""
    for text in variants:
        if len(text) <= width:
            return text
    return variants[-1][:width] if variants else ""


class Headline(LinesWidget):
    """One line naming the phase; given its wordings longest first, it shows what fits."""

    DEFAULT_CSS = """
    Headline {
        width: 1fr;
        height: 1;
        text-style: bold;
    }
    """

    variants: var[tuple[str, ...]] = var(tuple, init=False)
    """The headline's wordings, longest first."""

    def watch_variants(self) -> None:
        """Repaint what changed."""
        self.redraw()

    @property
    def shown(self) -> str:
        """The wording that is on screen at the current width."""
        return fit(self.variants, self.content_size.width)

    def drawn_from(self) -> Hashable:
        """The wordings."""
        return self.variants

    def lines(self, width: int, height: int) -> list[str]:
        """The longest wording that fits, centred."""
        return [fit(self.variants, width).center(width)]
