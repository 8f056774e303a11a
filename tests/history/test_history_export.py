"""``export``: one row per step, a CSV a spreadsheet opens cleanly, and JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import datetime

import pytest
from history_support import PLAN, WALL0, Process, new_session, record_session, whole_session

from trackside.core.plan import Plan
from trackside.history.export import COLUMNS, STATS, STEP_COLUMNS, iso, render, to_csv, to_json
from trackside.history.log import SessionLog
from trackside.history.store import HistoryStore
from trackside.history.views import Detail, detail

FINAL_EFFORT = "Tout ½ — vite"


def _detail(store: HistoryStore) -> Detail:
    plan = Plan(PLAN.name, (*PLAN.steps[:-1], replace(PLAN.steps[-1], effort=FINAL_EFFORT)))
    runner = record_session(
        store, Process(1000.0, WALL0), whole_session(71.25, 72.0, 65.5), new_session(plan)
    )
    log = runner.log
    assert isinstance(log, SessionLog)
    assert log.finish(runner.session, 8, "légères rafales")
    return detail(store, log.session_id or 0)


def test_the_csv_has_a_header_and_one_row_per_step(store: HistoryStore) -> None:
    text = to_csv([_detail(store)])
    assert text.startswith(",".join(COLUMNS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(r["kind"], r["rep"], r["final"]) for r in rows] == [
        ("rep", "1", "no"),
        ("recovery", "", "no"),
        ("rep", "2", "no"),
        ("recovery", "", "no"),
        ("rep", "3", "yes"),
    ]
    first, recovery, _, short, final = rows
    # Plain numbers a spreadsheet reads as numbers: no units, no trailing .0 on whole ones.
    assert (first["distance_m"], first["distance"], first["duration_s"]) == ("400", "400m", "71.25")
    assert (first["effort"], final["effort"]) == ("3K effort", FINAL_EFFORT)
    assert (recovery["window_min_s"], recovery["window_max_s"], recovery["window_met"]) == (
        "60",
        "90",
        "yes",
    )
    assert (short["window_met"], short["ended_by"], short["duration_s"]) == ("no", "early", "50")
    assert first["window_met"] == ""
    started = datetime.fromisoformat(first["started"])
    assert started.timestamp() == pytest.approx(WALL0, abs=0.001)
    assert started.tzinfo is not None
    assert datetime.fromisoformat(final["ended"]).timestamp() == pytest.approx(
        WALL0 + 71.25 + 65 + 72 + 50 + 65.5, abs=0.001
    )
    assert {r["session"] for r in rows} == {"1"}


def test_the_json_carries_the_session_and_its_steps(store: HistoryStore) -> None:
    data = json.loads(to_json([_detail(store)]))
    (session,) = data["sessions"]
    assert session["preset"] == "3x400m"
    assert (session["status"], session["reps_done"], session["reps_planned"]) == ("completed", 3, 3)
    assert (session["rating"], session["exertion"], session["note"]) == (8, 8, "légères rafales")
    assert session["average_s"] == pytest.approx((71.25 + 72 + 65.5) / 3, abs=0.01)
    steps = session["steps"]
    assert len(steps) == 5
    assert steps[1]["window_met"] is True
    assert steps[3]["window_met"] is False
    assert steps[0]["window_met"] is None
    assert steps[-1]["effort"] == FINAL_EFFORT
    assert set(steps[0]) == set(STEP_COLUMNS)
    assert [step["all_out"] for step in steps] == [False] * 4 + [True]


def test_each_session_carries_its_statistics(store: HistoryStore) -> None:
    # reps 71.25 and 72.0, then an all-out final 65.5; recoveries 65 s (inside 60-90) and 50 s
    # started early with go-now
    (session,) = json.loads(to_json([_detail(store)]))["sessions"]
    stats = session["stats"]
    assert set(stats) == set(STATS)
    sdec = 100 * ((71.25 + 72.0) / (71.25 * 2) - 1)  # 0.526: the all-out final left out
    mean = (71.25 + 72.0) / 2
    cv = 100 * (((71.25 - mean) ** 2 + (72.0 - mean) ** 2) / (2 - 1)) ** 0.5 / mean  # 0.740
    versus = 100 * (65.5 / mean - 1)  # -8.55
    assert stats == {
        "sdec_pct": round(sdec, 2),
        "cv_pct": round(cv, 2),
        "window_adherence_pct": 50.0,
        "final_vs_rest_pct": round(versus, 2),
    }
    assert (stats["sdec_pct"], stats["cv_pct"], stats["final_vs_rest_pct"]) == (0.53, 0.74, -8.55)
    rows = list(csv.DictReader(io.StringIO(to_csv([_detail(store)]), newline="")))
    assert [r["all_out"] for r in rows] == ["no"] * 4 + ["yes"]
    for row in rows:  # the session's figures on each of its rows
        assert (row["sdec_pct"], row["cv_pct"], row["window_adherence_pct"]) == (
            "0.53",
            "0.74",
            "50",
        )
        assert row["final_vs_rest_pct"] == "-8.55"


def test_iso_times_carry_the_offset() -> None:
    text = iso(WALL0 + 0.25)
    assert datetime.fromisoformat(text).timestamp() == WALL0 + 0.25
    assert text[-6] in "+-"


def test_an_unknown_format_is_refused(store: HistoryStore) -> None:
    with pytest.raises(ValueError, match="csv or json"):
        render([_detail(store)], "xlsx")
