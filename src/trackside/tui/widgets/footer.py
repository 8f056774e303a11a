"""The key footer of the session screen, without Textual's leak on every change of the keys."""

from __future__ import annotations

from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's ``Footer`` that lets go of the keys it no longer shows.

    The footer is composed again whenever a key is greyed out or back (a few times per rep).
    In Textual 8.2 each ``FooterKey`` watches the footer's ``compact`` through ``data_bind``,
    and those watchers are dropped only when ``compact`` changes, which it never does here: every
    old key stayed alive, about 0.4 MB per rep (8 MB over 21 x 400m). After each recompose the
    watchers of keys no longer on screen are dropped.
    """

    async def recompose(self) -> None:
        """Compose the keys again, then forget the old keys' watchers."""
        await super().recompose()
        watchers: dict[str, list[tuple[object, object]]] = getattr(self, "__watchers", {})
        for entries in watchers.values():
            entries[:] = [entry for entry in entries if getattr(entry[0], "is_attached", True)]
