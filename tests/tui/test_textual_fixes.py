"""The Textual work-rounds: each does what it is for, and each test here fails when Textual
changes what the work-round relies on (then the work-round is mended, or removed if Textual
fixed the bug)."""

from __future__ import annotations

import argparse
import gc
import inspect
import subprocess
import sys
import weakref
from pathlib import Path

import pytest
from app_helpers import rig, shipped
from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.color import Color
from textual.containers import Vertical
from textual.widgets import Static

from trackside.settings import Settings
from trackside.tui import launch, textual_fixes
from trackside.tui.app import TracksideApp
from trackside.tui.launch import run_app
from trackside.tui.screens.palette import Palette

# -- the style cache (Textualize/textual#6665) ----------------------------------------------


def test_textual_still_caches_the_backgrounds_on_the_method() -> None:
    """The bug is there: ``get_inner_outer`` is an ``lru_cache`` whose key holds the widget's
    style cache. When this fails, Textual fixed it: remove the work-round."""
    original = textual_fixes.TEXTUAL_INNER_OUTER
    assert hasattr(original, "cache_info"), "Textual fixed #6665: remove the work-round"
    assert list(inspect.signature(original).parameters) == [
        "cls",
        "base_background",
        "background",
    ]


def test_the_replacement_gives_what_textual_gives() -> None:
    textual_fixes.apply()
    assert StylesCache.get_inner_outer is not textual_fixes.TEXTUAL_INNER_OUTER
    cache = StylesCache()
    for base, background in [
        (Color(0, 0, 0), Color(10, 20, 30, 0.5)),
        (Color(255, 255, 255), Color(0, 64, 192)),
    ]:
        ours = cache.get_inner_outer(base, background)
        assert ours == textual_fixes.TEXTUAL_INNER_OUTER.__wrapped__(cache, base, background)


class Churn(App[None]):
    def compose(self) -> ComposeResult:
        yield Vertical(id="list")


async def test_a_removed_widget_s_rendered_lines_are_let_go() -> None:
    textual_fixes.apply()
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


def test_trackside_applies_the_work_rounds_before_it_builds_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name))
    monkeypatch.setattr(StylesCache, "get_inner_outer", textual_fixes.TEXTUAL_INNER_OUTER)
    ran: list[object] = []
    monkeypatch.setattr(TracksideApp, "run", lambda app: ran.append(StylesCache.get_inner_outer))
    monkeypatch.setattr(launch, "terminal_problem", lambda: None)  # pytest's stdin
    args = argparse.Namespace(preset="21x400m", audio="silent", countdown=None, theme=None)
    assert run_app(args) == 0
    (at_launch,) = ran
    assert at_launch is not textual_fixes.TEXTUAL_INNER_OUTER


# -- the session screen's timer and the palette's search (public Textual, relied on) --------


async def run_with_a_broken_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Into the 3-2-1, then the screen's timer fires a tick that raises."""
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=3))
    async with rigged.app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        screen = rigged.screen

        def broken() -> None:
            raise RuntimeError("a bug in tick")

        monkeypatch.setattr(screen, "tick", broken)
        rigged.clock.advance(1)
        screen._schedule()  # the next second is due now: the loop's timer fires at once
        for _ in range(20):
            await pilot.pause(0.01)


async def test_an_error_in_a_timed_tick_ends_the_app_with_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(RuntimeError, match="a bug in tick"):
        await run_with_a_broken_tick(monkeypatch)


async def test_closing_the_palette_cancels_its_search() -> None:
    """The palette's search is a worker of the palette (what ``workers.cancel_node`` stops)."""
    rigged = rig(shipped("21x400m"))
    async with rigged.app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        palette = rigged.app.screen
        assert isinstance(palette, Palette)
        search = palette._gather_commands("sun")
        assert search.node is palette
        palette.on_screen_suspend()
        await pilot.pause()
        assert search.is_cancelled


# -- the collector's timing -----------------------------------------------------------------


async def test_a_mark_s_collection_still_finds_textual_s_cycles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The collection after each mark pays while Textual leaves each step change in reference
    cycles; when this fails, it no longer does: remove the collection."""
    found: list[int] = []
    collect = gc.collect

    def counted(generation: int = 2) -> int:
        unreachable = collect(generation)
        found.append(unreachable)
        return unreachable

    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        monkeypatch.setattr(gc, "collect", counted)
        for _rep in range(3):
            await rigged.advance(pilot, 70)
            await pilot.press("space")  # the rep ends: a collection after the recovery's frame
            await pilot.pause()
            await rigged.advance(pilot, 155)
            await pilot.press("space")
            await pilot.pause()
    assert len(found) == 3, "one collection a mark"
    assert min(found) > 1000, found


async def frozen_and_tracked_after_a_rep() -> tuple[int, int]:
    """In a fresh process (another test's app, frozen before, would hide this one's freeze):
    the objects frozen at the first frame, and those tracked after a rep and a mark."""
    before = gc.get_freeze_count()
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        frozen = gc.get_freeze_count() - before
        await pilot.press("space")
        await rigged.advance(pilot, 70)
        await pilot.press("space")
        await pilot.pause()
        gc.collect()
        tracked = len(gc.get_objects())
    return frozen, tracked


def test_what_is_loaded_at_the_first_frame_is_frozen() -> None:
    """The freeze pays while nearly everything Textual and the app hold is loaded by the first
    frame; when this fails, most of it comes later and a full collection walks it anyway."""
    here = Path(__file__).parent
    script = (
        f"import asyncio, sys; sys.path.insert(0, {str(here)!r}); "
        "from test_textual_fixes import frozen_and_tracked_after_a_rep as f; "
        "print(*asyncio.run(f()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    frozen, tracked = map(int, done.stdout.split()[-2:])
    assert frozen > 10_000
    assert tracked < frozen / 2, (tracked, frozen)


# -- one notice off the screen ----------------------------------------------------------------


class Notices(App[None]):
    """A clock and the notices over it."""

    def compose(self) -> ComposeResult:
        yield Static("clock")


def notify_both(app: App[None]) -> None:
    """A sound notice and a settings notice, each for longer than the test."""
    app.notify("No sound device", title="Sound", timeout=30)
    app.notify("mark = q refused", title="Settings", timeout=30)


async def test_unnotify_takes_off_the_notices_of_one_title_and_leaves_the_others() -> None:
    """When Textual renames its notice store or ``_unnotify``, this fails: mend ``unnotify``."""

    app = Notices()
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        notify_both(app)
        await pilot.pause()
        assert len(app.screen.query("Toast")) == 2
        textual_fixes.unnotify(app, "Sound")
        await pilot.pause()
        assert [n.title for n in app._notifications] == ["Settings"]
        toasts = list(app.screen.query("Toast"))
        assert len(toasts) == 1


async def test_unnotify_takes_off_a_notice_posted_but_not_yet_shown() -> None:
    """``notify`` posts a message: a notice given just before (a sound check ending while the
    resume question was up) is stored after ``unnotify`` ran, and must go too."""

    app = Notices()
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        notify_both(app)
        textual_fixes.unnotify(app, "Sound")  # in the same handler: neither is stored yet
        await pilot.pause()
        assert [n.title for n in app._notifications] == ["Settings"]
