"""Reading preset files: broken files of every kind, the library, and resolving a reference."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from trackside.presets.loader import (
    MAX_FILE_BYTES,
    PresetEntry,
    PresetError,
    load_library,
    load_preset,
    parse_preset,
    resolve,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "presets"
EXPECTED = [
    line.split(": ", 1) for line in (DATA / "expected.txt").read_text().splitlines() if line
]
MINIMAL = 'name = "{name}"\n\n[[block]]\nreps = {reps}\nwork = {{ distance = "400m" }}\n'


def write(folder: Path, stem: str, name: str = "Mine", reps: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.toml"
    path.write_text(MINIMAL.format(name=name, reps=reps))
    return path


def lines_of(path: Path | str) -> tuple[str, ...]:
    with pytest.raises(PresetError) as caught:
        load_preset(path)
    return caught.value.lines


# -- broken files ----------------------------------------------------------------------------


@pytest.mark.parametrize(("file", "fragment"), EXPECTED, ids=[f"{f}:{m[:30]}" for f, m in EXPECTED])
def test_each_broken_fixture_names_file_place_and_problem(file: str, fragment: str) -> None:
    path = DATA / file
    found = lines_of(path)
    assert any(line.startswith(f"{path}: {fragment}") for line in found), found
    assert all(line.startswith(f"{path}: ") and "\n" not in line for line in found)


def test_every_fixture_is_covered_by_the_expectations() -> None:
    assert {p.name for p in DATA.glob("*.toml")} == {file for file, _ in EXPECTED}


def test_one_line_per_problem() -> None:
    assert len(lines_of(DATA / "bad_values.toml")) == 6


def test_a_missing_file(tmp_path: Path) -> None:
    assert lines_of(tmp_path / "nope.toml") == (f"{tmp_path / 'nope.toml'}: no such file",)


def test_a_directory_where_a_file_is_expected(tmp_path: Path) -> None:
    assert lines_of(tmp_path) == (f"{tmp_path}: is a directory, not a preset file",)


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "locked")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    # Tests run as root in CI, where chmod 000 does not stop a read: refuse at open() instead.
    monkeypatch.setattr(Path, "open", refuse)
    assert lines_of(path) == (f"{path}: cannot read it (permission denied)",)


def test_a_file_too_large_to_be_a_preset(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert "too large" in lines_of(path)[0]


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "bom")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_preset(path).name == "Mine"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("   \n\n", "empty file"),
        ("# a comment\n", "nothing but comments"),
        ('name = "x"\nname = "y"\n', "line 2, column"),
        ('name = "x', "line 1 (end of file): invalid TOML"),
        (
            'name = "x"\n[[block]]\nwork = { distance = 400m }\n',
            'distances go in quotes, e.g. "400m"',
        ),
    ],
)
def test_text_problems(text: str, expected: str) -> None:
    with pytest.raises(PresetError) as caught:
        parse_preset(text, "mine.toml")
    assert caught.value.lines[0].startswith("mine.toml: ")
    assert expected in caught.value.lines[0]


def test_a_path_may_be_a_string() -> None:
    assert load_preset(os.fspath(DATA.parents[2] / "presets" / "21x400m.toml")).name == "21 x 400m"


# -- the library -----------------------------------------------------------------------------


def test_user_presets_win_and_broken_ones_are_listed(tmp_path: Path) -> None:
    builtin, user = tmp_path / "builtin", tmp_path / "user"
    write(builtin, "21x400m", "21 x 400m", 21)
    write(builtin, "zebra", "Zebra")
    write(builtin, "alpha", "Alpha")
    write(user, "alpha", "Alpha, my way", 5)
    (user / "broken.toml").write_text('name = "B"\n[[block]]\nwork = {}\nrecovey = {}\n')
    (user / "notes.txt").write_text("not a preset")
    (user / ".hidden.toml").write_text("garbage")

    entries = load_library(builtin, user)

    # 21x400m first, then by name: "Alpha, my way", "broken" (a broken one sorts by id), "Zebra".
    assert [e.id for e in entries] == ["21x400m", "alpha", "broken", "zebra"]
    by_id = {e.id: e for e in entries}
    assert by_id["alpha"].source == "user"
    assert by_id["alpha"].preset is not None
    assert by_id["alpha"].preset.total_reps == 5
    assert by_id["zebra"].source == "built-in"
    broken = by_id["broken"]
    assert (broken.ok, broken.preset, broken.name) == (False, None, "broken")
    assert broken.errors == (
        f"{user / 'broken.toml'}: block 1, recovey: unknown key (did you mean recovery?)",
    )


def test_21x400m_comes_first_then_by_name(tmp_path: Path) -> None:
    write(tmp_path, "a", "Zulu")
    write(tmp_path, "b", "alpha")
    write(tmp_path, "21x400m", "Twenty-one")
    assert [e.id for e in load_library(tmp_path, tmp_path / "none")] == ["21x400m", "b", "a"]


def test_missing_folders_make_an_empty_library(tmp_path: Path) -> None:
    assert load_library(tmp_path / "a", tmp_path / "b") == []


def test_the_default_folders_come_from_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    write(tmp_path / "trackside" / "presets", "mine")
    entries = load_library()
    assert entries[0].id == "21x400m"
    assert {e.id: e.source for e in entries}["mine"] == "user"


# -- resolving a reference -------------------------------------------------------------------


@pytest.fixture
def library(tmp_path: Path) -> list[PresetEntry]:
    write(tmp_path / "lib", "21x400m", "21 x 400m", 21)
    (tmp_path / "lib" / "broken.toml").write_text("name = 1\n")
    return load_library(tmp_path / "lib", tmp_path / "nouser")


def test_resolve_by_id(library: list[PresetEntry]) -> None:
    assert resolve("21x400m", library).total_reps == 21


def test_resolve_by_path(tmp_path: Path, library: list[PresetEntry]) -> None:
    path = write(tmp_path / "elsewhere", "x", "Elsewhere")
    assert resolve(str(path), library).name == "Elsewhere"


def test_resolve_a_missing_path(tmp_path: Path, library: list[PresetEntry]) -> None:
    with pytest.raises(PresetError, match="no such file"):
        resolve(str(tmp_path / "gone.toml"), library)


def test_resolve_an_unknown_id_suggests_a_close_one(library: list[PresetEntry]) -> None:
    with pytest.raises(PresetError) as caught:
        resolve("21x400", library)
    assert caught.value.lines == ('no preset with id "21x400" (did you mean 21x400m?)',)


def test_resolve_a_broken_id_gives_its_problems(library: list[PresetEntry]) -> None:
    with pytest.raises(PresetError) as caught:
        resolve("broken", library)
    assert len(caught.value.lines) == 2  # name is not text; no [[block]]
