"""The baseline Textual apps: one widget, started the same way as trackside.

``python bench/minimal_app.py hello`` shows one ``Static`` with a marker text (the start-up and
memory baseline); ``python bench/minimal_app.py clock`` shows a ``Digits`` clock updated once a
second (the CPU baseline: the least a Textual clock can cost).
"""

from __future__ import annotations

import sys
import time

from textual.app import App, ComposeResult
from textual.widgets import Digits, Static

MARKER = "MINIMAL APP READY"


class HelloApp(App[None]):
    """One widget, nothing else."""

    def compose(self) -> ComposeResult:
        yield Static(MARKER)


class ClockApp(App[None]):
    """A ``Digits`` clock counting up from its start, redrawn once a second."""

    def __init__(self) -> None:
        super().__init__()
        self.started = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Digits("0:00", id="clock")

    def on_mount(self) -> None:
        self.set_interval(1.0, self.update_clock)

    def update_clock(self) -> None:
        elapsed = int(time.monotonic() - self.started)
        self.query_one(Digits).update(f"{elapsed // 60}:{elapsed % 60:02d}")


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "hello"
    app: App[None] = ClockApp() if mode == "clock" else HelloApp()
    app.run()


if __name__ == "__main__":
    main()
