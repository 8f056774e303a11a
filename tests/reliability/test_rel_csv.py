"""CSV safe to open: a text cell a spreadsheet could read as a formula (``=``, ``+``, ``-``,
``@``, tab or CR first) gets a leading ``'`` (OWASP), in every CSV trackside writes (``export``
to standard output and to a file, one session or ``--all``); numbers stay numbers, negative
ones too. A real history file, the real program as a process.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from rel_records import Home, record

from trackside.core.events import ActionKind
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.safe import visible
from trackside.history.export import COLUMNS, text_cell
from trackside.history.store import HistoryStore

K = ActionKind
HOSTILE = ('=HYPERLINK("http://x","ok")', "+1+1", "-1+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\ry")
"""What a preset shared on a forum may carry in its effort and distance labels."""


def hostile_plan() -> Plan:
    """Three reps, each with formula-like labels; the last one all out."""
    steps: list[Step] = []
    for rep in (1, 2, 3):
        effort, label = HOSTILE[rep - 1], HOSTILE[rep + 2]
        steps.append(Step(StepKind.WORK, 400.0, label, effort=effort, all_out=rep == 3, rep=rep))
        if rep < 3:
            steps.append(Step(StepKind.RECOVERY, 400.0, "400m", effort="jog"))
    return Plan("=cmd|' /C calc'!A0", tuple(steps))


@pytest.fixture
def home(tmp_path: Path) -> Home:
    found = Home(tmp_path)
    found.db.parent.mkdir(parents=True)
    keys: list[tuple[ActionKind | None, float]] = [(K.START, 0.0)]
    for rep_s in (80.0, 82.0):  # then a faster final rep: a negative "final vs rest"
        keys += [(K.MARK, rep_s), (K.MARK, 90.0)]
    keys.append((K.MARK, 70.0))
    with HistoryStore(found.db) as store:
        record(store, 0, hostile_plan(), "hostile", keys=keys)
    return found


def _rows(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _check(rows: list[dict[str, str]], shown: Callable[[str], str] = str) -> None:
    """``shown``: how the text reaches the reader (on a terminal, controls become escapes)."""
    reps = [row for row in rows if row["kind"] == "rep"]
    assert [row["effort"] for row in reps] == [shown("'" + text) for text in HOSTILE[:3]]
    assert [row["distance"] for row in reps] == [shown("'" + text) for text in HOSTILE[3:]]
    for row in rows:
        for column, cell in row.items():
            assert not cell or cell[0] not in "=+-@\t\r" or _number(cell), (column, cell)
    assert float(reps[2]["final_vs_rest_pct"]) < 0, "a negative number stays a number"
    assert reps[2]["final_vs_rest_pct"].startswith("-")
    assert [row["duration_s"] for row in reps] == ["80", "82", "70"]


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_export_to_standard_output_is_safe_to_open(home: Home) -> None:
    # Standard output may be a terminal: a tab or CR in a cell is shown as an escape there.
    _check(_rows(home.output("export")), visible)
    _check(_rows(home.output("export", "--all")), visible)


def test_export_to_a_file_is_safe_to_open(home: Home) -> None:
    target = home.root / "splits.csv"
    done = home.run("export", "--all", "-o", str(target))
    assert done.returncode == 0, done.stderr
    _check(_rows(target.read_bytes()))


def test_the_header_and_plain_text_are_left_as_they_are() -> None:
    assert text_cell("400m") == "400m"
    assert text_cell("") == ""
    assert text_cell("3K pace") == "3K pace"
    assert text_cell("-") == "'-"
    assert all(text_cell(column) == column for column in COLUMNS)
