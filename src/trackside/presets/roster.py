"""Rosters: who runs together on one laptop, each athlete with a key of their own.

A roster comes from a file (``[[athlete]]`` tables, checked by the models in
:mod:`trackside.presets.roster_models`), from a saved roster of the user's ``rosters`` folder by
id, or from ``--athletes "Ann,Ben,Cid"``. :class:`Roster` is the checked result, as plain data;
:func:`line_up` pairs it with the plans the athletes run (the group's preset, or a pace group's
own) as a :class:`LineUp` the app starts. Every problem is a :class:`RosterError` whose
``lines`` say, one per problem, which file, which athlete and what is wrong.

Keys: athletes 1 to 10 get ``1`` ... ``9``, ``0`` unless their roster gives them another; from
the eleventh on, the first free letters. :data:`COACH_KEYS` are the coach screen's own and are
never an athlete's.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from trackside import paths
from trackside.core.safe import visible
from trackside.presets.checked import CheckedPreset
from trackside.presets.units import parse_duration, value_repr

COACH_KEYS = {
    "g": "then an athlete's key: they go now",
    "u": "then an athlete's key: undo their last mark",
    "s": "then an athlete's key: skip their step",
    "p": "pauses or resumes everyone",
    "m": "mutes the cues",
    "q": "ends the group",
}
"""The coach screen's own letter keys (with what they do): never an athlete's."""
DEFAULT_KEYS = "1234567890"
"""Athletes 1 to 10, unless their roster says otherwise."""
SPARE_KEYS = "".join(c for c in "abcdefghijklmnopqrstuvwxyz" if c not in COACH_KEYS)
"""Keys for athletes past the tenth (or whose digit another athlete took)."""
NAME_LENGTH = 30
MAX_OFFSET_S = 3600
"""A start offset beyond an hour is a typo."""
MAX_STAGGER_S = 180
"""``--stagger``: twenty athletes at three minutes apart is already an hour."""
MAX_FILE_BYTES = 100_000
"""A roster of twenty athletes is a kilobyte; a larger file is not one."""


class RosterError(Exception):
    """A roster that cannot be used. ``lines``: one ``"<file>: <place>: <what>"`` per problem."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = tuple(lines)
        super().__init__("\n".join(self.lines))


@dataclass(frozen=True, slots=True)
class RosterAthlete:
    """One athlete of a checked roster."""

    name: str
    key: str
    """The one key that acts for them (a lower-case letter or a digit)."""
    preset: str | None = None
    """Their own preset (id or file), or None to run the group's."""
    start_offset_s: int | None = None
    """Seconds after the group's start that they go; None when the roster gives none."""


@dataclass(frozen=True, slots=True)
class Roster:
    """A checked roster: its name (if it has one) and its athletes, in the order shown."""

    name: str | None
    athletes: tuple[RosterAthlete, ...]

    @property
    def title(self) -> str:
        """What the group is called: the roster's name, else its athletes' names."""
        return self.name or ", ".join(athlete.name for athlete in self.athletes)

    def staggered(self, seconds: int) -> Roster:
        """Athlete ``i`` (from 0) sent off ``i`` x ``seconds`` after the start, unless the
        roster gave them an offset of their own."""
        athletes = tuple(
            a if a.start_offset_s is not None else replace(a, start_offset_s=i * seconds)
            for i, a in enumerate(self.athletes)
        )
        return replace(self, athletes=athletes)


@dataclass(frozen=True, slots=True)
class AthletePlan:
    """An athlete ready to run: their name, key, preset (with its library id) and offset."""

    name: str
    key: str
    preset: CheckedPreset
    preset_id: str
    start_offset_s: int


@dataclass(frozen=True, slots=True)
class LineUp:
    """A group ready to start: what it is called and each athlete's plan."""

    title: str
    athletes: tuple[AthletePlan, ...]


def parse_offset(value: object) -> int:
    """A start offset: whole seconds from 0 (``0``, ``30``, ``"1:30"``) up to an hour."""
    if value == 0 and not isinstance(value, bool):
        return 0
    if isinstance(value, str) and value.strip() in ("0", "0:00"):
        return 0
    seconds = parse_duration(value)
    if seconds > MAX_OFFSET_S:
        raise ValueError(f"must be at most 1:00:00, got {value_repr(value)}")
    return seconds


# -- keys ---------------------------------------------------------------------------------------


def assign_keys(chosen: Sequence[str | None]) -> tuple[str, ...]:
    """Each athlete's key: the one their roster chose, else their default (``1`` for the first
    ... ``0`` for the tenth) if nobody chose it, else the first key left."""
    taken = {key for key in chosen if key is not None}
    keys = list(chosen)
    for number, key in enumerate(chosen):
        default = DEFAULT_KEYS[number] if number < len(DEFAULT_KEYS) else None
        if key is None and default is not None and default not in taken:
            keys[number] = default
            taken.add(default)
    spare = (k for k in DEFAULT_KEYS + SPARE_KEYS if k not in taken)
    return tuple(key if key is not None else next(spare) for key in keys)


# -- reading ------------------------------------------------------------------------------------


def roster_from_names(text: str) -> Roster:
    """``--athletes "Ann,Ben,Cid"``: athletes by name, in order, with the default keys."""
    names = text.split(",")
    return _checked({"athlete": [{"name": name} for name in names]}, "--athletes")


def parse_roster(text: str, file: str = "<roster>") -> Roster:
    """Check roster TOML ``text``; ``file`` names it in the error lines."""
    if not text.strip():
        raise RosterError([f"{file}: empty file (a roster needs at least one [[athlete]])"])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RosterError([f"{file}: invalid TOML ({error})"]) from None
    except (RecursionError, ValueError):  # nested thousands deep, a number of 5,000 digits
        raise RosterError([f"{file}: invalid TOML (not a roster)"]) from None
    return _checked(data, file)


def load_roster(ref: str) -> Roster:
    """The roster ``ref`` names: a saved roster's id (``tuesday``) or a path to a file."""
    path, name = locate_roster(ref)
    return parse_roster(_read(path, name), name)


def locate_roster(ref: str) -> tuple[Path, str]:
    """The file ``ref`` names and its name in error lines. Raises RosterError."""
    separators = {"/", os.sep, os.altsep or "/"}
    if ref.lower().endswith(".toml") or any(sep in ref for sep in separators):
        return Path(ref), ref
    folder = rosters_dir()
    saved = None if folder is None else folder / f"{ref}.toml"
    if saved is not None and saved.is_file():
        return saved, os.fspath(saved)
    where = "" if folder is None else f" in {folder}"
    raise RosterError([f'no roster with id "{visible(ref)}"{where} (give a .toml file)'])


def rosters_dir() -> Path | None:
    """The saved rosters' folder, or None if it cannot be made (a read-only home)."""
    try:
        return paths.user_rosters_dir()
    except OSError:
        return None


def _read(path: Path, name: str) -> str:
    try:
        if not path.is_file():
            what = "no such file" if not path.exists() else "not a regular file"
            raise RosterError([f"{name}: {what}"])
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise RosterError([f"{name}: cannot read it ({error.strerror or error})"]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise RosterError([f"{name}: too large for a roster (over {MAX_FILE_BYTES} bytes)"])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise RosterError([f"{name}: line {line}: not UTF-8 text; save it as UTF-8"]) from None


def _checked(data: dict[str, Any], file: str) -> Roster:
    from pydantic import ValidationError

    from trackside.presets.messages import place_of, what_is_wrong
    from trackside.presets.roster_models import RosterModel

    try:
        model = RosterModel.model_validate(data)
    except ValidationError as error:
        lines = []
        for detail in error.errors():
            place = place_of(detail["loc"])
            what = _roster_words(detail["type"], detail["loc"]) or what_is_wrong(detail)
            lines.append(visible(f"{file}: {place}: {what}"))
        raise RosterError(lines) from None
    problems = _not_told_apart([a.name for a in model.athletes], [a.key for a in model.athletes])
    if problems:
        raise RosterError([visible(f"{file}: {problem}") for problem in problems])
    keys = assign_keys([athlete.key for athlete in model.athletes])
    athletes = tuple(
        RosterAthlete(a.name, key, a.preset, a.start_offset if "start_offset" in a.model_fields_set
                      else None)
        for a, key in zip(model.athletes, keys, strict=True)
    )  # fmt: skip
    return Roster(model.name, athletes)


def _roster_words(kind: str, loc: Sequence[int | str]) -> str | None:
    """What a missing or unknown key of a roster means (the rest reads as for a preset)."""
    from trackside.presets.roster_models import AthleteEntry, RosterModel

    if kind == "missing":
        return {
            "name": "missing: every athlete needs a name",
            "athlete": "missing: a roster needs at least one [[athlete]]",
        }.get(str(loc[-1]), "missing")
    if kind != "extra_forbidden":
        return None
    model = AthleteEntry if "athlete" in loc[:-1] else RosterModel
    known = [field.alias or name for name, field in model.model_fields.items()]
    key = str(loc[-1])
    close = [k for k in known if k.startswith(key)] or difflib.get_close_matches(key, known, n=1)
    if close:
        return f"unknown key (did you mean {close[0]}?)"
    return f"unknown key (known keys: {', '.join(known)})"


def _not_told_apart(names: Sequence[str], keys: Sequence[str | None]) -> list[str]:
    """Athletes who share a name or a key: one line each."""
    problems = []
    seen_names: dict[str, int] = {}
    seen_keys: dict[str, int] = {}
    for number, (name, key) in enumerate(zip(names, keys, strict=True), start=1):
        first = seen_names.setdefault(name.casefold(), number)
        if first != number:
            problems.append(
                f'athlete {number}, name: "{name}" is athlete {first}\'s name too; '
                "each athlete needs a name of their own"
            )
        if key is not None and seen_keys.setdefault(key, number) != number:
            problems.append(f'athlete {number}, key: "{key}" is athlete {seen_keys[key]}\'s too')
    return problems


# -- the saved rosters --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """A roster file of the rosters folder: valid (``roster`` set) or broken (``errors``)."""

    id: str
    path: Path
    roster: Roster | None
    errors: tuple[str, ...] = ()


def saved_rosters(folder: Path | None = None) -> list[RosterEntry]:
    """Every roster in the rosters folder, by id, broken ones included."""
    folder = folder if folder is not None else rosters_dir()
    if folder is None:
        return []
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".toml")
    except OSError:
        return []
    entries = []
    for path in files:
        if path.name.startswith("."):
            continue
        try:
            entries.append(RosterEntry(path.stem, path, parse_roster(_read(path, path.name))))
        except RosterError as error:
            entries.append(RosterEntry(path.stem, path, None, error.lines))
    return entries


# -- ready to run -------------------------------------------------------------------------------

PresetLoader = Callable[[str], CheckedPreset]
"""Loads a preset by id or path (raises PresetError): ``load_checked``."""


def line_up(
    roster: Roster, preset: CheckedPreset, preset_id: str, load: PresetLoader, file: str
) -> LineUp:
    """The group ``roster`` makes with ``preset`` (library id ``preset_id``) as the plan of
    every athlete who names none of their own. Raises RosterError, naming ``file``, for a
    preset an athlete names that cannot be loaded."""
    from trackside.presets.loader import PresetError

    athletes, problems = [], []
    for number, athlete in enumerate(roster.athletes, start=1):
        own, own_id = preset, preset_id
        if athlete.preset is not None:
            try:
                own, own_id = load(athlete.preset), _stem(athlete.preset)
            except PresetError as error:
                problems.append(f"{file}: athlete {number}, preset: {'; '.join(error.lines)}")
                continue
        offset = athlete.start_offset_s or 0
        athletes.append(AthletePlan(athlete.name, athlete.key, own, own_id, offset))
    if problems:
        raise RosterError(problems)
    return LineUp(roster.title, tuple(athletes))


def _stem(ref: str) -> str:
    separators = {"/", os.sep, os.altsep or "/"}
    if ref.lower().endswith(".toml") or any(sep in ref for sep in separators):
        return Path(ref).stem
    return ref
