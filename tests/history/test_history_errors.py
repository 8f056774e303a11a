"""The one line a runner reads about a history file that cannot be written: what is wrong, in
words that say what to do (a full disk and a file-size limit are not "disk I/O errors")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from trackside.history.sqlfile import describe

SQLITE_IOERR_WRITE, SQLITE_IOERR_SHMSIZE, SQLITE_FULL = 778, 4874, 13


def error(text: str, code: int) -> sqlite3.OperationalError:
    raised = sqlite3.OperationalError(text)
    raised.sqlite_errorcode = code  # type: ignore[attr-defined]
    return raised


@pytest.mark.parametrize("code", [SQLITE_IOERR_WRITE, SQLITE_IOERR_SHMSIZE])
def test_an_io_error_with_room_on_the_disk_is_a_disk_error(tmp_path: Path, code: int) -> None:
    # tmp_path has room and no file-size limit is set: not put down to a full disk.
    line = describe(error("disk I/O error", code), tmp_path / "history.db")
    assert line == f"disk error on history file {tmp_path / 'history.db'} (disk I/O error)"


def test_sqlite_full_with_room_left_still_says_full(tmp_path: Path) -> None:
    line = describe(error("database or disk is full", SQLITE_FULL), tmp_path / "history.db")
    assert line == f"the disk holding history file {tmp_path / 'history.db'} is full"
