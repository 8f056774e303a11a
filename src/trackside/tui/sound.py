"""The app's side of the sound: the cue player made once the app runs, the bell and its flash, the
notice when cues fall back, the sound check and the volume.

The player (a thread and a process) and the audio modules load when the player is made: once the
first frame is up, or sooner if a session or a sound check needs it. The player reports from its
own thread; what it says reaches the app as a message (:class:`Rang`, :class:`SoundChanged`,
:class:`SoundChecked`), and the app's handlers call :class:`AppSound` back on the event loop.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from textual.app import App
from textual.message import Message

from trackside.core.runner import EventListener
from trackside.tui import textual_fixes

if TYPE_CHECKING:
    from trackside.audio.player import BackendListener, CuePlayer

AudioFactory: TypeAlias = "Callable[[Callable[[], None], BackendListener], CuePlayer]"
"""Makes the cue player, given the bell to ring and where to report the backend in use."""
VOLUMES = (1.0, 0.75, 0.5, 0.25)
"""The volumes the command palette offers."""
FLASH_S = 0.3
"""How long the screen flashes when a cue falls back to the terminal bell."""
NOTICE_TITLE = "Sound"
"""The title of the notice that says cues fall back (off the track screen)."""
FALLBACKS = frozenset({"bell", "silent"})
"""The backends cues fall back to when no player reaches a sound device (the session screen
shows them in the warning colour)."""


_PYTHON_TEXT = re.compile(r"[(\[{]\s*'|Error\b|Exception\b|Traceback|errno|-\d{2,}")
"""What a runner should never read: a tuple's repr, an exception's name, an error number."""


def plain_reason(reason: str | None) -> str:
    """Why sound fell back, in a few plain words: a backend's own words if they are plain,
    else what they mean to the runner (``('failed to init device', -401)``: no sound device)."""
    if not reason:
        return "no sound device"
    first = reason.split("; ")[0].strip()  # the first player's failure: the others followed
    if _PYTHON_TEXT.search(first) or len(first) > 60:
        return "no sound device could be opened"
    return first


@dataclass
class SoundChanged(Message):
    """The audio thread switched backend (posted from that thread)."""

    backend: str
    reason: str | None


class Rang(Message):
    """A cue fell back to the bell: ring it and flash the screen (posted from the audio thread)."""


@dataclass
class SoundChecked(Message):
    """A sound check finished: the backend that played it, or why it did not play."""

    result: str


class AppSound:
    """The app's cue player, made once by ``factory`` (None: tests pass ``audio``, a recording
    player, instead); its cue listener joins ``listeners``, the app's."""

    def __init__(
        self,
        app: App[int],
        factory: AudioFactory | None,
        audio: CuePlayer | None,
        listeners: list[EventListener],
    ) -> None:
        self.app = app
        self.factory = factory
        self.audio = audio
        """What the session screen shows and mutes: the player, once made."""
        self.player: CuePlayer | None = None
        self.listeners = listeners
        self.problem: str | None = None
        """Why cues fell back to the bell or silence, in plain words (None: they did not)."""

    def start(self) -> None:
        """Make the real cue player, once."""
        if self.factory is None or self.player is not None:
            return
        from trackside.audio.listener import CueListener

        self.player = self.factory(self._rang_from_thread, self._changed_from_thread)
        self.audio = self.player
        # The player judges lateness on the monotonic clock, whatever the runner's clock.
        self.listeners.append(CueListener(self.player, time.monotonic))

    def _rang_from_thread(self) -> None:
        self.app.post_message(Rang())

    def _changed_from_thread(self, backend: str, reason: str | None) -> None:
        self.app.post_message(SoundChanged(backend, reason))

    def ring(self) -> None:
        """Ring the terminal's bell and flash the screen (a cue fell back to the bell)."""
        self.app.bell()
        screen = self.app.screen
        screen.add_class("flash")
        self.app.set_timer(FLASH_S, lambda: screen.remove_class("flash"))

    def announce(self, message: SoundChanged, chosen: str, on_track: bool) -> None:
        """Keep why cues fall back to the bell or silence, in plain words, as :attr:`problem`
        (None when they do not; ``--audio bell`` or ``silent`` (``chosen``) is the runner's
        choice, not a fallback). Off the track screen it is also a notice; on it, the status
        area shows it, never over the clock."""
        self.problem = None
        if message.backend not in FALLBACKS or message.backend == chosen:
            return
        why = self.problem = plain_reason(message.reason)
        size = self.app.size
        # On a small terminal a notice would cover Ready's one line: the track screen says it.
        if not on_track and size.width >= 40 and size.height >= 12:
            text = f"No sound device: cues fall back to the {message.backend} ({why})"
            self.app.notify(text, title=NOTICE_TITLE, severity="warning", timeout=8, markup=False)

    def withdraw_notice(self) -> None:
        """Take the fallback notice off (the track screen's status area says it, never a
        notice over the clock); the app's other notices stay."""
        textual_fixes.unnotify(self.app, NOTICE_TITLE)

    def check(self) -> None:
        """Play a test cue; :class:`SoundChecked` says which backend played it."""
        self.start()
        if self.player is None:
            self.app.notify(
                "Sound check: no player (sound is off for this run)", severity="warning"
            )
            return

        def done(future: Future[str]) -> None:
            self.app.post_message(SoundChecked(future.result()))

        self.player.sound_check().add_done_callback(done)

    def set_volume(self, volume: float) -> None:
        """Set the player's volume (0 to 1)."""
        if self.player is not None:
            self.player.set_volume(volume)

    def close(self) -> None:
        """Close the player so no device or child process outlives the app."""
        if self.player is not None:
            self.player.close()
