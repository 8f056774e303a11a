"""Make every sound trackside plays: synthesized tones and espeak-ng speech, as WAV files.

Run from the repository root::

    python scripts/make_sounds.py            # writes sounds/*.wav
    python scripts/make_sounds.py --check    # exits 1 if sounds/ differs from what it would write

All files are 16-bit mono at 22050 Hz so the player can join them into one clip per cue. Output is
deterministic: the tones are pure arithmetic and espeak-ng gives the same samples for the same
text, voice and version (checked with ``--check``). Speech needs ``espeak-ng`` (Debian package
``espeak-ng``); at run time it speaks only a coach's athletes' names, by the same code
(``trackside.audio.speech``).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import shutil
import sys
import tempfile
from array import array
from pathlib import Path

from trackside.audio.clips import RATE, Clip, le_bytes, wav_bytes
from trackside.audio.speech import SpeechFailed, normalise, speak

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "sounds"

# A tone is a list of notes: (start Hz, end Hz, seconds); 0 Hz is a rest. Sweeps glide linearly.
Note = tuple[float, float, float]
TONES: dict[str, list[Note]] = {
    "tone_start_pip": [(660, 660, 0.12)],
    # A coach's group starting: three rising notes, a chord the single runner never hears.
    "tone_group_start": [
        (523, 523, 0.10),
        (0, 0, 0.03),
        (659, 659, 0.10),
        (0, 0, 0.03),
        (784, 784, 0.25),
    ],
    "tone_pip": [(1047, 1047, 0.09)],
    "tone_go": [(880, 1320, 0.08), (1320, 1320, 0.30)],
    "tone_marked": [(1568, 1568, 0.06), (0, 0, 0.04), (1568, 1568, 0.06)],
    "tone_window": [(784, 784, 0.15), (1175, 1175, 0.25)],
    "tone_auto_go": [
        (880, 880, 0.07),
        (0, 0, 0.03),
        (1109, 1109, 0.07),
        (0, 0, 0.03),
        (1319, 1319, 0.07),
        (0, 0, 0.03),
        (1760, 1760, 0.30),
    ],
    "tone_final_next": [(1175, 1175, 0.12), (880, 880, 0.12), (1175, 1175, 0.12), (880, 880, 0.20)],
    # An all-out final rep's start: a long rising siren then a triple stab, unlike any other cue.
    "tone_final_go": [
        (500, 1800, 0.70),
        (0, 0, 0.05),
        (1760, 1760, 0.08),
        (0, 0, 0.04),
        (1760, 1760, 0.08),
        (0, 0, 0.04),
        (2093, 2093, 0.35),
    ],
    "tone_stop": [(440, 440, 0.45)],
    "tone_done": [(523, 523, 0.14), (659, 659, 0.14), (784, 784, 0.14), (1047, 1047, 0.45)],
    "tone_paused": [(880, 440, 0.25)],
    "tone_resumed": [(440, 880, 0.25)],
}

NUMBER_WORDS = [
    *("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
]
TENS_WORDS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

PHRASES: dict[str, str] = {
    "say_rep": "rep",
    "say_of": "of",
    "say_go": "go",
    "say_window_open": "window open",
    "say_final_next": "final rep next",
    "say_final_rep": "final rep",
    "say_all_you_got": "all you got",
    "say_done": "workout complete",
    "say_ended": "workout ended",
    "say_warmup": "warm up",
    "say_cooldown": "cool down",
    "say_check": "sound check",
    **{f"num_{n}": word for n, word in enumerate(NUMBER_WORDS, start=1)},
    **{f"num_{10 * n}": word for n, word in enumerate(TENS_WORDS, start=2)},
}


def tone(notes: list[Note]) -> array[int]:
    """Render notes as samples: a sine plus a third harmonic (carries on small speakers)."""
    out: array[int] = array("h")
    phase = 0.0
    for start_hz, end_hz, seconds in notes:
        count = round(seconds * RATE)
        ramp = min(count // 2, round(0.006 * RATE))  # short fades so notes never click
        for i in range(count):
            if start_hz == 0:
                out.append(0)
                continue
            hz = start_hz + (end_hz - start_hz) * i / count
            phase += 2 * math.pi * hz / RATE
            fade = min(1.0, i / ramp if ramp else 1.0, (count - 1 - i) / ramp if ramp else 1.0)
            value = math.sin(phase) + 0.3 * math.sin(3 * phase)
            out.append(round(value * 16000 * fade))  # normalised to PEAK afterwards
    return out


def _wav(samples: array[int]) -> bytes:
    """A whole WAV file of ``samples``, as the player writes its clips."""
    return wav_bytes(Clip((), le_bytes(samples)))


def render_all() -> dict[str, bytes]:
    """Every sound's file name and bytes."""
    files = {f"{name}.wav": _wav(normalise(tone(notes))) for name, notes in TONES.items()}
    if shutil.which("espeak-ng") is None:
        raise SystemExit("make_sounds: espeak-ng not found (Debian: apt install espeak-ng)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in PHRASES.items():
            try:
                files[f"{name}.wav"] = _wav(speak(text, Path(tmp)))
            except SpeechFailed as error:
                raise SystemExit(f"make_sounds: {text!r}: {error}") from None
    return files


def main(argv: list[str] | None = None) -> int:
    """Write ``sounds/`` (or, with ``--check``, compare it with what would be written)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: sounds/)")
    args = parser.parse_args(argv)
    files = render_all()
    if args.check:
        stale = [name for name, data in files.items() if _read(args.out / name) != data]
        extra = sorted({p.name for p in args.out.glob("*.wav")} - set(files))
        for name in [*stale, *extra]:
            print(f"make_sounds: {args.out / name} is out of date", file=sys.stderr)
        return 1 if stale or extra else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.wav"):
        if old.name not in files:
            old.unlink()
    for name, data in sorted(files.items()):
        (args.out / name).write_bytes(data)
    total = sum(len(data) for data in files.values())
    digest = hashlib.sha256(b"".join(files[name] for name in sorted(files))).hexdigest()[:12]
    print(f"{len(files)} files, {total / 1024:.0f} KiB in {args.out} (sha256 {digest})")
    return 0


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
