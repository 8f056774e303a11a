"""Settings: plainly valid values skip pydantic; every other value goes through the pydantic
model, which converts it or reports it exactly as before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from trackside.settings import Settings, SettingsError, _model, load_settings

FILES = [
    'theme = "trackside-light"\nvolume = 1\ncountdown_s = 0\n',
    'volume = 0.25\nshow_rep_clock = true\n[keymap]\nmark = "space,b"\n',
    'audio_backend = "silent"\ncountdown_s = 30\n',
    'volume = "0.5"\n',  # converted by pydantic, as it always was
    "countdown_s = 3.0\n",
    "countdown_s = true\n",
    'show_rep_clock = "yes"\n',
    "",
]
BAD = [
    'theme = "purple"\nvolum = 1\n',
    "volume = 1.5\n",
    "volume = nan\n",
    "countdown_s = 61\n",
    "keymap = { mark = 1 }\n",
    "keymap = 3\n",
    'audio_backend = 1\ntheme = "trackside-dark"\n',
]


def pydantic_lines(path: Path, text: str) -> list[str]:
    import tomllib

    try:
        _model().model_validate(tomllib.loads(text))
    except ValidationError as error:
        return [
            f"{path}: {'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        ]
    return []


@pytest.mark.parametrize("text", FILES)
def test_a_good_file_reads_as_pydantic_read_it(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    import tomllib

    expected = _model().model_validate(tomllib.loads(text)).model_dump()
    settings = load_settings(path)
    assert settings.model_dump() == expected
    assert type(settings.volume) is float


@pytest.mark.parametrize("text", BAD)
def test_a_bad_file_gives_pydantic_s_lines(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(SettingsError) as raised:
        load_settings(path)
    assert raised.value.lines == pydantic_lines(path, text)


def test_bad_values_in_code_raise_as_before() -> None:
    with pytest.raises(ValidationError):
        Settings(volume=2)
    with pytest.raises(ValidationError):
        Settings.model_validate({"volum": 1})
    with pytest.raises(ValidationError):
        Settings().model_copy(update={"countdown_s": -1})


def test_copies_and_dumps() -> None:
    keymap = {"mark": "space"}
    settings = Settings(keymap=keymap)
    keymap["mark"] = "b"
    assert settings.keymap == {"mark": "space"}, "the settings keep their own keymap"
    changed = settings.model_copy(update={"theme": "trackside-light"})
    assert changed.theme == "trackside-light"
    assert changed.keymap == settings.keymap
    assert Settings.model_validate(changed.model_dump()) == changed


def test_reading_a_good_file_imports_no_pydantic(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(FILES[1])
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
