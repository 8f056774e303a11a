"""The cache of checked presets: a hit is the same preset without pydantic; anything else is
checked again, with exactly the errors a check gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trackside import paths
from trackside.presets import cache, loader
from trackside.presets.checked import CheckedPreset, from_json
from trackside.presets.loader import PresetError, load_checked, resolve

GOOD = 'name = "Mine"\n\n[[block]]\nreps = {reps}\nwork = {{ distance = "400m" }}\n'
SHIPPED = sorted(path.stem for path in paths.builtin_presets_dir().glob("*.toml"))


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def cached_files() -> list[Path]:
    return sorted(paths.preset_cache_dir().glob("*.json"))


def no_checking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any check by the models fail the test: what follows must come from the cache."""

    def checked_again(text: str, file: str = "<preset>") -> object:
        raise AssertionError(f"{file} was checked again")

    monkeypatch.setattr(loader, "parse_preset", checked_again)


def errors_of(ref: str, load: object) -> tuple[str, ...]:
    with pytest.raises(PresetError) as caught:
        load(ref)  # type: ignore[operator]
    return caught.value.lines


@pytest.mark.parametrize("preset_id", SHIPPED)
def test_a_cached_preset_is_the_checked_one(
    preset_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_checked(preset_id)
    assert first == resolve(preset_id)
    no_checking(monkeypatch)
    assert load_checked(preset_id) == first


def test_the_json_round_trip_keeps_every_field() -> None:
    for preset_id in SHIPPED:
        checked = resolve(preset_id)
        assert from_json(json.loads(json.dumps(checked.to_json()))) == checked


def test_a_bad_preset_gives_the_same_lines_and_is_never_cached(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[1] / "data" / "presets"
    for path in sorted(data.glob("*.toml")):
        assert errors_of(str(path), load_checked) == errors_of(str(path), resolve)
        assert errors_of(str(path), load_checked) == errors_of(str(path), resolve)
    assert errors_of("21x4000m", load_checked) == errors_of("21x4000m", resolve)
    assert cached_files() == []


def test_an_edited_file_is_checked_again(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(GOOD.format(reps=3))
    assert load_checked(str(path)).total_reps == 3
    path.write_text(GOOD.format(reps=3).replace("400m", "400 parsecs"))
    assert errors_of(str(path), load_checked) == errors_of(str(path), resolve)
    path.write_text(GOOD.format(reps=5))
    assert load_checked(str(path)).total_reps == 5


def test_a_user_preset_wins_over_the_shipped_one_as_in_the_library(home: Path) -> None:
    user = home / "config" / "trackside" / "presets"
    user.mkdir(parents=True)
    (user / "21x400m.toml").write_text(GOOD.format(reps=2))
    assert load_checked("21x400m").total_reps == 2
    assert load_checked("21x400m") == resolve("21x400m")


@pytest.mark.parametrize(
    "damage",
    [
        "",
        "not json",
        "[]",
        '{"format": 1}',
        "{{}}",
        "null",
    ],
)
def test_a_damaged_cache_file_is_ignored_and_replaced(
    damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = load_checked("21x400m")
    (file,) = cached_files()
    file.write_text(damage)
    assert load_checked("21x400m") == good
    no_checking(monkeypatch)
    assert load_checked("21x400m") == good


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("name",), None),
        (("name",), 7),
        (("exertion",), True),
        (("display",), "sideways"),
        (("steps",), []),
        (("steps",), None),
        (("steps", 0, "kind"), "sprint"),
        (("steps", 0, "distance_m"), "400"),
        (("steps", 0, "all_out"), 1),
        (("steps", 0, "rep"), 1.0),
        (("steps", 0, "extra"), 1),
    ],
)
def test_a_cache_file_with_wrong_values_is_a_miss(
    where: tuple[str | int, ...], value: object
) -> None:
    load_checked("21x400m")
    (file,) = cached_files()
    data = json.loads(file.read_text())
    inner = data["preset"]
    for part in where[:-1]:
        inner = inner[part]
    inner[where[-1]] = value
    file.write_text(json.dumps(data))
    assert cache.lookup(paths.builtin_presets_dir().joinpath("21x400m.toml").read_bytes()) is None
    assert load_checked("21x400m") == resolve("21x400m")


def test_another_version_is_a_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = paths.builtin_presets_dir().joinpath("21x400m.toml").read_bytes()
    load_checked("21x400m")
    assert cache.lookup(raw) is not None
    monkeypatch.setattr(cache, "__version__", "9.9.9")
    assert cache.lookup(raw) is None


def test_an_unwritable_cache_still_loads(home: Path) -> None:
    (home / "cache").write_text("a file where the cache folder should be")
    assert load_checked("21x400m") == resolve("21x400m")
    assert isinstance(load_checked("21x400m"), CheckedPreset)


def test_a_cache_hit_imports_no_pydantic(home: Path) -> None:
    program = (
        "import sys\n"
        "from trackside.presets.loader import load_checked\n"
        "import trackside.tui.launch\n"
        "load_checked('21x400m')\n"
        "print('pydantic' in sys.modules)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(home / "cache"), "XDG_CONFIG_HOME": str(home)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs == ["True", "False"], "checked by pydantic once, then read from the cache"
