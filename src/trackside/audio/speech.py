"""Words spoken by espeak-ng in the shipped sounds' voice and format: the one code path for the
words ``scripts/make_sounds.py`` ships and the athletes' names a coach's group hears.

The text goes to espeak-ng on its standard input (``--stdin``, UTF-8), never as an argument (a
name that starts with ``-`` would be read as an option) and never through a shell. The WAV it
writes is read back and checked as every clip is (16-bit mono at 22050 Hz), the silence around
the words trimmed and the loudest sample set to :data:`PEAK` of full scale, so a spoken name is
as loud as the shipped words beside it.
"""

from __future__ import annotations

import subprocess
from array import array
from pathlib import Path

from trackside.audio.backends import kill_process, start_process
from trackside.audio.clips import RATE, SoundsMissing, read_wav

PROGRAM = "espeak-ng"
VOICE = ("-v", "en-us", "-s", "175", "-a", "200", "-b", "1")
"""American English at 175 words a minute, at full amplitude, the text read as UTF-8."""
PEAK = 0.89
"""Loud but clear of clipping: every clip is normalised to this fraction of full scale."""
QUIET = 400
"""Samples below this (of 32767) around the words are silence, trimmed."""


class SpeechFailed(Exception):
    """espeak-ng made no usable speech. ``str()`` is one plain line saying why."""


class Unspeakable(SpeechFailed):
    """espeak-ng ran and this text gave no usable speech: it would give none again."""


class SpeechStuck(SpeechFailed):
    """espeak-ng could not start, or hung: no other text would fare better."""


def speak(
    text: str, workdir: Path, *, program: str = PROGRAM, timeout: float | None = None
) -> array[int]:
    """``text`` spoken, trimmed and normalised: 16-bit samples at the clips' rate. ``workdir``
    takes espeak-ng's WAV file; a run longer than ``timeout`` seconds is killed. Raises
    :class:`SpeechFailed`."""
    path = workdir / "speech.wav"
    path.unlink(missing_ok=True)
    run_espeak([program, *VOICE, "-w", str(path), "--stdin"], text, timeout)
    try:
        samples = read_wav(path)
    except SoundsMissing:
        raise SpeechFailed(f"espeak-ng wrote no 16-bit mono sound at {RATE} Hz") from None
    trimmed = trim(samples)
    if trimmed is None:
        raise Unspeakable("espeak-ng said nothing")
    return normalise(trimmed)


def run_espeak(argv: list[str], text: str, timeout: float | None) -> bytes:
    """Run espeak-ng (``argv``) with ``text`` on its input: what it printed. Raises
    :class:`SpeechStuck` if it cannot start or outlives ``timeout`` (it is killed, with whatever
    it started), :class:`SpeechFailed` if it fails."""
    try:
        child = start_process(argv, subprocess.PIPE, subprocess.PIPE)
    except OSError as error:
        raise SpeechStuck(f"espeak-ng could not start: {error.strerror or error}") from None
    try:
        printed, _ = child.communicate(text.encode(), timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_process(child)
        raise SpeechStuck(f"espeak-ng did not finish within {timeout:g} s") from None
    finally:
        if child.stdout is not None:
            child.stdout.close()
    if child.returncode != 0:
        raise SpeechFailed(f"espeak-ng exited with status {child.returncode}")
    return printed


def trim(samples: array[int], threshold: int = QUIET, margin_s: float = 0.012) -> array[int] | None:
    """The samples without their leading and trailing quiet, keeping a short margin so words
    do not clip; None if nothing is louder than ``threshold``."""
    # From each end to the first loud sample only: a name is made while the app runs.
    first = next((i for i, value in enumerate(samples) if abs(value) >= threshold), None)
    if first is None:
        return None
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) >= threshold)
    margin = round(margin_s * RATE)
    return samples[max(0, first - margin) : last + margin + 1]


def normalise(samples: array[int]) -> array[int]:
    """Scaled so the loudest sample sits at :data:`PEAK` of full scale."""
    top = max(map(abs, samples), default=0)
    if top == 0:
        return samples
    gain = PEAK * 32767 / top
    # map() keeps the loop in C: a name is made on a thread while the app's thread runs.
    return array("h", map(round, map(gain.__mul__, samples)))
