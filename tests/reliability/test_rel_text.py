"""Terminal-safe text: no control or bidi character from a preset, a setting, the history or a
path reaches the terminal raw, from the command line or the app; user text is never markup.

Every C0 and C1 control, DEL and every bidi override and isolate goes into every text field of
a preset in the user presets folder (and into a TOML key, a note, a path), then through
``presets``, ``show``, ``show --json`` (exact text back), ``validate``, ``history``, ``history
N`` and ``export`` on standard output, and through the app's screens rendered headless, whose
segments are walked character by character. Hypothesis mixes them with ordinary text; one fixed
case puts all of them in every field at once, through the real program in a subprocess.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rel_support import stored_session
from textual.pilot import Pilot

from trackside.__main__ import main
from trackside.audio import RecordingPlayer
from trackside.core.clock import FakeClock
from trackside.history.problems import HistoryProblem
from trackside.history.service import HistoryAtStart
from trackside.history.store import HistoryStore
from trackside.presets.loader import load_library, load_preset
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.history import HistoryScreen, SessionDetailScreen
from trackside.tui.screens.picker import PickerScreen
from trackside.tui.screens.ready import ReadyScreen
from trackside.tui.screens.session import SessionScreen
from trackside.tui.screens.summary import SummaryScreen

REPO = Path(__file__).resolve().parents[2]
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
UNSAFE = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]) + BIDI
"""Every character that must never reach a terminal raw: C0, DEL, C1, bidi."""
FIELDS = (
    "name",
    "description",
    "designed_for",
    "periodization",
    "warmup_activity",
    "warmup_note",
    "effort",
    "work_note",
    "activity",
    "recovery_note",
    "cooldown_activity",
    "cooldown_note",
)
EVERYTHING = dict.fromkeys(FIELDS, "x" + UNSAFE)
"""Every unsafe character in every field at once."""
MARKUP = "[/] [b]bold[/b] [red]x[/red] [@click=app.quit]q[/]"


def raw_controls(text: str, *, crlf: bool = False) -> set[str]:
    """The characters in ``text`` a terminal would act on (a line feed is a line break; with
    ``crlf``, a CR before it is too: CSV's line end)."""
    if crlf:
        text = text.replace("\r\n", "\n")
    return {
        char
        for char in text
        if char != "\n" and (unicodedata.category(char) == "Cc" or char in BIDI)
    }


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, every control and bidi character as ``\\uXXXX``."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char in UNSAFE:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def preset_text(fields: dict[str, str]) -> str:
    """A valid preset with ``fields`` in its text fields (warm-up, two reps, cool-down)."""
    f = {key: toml_string(value) for key, value in fields.items()}
    return f"""\
name = {f["name"]}
description = {f["description"]}
designed_for = {f["designed_for"]}
periodization = {f["periodization"]}
warmup = {{ activity = {f["warmup_activity"]}, note = {f["warmup_note"]}, time = "1:00" }}
cooldown = {{ activity = {f["cooldown_activity"]}, note = {f["cooldown_note"]} }}

[[block]]
reps = 2
work = {{ distance = "400m", effort = {f["effort"]}, note = {f["work_note"]} }}
recovery = {{ distance = "200m", activity = {f["activity"]}, note = {f["recovery_note"]}, \
min = "0:10", max = "0:20" }}
"""


def broken_text(key: str, value: str) -> str:
    """A broken preset: an unknown key named ``key``, a distance that is not one."""
    return (
        f"name = {toml_string(value)}\n{toml_string(key)} = 1\n\n[[block]]\n"
        f"work = {{ distance = {toml_string('400m' + value)} }}\n"
    )


@contextlib.contextmanager
def folders(root: Path) -> Iterator[tuple[Path, Path]]:
    """Config and data folders under ``root`` for ``trackside``, as its environment says."""
    names = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")
    before = {name: os.environ.get(name) for name in names}
    for name in names:
        os.environ[name] = str(root / name.lower())
    try:
        yield root / "xdg_config_home" / "trackside" / "presets", root / "xdg_data_home"
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run(*argv: str) -> tuple[int, str, str]:
    """``trackside ARGV`` in this process: exit code, standard output and error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def check_commands(presets: Path, data: Path, fields: dict[str, str], key: str) -> None:
    """Every command that shows the preset or its session: nothing raw reaches the output, and
    ``show --json`` and ``export --format json`` give the exact text back."""
    evil, broken = presets / "evil.toml", presets / "broken.toml"
    outputs = [
        run("presets"),
        run("show", "evil"),
        run("validate", str(evil), str(broken)),
        run("show", str(broken)),
        run("history"),
        run("history", "1"),
        run("export", "--format", "csv"),
    ]
    for code, out, err in outputs:
        assert code in (0, 2), err
        assert not raw_controls(out, crlf=True), out
        assert not raw_controls(err), err
    assert "unknown key" in outputs[2][1]  # the key was named, made visible
    code, out, err = run("show", "evil", "--json")
    assert code == 0, err
    assert not raw_controls(out)
    shown = json.loads(out)
    # The preset's own text, as its model keeps it (edges trimmed as Unicode white space: not
    # str.strip, which also takes U+001C to U+001F).
    preset = load_preset(evil)
    assert shown["name"] == preset.name == fields["name"][: len(preset.name)]
    assert shown["steps"][1]["effort"] == preset.to_plan().steps[1].effort
    code, out, err = run("export", "--format", "json")
    assert code == 0, err
    assert not raw_controls(out)
    (session,) = json.loads(out)["sessions"]
    assert session["preset_name"] == preset.name
    assert session["note"].startswith("n")
    assert session["note"] in "n" + fields["work_note"]


unsafe_text = st.text(
    alphabet=st.sampled_from(UNSAFE + "ab é日[/]\\"), min_size=0, max_size=30
).map(lambda text: "x" + text)
examples = itertools.count()


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(fields=st.fixed_dictionaries(dict.fromkeys(FIELDS, unsafe_text)), key=unsafe_text)
@example(fields=EVERYTHING, key="x" + UNSAFE)
def test_no_control_from_a_preset_reaches_the_command_lines_output(
    tmp_path: Path, fields: dict[str, str], key: str
) -> None:
    with folders(tmp_path / f"example-{next(examples)}") as (presets, data):
        presets.mkdir(parents=True)
        (presets / "evil.toml").write_text(preset_text(fields), encoding="utf-8")
        (presets / "broken.toml").write_text(broken_text(key, fields["name"]), encoding="utf-8")
        stored_session(data, presets / "evil.toml", "n" + fields["work_note"])
        check_commands(presets, data, fields, key)


def test_every_control_in_every_field_through_the_real_program(tmp_path: Path) -> None:
    """The fixed case in a real process: the bytes written to the pipes hold no ESC, no C1
    control in UTF-8, no bidi character."""
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    presets = tmp_path / "config" / "trackside" / "presets"
    presets.mkdir(parents=True)
    (presets / "evil.toml").write_text(preset_text(EVERYTHING), encoding="utf-8")
    (presets / "broken.toml").write_text(broken_text("x" + UNSAFE, "x" + UNSAFE))
    stored_session(tmp_path / "data", presets / "evil.toml", "note " + UNSAFE)
    commands = [
        ["presets"],
        ["show", "evil"],
        ["show", "evil", "--json"],
        ["validate", str(presets / "evil.toml"), str(presets / "broken.toml")],
        ["history"],
        ["history", "1"],
        ["export", "--format", "csv"],
        ["export", "--format", "json"],
        ["run", str(presets / "broken.toml")],
    ]
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-m", "trackside", *command],
            capture_output=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert done.returncode in (0, 2), (command, done.stderr)
        assert b"Traceback" not in done.stderr, done.stderr
        for stream in (done.stdout, done.stderr):
            text = stream.decode("utf-8")
            assert not raw_controls(text, crlf=True), (command, text[:300])
            assert b"\x1b" not in stream


# -- the app -----------------------------------------------------------------------------------


def painted(app: TracksideApp) -> str:
    """Every character of every segment the screen renders now (toasts included)."""
    strips = app.screen._compositor.render_strips()
    return "".join(segment.text for strip in strips for segment in strip)


def assert_safe(app: TracksideApp, where: str) -> str:
    shown = painted(app)
    found = raw_controls(shown)
    assert not found, f"{where}: raw {sorted(map(hex, map(ord, found)))} painted"
    return shown


async def walk_the_app(app: TracksideApp, clock: FakeClock, pilot: Pilot[int]) -> None:
    """The picker (the preset highlighted), a notice, Ready, a session, the summary, the
    history and the session in it: each screen's segments checked."""
    await pilot.pause()
    assert isinstance(app.screen, PickerScreen)
    await pilot.press("down")  # the evil preset sorts after 21x400m ("x..." names)
    assert_safe(app, "picker")
    app.history.tell(HistoryProblem(f"cannot open /tmp/{MARKUP}/\x1b]0;t\x07/history.db"))
    await pilot.pause()
    shown = assert_safe(app, "notice")  # the toast wraps: each piece of markup shown as is
    assert all(piece in shown for piece in MARKUP.split()), shown
    await pilot.press("enter")
    assert isinstance(app.screen, ReadyScreen)
    assert_safe(app, "ready")
    await pilot.press("space")
    # The warm-up, rep 1, its recovery (the window open, then past its end), rep 2, cool-down.
    for key in ("s", "space", None, "space", "space"):
        assert isinstance(app.screen, SessionScreen)
        clock.advance(12.0)
        app.screen.tick()
        await pilot.pause()
        assert_safe(app, "session")
        if key is not None:
            await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, SummaryScreen)
    await pilot.press("7", "n", *"ok", "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert_safe(app, "summary")
    await pilot.press("escape")
    app.action_history()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, HistoryScreen)
    assert_safe(app, "history")
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, SessionDetailScreen)
    assert_safe(app, "history detail")


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(fields=st.fixed_dictionaries(dict.fromkeys(FIELDS, unsafe_text)))
@example(fields={**EVERYTHING, "name": "x" + MARKUP + UNSAFE})
def test_no_control_from_a_preset_reaches_the_screens(
    tmp_path: Path, fields: dict[str, str]
) -> None:
    import asyncio

    root = tmp_path / f"app-{next(examples)}" / "[" / "]"  # markup in the path: "[/]"
    presets = root / "presets"
    presets.mkdir(parents=True)
    (presets / "evil.toml").write_text(preset_text(fields), encoding="utf-8")
    (presets / "broken.toml").write_text(broken_text("x" + UNSAFE, fields["name"]))
    library = load_library(REPO / "presets" / "none", presets)
    store = HistoryStore(root / "history.db")
    clock = FakeClock()
    app = TracksideApp(
        clock=clock,
        library=library,
        settings=Settings(countdown_s=0),
        audio=RecordingPlayer(),
        history=HistoryAtStart(store),
    )

    async def drive() -> None:
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await walk_the_app(app, clock, pilot)

    try:
        asyncio.run(drive())
    finally:
        store.close()
