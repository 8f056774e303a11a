"""Export never destroys: ``export -o``, ``export --format fit -o FILE|FOLDER`` (``--all`` too)
and ``convert SOURCE DEST`` refuse an existing file unless ``--force``, never write to the
history file or its ``-wal``/``-shm`` (after resolving links, ``--force`` or not), and write to
a temporary name then rename, so a failure half-way leaves the target as it was.

A real history file, the real program as a process, real files and links.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from rel_records import Home, contents, history, one_line
from rel_support import fill, small_disk

OLD = b"the runner's own notes, not to be lost\n"


@pytest.fixture
def home(tmp_path: Path) -> Home:
    found = Home(tmp_path)
    history(found.db, sessions=3)
    return found


def _sides(home: Home) -> dict[str, Path]:
    """The history and the files SQLite keeps beside it (a -wal and -shm held open)."""
    return {side: home.db.with_name(home.db.name + side) for side in ("", "-wal", "-shm")}


def _history_untouched(home: Home, before: dict[str, list[tuple[object, ...]]]) -> None:
    assert contents(home.db) == before
    conn = sqlite3.connect(home.db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


EXPORTS: dict[str, Callable[[Path], list[str]]] = {
    "csv": lambda target: ["export", "--all", "-o", str(target)],
    "json": lambda target: ["export", "--format", "json", "-o", str(target)],
    "fit": lambda target: ["export", "--format", "fit", "-o", str(target)],
    "convert": lambda target: ["convert", "21x400m", str(target), "--to", "fit"],
}


@pytest.mark.parametrize("command", EXPORTS)
def test_an_existing_file_is_kept_unless_force(home: Home, command: str) -> None:
    target = home.root / "out.file"
    target.write_bytes(OLD)
    refused = home.run(*EXPORTS[command](target))
    assert refused.returncode == 2
    assert one_line(refused.stderr).endswith("out.file: it exists; --force replaces it")
    assert target.read_bytes() == OLD
    inode = target.stat().st_ino
    done = home.run(*EXPORTS[command](target), "--force")
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() not in (OLD, b"")
    assert target.stat().st_ino != inode, "written beside it, then renamed over it"
    assert _leftovers(home.root) == []


@pytest.mark.parametrize("command", EXPORTS)
@pytest.mark.parametrize("side", ["", "-wal", "-shm"])
@pytest.mark.parametrize("how", ["named", "symlink", "hard link"])
def test_the_history_is_never_written(home: Home, command: str, side: str, how: str) -> None:
    keeper = sqlite3.connect(home.db)  # holds the -wal and -shm open, as a running window does
    keeper.execute("PRAGMA journal_mode=WAL")
    keeper.execute("SELECT count(*) FROM sessions").fetchone()
    try:
        real = _sides(home)[side]
        assert real.exists()
        if how == "named":
            target = real
        elif how == "symlink":
            target = home.root / "splits.csv"
            target.symlink_to(real)
        else:
            target = home.root / "splits.csv"
            os.link(real, target)
        before, raw = contents(home.db), home.db.read_bytes()
        for force in ((), ("--force",)):
            refused = home.run(*EXPORTS[command](target), *force)
            assert refused.returncode == 2, refused.stderr
            assert "it is the history (" in one_line(refused.stderr)
        assert home.db.read_bytes() == raw
        _history_untouched(home, before)
        assert _leftovers(home.db.parent) == []
    finally:
        keeper.close()


def test_fit_into_a_folder_refuses_a_file_already_there(home: Home) -> None:
    folder = home.root / "watch"
    first = home.run("export", "--format", "fit", "--all", "-o", str(folder))
    assert first.returncode == 0, first.stderr
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == 3
    mine = folder / written[1]
    mine.write_bytes(OLD)
    (folder / written[0]).unlink()
    (folder / written[2]).unlink()
    again = home.run("export", "--format", "fit", "--all", "-o", str(folder))
    assert again.returncode == 2
    assert one_line(again.stderr).endswith(f"{written[1]}: it exists; --force replaces it")
    assert mine.read_bytes() == OLD
    assert sorted(p.name for p in folder.iterdir()) == [written[1]], "nothing written"
    one = home.run("export", "--format", "fit", "2", "-o", str(folder))
    assert one.returncode == 2, "-o FOLDER for one session: the same rule"
    forced = home.run("export", "--format", "fit", "--all", "-o", str(folder), "--force")
    assert forced.returncode == 0, forced.stderr
    assert sorted(p.name for p in folder.iterdir()) == written
    assert mine.read_bytes() != OLD


def test_a_failure_half_way_leaves_the_target_as_it_was(home: Home, tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 256) as disk:
        target = disk / "splits.csv"
        target.write_bytes(OLD)
        fill(disk, leave=4096)  # room for a little, not for three whole sessions
        done = home.run("export", "--all", "-o", str(target), "--force")
        assert done.returncode == 2
        assert one_line(done.stderr).endswith("splits.csv: cannot write it: the disk is full")
        assert target.read_bytes() == OLD
        assert _leftovers(disk) == []


def test_convert_to_standard_output_is_unchanged(home: Home) -> None:
    done = home.run("convert", "21x400m", "-", "--to", "txt")
    assert done.returncode == 0, done.stderr
    assert "400m" in done.stdout
