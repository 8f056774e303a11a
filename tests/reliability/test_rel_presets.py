"""Bad presets: over 500 mutants of the shipped library load or give one clear line per problem.

Never a traceback, never a hang: in the loader, in the library scan, in ``trackside validate``
and in the picker, which lists the broken ones with their error and still runs a good one.
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from rel_mutants import Generator, Mutant
from rel_support import BUILTIN, deadline, make_rig
from textual.widgets import OptionList

from trackside.core.events import Phase
from trackside.presets.loader import PresetError, load_library, load_preset, parse_preset
from trackside.presets.models import MAX_STEPS
from trackside.tui.screens.picker import PickerScreen
from trackside.tui.screens.ready import ReadyScreen
from trackside.tui.screens.session import SessionScreen

CASES = Generator().cases()
PER_CASE_S = 5.0
"""Generous on a busy machine; a hang is forever."""


def place(mutant: Mutant, folder: Path) -> Path:
    """Put the case where the loader will look for ``<name>.toml``."""
    path = folder / f"{mutant.name}.toml"
    if mutant.kind == "file":
        path.write_bytes(mutant.content)
    elif mutant.kind == "dir":
        path.mkdir()
        (path / "inside.toml").write_bytes(mutant.content)
    elif mutant.kind == "fifo":
        os.mkfifo(path)  # opening it for reading would block: the loader must not
    elif mutant.kind == "dangling":
        path.symlink_to(folder / "nowhere.toml")
    elif mutant.kind == "loop":
        path.symlink_to(path)
    elif mutant.kind == "unreadable":
        path.write_bytes(mutant.content)
        path.chmod(0)
    return path


def problems_with(lines: tuple[str, ...], path: Path) -> list[str]:
    """What is wrong with a loader's error lines (nothing, if they are what a runner should get)."""
    found = []
    if not lines:
        found.append("an error with no lines")
    for line in lines:
        if "\n" in line or "\r" in line:
            found.append(f"not one line: {line!r}")
        if not line.startswith(f"{path}: ") or len(line) <= len(f"{path}: "):
            found.append(f"does not name the file first: {line!r}")
        if "Traceback" in line or "pydantic" in line.lower() or "errors.pydantic" in line:
            found.append(f"internals leak: {line!r}")
        if len(line) > len(str(path)) + 300:
            found.append(f"too long to read: {line[:120]!r}...")
    return found


def attempt(path: Path) -> tuple[str, list[str]]:
    """Load ``path``: ``("ok"|"error", problems)``; anything else is a problem."""
    try:
        with deadline(PER_CASE_S):
            preset = load_preset(path)
            plan = preset.to_plan()
    except PresetError as error:
        return "error", problems_with(error.lines, path)
    except Exception as error:  # the point of the test: nothing else may come out
        return "crash", [f"{type(error).__name__}: {error}"]
    problems = []
    if not 0 < len(plan.steps) <= MAX_STEPS:
        problems.append(f"loaded with {len(plan.steps)} steps")
    for step in plan.steps:
        for value in (step.time_s, step.min_s, step.max_s, step.distance_m):
            if value is not None and not (math.isfinite(value) and value > 0):
                problems.append(f"loaded with a step value {value!r}")
    return "ok", problems


@pytest.fixture(scope="module")
def library_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mutants")
    for mutant in CASES:
        if mutant.kind != "unreadable":  # root reads it anyway; see its own test
            place(mutant, folder)
    return folder


def test_the_generator_is_deterministic_and_makes_over_500_cases() -> None:
    again = Generator().cases()
    digest = [hashlib.sha256(m.content).hexdigest() + m.kind for m in CASES]
    assert digest == [hashlib.sha256(m.content).hexdigest() + m.kind for m in again]
    assert len({m.name for m in CASES}) == len(CASES) >= 500
    assert len(set(digest)) > 400, "the mutants are mostly distinct"


@pytest.mark.parametrize("family", sorted({m.family for m in CASES}))
def test_every_mutant_loads_or_gives_one_line_per_problem(family: str, library_dir: Path) -> None:
    outcomes: Counter[str] = Counter()
    failures = []
    for mutant in (m for m in CASES if m.family == family and m.kind != "unreadable"):
        outcome, problems = attempt(library_dir / f"{mutant.name}.toml")
        outcomes[outcome] += 1
        failures += [f"{mutant.name}: {problem}" for problem in problems]
    assert failures == [], "\n".join(failures[:40])
    assert outcomes["error"] > 0, f"{family}: no mutant was rejected ({outcomes})"


def test_the_library_lists_every_broken_file_with_its_error(library_dir: Path) -> None:
    with deadline(60):
        entries = load_library(BUILTIN, library_dir)
    by_id = {entry.id: entry for entry in entries}
    placed = [m for m in CASES if m.kind != "unreadable"]
    assert {m.name for m in placed} <= set(by_id)
    for entry in entries:
        if entry.source == "user" and not entry.ok:
            assert problems_with(entry.errors, entry.path) == []
    assert "is a directory" in by_id["fs-dir"].errors[0]
    assert "not a regular file" in by_id["fs-fifo"].errors[0]
    assert "no such file" in by_id["fs-dangling"].errors[0]
    assert "cannot read it" in by_id["fs-loop"].errors[0]
    assert "empty file" in by_id["fixed-empty"].errors[0]
    assert "too large" in by_id["fixed-too-large"].errors[0]
    assert "not UTF-8" in by_id["fixed-binary"].errors[0]
    broken = sum(1 for entry in entries if not entry.ok)
    assert broken > 400, "most mutants are broken"


def test_validate_prints_one_line_per_problem_and_no_traceback(library_dir: Path) -> None:
    files = sorted(str(path) for path in library_dir.iterdir())
    done = subprocess.run(
        [sys.executable, "-m", "trackside", "validate", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    named = [line for line in lines if any(line.startswith(f) for f in files)]
    # Every line names a file (a summary line at the end may count them).
    assert len(named) >= len(lines) - 2, [line for line in lines if line not in named][:5]
    assert len({line.split(": ", 1)[0] for line in named}) > 400


@pytest.mark.parametrize(
    ("distance", "expected"),
    [("4" * 400 + "m", "at most 100km"), ("400" + "a" * 300, "unknown unit"), ("x" * 999, "like")],
)
def test_an_absurd_distance_is_a_short_line_that_says_what_is_wrong(
    distance: str, expected: str
) -> None:
    text = f'name = "x"\n[[block]]\nwork = {{ distance = "{distance}" }}\n'
    with pytest.raises(PresetError) as raised:
        parse_preset(text, "x.toml")
    (line,) = raised.value.lines
    assert expected in line
    assert len(line) < 150


def _nobody_can_reach(folder: Path) -> bool:
    return all(os.stat(p).st_mode & 0o001 for p in [folder, *folder.parents])


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv (util-linux)")
def test_an_unreadable_file_is_one_line_not_a_crash() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to run the loader as another user")
    with tempfile.TemporaryDirectory(prefix="trackside-unreadable-") as name:
        folder = Path(name)
        folder.chmod(0o755)
        if not _nobody_can_reach(folder) or not _nobody_can_reach(Path(sys.executable).parent):
            pytest.skip("the user nobody cannot reach the temp folder or the venv")
        path = place(next(m for m in CASES if m.kind == "unreadable"), folder)
        code = textwrap.dedent(
            """
            import sys
            from pathlib import Path
            from trackside.presets.loader import PresetError, load_library, load_preset
            try:
                load_preset(sys.argv[1])
            except PresetError as error:
                print(repr(error.lines))
            folder = Path(sys.argv[2])
            print(repr([e.errors for e in load_library(folder, folder) if e.source == "user"]))
            """
        )
        done = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable]
            + ["-c", code, str(path), str(folder)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "HOME": str(folder), "XDG_CONFIG_HOME": str(folder)},
        )
        if "Permission denied" in done.stderr and "python" in done.stderr.lower():
            pytest.skip("the user nobody cannot run this Python")
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        first, listed = done.stdout.splitlines()
        expected = f"{path}: cannot read it (permission denied)"
        assert first == repr((expected,))
        assert listed == repr([(expected,)])


async def test_the_picker_lists_broken_presets_and_still_runs_a_good_one(
    library_dir: Path, tmp_path: Path
) -> None:
    # A library of the shipped presets and a sample of every family of mutant.
    user = tmp_path / "presets"
    user.mkdir()
    sample = [m for m in CASES if m.kind != "unreadable"][::9]
    for mutant in sample:
        place(mutant, user)
    entries = load_library(BUILTIN, user)
    broken = [i for i, entry in enumerate(entries) if not entry.ok]
    assert len(broken) > 20
    rigged = make_rig(entries=entries, countdown_s=0)
    async with rigged.app.run_test(size=(120, 40)) as pilot:
        picker = rigged.app.screen
        assert isinstance(picker, PickerScreen)
        options = picker.query_one(OptionList)
        assert options.option_count == len(entries)
        for index in broken[:: max(1, len(broken) // 12)]:
            options.highlighted = index
            await pilot.pause()
            prompt = str(options.get_option_at_index(index).prompt)
            assert f"! {entries[index].id} (broken)" in prompt
            shown = str(picker.query_one("#preview").render())
            assert "has errors and cannot run" in shown
            assert entries[index].errors[0].split(": ", 1)[1][:60] in shown
            await pilot.press("enter")
            assert rigged.app.screen is picker, f"broken {entries[index].id} started"
        good = next(i for i, entry in enumerate(entries) if entry.ok and entry.id == "21x400m")
        options.highlighted = good
        await pilot.press("enter")
        assert isinstance(rigged.app.screen, ReadyScreen)
        await pilot.press("space")
        assert isinstance(rigged.app.screen, SessionScreen)
        assert rigged.app.runner is not None
        rigged.clock.advance(75)
        await pilot.press("space")
        assert rigged.app.runner.session.running_phase is Phase.RECOVERY
        assert len(rigged.app.runner.session.splits()) == 1
