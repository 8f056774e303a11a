"""A coach's groups as the history shows them: one line a group in ``trackside history``, the
group's table in ``trackside history G3``, its athletes' sessions for ``export --group 3``.

Each athlete's figures are worked out from their own stored session, as the group's Summary
works them out (:mod:`trackside.core.group_results`), so the two agree.
"""

from __future__ import annotations

from typing import NamedTuple

from trackside.core.group_results import AthleteResult, athlete_result, group_table
from trackside.core.safe import visible
from trackside.history.groups import StoredGroup, stored_group
from trackside.history.resume import replay, session_now
from trackside.history.rows import is_wall
from trackside.history.store import HistoryError, HistoryStore, Status, StoredSession
from trackside.history.views import Overview, overviews

GROUP_PREFIX = "G"
"""How a group's id is written beside the sessions' plain numbers: ``G3``."""
_HOW = {Status.COMPLETED: "done", Status.ENDED_EARLY: "ended early", Status.RUNNING: "running"}


class GroupLine(NamedTuple):
    """One line of ``trackside history`` for a whole group."""

    id: int
    started_wall: float
    title: str
    athletes: int
    status: Status
    """Running if an athlete is; ended early if one ended so; else completed."""


def group_lines(store: HistoryStore, *, include_discarded: bool = False) -> list[GroupLine]:
    """Every group with an athlete's session shown, oldest first. Raises HistoryError."""
    shown = "1" if include_discarded else "sessions.status != 'discarded'"
    rows = store.fetch(
        "SELECT groups.id, groups.started_wall, groups.title, count(sessions.id), "
        "group_concat(DISTINCT sessions.status) FROM groups JOIN sessions "
        f"ON sessions.group_id = groups.id WHERE {shown} "
        "GROUP BY groups.id ORDER BY groups.started_wall, groups.id"
    )
    # A group's row read as hostile input (history.rows): one whose start is not a time is
    # left out of the list (`trackside history G3` says what is wrong with it).
    return [
        GroupLine(int(gid), float(wall), visible(str(title)), int(count), _status(str(statuses)))
        for gid, wall, title, count, statuses in rows
        if is_wall(wall)
    ]


_SHOWN_GROUP = (
    "EXISTS (SELECT 1 FROM sessions AS a WHERE a.group_id = groups.id AND a.status != 'discarded')"
)
_ENTRIES = (
    "SELECT 's' AS kind, id, started_wall FROM sessions "
    "WHERE status != 'discarded' AND group_id IS NULL "
    f"UNION ALL SELECT 'g', id, started_wall FROM groups WHERE {_SHOWN_GROUP}"
)


class Entries(NamedTuple):
    """What the History screen lists: sessions of a runner alone, and coaches' groups."""

    sessions: int
    groups: int

    @property
    def lines(self) -> int:
        """How many lines: a session a line, a group one line for all its athletes."""
        return self.sessions + self.groups


def count_entries(store: HistoryStore) -> Entries:
    """How many sessions and groups the History screen lists. Raises HistoryError."""
    kinds = dict(store.fetch(f"SELECT kind, count(*) FROM ({_ENTRIES}) GROUP BY kind"))
    return Entries(int(kinds.get("s", 0)), int(kinds.get("g", 0)))


def entry_page(store: HistoryStore, offset: int, limit: int) -> list[Overview | GroupLine]:
    """Lines ``offset`` to ``offset + limit`` of the History screen, newest first: sessions of
    a runner alone and groups. Raises HistoryError."""
    rows = store.fetch(f"{_ENTRIES} ORDER BY 3 DESC, 2 DESC LIMIT ? OFFSET ?", (limit, offset))
    session_ids = [int(i) for kind, i, _ in rows if kind == "s"]
    found: dict[tuple[str, int], Overview | GroupLine] = {}
    if session_ids:
        marks = ",".join("?" * len(session_ids))
        for line in overviews(store, f"sessions.id IN ({marks})", tuple(session_ids)):
            found["s", line.id] = line
    if any(kind == "g" for kind, _, _ in rows):
        for group in group_lines(store):
            found["g", group.id] = group
    return [found[kind, int(i)] for kind, i, _ in rows if (kind, int(i)) in found]


def _status(statuses: str) -> Status:
    found = set(statuses.split(","))
    for status in (Status.RUNNING, Status.ENDED_EARLY, Status.COMPLETED):
        if status.value in found:
            return status
    return Status.DISCARDED


def group_id_of(ref: str) -> int | None:
    """The group id ``G3`` (or ``g3``) names, or None if ``ref`` names no group."""
    if ref[:1].upper() == GROUP_PREFIX and ref[1:].isdigit():
        return int(ref[1:])
    return None


def athlete_sessions(store: HistoryStore, group_id: int) -> list[StoredSession]:
    """The group's athletes' sessions, in the athletes' order. Raises HistoryError."""
    stored_group(store, group_id)  # no such group: one line
    return store.sessions(group_id=group_id)


class GroupDetail(NamedTuple):
    """A group with each athlete's session and figures."""

    group: StoredGroup
    athletes: list[tuple[StoredSession, AthleteResult]]


def group_detail(store: HistoryStore, group_id: int) -> GroupDetail:
    """The group and every athlete's figures, from their stored actions. Raises HistoryError."""
    group = stored_group(store, group_id)
    found = store.sessions_with_actions([s.id for s in athlete_sessions(store, group_id)])
    athletes = []
    for stored, actions in found:
        if not actions:
            continue
        try:
            session = replay(stored, actions, session_now(actions, actions[-1].wall))
        except HistoryError:  # damage stays local: the other athletes are shown
            continue
        name = visible(stored.athlete.name if stored.athlete else stored.preset_name)
        how = _HOW.get(stored.status, stored.status.value)
        athletes.append((stored, athlete_result(name, stored.plan, session.records, how)))
    if not athletes:
        raise HistoryError(f"group {group_id} has no athlete's session to show")
    return GroupDetail(group, athletes)


def group_text(detail: GroupDetail, when: str) -> list[str]:
    """``trackside history G3``: the group's line, its table, and where each athlete's own
    session is."""
    group = detail.group
    names = ", ".join(result.name for _, result in detail.athletes)
    out = [f"{visible(group.title)}: group {GROUP_PREFIX}{group.id}, {when} · {names}", ""]
    rows = group_table([result for _, result in detail.athletes])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        pairs = enumerate(zip(row, widths, strict=True))
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in pairs]
        out.append("  ".join(cells).rstrip())
    out.append("")
    out += [
        f"{result.name}: session {stored.id} (trackside history {stored.id})"
        for stored, result in detail.athletes
    ]
    return out
