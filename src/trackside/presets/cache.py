"""Preset files already checked, remembered so that the next start need not import pydantic.

Checking a preset with the pydantic models costs about 100 ms and 10 MB at start-up, mostly to
import pydantic and build the models. The result of a check that passed is kept as JSON in the
user's cache folder, named by a hash of the file's bytes, trackside's version and the files
that do the checking; a file whose bytes are the same is then read back with the standard
library alone. Anything else (an edited file, another version, a damaged or foreign cache file,
an unreadable folder) is a miss: the file is checked again, so errors stay exactly as they are.
Only presets that passed are kept; a broken one is always checked and reported afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from trackside import __version__, paths
from trackside.presets.checked import CheckedPreset, from_json

FORMAT = 1
"""Bumped when the JSON changes shape."""
_PACKAGE = Path(__file__).resolve().parent.parent
_CHECKERS = ("presets/models.py", "presets/units.py", "presets/checked.py", "core/plan.py")
"""The sources whose change may change a check's result (an editable checkout keeps its
version number while they change)."""


def key_of(raw: bytes) -> str:
    """The cache key of a preset file's bytes."""
    digest = hashlib.sha256(f"trackside {__version__} format {FORMAT}\n".encode())
    for name in _CHECKERS:
        try:
            stat = (_PACKAGE / name).stat()
            digest.update(f"{name} {stat.st_mtime_ns} {stat.st_size}\n".encode())
        except OSError:
            digest.update(f"{name} -\n".encode())
    digest.update(raw)
    return digest.hexdigest()


def lookup(raw: bytes) -> CheckedPreset | None:
    """The preset checked earlier from exactly these bytes, or None."""
    key = key_of(raw)
    try:
        text = (paths.preset_cache_dir() / f"{key}.json").read_text(encoding="utf-8")
        data = json.loads(text)
        if data["format"] != FORMAT or data["key"] != key:
            return None
        return from_json(data["preset"])
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def remember(raw: bytes, preset: CheckedPreset) -> None:
    """Keep ``preset``, checked from ``raw``, for the next start (silently not, if the cache
    folder cannot be written: the file is then checked each time, as without a cache)."""
    key = key_of(raw)
    data = {"format": FORMAT, "key": key, "preset": preset.to_json()}
    try:
        folder = paths.preset_cache_dir()
        temporary = folder / f".{key}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, folder / f"{key}.json")
    except (OSError, ValueError):
        return
