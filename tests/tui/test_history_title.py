"""What the History screen's title counts: a runner's sessions and coaches' groups apart."""

from __future__ import annotations

from trackside.history.group_views import Entries
from trackside.tui.screens.history import counted


def test_a_group_is_counted_as_a_group_not_as_its_athletes_sessions() -> None:
    assert counted(Entries(0, 0)) == "0 sessions"
    assert counted(Entries(1, 0)) == "1 session"
    assert counted(Entries(0, 1)) == "1 group"
    assert counted(Entries(1234, 2)) == "1,234 sessions, 2 groups"
    assert Entries(1234, 2).lines == 1236
