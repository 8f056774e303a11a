"""A player for app tests that records what it is asked and plays nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from trackside.audio.cues import SOUND_CHECK, CueBatch


@dataclass(frozen=True, slots=True)
class Played:
    """One request a :class:`RecordingPlayer` received."""

    cues: tuple[str, ...]
    due: float | None
    muted: bool = False


class RecordingPlayer:
    """A :class:`~trackside.audio.player.CuePlayer` for app tests: records what it was asked
    to play (each batch when it comes due: what is told ahead is only kept) and plays nothing."""

    def __init__(self, backend: str = "recording") -> None:
        self.requests: list[Played] = []
        self.expected: tuple[CueBatch, ...] = ()
        """What :meth:`expect` was told last."""
        self.clips: dict[str, Path] = {}
        """The clips it was given (:meth:`add_clips`), by cue."""
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

    def expect(self, batches: Sequence[CueBatch]) -> None:
        self.expected = tuple(batches)

    def add_clips(self, clips: Mapping[str, Path]) -> None:
        self.clips.update(clips)

    def sound_check(self) -> Future[str]:
        self.requests.append(Played(SOUND_CHECK, None, False))
        future: Future[str] = Future()
        future.set_result(self._backend)
        return future

    def close(self) -> None:
        self.closed = True
