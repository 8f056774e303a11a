"""``trackside convert SOURCE DEST`` and ``trackside import FILE``: workouts in and out.

A workout is a preset (a ``.toml`` file or a preset id), a FIT workout (``.fit``) or
intervals.icu workout text (``.txt``); the format follows the extension, or ``--from`` and
``--to``. ``import`` converts into the user presets folder and prints the new preset's id. The
converters (:mod:`trackside.interop`, and through them ``garmin_fit_sdk``) are imported inside
the handlers: nothing else in trackside loads them.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from trackside.cli import EXIT_OK, CommandError, Commands
from trackside.cli.outfile import write_bytes

if TYPE_CHECKING:
    from trackside.interop.workout import Workout

FORMATS = ("toml", "fit", "txt")
"""A preset, a FIT workout, intervals.icu workout text: also the files' extensions."""
MAX_INPUT_BYTES = 1_000_000
"""A workout file is a few kB; a larger one is refused unread."""
STDOUT = "-"


def register(commands: Commands) -> None:
    """Add the ``convert`` and ``import`` commands."""
    convert = commands.add_parser(
        "convert",
        help="convert a workout between a preset, FIT and intervals.icu text",
        description="Convert a workout: a preset (.toml file or preset id), a FIT workout (.fit, "
        "for a Garmin watch) or intervals.icu workout text (.txt). The format follows the "
        "extension, or --from and --to. DEST '-' writes to standard output. An existing DEST is "
        "kept unless --force; the history file never is written.",
    )
    convert.add_argument("source", metavar="SOURCE", help="a preset id, or a .toml, .fit or .txt")
    convert.add_argument("dest", metavar="DEST", help="the file to write (.toml, .fit or .txt)")
    convert.add_argument("--from", dest="source_format", choices=FORMATS, help="SOURCE's format")
    convert.add_argument("--to", dest="dest_format", choices=FORMATS, help="DEST's format")
    convert.add_argument("--force", action="store_true", help="replace DEST if it exists")
    convert.set_defaults(handler=cmd_convert)

    imported = commands.add_parser(
        "import",
        help="add a workout (.fit, .txt or .toml) to your presets",
        description="Convert a FIT workout or intervals.icu text into a preset in your presets "
        "folder (a .toml is checked and copied) and print its id. An existing preset with the "
        "same id is kept unless --force.",
    )
    imported.add_argument("file", metavar="FILE", help="a .fit, .txt or .toml file")
    imported.add_argument(
        "--id", dest="preset_id", metavar="ID", help="the new preset's id (default: FILE's name)"
    )
    imported.add_argument("--from", dest="source_format", choices=FORMATS, help="FILE's format")
    imported.add_argument("--force", action="store_true", help="replace a preset with that id")
    imported.set_defaults(handler=cmd_import)


def cmd_convert(args: argparse.Namespace) -> int:
    """Read SOURCE, write DEST in the other format, tell what did not carry over."""
    source_format = args.source_format or _format_of(args.source, preset_id_ok=True)
    dest_format = args.dest_format or _format_of(args.dest, preset_id_ok=False)
    workout = read_workout(args.source, source_format)
    data = render(workout, dest_format, args.source, args.dest)
    if args.dest == STDOUT:
        if dest_format == "fit" and sys.stdout.isatty():
            raise CommandError(["trackside: a FIT file is binary: give a file name, not -"])
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return EXIT_OK
    write_bytes(Path(args.dest), data, force=args.force)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """Convert FILE into the presets folder; print the new id."""
    from trackside.presets.loader import library_files, user_presets_dir

    source_format = args.source_format or _format_of(args.file, preset_id_ok=False)
    preset_id = _preset_id(args.preset_id or Path(args.file).name, from_name=not args.preset_id)
    folder = user_presets_dir()
    if folder is None:
        raise CommandError(["trackside: your presets folder cannot be created (read-only?)"])
    existing = library_files(user_dir=folder).get(preset_id)
    if existing is not None and not args.force:
        raise CommandError(
            [
                f'trackside: a preset with id "{preset_id}" exists ({existing}); '
                "--force replaces it, --id ID names this one"
            ]
        )
    if source_format == "toml":
        data = _checked_copy(args.file)
    else:
        data = render(read_workout(args.file, source_format), "toml", args.file, args.file)
    target = folder / f"{preset_id}.toml"
    write_bytes(target, data, force=True)  # an existing one: refused above, or --force
    print(preset_id)
    print(f"saved as {target}; `trackside run {preset_id}` runs it", file=sys.stderr)
    return EXIT_OK


def read_workout(ref: str, fmt: str) -> Workout:
    """The workout in ``ref`` (a file, or a preset id for ``toml``); its notices told."""
    from trackside.interop import InteropError

    if fmt == "toml":
        return _preset_workout(ref)
    data = read_bytes(ref)
    try:
        if fmt == "fit":
            from trackside.interop.fitworkout import read_workout as read_fit

            workout, notices = read_fit(data, ref)
        else:
            from trackside.interop.icuread import read_text

            workout, notices = read_text(_text(data, ref), ref, _name_of(ref))
    except InteropError as error:
        raise CommandError(error.lines) from None
    _tell(notices)
    return workout


def render(workout: Workout, fmt: str, source: str, dest: str) -> bytes:
    """The workout in ``fmt``, as the bytes of a file; what did not carry over is told, each
    line naming the file it is about (``source``'s lines, or ``dest``'s steps)."""
    from trackside.interop import InteropError

    try:
        if fmt == "fit":
            from trackside.interop.fitworkout import write_workout

            data, notices = write_workout(workout, int(time.time()))
            notices = [f"{dest}: {line}" for line in notices]
        elif fmt == "txt":
            from trackside.interop.icuwrite import write_text

            text, notices = write_text(workout)
            notices = [f"{source}: {line}" for line in notices]
            data = text.encode("utf-8")
        else:
            text, notices = _preset_text(workout, source)
            data = text.encode("utf-8")
    except InteropError as error:
        raise CommandError(error.lines) from None
    _tell(notices)
    return data


def _preset_text(workout: Workout, source: str) -> tuple[str, list[str]]:
    """Preset TOML, checked by the preset loader itself before anything is written."""
    from trackside.interop.presetfile import preset_toml
    from trackside.presets.loader import PresetError, parse_preset

    text, notices = preset_toml(workout, source)
    try:
        parse_preset(text, source)
    except PresetError as error:
        raise CommandError([f"{source}: cannot be made a preset:", *error.lines]) from None
    return text, notices


def _preset_workout(ref: str) -> Workout:
    from trackside.interop.workout import Workout
    from trackside.presets.loader import PresetError, resolve

    try:
        preset = resolve(ref)
    except PresetError as error:
        raise CommandError(error.lines) from None
    return Workout(preset.name, preset.to_plan().steps, preset.description)


def _checked_copy(file: str) -> bytes:
    """A preset file's own bytes (comments kept), once the loader has passed it."""
    from trackside.presets.loader import PresetError, parse_preset

    data = read_bytes(file)
    try:
        parse_preset(_text(data, file), file)
    except PresetError as error:
        raise CommandError(error.lines) from None
    return data


def read_bytes(file: str) -> bytes:
    """A whole input file, refused in one line if missing, unreadable or too large."""
    path = Path(file)
    try:
        if path.is_dir():
            raise CommandError([f"{file}: is a directory, not a workout file"])
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise CommandError([f"{file}: no such file"]) from None
    except OSError as error:
        raise CommandError([f"{file}: cannot read it ({error.strerror or error})"]) from None
    if len(data) > MAX_INPUT_BYTES:
        raise CommandError([f"{file}: too large for a workout (over {MAX_INPUT_BYTES} bytes)"])
    return data


def _text(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CommandError([f"{file}: line {line}: not UTF-8 text"]) from None


def _format_of(ref: str, *, preset_id_ok: bool) -> str:
    suffix = Path(ref).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if preset_id_ok and os.sep not in ref and "/" not in ref:
        return "toml"  # a preset id: the loader says if there is none
    raise CommandError(
        [f"{ref}: cannot tell its format from its name; use .toml, .fit or .txt, or --from/--to"]
    )


def _name_of(file: str) -> str:
    from trackside.interop.words import clean

    return clean(Path(file).stem, 200) or "Imported workout"


def _preset_id(name: str, *, from_name: bool) -> str:
    """A preset id from a file name (``Track Tuesday.fit`` -> ``Track-Tuesday``)."""
    stem = Path(name).stem if from_name else name
    ident = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-")[:64]
    if not ident:
        raise CommandError([f"trackside: {name!r} cannot be a preset id; give one with --id"])
    return ident


def _tell(notices: list[str]) -> None:
    for line in notices:
        print(line, file=sys.stderr)
