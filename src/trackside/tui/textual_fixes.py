"""Every place trackside works round Textual, in one module: each is a private part of Textual or
the garbage collector's timing around Textual's objects, justified below by a figure from
``bench/`` (measured with and without it in one sitting, on 2 shared cores, 2026-11-30) and
guarded by a test in ``tests/tui/test_textual_fixes.py`` that fails when Textual changes what it
relies on. Textual is pinned to 8.2.x, so a new Textual is a deliberate bump that runs them.

- :func:`apply` (``textual._styles_cache``): ``StylesCache.get_inner_outer`` is an ``lru_cache``
  on a method (Textual 8.2, Textualize/textual#6665); its key holds ``self``, so the style cache
  of every widget that ever rendered, with its rendered lines, stays alive until 1024 others
  push it out. The session screen's footer makes new key widgets a few times a rep. ``bench/run
  --only memory``, two passes: RSS growth rep 2 -> 21 is 0.3 MB with it, 1.9 and 2.0 MB
  without (+7 MB by rep 60).
- :func:`freeze_what_is_loaded` and :func:`collect_after_refresh` (``gc``): Textual leaves each
  step change's restyle and redraw in reference cycles (thousands of objects a mark) that the
  collector's own full collections find only every few reps, and a full collection walks all of
  Textual. ``bench/run --only memory``, two passes: growth rep 2 -> 21 is 0.3 and 0.2 MB with a
  collection after each mark, 1.6 and 1.7 MB without; a full collection takes 8 and 12 ms
  (median) with what is loaded frozen, 41 and 47 ms without, and one that comes during a redraw
  delays that second's frame by as much (``--only display``, p99: 65 and 65 ms with the freeze,
  134 and 78 ms without, on a busy machine).

- :func:`unnotify` (``App._notifications``, ``App._unnotify``): Textual's public API removes
  every notice at once (``clear_notifications``) but not one. The sound fallback notice from the
  Ready screen must leave when the track screen opens (its status area says it, never a notice
  over the clock) while the settings and history notices stay (no figure: it is what is shown).

Removed, their benefit within the noise (``bench/run``, two passes each, with and without):

- ``App._refresh_truecolor_filter``, called to start on the chosen theme without the second
  parse of the stylesheet that setting ``App.theme`` before the run queues: start-up to the
  first frame 1.48x the minimal app with it, 1.56x without; 1.20x with, 1.18x without (the
  second parse comes after the first frame). The app sets ``theme`` as Textual documents.
- ``App._handle_exception``, called by the session screen's timer to report an error in a tick:
  the timer now hands the tick to the screen's own queue, which reports errors itself. CPU in a
  recovery 0.47 % and 0.53 % with it, 0.43 % and 0.57 % without; in a rep with the clock
  shown 0.40 % and 0.53 % both ways (one clock tick of CPU time is 0.03 % here).
- ``CommandPalette._cancel_gather_commands``: the palette stops its search with the public
  ``workers.cancel_node`` (no figure: it is there so letters typed into a closing palette
  never search a list that is gone).
"""

from __future__ import annotations

import gc
from functools import lru_cache
from typing import Any

from textual._styles_cache import StylesCache
from textual.app import App
from textual.color import Color
from textual.dom import DOMNode
from textual.style import Style

TEXTUAL_INNER_OUTER = StylesCache.get_inner_outer
"""Textual's own, kept to tell whether the bug is still there (and for the tests)."""


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    return Style(background=base_background + background), Style(background=base_background)


def _get_inner_outer(
    self: StylesCache, base_background: Color, background: Color
) -> tuple[Style, Style]:
    """Textual's inner and outer background styles, cached on the colours alone."""
    return _inner_outer(base_background, background)


def apply() -> None:
    """Patch the style cache while Textual has the bug (a Textual that fixed it is left alone).
    Called once at launch, before the app is built."""
    if hasattr(TEXTUAL_INNER_OUTER, "cache_info"):  # still an lru_cache on a method
        StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign,assignment]


def freeze_what_is_loaded() -> None:
    """Put everything alive now out of the collector's sight for good (call it once the first
    frame is up: what is loaded by then lives as long as the app)."""
    gc.freeze()


def collect_after_refresh(node: DOMNode) -> None:
    """One full collection just after ``node``'s next frame (a mark's first recovery frame: the
    next redraw is a second away, and the cues are already with the player)."""
    node.call_after_refresh(gc.collect)


def unnotify(app: App[Any], title: str) -> None:
    """Take the app's notices titled ``title`` off the screen; the others stay.

    ``notify`` only posts a message: the notice is stored when the app handles it. One posted
    but not yet handled is taken off too, just after (the app's queue keeps its order)."""
    _unnotify_now(app, title)
    app.call_later(_unnotify_now, app, title)


def _unnotify_now(app: App[Any], title: str) -> None:
    for notice in [n for n in app._notifications if n.title == title]:
        app._unnotify(notice)
