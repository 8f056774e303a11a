"""Build the player the command line asked for (``--audio``)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from trackside.audio.backends import (
    Backend,
    BellBackend,
    SilentBackend,
    SystemBackend,
    WinsoundBackend,
)
from trackside.audio.child import ChildBackend
from trackside.audio.clips import ClipBank
from trackside.audio.native import SimpleaudioBackend
from trackside.audio.players import BackendListener, ChainPlayer, CuePlayer

AUDIO_BACKENDS = ("auto", "miniaudio", "system", "winsound", "bell", "silent", "simpleaudio")
"""The values ``--audio`` accepts. ``auto`` is the whole chain; the others start the chain there."""


class AudioUnavailable(Exception):
    """The backend asked for does not exist or cannot work here. ``str()`` is one line."""


def check_backend(backend: str | None) -> str:
    """The backend ``--audio backend`` names, checked (None means ``auto``); no player is made.

    Raises :class:`AudioUnavailable` for an unknown name, or for a named backend that cannot
    work on this machine (simpleaudio on Python 3.12+, a missing library or program). Call it
    before the app starts, so the error is one line on the terminal.
    """
    name = (backend or "auto").strip().lower()
    if name not in AUDIO_BACKENDS:
        choices = ", ".join(AUDIO_BACKENDS)
        raise AudioUnavailable(f"unknown audio backend {backend!r} (choose from {choices})")
    if name not in ("auto", "silent", "bell"):  # these three always work
        reason = _chain(name, ClipBank(), None)[0].unavailable()
        if reason is not None:
            raise AudioUnavailable(f"--audio {name}: {reason}")
    return name


def make_player(
    backend: str | None = "auto",
    volume: float = 1.0,
    bell: Callable[[], None] | None = None,
    on_backend: BackendListener | None = None,
) -> CuePlayer:
    """The player for ``--audio backend`` (checked by :func:`check_backend` first).

    ``auto`` tries miniaudio, a system player, winsound, the bell, then silence. Naming a
    backend puts it first, followed only by the bell and silence, so a failure is still heard
    and shown. ``bell`` is called (on the audio thread: it must not block) to ring the terminal
    bell and flash the screen; ``on_backend(name, reason)`` (also on the audio thread) reports
    the backend in use at once, then every change. ``volume`` is 0 to 1.
    """
    name = check_backend(backend)
    bank = ClipBank()
    return ChainPlayer(_chain(name, bank, bell), volume=volume, on_backend=on_backend, bank=bank)


def _chain(name: str, bank: ClipBank, bell: Callable[[], None] | None) -> list[Backend]:
    tail: list[Backend] = [BellBackend(bell), SilentBackend()]
    if name == "auto":
        native: list[Backend] = [ChildBackend(), SystemBackend(bank)]
        if sys.platform == "win32":
            native.append(WinsoundBackend(bank))
        return [*native, *tail]
    if name == "silent":
        return [SilentBackend()]
    if name == "bell":
        return tail
    first: dict[str, Callable[[], Backend]] = {
        "miniaudio": ChildBackend,
        "system": lambda: SystemBackend(bank),
        "winsound": lambda: WinsoundBackend(bank),
        "simpleaudio": SimpleaudioBackend,
    }
    return [first[name](), *tail]
