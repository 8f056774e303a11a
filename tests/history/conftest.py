"""Fixtures for the history tests: a real SQLite file in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from trackside.history.store import HistoryStore


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    folder = tmp_path / "trackside"
    folder.mkdir()
    return folder / "history.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[HistoryStore]:
    history = HistoryStore(db_path)
    yield history
    history.close()
