"""``run_app(args)``: what ``trackside`` and ``trackside run PRESET`` call to start the app.

It builds the pieces the app takes (library or preset, settings, the real clock, what the
history starts with) and runs it. Errors a runner can cause are one line on stderr and exit code
2, never a traceback; a history that cannot be used is not one of them (the app says so once and
runs).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from trackside import paths
from trackside.core.clock import SessionClock
from trackside.core.safe import visible
from trackside.history.service import history_at_start
from trackside.presets.checked import CheckedPreset
from trackside.presets.loader import PresetEntry, PresetError, load_checked, load_library
from trackside.presets.roster import saved_rosters
from trackside.settings import Settings, SettingsError, load_settings
from trackside.tui import textual_fixes
from trackside.tui.app import TracksideApp
from trackside.tui.coaching import CoachStart
from trackside.tui.sound import AudioFactory

if TYPE_CHECKING:
    from trackside.audio.player import BackendListener, CuePlayer
    from trackside.history.store import HistoryStore
    from trackside.presets.roster import LineUp

EXIT_USAGE = 2
_THEMES = {"dark": "trackside-dark", "light": "trackside-light"}


def read_settings(path: Path | None = None) -> tuple[Settings, Path | None, list[str]]:
    """The settings, where to write changes (nowhere if the file is broken: it is kept, or if
    the config folder cannot be made), and the problems, one a line, for the first screen."""
    try:
        path = path if path is not None else paths.config_file()
    except OSError as error:
        why = paths.folder_problem(error, "the config folder")
        return Settings(), None, [f"{why}: settings are the defaults, and not saved"]
    try:
        return load_settings(path), path, []
    except SettingsError as error:
        return Settings(), None, [f"{line} (using the defaults)" for line in error.lines]


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
    if getattr(args, "numbers", False):
        changes["say_names"] = False
    return settings.changed(**changes)


def audio_factory(settings: Settings) -> AudioFactory:
    """How the app makes its cue player once it runs (the backend was checked already)."""

    def make(bell: Callable[[], None], on_backend: BackendListener) -> CuePlayer:
        from trackside.audio.factory import make_player

        return make_player(
            settings.audio_backend, settings.volume, bell=bell, on_backend=on_backend
        )

    return make


def audio_problem(backend: str) -> str | None:
    """Why ``--audio backend`` cannot work here, or None. ``auto`` always works (it ends in
    silence) and :func:`~trackside.audio.factory.check_backend` checks nothing for it, so the
    audio modules load with the player, after the first frame."""
    if backend.strip().lower() == "auto":
        return None
    from trackside.audio.factory import AudioUnavailable, check_backend

    try:
        check_backend(backend)
    except AudioUnavailable as error:
        return str(error)
    return None


def preset_id_of(ref: str) -> str:
    """The id a preset named on the command line is stored under: its file stem."""
    if ref.lower().endswith(".toml") or "/" in ref or os.sep in ref:
        return Path(ref).stem
    return ref


def preset_or_library(args: argparse.Namespace) -> tuple[CheckedPreset | None, list[PresetEntry]]:
    """The preset named by ``args`` (already loaded by ``launch``, or resolved here), or the
    library for the picker. Raises PresetError."""
    preset: CheckedPreset | None = getattr(args, "loaded_preset", None)
    ref: str | None = getattr(args, "preset", None)
    if preset is None and ref is not None:
        preset = load_checked(ref)
    return preset, [] if preset is not None else load_library()


def terminal_problem() -> str | None:
    """Why the app cannot run here, or None: it reads keys from standard input and draws on a
    terminal (with input from ``/dev/null`` Textual would read nothing, forever, at full CPU)."""
    for name, stream in (("input", sys.stdin), ("output", sys.stdout)):
        if stream is None or not stream.isatty():
            return (
                f"the app needs a terminal, and standard {name} is not one "
                "(the other commands, such as `trackside presets`, work in pipes)"
            )
    return None


class Refused(Exception):
    """The app cannot start for a reason the runner can fix: one line, exit code 2."""


def run_app(args: argparse.Namespace) -> int:
    """Run the app for ``args`` (``preset``, ``loaded_preset``, ``audio``, ``countdown``,
    ``theme``, and ``resume_id`` from ``trackside resume``) and return the exit code."""
    try:
        return _run(args)
    except Refused as refused:
        print(f"trackside: {refused}", file=sys.stderr)
        return EXIT_USAGE


def _run(args: argparse.Namespace) -> int:
    settings, writable, problems = read_settings()
    for line in problems:  # shown on the first screen; here too, read after the app
        print(f"trackside: {line}", file=sys.stderr)
    settings = with_options(settings, args)
    problem = audio_problem(settings.audio_backend)
    if problem is not None:
        raise Refused(problem)
    try:
        preset, library = preset_or_library(args)
    except PresetError as error:
        raise Refused("; ".join(error.lines)) from None
    clock = SessionClock()  # counts a suspend: see core/clock.py
    history = history_at_start(getattr(args, "resume_id", None) is not None, clock)
    if isinstance(history, str):
        raise Refused(history)
    problem = terminal_problem()  # last: a wrong preset or nothing to resume is said in a pipe
    if problem is not None:
        if history.store is not None:
            history.store.close()
        raise Refused(problem)
    ref: str | None = getattr(args, "preset", None)
    lineup: LineUp | None = getattr(args, "lineup", None)
    textual_fixes.apply()
    app = TracksideApp(
        clock=clock,
        library=library,
        preset=preset if lineup is None else None,  # a group runs from its line-up
        preset_id=preset_id_of(ref) if ref is not None else None,
        settings=settings,
        config_path=writable,
        audio_factory=audio_factory(settings),
        history=history,
        settings_problems=problems,
        find_library=load_library,
        coach=CoachStart(lineup=lineup, rosters=saved_rosters),
    )
    try:
        app.run()
    finally:
        _close_history(app, history.store)
    return app.return_code or 0


def _close_history(app: TracksideApp, store: HistoryStore | None) -> None:
    """Each session's last unsaved actions get a last try; what still failed is said here, on
    the terminal, once the full screen is gone. Then the file is closed."""
    for line in app.history.close():
        print(f"trackside: {visible(line)}", file=sys.stderr)
    if store is not None:
        store.close()
