"""What the app needs of a player, and a player for app tests that records and plays nothing."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from trackside.audio.cues import SOUND_CHECK


@runtime_checkable
class CuePlayer(Protocol):
    """What the app needs from a player. Every method returns at once."""

    @property
    def backend(self) -> str:
        """The backend in use now ("miniaudio", "aplay", "bell", "silent", ...)."""
        ...

    @property
    def muted(self) -> bool: ...

    def set_muted(self, muted: bool) -> None:
        """Mute or unmute. Muted, ``play()`` drops its cues (the sound check still plays)."""
        ...

    @property
    def volume(self) -> float:
        """Volume from 0 to 1."""
        ...

    def set_volume(self, volume: float) -> None:
        """Set the volume (clamped to 0..1); cues already queued keep theirs."""
        ...

    def play(self, cues: Sequence[str], due: float | None = None) -> None:
        """Sound ``cues`` back to back; ``due`` is on ``time.monotonic``'s clock (None: now)."""
        ...

    def sound_check(self) -> Future[str]:
        """Play the test cue; the future gives the backend that played it."""
        ...

    def close(self) -> None:
        """Stop playing and release the device. Safe to call twice."""
        ...


@dataclass(frozen=True, slots=True)
class Played:
    """One request a :class:`RecordingPlayer` received."""

    cues: tuple[str, ...]
    due: float | None
    muted: bool = False


class RecordingPlayer:
    """A player for app tests: records what it was asked to play and plays nothing."""

    def __init__(self, backend: str = "recording") -> None:
        self.requests: list[Played] = []
        self._backend = backend
        self._muted = False
        self._volume = 1.0
        self.closed = False

    @property
    def played(self) -> list[tuple[str, ...]]:
        """The cue batches that would have sounded (muted requests left out)."""
        return [request.cues for request in self.requests if not request.muted]

    @property
    def backend(self) -> str:
        return self._backend

    @property
    def muted(self) -> bool:
        return self._muted

    def set_muted(self, muted: bool) -> None:
        self._muted = muted

    @property
    def volume(self) -> float:
        return self._volume

    def set_volume(self, volume: float) -> None:
        self._volume = min(1.0, max(0.0, volume))

    def play(self, cues: Sequence[str], due: float | None = None) -> None:
        self.requests.append(Played(tuple(cues), due, self._muted))

    def sound_check(self) -> Future[str]:
        self.requests.append(Played(SOUND_CHECK, None, False))
        future: Future[str] = Future()
        future.set_result(self._backend)
        return future

    def close(self) -> None:
        self.closed = True
