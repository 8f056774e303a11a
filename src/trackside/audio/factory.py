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
from trackside.audio.child import ChildLane
from trackside.audio.clips import ClipBank
from trackside.audio.lanes import Lane, LocalLane
from trackside.audio.native import SimpleaudioBackend
from trackside.audio.player import BackendListener, ChainPlayer

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
) -> ChainPlayer:
    """The player for ``--audio backend`` (checked by :func:`check_backend` first).

    ``auto`` tries miniaudio, a system player, winsound, the bell, then silence. Naming a
    backend puts it first, followed only by the bell and silence, so a failure is still heard
    and shown. ``bell`` is called (on an audio thread: it must not block) to ring the terminal
    bell and flash the screen; ``on_backend(name, reason)`` (also on an audio thread) reports
    the backend in use at once, then every change. ``volume`` is 0 to 1.
    """
    name = check_backend(backend)
    bank = ClipBank()
    return ChainPlayer(_chain(name, bank, bell), volume=volume, on_backend=on_backend, bank=bank)


def _chain(name: str, bank: ClipBank, bell: Callable[[], None] | None) -> list[Lane]:
    """The lanes ``--audio name`` plays on, in the order they are tried."""

    def here(*backends: Backend) -> list[Lane]:
        return [LocalLane(backend, bank) for backend in backends]

    tail = here(BellBackend(bell), SilentBackend())
    if name == "auto":
        windows = here(WinsoundBackend(bank)) if sys.platform == "win32" else []
        return [ChildLane(), *here(SystemBackend(bank)), *windows, *tail]
    if name == "silent":
        return here(SilentBackend())
    if name == "bell":
        return tail
    first: dict[str, Callable[[], Lane]] = {
        "miniaudio": ChildLane,
        "system": lambda: LocalLane(SystemBackend(bank), bank),
        "winsound": lambda: LocalLane(WinsoundBackend(bank), bank),
        "simpleaudio": lambda: LocalLane(SimpleaudioBackend(), bank),
    }
    return [first[name](), *tail]
