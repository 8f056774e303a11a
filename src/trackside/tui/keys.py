"""The runner's ``[keymap]`` checked against every screen's keys, and the keys hints name.

``config.toml`` may remap any binding by its id (``mark = "space,b"``). An entry is refused,
its binding keeping its own keys, when its id is not a binding's, when it gives no key, or when
one of its keys is already another action's on a screen where both are live: ``mark = "q"``
would leave the session screen with two actions on ``q`` and no way to end (``undo = "space"``
none to mark). Each refusal is one line for the notice on the first screen.

A hint on screen ("u undoes it", "Press SPACE to start") names the key bound now:
:func:`key_name` reads the keymap the app applied (``TracksideApp.keymap_used``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingType
from textual.keys import _character_to_key

from trackside.core.safe import visible

KEY_NAMES = {
    "space": "Space",
    "enter": "Enter",
    "question_mark": "?",
    "escape": "Esc",
    "pagedown": "PgDn",
    "pageup": "PgUp",
}
LOUD = {"space": "SPACE", "enter": "ENTER"}
"""How the big key is named in a hint read from a few metres away."""
MUST_KEEP = {"mark": "the only way to mark", "end": "the only way to end a session"}


@dataclass(frozen=True)
class CheckedKeymap:
    """The keymap entries taken (binding id to keys) and a line for each one refused."""

    keymap: dict[str, str]
    problems: tuple[str, ...]


def keys_of(text: str) -> tuple[str, ...]:
    """``"space, b,?"`` as Textual's key names: ``("space", "b", "question_mark")``."""
    keys = (key.strip() for key in text.split(","))
    return tuple(_character_to_key(key) if len(key) == 1 else key for key in keys if key)


def screen_groups() -> list[list[Binding]]:
    """The bindings live together, screen by screen (a widget's with its screen's)."""
    from trackside.tui.screens.coach import ATHLETE_KEYS, CoachScreen
    from trackside.tui.screens.confirm import ConfirmScreen
    from trackside.tui.screens.group_summary import GroupSummaryScreen
    from trackside.tui.screens.help import HelpScreen
    from trackside.tui.screens.history import HistoryScreen, SessionDetailScreen
    from trackside.tui.screens.picker import PickerScreen
    from trackside.tui.screens.ready import ReadyScreen
    from trackside.tui.screens.resume import ResumeScreen
    from trackside.tui.screens.session import SessionScreen
    from trackside.tui.screens.summary import SummaryScreen
    from trackside.tui.widgets.session_list import SessionList

    screens: list[Iterable[BindingType]] = [
        PickerScreen.BINDINGS,
        ReadyScreen.BINDINGS,
        SessionScreen.BINDINGS,
        SummaryScreen.BINDINGS,
        [*HistoryScreen.BINDINGS, *SessionList.BINDINGS],
        SessionDetailScreen.BINDINGS,
        ResumeScreen.BINDINGS,
        ConfirmScreen.BINDINGS,
        HelpScreen.BINDINGS,
        # An athlete's default key is no binding, but a coach-* key remapped onto it would
        # take the athlete's key away: the digits stand in the coach's screen's group.
        [*CoachScreen.BINDINGS, ATHLETE_KEYS],
        GroupSummaryScreen.BINDINGS,
    ]
    return [[b for b in group if isinstance(b, Binding) and b.id] for group in screens]


def checked_keymap(wanted: Mapping[str, str]) -> CheckedKeymap:
    """:func:`check_keymap` against every screen; an empty keymap loads no screen's module."""
    if not wanted:
        return CheckedKeymap({}, ())
    return check_keymap(wanted, screen_groups())


def check_keymap(wanted: Mapping[str, str], groups: Sequence[Sequence[Binding]]) -> CheckedKeymap:
    """Take each entry of ``wanted`` that leaves every screen one action a key; the rest are
    refused (their bindings keep their own keys), each named in a line."""
    defaults: dict[str, tuple[str, ...]] = {}
    for group in groups:
        for binding in group:
            defaults.setdefault(str(binding.id), keys_of(binding.key))
    problems: list[str] = []
    taken: dict[str, tuple[str, ...]] = {}
    for binding_id, text in wanted.items():
        shown = f'keymap: {visible(binding_id)} = "{visible(text)}"'
        if binding_id not in defaults:
            problems.append(f"{shown}: no binding has that id (? lists them); ignored")
            continue
        keys = keys_of(text)
        kept = ", ".join(defaults[binding_id])
        if not keys:
            problems.append(f"{shown}: no key given; it keeps {kept}")
            continue
        odd = [key for key in keys if not key.isprintable() or " " in key]
        if odd:
            problems.append(f"{shown}: {visible(odd[0])} is not a key's name; it keeps {kept}")
            continue
        clash = _clash(binding_id, keys, {**defaults, **taken}, groups)
        if clash is not None:
            problems.append(f"{shown}: {clash}; it keeps {kept}")
            continue
        taken[binding_id] = keys
    return CheckedKeymap({k: ",".join(v) for k, v in taken.items()}, tuple(problems))


def _clash(
    binding_id: str,
    keys: tuple[str, ...],
    bound: Mapping[str, tuple[str, ...]],
    groups: Sequence[Sequence[Binding]],
) -> str | None:
    """Why ``keys`` cannot be ``binding_id``'s, given what is ``bound`` already, or None."""
    for group in groups:
        ids = {str(binding.id) for binding in group}
        if binding_id not in ids:
            continue
        for other in sorted(ids - {binding_id}):
            shared = [key for key in keys if key in bound[other]]
            if shared:
                also = f" ({MUST_KEEP[other]})" if other in MUST_KEEP else ""
                return f"{visible(shared[0])} is already the key of {other}{also}"
    return None


def key_name(
    app: App[Any], binding_id: str, default: str, *, loud: bool = False, every: bool = False
) -> str:
    """The first key bound to ``binding_id`` now (``default``: the binding's own keys), as a
    hint names it: ``Space``, ``u`` (``loud``: ``SPACE``, for the big key's hints; ``every``:
    all of them, ``y / Enter``)."""
    keymap: Mapping[str, str] = getattr(app, "keymap_used", {})
    keys = keys_of(keymap.get(binding_id, default)) or keys_of(default)
    if loud and keys[0] in LOUD:
        return LOUD[keys[0]]
    return " / ".join(visible(KEY_NAMES.get(key, key)) for key in keys[: None if every else 1])


def screen_key(screen: Any, binding_id: str, *, loud: bool = False, every: bool = False) -> str:
    """:func:`key_name` for one of ``screen``'s own bindings (its keys the default)."""
    for binding in type(screen).BINDINGS:
        if isinstance(binding, Binding) and binding.id == binding_id:
            return key_name(screen.app, binding_id, binding.key, loud=loud, every=every)
    raise KeyError(binding_id)
