"""How many of the session's actions wait for the history file: shown until they are saved."""

from __future__ import annotations

from textual.widgets import Static


class UnsavedBadge(Static):
    """``3 not saved`` in the warning colour while actions wait for the history file (locked,
    full, read-only); hidden when all are on disk. The retry timer saves them by itself."""

    DEFAULT_CSS = """
    UnsavedBadge {
        width: auto;
        padding: 0 1;
        color: $background;
        background: $warning;
        text-style: bold;
    }
    """

    def __init__(self, count: int = 0) -> None:
        super().__init__(id="unsaved", markup=False)
        self.show(count)

    def show(self, count: int) -> None:
        """Show ``count`` actions not yet saved (nothing when none)."""
        self.display = count > 0
        if count:
            self.update(f"{count} not saved")
