"""Work-arounds for Textual bugs that trackside meets, applied by :func:`apply` only while the bug
is there (a Textual that fixed it is left alone).

- ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method (Textual 8.2,
  Textualize/textual#6665): its key holds ``self``, so the style cache of every widget that ever
  rendered, with its rendered lines, stays alive until 1024 others push it out. The session
  screen's footer makes new key widgets a few times a rep, so a whole 21x400m kept about
  1 MB more each few reps (+7 MB by rep 60). The result depends only on the two colours: the
  replacement caches on those alone.
"""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
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
    """Apply every work-around whose bug this Textual has."""
    if hasattr(TEXTUAL_INNER_OUTER, "cache_info"):  # still an lru_cache on a method
        StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign,assignment]
