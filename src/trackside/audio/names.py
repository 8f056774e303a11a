"""A coach's athletes' names, spoken by espeak-ng once and kept in the user's cache folder.

When a group opens, each athlete's name is made into a WAV clip (:func:`name_clips`) in the
shipped words' voice and format (:mod:`trackside.audio.speech`), on a thread of its own, and kept
under the SHA-256 of what was said, the voice and espeak-ng's version: the next group with the
same athletes makes none. A name is text from elsewhere: controls and bidi characters are
dropped, it is cut to :data:`MAX_NAME_CHARS`, and it reaches espeak-ng on its standard input
only. An athlete whose name cannot be spoken (espeak-ng fails, hangs, says nothing or speaks for
too long) is called by number, and :attr:`NameClips.problem` says so in one line.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from trackside import paths
from trackside.audio.clips import RATE, Clip, SoundsMissing, le_bytes, read_wav, wav_bytes
from trackside.audio.speech import (
    PROGRAM,
    VOICE,
    SpeechFailed,
    SpeechStuck,
    Unspeakable,
    run_espeak,
    speak,
)
from trackside.core.safe import visible

if TYPE_CHECKING:
    from trackside.audio.group_cues import GroupCueListener
    from trackside.audio.player import CuePlayer

MAX_NAME_CHARS = 40
"""What is said of a name at most (a roster's names are 30 at most; the history's may not be)."""
MAX_NAME_S = 4.0
"""A spoken name longer than this is not a name (40 characters take about 3 s)."""
TIMEOUT_S = 5.0
"""An espeak-ng run longer than this is taken as hung and killed (a name takes about 0.05 s)."""
CUE_PREFIX = "name_"
"""A name clip's cue is this and the start of its key: never the name of a shipped sound."""
_VERSION_FILE = "espeak-ng-version.json"


@dataclass(frozen=True, slots=True)
class NameClips:
    """The clips of a group's names: each name spoken, its cue and its file."""

    clips: dict[str, tuple[str, Path]] = field(default_factory=dict)
    """Name to (cue, WAV file), for each name that could be spoken."""
    problem: str | None = None
    """One line saying who is called by number and why (None: everyone is named)."""
    made: int = 0
    """espeak-ng runs it took (0 when every name came from the cache)."""


def spoken_text(name: str) -> str:
    """What espeak-ng is asked to say for ``name``: no controls, bidi or other format
    characters, no brackets (``[[`` starts espeak-ng's phoneme input), spaces collapsed, at
    most :data:`MAX_NAME_CHARS`."""
    text = unicodedata.normalize("NFC", name).replace("[", " ").replace("]", " ")
    kept = "".join(c for c in text if c.isspace() or not unicodedata.category(c).startswith("C"))
    return " ".join(kept.split())[:MAX_NAME_CHARS].strip()


def espeak_program() -> str | None:
    """The espeak-ng on ``PATH``, or None (athletes are then called by number)."""
    return shutil.which(PROGRAM)


def name_clips(
    names: Sequence[str],
    folder: Path,
    program: str | None = None,
    timeout: float = TIMEOUT_S,
) -> NameClips:
    """Every name of ``names`` spoken, from the cache in ``folder`` or made there now.

    ``program``: espeak-ng's path (default: the one on ``PATH``). Never raises: a name that
    cannot be spoken is left out and :attr:`NameClips.problem` says so; once espeak-ng hangs or
    cannot start, the names after it are not tried (each would wait as long)."""
    program = program or espeak_program()
    if program is None:
        return NameClips(problem=_everyone(names, "espeak-ng is not installed"))
    try:
        version = espeak_version(program, folder, timeout)
        with tempfile.TemporaryDirectory(prefix=".making-", dir=folder) as work:
            return _spoken(
                names,
                folder,
                version,
                lambda text, path: _make(text, path, Path(work), program, timeout),
            )
    except (SpeechFailed, OSError) as error:
        return NameClips(problem=_everyone(names, _reason(error)))


def _spoken(
    names: Sequence[str], folder: Path, version: str, make: Callable[[str, Path], None]
) -> NameClips:
    """Each name's clip from the cache, or made by ``make(text, path)``."""
    clips: dict[str, tuple[str, Path]] = {}
    reasons: dict[str, str] = {}
    made = 0
    for name in dict.fromkeys(names):
        key = clip_key(spoken_text(name), version)
        path = folder / f"{key[:32]}.wav"
        try:
            if not _usable(path):
                _known_unspeakable(path)
                made += 1
                make(spoken_text(name), path)
        except SpeechStuck as error:  # every name after it would wait as long
            reasons.update((n, str(error)) for n in names if n not in clips)
            break
        except (SpeechFailed, OSError) as error:
            reasons[name] = _reason(error)
            continue
        clips[name] = (CUE_PREFIX + key[:20], path)
    return NameClips(clips, _called_by_number(reasons) or None, made)


def clip_key(text: str, version: str) -> str:
    """The cache key of ``text`` spoken by espeak-ng ``version`` in the shipped voice."""
    return hashlib.sha256(json.dumps([text, list(VOICE), version]).encode()).hexdigest()


def espeak_version(program: str, folder: Path, timeout: float = TIMEOUT_S) -> str:
    """espeak-ng's ``--version`` line (it names the version and the voices' data folder),
    asked once for each build of the program (its size and time) and kept in ``folder``."""
    binary = Path(program).resolve()
    stat = binary.stat()
    stamp = f"{binary}:{stat.st_size}:{stat.st_mtime_ns}"
    kept = folder / _VERSION_FILE
    try:
        known = json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = None
    if isinstance(known, dict) and isinstance(known.get(stamp), str):
        return str(known[stamp])
    version = run_espeak([program, "--version"], "", timeout).decode(errors="replace")
    version = version.strip()[:200]
    if not version:
        raise SpeechStuck("espeak-ng --version said nothing")
    _write(kept, json.dumps({stamp: version}).encode())
    return version


def _usable(path: Path) -> bool:
    """Whether the cache holds a clip there that plays (a damaged one is made again)."""
    try:
        return 0 < len(read_wav(path)) <= MAX_NAME_S * RATE
    except SoundsMissing:
        return False


def _known_unspeakable(path: Path) -> None:
    """Raise :class:`Unspeakable` again if the cache knows the text of ``path`` to be so."""
    refused = path.with_suffix(".unspeakable")
    if refused.exists():
        raise Unspeakable(refused.read_text(encoding="utf-8", errors="replace")[:80])


def _make(text: str, path: Path, work: Path, program: str, timeout: float) -> None:
    """Speak ``text`` into ``path`` (and remember there a text that cannot be spoken)."""
    try:
        if not text:
            raise Unspeakable("nothing in the name to say")
        samples = speak(text, work, program=program, timeout=timeout)
        if len(samples) > MAX_NAME_S * RATE:
            raise Unspeakable(f"espeak-ng spoke for over {MAX_NAME_S:g} s")
    except Unspeakable as error:
        # The next group with this name asks espeak-ng no more.
        _write(path.with_suffix(".unspeakable"), str(error).encode())
        raise
    _write(path, wav_bytes(Clip((), le_bytes(samples))))


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` whole or not at all (a second window may read the same cache)."""
    partial = path.with_name(f"{path.name}.{id(data):x}.part")
    partial.write_bytes(data)
    partial.replace(path)


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return f"the cache folder cannot be written: {error.strerror or type(error).__name__}"
    return str(error)


def _everyone(names: Sequence[str], reason: str) -> str:
    return _called_by_number(dict.fromkeys(names, reason))


def _called_by_number(reasons: dict[str, str]) -> str:
    """One line: who is called by number, and why, each reason once."""
    by_reason: dict[str, list[str]] = {}
    for name, reason in reasons.items():
        by_reason.setdefault(reason, []).append(visible(name)[:MAX_NAME_CHARS])
    parts = []
    for reason, shown in by_reason.items():
        more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
        parts.append(f"{', '.join(shown[:3])}{more} called by number ({reason})")
    return "; ".join(parts)


def name_group(
    names: Sequence[str],
    player: CuePlayer,
    listener: GroupCueListener,
    folder: Callable[[], Path] = paths.name_clips_dir,
    program: str | None = None,
) -> str | None:
    """Speak ``names`` (from the cache in ``folder()``, or made there), give the clips to the
    player, then have ``listener`` call each athlete by theirs: the line saying who is still
    called by number, or None. Blocks (on a thread of its own, never the app's); never raises."""
    try:
        where = folder()
    except OSError as error:
        return _everyone(names, paths.folder_problem(error, "the cache folder"))
    made = name_clips(names, where, program)
    if made.clips:
        player.add_clips(dict(made.clips.values()))
        listener.hear_names({name: cue for name, (cue, _) in made.clips.items()})
    return made.problem
