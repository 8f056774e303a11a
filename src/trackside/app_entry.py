"""``run_app(args)``: what ``trackside`` and ``trackside run PRESET`` call to start the app.

It builds the pieces the app takes (library or preset, settings, the real clock) and runs it.
Errors a runner can cause are one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trackside import paths
from trackside.app import AudioFactory, TracksideApp
from trackside.audio.factory import AudioUnavailable, check_backend, make_player
from trackside.core.clock import MonotonicClock
from trackside.presets.loader import PresetError, load_library, resolve
from trackside.presets.models import Preset
from trackside.settings import Settings, SettingsError, load_settings

EXIT_USAGE = 2
_THEMES = {"dark": "trackside-dark", "light": "trackside-light"}


def read_settings(path: Path) -> tuple[Settings, Path | None]:
    """The settings, and where to write changes: nowhere if the file is broken (it is kept)."""
    try:
        return load_settings(path), path
    except SettingsError as error:
        for line in error.lines:
            print(f"trackside: {line} (using the defaults)", file=sys.stderr)
        return Settings(), None


def with_options(settings: Settings, args: argparse.Namespace) -> Settings:
    """The settings with this run's command-line options on top (not written to the file)."""
    changes: dict[str, object] = {}
    theme = getattr(args, "theme", None)
    if theme is not None:
        changes["theme"] = _THEMES.get(theme, theme)
    countdown = getattr(args, "countdown", None)
    if countdown is not None:
        changes["countdown_s"] = countdown
    audio = getattr(args, "audio", None)
    if audio is not None:
        changes["audio_backend"] = audio
    return Settings.model_validate({**settings.model_dump(), **changes})


def audio_factory(settings: Settings) -> AudioFactory:
    """How the app makes its cue player once it runs (the backend was checked already)."""
    return lambda bell, on_backend: make_player(
        settings.audio_backend, settings.volume, bell=bell, on_backend=on_backend
    )


def run_app(args: argparse.Namespace) -> int:
    """Run the app for ``args`` (``preset``, ``loaded_preset``, ``audio``, ``countdown``,
    ``theme``) and return the exit code."""
    config = paths.config_file()
    settings, writable = read_settings(config)
    settings = with_options(settings, args)
    try:
        check_backend(settings.audio_backend)
    except AudioUnavailable as error:
        print(f"trackside: {error}", file=sys.stderr)
        return EXIT_USAGE
    preset: Preset | None = getattr(args, "loaded_preset", None)
    ref: str | None = getattr(args, "preset", None)
    library = []
    if preset is None and ref is not None:
        try:
            preset = resolve(ref)
        except PresetError as error:
            print(f"trackside: {'; '.join(error.lines)}", file=sys.stderr)
            return EXIT_USAGE
    if preset is None:
        library = load_library()
    app = TracksideApp(
        clock=MonotonicClock(),
        library=library,
        preset=preset,
        settings=settings,
        config_path=writable,
        audio_factory=audio_factory(settings),
    )
    app.run()
    return app.return_code or 0
