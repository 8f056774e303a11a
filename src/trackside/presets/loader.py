"""Reading presets: one file (:func:`load_preset`), the whole library, and a preset by id or path.

What each gives is a :class:`~trackside.presets.checked.CheckedPreset`, the one type the app,
the history and the commands take; the pydantic models only parse and check the files.

Every problem a user can cause (a missing or unreadable file, bad UTF-8, a TOML syntax error, a
wrong or unknown key) becomes a :class:`PresetError` whose ``lines`` say, one line per problem,
which file, where in it and what is wrong. Nothing here lets a traceback reach the runner.

:func:`load_checked` is the app's way in: a preset file already checked is read back from the
cache (:mod:`trackside.presets.cache`), and pydantic is imported only when a file needs checking.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from trackside import paths
from trackside.presets import cache
from trackside.presets.checked import CheckedPreset

MAX_FILE_BYTES = 1_000_000
"""A preset is a few hundred bytes; a file this large is not one (and is not read whole)."""
FIRST_ID = "21x400m"
"""The preset listed (and selected) first."""
Source = Literal["built-in", "user"]

_TOML_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_BARE_DURATION = re.compile(r"=\s*\d+:\d")
_BARE_DISTANCE = re.compile(r"=\s*\d+(?:\.\d+)?\s*(?:m|km|mi)\b", re.IGNORECASE)
_EMPTY_HINT = "a preset needs a name and at least one [[block]]"


class PresetError(Exception):
    """A preset that cannot be used. ``lines``: one ``"<file>: <place>: <what>"`` per problem."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = tuple(lines)
        super().__init__("\n".join(self.lines))


def load_preset(path: str | os.PathLike[str]) -> CheckedPreset:
    """Read and check the preset file at ``path`` (raises :class:`PresetError`)."""
    name = os.fspath(path)
    return parse_preset(_read_text(Path(path), name), name)


def parse_preset(text: str, file: str = "<preset>") -> CheckedPreset:
    """Check preset TOML ``text``; ``file`` names it in the error lines."""
    from pydantic import ValidationError

    from trackside.presets.messages import error_lines
    from trackside.presets.models import Preset

    data = _parse_toml(text, file)
    try:
        model = Preset.model_validate(data)
    except ValidationError as error:
        raise PresetError(error_lines(error, file)) from None
    return model.checked()


def load_checked(ref: str) -> CheckedPreset:
    """The preset ``ref`` names, as :func:`resolve` finds it, checked: from the cache if this
    very file was checked before, else by the models (then remembered). Raises PresetError,
    with the same lines as :func:`resolve`."""
    path, name = locate(ref)
    raw = _read_bytes(path, name)
    known = cache.lookup(raw)
    if known is not None:
        return known
    checked = parse_preset(_decode(raw, name), name)
    cache.remember(raw, checked)
    return checked


def _read_text(path: Path, name: str) -> str:
    return _decode(_read_bytes(path, name), name)


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        if path.is_dir():
            raise PresetError([f"{name}: is a directory, not a preset file"])
        if path.exists() and not path.is_file():
            raise PresetError([f"{name}: is not a regular file"])
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise PresetError([f"{name}: no such file"]) from None
    except PermissionError:
        raise PresetError([f"{name}: cannot read it (permission denied)"]) from None
    except OSError as error:
        raise PresetError([f"{name}: cannot read it ({error.strerror or error})"]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise PresetError([f"{name}: too large for a preset (over {MAX_FILE_BYTES} bytes)"])
    return raw


def _decode(raw: bytes, name: str) -> str:
    try:
        # utf-8-sig: Windows editors may start the file with a byte-order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        raise PresetError(
            [f"{name}: line {line}: not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8"]
        ) from None
    return text


def _parse_toml(text: str, file: str) -> dict[str, Any]:
    if not text.strip():
        raise PresetError([f"{file}: empty file ({_EMPTY_HINT})"])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PresetError([f"{file}: {_toml_problem(str(error), text)}"]) from None
    except ValueError:
        # tomllib's int() refuses a number of over 4300 digits (CVE-2020-10735's bound).
        raise PresetError([f"{file}: invalid TOML (a number of over 4300 digits)"]) from None
    except RecursionError:
        # tomllib recurses into nested arrays and tables; thousands deep is not a preset.
        raise PresetError([f"{file}: invalid TOML (arrays or tables nested too deeply)"]) from None
    if not data:
        raise PresetError([f"{file}: nothing but comments ({_EMPTY_HINT})"])
    return data


def _toml_problem(message: str, text: str) -> str:
    """``line 4, column 9: invalid TOML (invalid value)``, with a hint for the usual mistakes."""
    match = _TOML_PLACE.search(message)
    reason = (message[: match.start()] if match else message).removesuffix(" (at end of document)")
    reason = reason[:1].lower() + reason[1:]
    lines = text.splitlines()
    if match is None:
        # tomllib reports some errors "at end of document": that is the last line.
        return f"line {max(len(lines), 1)} (end of file): invalid TOML ({reason})"
    line_no, column = int(match[1]), int(match[2])
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    hint = ""
    if _BARE_DURATION.search(line):
        hint = '; durations go in quotes, e.g. "2:30"'
    elif _BARE_DISTANCE.search(line):
        hint = '; distances go in quotes, e.g. "400m"'
    return f"line {line_no}, column {column}: invalid TOML ({reason}){hint}"


@dataclass(frozen=True, slots=True)
class PresetEntry:
    """A preset file of the library: valid (``preset`` set) or broken (``errors`` set)."""

    id: str
    """The file stem, e.g. ``21x400m``: what ``trackside run`` and ``show`` take."""
    path: Path
    source: Source
    preset: CheckedPreset | None
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.preset is not None

    @property
    def name(self) -> str:
        """The preset's name, or its id when it is broken."""
        return self.preset.name if self.preset is not None else self.id


def load_library(
    builtin_dir: Path | None = None, user_dir: Path | None = None
) -> list[PresetEntry]:
    """Every built-in and user preset, broken ones included; a user preset wins over a
    built-in one with the same id. 21x400m comes first, then the rest by name."""
    builtin = builtin_dir if builtin_dir is not None else paths.builtin_presets_dir()
    user = user_dir if user_dir is not None else user_presets_dir()
    entries = {entry.id: entry for entry in _scan(builtin, "built-in")}
    if user is not None:
        entries.update((entry.id, entry) for entry in _scan(user, "user"))
    return sorted(entries.values(), key=_order)


def library_files(builtin_dir: Path | None = None, user_dir: Path | None = None) -> dict[str, Path]:
    """The file of every preset id in the library, as :func:`load_library` finds them (a user
    preset wins), without reading any of them."""
    builtin = builtin_dir if builtin_dir is not None else paths.builtin_presets_dir()
    user = user_dir if user_dir is not None else user_presets_dir()
    files = {path.stem: path for path in _files(builtin)}
    if user is not None:
        files.update((path.stem, path) for path in _files(user))
    return files


def user_presets_dir() -> Path | None:
    """The user's preset folder, or None if it cannot be created (a read-only home)."""
    try:
        return paths.user_presets_dir()
    except OSError:
        return None


def _order(entry: PresetEntry) -> tuple[bool, str, str]:
    return (entry.id != FIRST_ID, entry.name.casefold(), entry.id)


def _scan(folder: Path, source: Source) -> list[PresetEntry]:
    return [_entry(path, source) for path in _files(folder)]


def _files(folder: Path) -> list[Path]:
    try:
        return sorted(
            path
            for path in folder.iterdir()
            if path.suffix.lower() == ".toml" and not path.name.startswith(".")
        )
    except OSError:
        # No folder (or an unreadable one) is an empty library, not a crash.
        return []


def _entry(path: Path, source: Source) -> PresetEntry:
    try:
        return PresetEntry(path.stem, path, source, load_preset(path))
    except PresetError as error:
        return PresetEntry(path.stem, path, source, None, error.lines)


def resolve(ref: str, library: Sequence[PresetEntry] | None = None) -> CheckedPreset:
    """The preset ``ref`` names: a library id (``21x400m``) or a path to a ``.toml`` file."""
    if library is None:
        path, name = locate(ref)
        return parse_preset(_read_text(path, name), name)
    if _looks_like_path(ref):
        return load_preset(ref)
    for entry in library:
        if entry.id == ref:
            if entry.preset is None:
                raise PresetError(entry.errors)
            return entry.preset
    if Path(ref).is_file():
        return load_preset(ref)
    raise PresetError([_unknown_id(ref, [entry.id for entry in library])])


def locate(ref: str) -> tuple[Path, str]:
    """The file ``ref`` names (a library id, else a path) and its name in error lines, found
    without reading any preset. Raises PresetError for an id that is not in the library."""
    if _looks_like_path(ref):
        return Path(ref), ref
    files = library_files()
    if ref in files:
        return files[ref], os.fspath(files[ref])
    if Path(ref).is_file():
        return Path(ref), ref
    raise PresetError([_unknown_id(ref, list(files))])


def _unknown_id(ref: str, ids: Sequence[str]) -> str:
    close = difflib.get_close_matches(ref, ids, n=1)
    hint = f"did you mean {close[0]}?" if close else "`trackside presets` lists them"
    return f'no preset with id "{ref}" ({hint})'


def _looks_like_path(ref: str) -> bool:
    separators = {"/", os.sep, os.altsep or "/"}
    return ref.lower().endswith(".toml") or any(sep in ref for sep in separators)
