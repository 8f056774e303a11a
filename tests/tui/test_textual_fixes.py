"""The Textual work-arounds: a widget removed after rendering is not kept by a style cache."""

from __future__ import annotations

import gc
import weakref

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

import trackside.tui.app  # noqa: F401  (applies the work-arounds, as the app does)


class Churn(App[None]):
    def compose(self) -> ComposeResult:
        yield Vertical(id="list")


async def test_a_removed_widget_s_rendered_lines_are_let_go() -> None:
    app = Churn()
    gone: list[weakref.ref[object]] = []
    async with app.run_test(size=(40, 20)) as pilot:
        for round_ in range(4):
            cards = [Static(f"card {round_}.{i}") for i in range(10)]
            await app.query_one("#list").mount_all(cards)
            await pilot.pause()
            gone += [weakref.ref(card._styles_cache) for card in cards]
            del cards
            await app.query_one("#list").remove_children()
            await pilot.pause()
    gc.collect()
    alive = [ref() is not None for ref in gone]
    # The last round may still be held by what was drawn last; every earlier one is gone
    # (Textual 8.2 alone keeps all 40, up to 1024).
    assert not any(alive[:30])
