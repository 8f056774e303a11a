"""The shipped WAV files, and the clips made from them: one clip per cue batch, at a volume.

Every file in ``sounds/`` is 16-bit mono PCM at :data:`RATE`, so a batch of cues is joined into
one buffer of samples (with short gaps after tones), scaled to the volume, and cached. Players
that need a file (a subprocess, ``winsound``) get the clip written once to a private temp folder.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
import threading
import wave
from array import array
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

RATE = 22050
"""Samples per second of every sound file and clip."""

_TONE_GAP_S = 0.08
"""Silence after a tone, so two tones (or a tone and a word) are heard as two."""
_CACHE_SIZE = 64


class SoundsMissing(Exception):
    """The sound files cannot be found or read. ``str()`` is one line for the runner."""


@dataclass(frozen=True, slots=True)
class Clip:
    """Samples ready to play: 16-bit little-endian mono PCM at :data:`RATE`."""

    cues: tuple[str, ...]
    pcm: bytes

    @property
    def frames(self) -> int:
        """Number of samples."""
        return len(self.pcm) // 2

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frames / RATE


def sounds_dir() -> Path:
    """Where the WAV files are: inside the installed package, or ``sounds/`` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_data" / "sounds", package.parent.parent / "sounds"):
        if candidate.is_dir():
            return candidate
    raise SoundsMissing(f"sound files not found (looked in {package / '_data' / 'sounds'})")


def wav_bytes(clip: Clip) -> bytes:
    """The clip as a whole WAV file."""
    header = wave_header(len(clip.pcm))
    return header + clip.pcm


def wave_header(data_len: int) -> bytes:
    """A 44-byte RIFF/WAVE header for ``data_len`` bytes of 16-bit mono PCM at :data:`RATE`."""
    fields = (
        b"RIFF",
        (36 + data_len).to_bytes(4, "little"),
        b"WAVEfmt ",
        (16).to_bytes(4, "little"),
        (1).to_bytes(2, "little"),  # PCM
        (1).to_bytes(2, "little"),  # mono
        RATE.to_bytes(4, "little"),
        (RATE * 2).to_bytes(4, "little"),
        (2).to_bytes(2, "little"),
        (16).to_bytes(2, "little"),
        b"data",
        data_len.to_bytes(4, "little"),
    )
    return b"".join(fields)


class ClipBank:
    """Loads the sound files once and renders cue batches into cached clips.

    Thread-safe: the player's worker renders, and a test or the app may too.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._sounds: dict[str, array[int]] | None = None
        self._cache: OrderedDict[tuple[tuple[str, ...], float], Clip] = OrderedDict()
        self._scaled: dict[float, dict[str, array[int]]] = {}
        self._lock = threading.Lock()
        self._tempdir: Path | None = None

    def sound(self, cue: str) -> array[int]:
        """The samples of one cue's file (raises :class:`SoundsMissing` for an unknown cue)."""
        sounds = self._load()
        if cue not in sounds:
            raise SoundsMissing(f"no sound file for cue {cue!r} in {self._where()}")
        return sounds[cue]

    def render(self, cues: Sequence[str], volume: float = 1.0) -> Clip:
        """One clip of ``cues`` back to back, scaled to ``volume`` (0 to 1), from the cache."""
        key = (tuple(cues), round(min(1.0, max(0.0, volume)), 3))
        with self._lock:
            clip = self._cache.get(key)
            if clip is not None:
                self._cache.move_to_end(key)
                return clip
        clip = Clip(key[0], le_bytes(self._join(key[0], key[1])))
        with self._lock:
            self._cache[key] = clip
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return clip

    def add_clips(self, clips: Mapping[str, Path]) -> None:
        """Clips from outside the sounds folder (an athlete's spoken name), each played by the
        cue name it is given, checked as the shipped files are: raises :class:`SoundsMissing`
        at the first that is not (those before it are kept). Adding one again is harmless."""
        sounds = self._load()
        for cue, path in clips.items():
            samples = read_wav(path)
            with self._lock:
                sounds[cue] = samples

    def prepare(self, volume: float) -> None:
        """Scale every sound to ``volume`` now (about 0.1 s), so no cue waits on it later."""
        level = round(min(1.0, max(0.0, volume)), 3)
        for cue in sorted(self._load()):
            self._at_volume(cue, level)

    def wav_path(self, clip: Clip) -> Path:
        """The clip written as a WAV file in a private temp folder (written once per clip)."""
        with self._lock:
            if self._tempdir is None:
                self._tempdir = Path(tempfile.mkdtemp(prefix="trackside-sounds-"))
            folder = self._tempdir
        path = folder / f"{hashlib.sha1(clip.pcm).hexdigest()[:16]}.wav"
        if not path.exists():
            partial = path.with_suffix(".part")
            partial.write_bytes(wav_bytes(clip))
            partial.replace(path)  # atomic, so a player never reads half a file
        return path

    def close(self) -> None:
        """Remove the temp folder of written clips."""
        with self._lock:
            folder, self._tempdir = self._tempdir, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def _join(self, cues: tuple[str, ...], volume: float) -> array[int]:
        out: array[int] = array("h")
        gap = array("h", bytes(round(_TONE_GAP_S * RATE) * 2))
        for index, cue in enumerate(cues):
            out.extend(self._at_volume(cue, volume))
            if cue.startswith("tone_") and index + 1 < len(cues):
                out.extend(gap)
        return out

    def _at_volume(self, cue: str, volume: float) -> array[int]:
        """One sound scaled to ``volume``, kept for the last two volumes asked for (scaling
        in Python takes about 8 ms a second of sound: a batch must not wait on it)."""
        samples = self.sound(cue)
        if volume >= 1.0:
            return samples
        with self._lock:
            scaled = self._scaled.get(volume, {}).get(cue)
        if scaled is None:
            scaled = array("h", (round(sample * volume) for sample in samples))
            with self._lock:
                if volume not in self._scaled and len(self._scaled) >= 2:
                    del self._scaled[next(iter(self._scaled))]
                self._scaled.setdefault(volume, {})[cue] = scaled
        return scaled

    def _load(self) -> dict[str, array[int]]:
        with self._lock:
            if self._sounds is None:
                self._sounds = _read_folder(self._folder or sounds_dir())
            return self._sounds

    def _where(self) -> Path:
        return self._folder or sounds_dir()


def read_wav(path: Path) -> array[int]:
    """The samples of a sound file, checked as every clip is: 16-bit mono PCM at :data:`RATE`
    (raises :class:`SoundsMissing`, one line naming the file, if it is not)."""
    try:
        with wave.open(str(path), "rb") as wav:
            shape = (wav.getframerate(), wav.getsampwidth(), wav.getnchannels())
            data = wav.readframes(wav.getnframes())
    except (OSError, EOFError, wave.Error) as error:
        raise SoundsMissing(f"cannot read sound file {path}: {error}") from None
    if shape != (RATE, 2, 1) or len(data) % 2:
        raise SoundsMissing(f"{path} is not 16-bit mono at {RATE} Hz")
    samples = array("h", data)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def _read_folder(folder: Path) -> dict[str, array[int]]:
    sounds = {path.stem: read_wav(path) for path in sorted(folder.glob("*.wav"))}
    if not sounds:
        raise SoundsMissing(f"no sound files in {folder}")
    return sounds


def le_bytes(samples: array[int]) -> bytes:
    """``samples`` as 16-bit little-endian bytes, as a WAV file holds them."""
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()
    return samples.tobytes()
