"""Settings: a file is read into the values it means, or refused with one line per problem, each
line written out here by hand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trackside.settings import Settings, SettingsError, load_settings

GOOD = [
    (
        'theme = "trackside-light"\nvolume = 1\ncountdown_s = 0\n',
        Settings(theme="trackside-light", volume=1.0, countdown_s=0),
    ),
    (
        'volume = 0.25\nshow_rep_clock = true\n[keymap]\nmark = "space,b"\n',
        Settings(volume=0.25, show_rep_clock=True, keymap={"mark": "space,b"}),
    ),
    (
        'audio_backend = "silent"\ncountdown_s = 30\n',
        Settings(audio_backend="silent", countdown_s=30),
    ),
    # What a hand-edited file may hold in another form is taken as meant.
    ('volume = "0.5"\n', Settings(volume=0.5)),
    ("countdown_s = 3.0\n", Settings(countdown_s=3)),
    ('countdown_s = "10"\n', Settings(countdown_s=10)),
    ('show_rep_clock = "yes"\n', Settings(show_rep_clock=True)),
    ('show_rep_clock = "Off"\n', Settings(show_rep_clock=False)),
    ("say_names = false\n", Settings(say_names=False)),
    ("", Settings()),
]
BAD = [
    (
        'theme = "purple"\nvolum = 1\n',
        [
            'theme: must be "trackside-dark" or "trackside-light", got "purple"',
            "volum: unknown setting (did you mean volume?)",
        ],
    ),
    ("volume = 1.5\n", ["volume: must be a number from 0 to 1, got 1.5"]),
    ("volume = nan\n", ["volume: must be a number from 0 to 1, got nan"]),
    ('volume = "loud"\n', ['volume: must be a number from 0 to 1, got "loud"']),
    ("volume = true\n", ["volume: must be a number from 0 to 1, got true"]),
    ("countdown_s = 61\n", ["countdown_s: must be whole seconds from 0 to 60, got 61"]),
    ("countdown_s = 2.5\n", ["countdown_s: must be whole seconds from 0 to 60, got 2.5"]),
    ("countdown_s = true\n", ["countdown_s: must be whole seconds from 0 to 60, got true"]),
    ('show_rep_clock = "maybe"\n', ['show_rep_clock: must be true or false, got "maybe"']),
    ("say_names = 1\n", ["say_names: must be true or false, got 1"]),
    ("keymap = { mark = 1 }\n", ['keymap: mark takes its keys as text, e.g. "space,b", got 1']),
    ("keymap = 3\n", ["keymap: must be a table of binding ids and keys, got 3"]),
    (
        'audio_backend = 1\ntheme = "trackside-dark"\n',
        ['audio_backend: must be the name of a player, e.g. "auto", got 1'],
    ),
    (
        "sound = 1\n",
        [
            "sound: unknown setting (the settings are theme, volume, audio_backend, "
            "countdown_s, show_rep_clock, say_names, keymap)"
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), GOOD)
def test_a_good_file_reads_as_the_values_it_means(
    tmp_path: Path, text: str, expected: Settings
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    settings = load_settings(path)
    assert settings == expected
    assert type(settings.volume) is float
    assert type(settings.countdown_s) is int


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_a_bad_file_gives_one_line_per_problem(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(SettingsError) as raised:
        load_settings(path)
    assert raised.value.lines == [f"{path}: {line}" for line in expected]


def test_a_file_that_is_not_text_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'theme = "trackside-\xff"\n')
    with pytest.raises(SettingsError) as raised:
        load_settings(path)
    assert raised.value.lines == [f"{path}: cannot read: not UTF-8 text"]


def test_bad_values_in_code_raise() -> None:
    with pytest.raises(SettingsError, match="volume: must be a number from 0 to 1, got 2"):
        Settings(volume=2)
    with pytest.raises(SettingsError, match="volum: unknown setting"):
        Settings.from_mapping({"volum": 1})
    with pytest.raises(SettingsError, match="countdown_s: must be whole seconds"):
        Settings().changed(countdown_s=-1)


def test_copies_and_mappings() -> None:
    keymap = {"mark": "space"}
    settings = Settings(keymap=keymap)
    keymap["mark"] = "b"
    assert settings.keymap == {"mark": "space"}, "the settings keep their own keymap"
    changed = settings.changed(theme="trackside-light")
    assert changed.theme == "trackside-light"
    assert changed.keymap == settings.keymap
    assert Settings.from_mapping(changed.to_mapping()) == changed


def test_reading_a_file_imports_no_pydantic(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD[1][0])
    program = (
        "import sys\n"
        "from pathlib import Path\n"
        "from trackside.settings import load_settings\n"
        f"load_settings(Path({str(path)!r}))\n"
        "print('pydantic' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], env=os.environ, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
