"""A deterministic generator of broken presets: the shipped library, mutated every way a user can.

Each :class:`Mutant` is a file to write (bytes) or a thing to put where a file is expected (a
directory, a FIFO, a dangling or looping symlink, an unreadable file). The same seed always gives
the same cases, so a failure names a case that can be run again.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from rel_support import BUILTIN

SEED = 20261126
SOURCES = {path.stem: path.read_text() for path in sorted(BUILTIN.glob("*.toml"))}
DATA = {stem: tomllib.loads(text) for stem, text in SOURCES.items()}

BAD_DURATIONS = [
    "",
    " ",
    "0:00",
    "-1:00",
    "2:3",
    "2:60",
    "99:99",
    "1:2:3:4",
    "2:30s",
    "2m30",
    "abc",
    "１:００",
    "2:30\n",
    "1e3",
    "٢:٣٠",
    "24:00:01",
    "999999:00",
    "0",
    "-5",
    "2,30",
    ":30",
    "2:",
]
BAD_DISTANCES = [
    "",
    "400",
    "400 m",
    "-400m",
    "0m",
    "0.0km",
    "400M",
    "1e3m",
    "400yd",
    "nanm",
    "infkm",
    "1.5.km",
    "400mm",
    "4" * 400 + "m",
    "400km",
    "m",
    "٤٠٠m",
    "400m400m",
    ".5km",
    "1_000m",
]
ODD_VALUES: list[Any] = [
    0,
    -1,
    -(2**63),
    2**63 - 1,
    10**6,
    1.5,
    -0.0,
    float("inf"),
    float("nan"),
    1e308,
    True,
    False,
    "",
    "x" * 5000,
    [],
    [1, 2],
    {},
    {"x": 1},
    "2:30",
    "400m",
    "\x00",
    "\u202e",
]


@dataclass(frozen=True)
class Mutant:
    """One case: ``kind`` says what the file system gets; ``content`` the bytes, if a file."""

    name: str
    family: str
    content: bytes = b""
    kind: str = "file"
    """``file``, ``dir``, ``fifo``, ``dangling``, ``loop`` or ``unreadable``."""


def toml_value(value: Any) -> str:
    """``value`` as TOML (inline tables and arrays; floats spelled as TOML spells them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        escaped = escaped.replace("\x00", "\\u0000")
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key_text(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


def key_text(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() and key.isascii() else f'"{key}"'


def to_toml(data: dict[str, Any]) -> str:
    """A preset dict as a file: top-level keys, then each block as a ``[[block]]`` table."""
    lines = [f"{key_text(k)} = {toml_value(v)}" for k, v in data.items() if k != "block"]
    blocks = data.get("block")
    if isinstance(blocks, list) and all(isinstance(b, dict) for b in blocks):
        for block in blocks:
            lines.append("\n[[block]]")
            lines += [f"{key_text(k)} = {toml_value(v)}" for k, v in block.items()]
    elif "block" in data:
        lines.append(f"block = {toml_value(blocks)}")
    return "\n".join(lines) + "\n"


def _places(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path in a nested dict/list."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key)
            yield from _places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*path, index)
            yield from _places(value, (*path, index))


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def _copy(data: Any) -> Any:
    return tomllib.loads(to_toml(data)) if isinstance(data, dict) else data


class Generator:
    """Makes the cases; every family draws from its own seeded random stream."""

    def __init__(self, seed: int = SEED) -> None:
        self.seed = seed

    def _rng(self, family: str) -> random.Random:
        return random.Random(f"{self.seed}-{family}")

    def cases(self) -> list[Mutant]:
        families: list[tuple[str, Callable[[random.Random], Iterator[Mutant]], int]] = [
            ("delete-key", self._delete_key, 60),
            ("swap-type", self._swap_type, 90),
            ("duration", self._duration, 60),
            ("distance", self._distance, 50),
            ("numbers", self._numbers, 50),
            ("unknown-key", self._unknown_key, 25),
            ("duplicate-key", self._duplicate_key, 30),
            ("broken-toml", self._broken_toml, 60),
            ("bytes", self._bytes, 50),
            ("combined", self._combined, 40),
        ]
        out: list[Mutant] = []
        for family, make, count in families:
            rng = self._rng(family)
            for number in range(count):
                name = f"{family}-{number:03d}"
                out += [Mutant(name, family, m.content, m.kind) for m in make(rng)]
        out += list(self._fixed())
        return out

    # -- structured mutations of the parsed presets -------------------------------------

    def _pick(self, rng: random.Random) -> tuple[str, dict[str, Any]]:
        stem = rng.choice(sorted(DATA))
        return stem, _copy(DATA[stem])

    def _file(self, data: dict[str, Any]) -> Iterator[Mutant]:
        yield Mutant("", "", to_toml(data).encode())

    def _delete_key(self, rng: random.Random) -> Iterator[Mutant]:
        _stem, data = self._pick(rng)
        for _ in range(rng.randint(1, 3)):
            places = [p for p in _places(data) if not isinstance(p[-1], int)]
            if not places:
                break
            path = rng.choice(places)
            del _parent(data, path)[path[-1]]
        yield from self._file(data)

    def _swap_type(self, rng: random.Random) -> Iterator[Mutant]:
        _stem, data = self._pick(rng)
        path = rng.choice(list(_places(data)))
        _parent(data, path)[path[-1]] = rng.choice(ODD_VALUES)
        yield from self._file(data)

    def _set_in_steps(self, rng: random.Random, keys: tuple[str, ...], values: list[Any]) -> bytes:
        _stem, data = self._pick(rng)
        block = rng.choice(data["block"])
        step_key = rng.choice(["work", "recovery", "set_recovery", "warmup", "cooldown"])
        target = data if step_key in ("warmup", "cooldown") else block
        step = target.setdefault(step_key, {})
        if not isinstance(step, dict):
            step = target[step_key] = {}
        step[rng.choice(keys)] = rng.choice(values)
        return to_toml(data).encode()

    def _duration(self, rng: random.Random) -> Iterator[Mutant]:
        yield Mutant("", "", self._set_in_steps(rng, ("time", "min", "max"), BAD_DURATIONS))

    def _distance(self, rng: random.Random) -> Iterator[Mutant]:
        yield Mutant("", "", self._set_in_steps(rng, ("distance",), BAD_DISTANCES))

    def _numbers(self, rng: random.Random) -> Iterator[Mutant]:
        _stem, data = self._pick(rng)
        numbers = [0, -1, -20, 2**31, 2**63 - 1, 10**4, 1001, 999, 500, 10**100]
        where = rng.choice(["reps", "sets", "exertion", "time", "min", "max"])
        if where == "exertion":
            data["exertion"] = rng.choice(numbers + [11, 0, -10])
        elif where in ("reps", "sets"):
            rng.choice(data["block"])[where] = rng.choice(numbers)
        else:
            block = rng.choice(data["block"])
            step = block.setdefault("recovery", {})
            step.pop("time" if where != "time" else "min", None)
            step[where] = rng.choice(numbers)
        yield from self._file(data)

    def _unknown_key(self, rng: random.Random) -> Iterator[Mutant]:
        _stem, data = self._pick(rng)
        key = rng.choice(["recovey", "rep", "Reps", "nme", "blok", "distanse", "mni", "é", "x y"])
        target = rng.choice([data, rng.choice(data["block"]), data["block"][0]["work"]])
        target[key] = rng.choice(ODD_VALUES[:12])
        yield from self._file(data)

    # -- text and byte mutations of the shipped files ----------------------------------

    def _text(self, rng: random.Random) -> list[str]:
        return SOURCES[rng.choice(sorted(SOURCES))].splitlines()

    def _duplicate_key(self, rng: random.Random) -> Iterator[Mutant]:
        lines = self._text(rng)
        keyed = [i for i, line in enumerate(lines) if "=" in line and not line.startswith("#")]
        at = rng.choice(keyed)
        lines.insert(at + rng.randint(0, 1), lines[at])
        yield Mutant("", "", "\n".join(lines).encode())

    def _broken_toml(self, rng: random.Random) -> Iterator[Mutant]:
        lines = self._text(rng)
        at = rng.randrange(len(lines))
        line = lines[at]
        how = rng.choice(["cut", "unquote", "brace", "bracket", "junk", "single-block", "eq"])
        if how == "cut":
            lines = lines[:at] + [line[: rng.randint(0, len(line))]]
        elif how == "unquote":
            lines[at] = line.replace('"', "", rng.randint(1, 2))
        elif how == "brace":
            lines[at] = line.replace("}", "", 1) if "}" in line else line + " {"
        elif how == "bracket":
            lines[at] = line.replace("[[block]]", "[[block]") if "[[" in line else "[" + line
        elif how == "junk":
            pos = rng.randint(0, len(line))
            junk = rng.choice(["\x07", "=", "'''", "\\", "#", "\t", "]"])
            lines[at] = line[:pos] + junk + line[pos:]
        elif how == "single-block":
            lines = [x.replace("[[block]]", "[block]") for x in lines]
        else:
            lines[at] = line.replace("=", "==", 1) if "=" in line else line + " ="
        yield Mutant("", "", "\n".join(lines).encode())

    def _bytes(self, rng: random.Random) -> Iterator[Mutant]:
        raw = bytearray(SOURCES[rng.choice(sorted(SOURCES))].encode())
        how = rng.choice(["invalid", "nul", "bom", "crlf", "truncate-utf8", "flip"])
        pos = rng.randrange(len(raw))
        if how == "invalid":
            raw[pos:pos] = rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80"])
        elif how == "nul":
            raw[pos:pos] = b"\x00"
        elif how == "bom":
            raw[0:0] = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])
        elif how == "crlf":
            raw = bytearray(bytes(raw).replace(b"\n", rng.choice([b"\r\n", b"\r"])))
        elif how == "truncate-utf8":
            raw = bytearray(b'name = "caf\xc3')
        else:
            raw[pos] ^= 1 << rng.randrange(8)
        yield Mutant("", "", bytes(raw))

    def _combined(self, rng: random.Random) -> Iterator[Mutant]:
        _stem, data = self._pick(rng)
        for _ in range(rng.randint(2, 6)):
            places = list(_places(data))
            if not places:
                break
            path = rng.choice(places)
            parent = _parent(data, path)
            if rng.random() < 0.4 and not isinstance(path[-1], int):
                del parent[path[-1]]
            else:
                parent[path[-1]] = rng.choice(ODD_VALUES + BAD_DURATIONS + BAD_DISTANCES)
        yield from self._file(data)

    # -- fixed cases: empty, huge, and things that are not files -----------------------

    def _fixed(self) -> Iterator[Mutant]:
        texts = {
            "empty": b"",
            "spaces": b"   \n\t\n",
            "comments-only": b"# nothing here\n# at all\n",
            "bom-only": b"\xef\xbb\xbf",
            "name-only": b'name = "x"\n',
            "blocks-empty-list": b'name = "x"\nblock = []\n',
            "nested-deep": b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n",
            "table-deep": b"".join(b"[" + b".".join([b"a"] * n) + b"]\n" for n in (1, 300)),
            "too-large": b'name = "x"\n' + b"# " + b"x" * 1_000_100 + b"\n",
            "too-many-steps": b'name = "x"\n[[block]]\nreps = 1000\nwork = {}\nrecovery = {}\n',
            "binary": bytes(range(256)) * 4,
            "utf16": SOURCES["21x400m"].encode("utf-16"),
        }
        for name, raw in texts.items():
            yield Mutant(f"fixed-{name}", "fixed", raw)
        for kind in ("dir", "fifo", "dangling", "loop", "unreadable"):
            yield Mutant(f"fs-{kind}", "filesystem", SOURCES["21x400m"].encode(), kind)
