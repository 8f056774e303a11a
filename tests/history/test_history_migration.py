"""A history written by an older trackside opens in this one with everything it held.

The file is ``fixtures/history-v1.db``, written by the schema-1 code itself
(``fixtures/make_v1_history.py``, at commit 6127796), and ``fixtures/history-v1.json`` is what
that code read back from it: every session, action, rating and note, and the figures its views
derived. Each test works on a copy in ``tmp_path``; the committed file is never opened.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from trackside.history.planjson import plan_from_json
from trackside.history.store import HistoryStore

FIXTURES = Path(__file__).parent / "fixtures"
MANIFEST: dict[str, Any] = json.loads((FIXTURES / "history-v1.json").read_text())
OLD = {session["id"]: session for session in MANIFEST["sessions"]}


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    """A copy of the schema-1 history, as a runner upgrading would have it."""
    folder = tmp_path / "trackside"
    folder.mkdir()
    copy = folder / "history.db"
    shutil.copyfile(FIXTURES / "history-v1.db", copy)
    return copy


def test_the_fixture_is_the_old_schema() -> None:
    assert MANIFEST["schema"] == 1
    statuses = {session["status"] for session in MANIFEST["sessions"]}
    assert statuses == {"completed", "ended-early", "discarded", "running"}
    kinds = {action[1] for session in MANIFEST["sessions"] for action in session["actions"]}
    assert kinds == {"start", "mark", "pause", "resume", "undo", "skip", "go_now", "end"}


def test_every_session_action_rating_and_note_is_kept(old_file: Path) -> None:
    with HistoryStore(old_file) as store:
        stored = {s.id: s for s in store.sessions(include_discarded=True)}
        assert sorted(stored) == sorted(OLD)
        for session_id, old in OLD.items():
            new = stored[session_id]
            assert new.preset_id == old["preset_id"]
            assert new.preset_name == old["preset_name"]
            assert new.plan == plan_from_json(MANIFEST["plans"][old["plan"]])
            assert (new.countdown_s, new.exertion) == (old["countdown_s"], old["exertion"])
            assert (new.started_wall, new.ended_at) == (old["started_wall"], old["ended_at"])
            assert (new.status.value, new.rating, new.note) == (
                old["status"],
                old["rating"],
                old["note"],
            )
            actions = [
                [a.seq, a.action.kind.value, a.action.at, a.wall] for a in store.actions(session_id)
            ]
            assert actions == old["actions"]
