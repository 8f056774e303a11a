"""``export --format fit``: a real session, recorded through the store, as a FIT activity file
that Garmin's SDK and fitdecode both read whole, lap for lap the same as ``export --format json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from interop_support import (
    WALL0,
    Process,
    fitdecode_read,
    garmin_read,
    iso_ms,
    of,
    pairs,
    record_21x400,
    run_cli,
    utc_seconds,
)

from trackside.core.events import ActionKind
from trackside.core.plan import StepKind
from trackside.history.store import HistoryStore
from trackside.interop.fitactivity import Activity, Lap, write_activity

K = ActionKind


@pytest.fixture
def exported(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[bytes, list[dict[str, Any]]]:
    """The 21 x 400m session as FIT bytes, and its steps as ``export --format json`` has them."""
    with HistoryStore(db_path) as store:
        record_21x400(store)
    out = tmp_path / "session.fit"
    code, stdout, err = run_cli(capsys, "export", "--format", "fit", "-o", str(out))
    assert (code, stdout, err) == (0, "", "")
    code, text, err = run_cli(capsys, "export", "--format", "json")
    assert (code, err) == (0, "")
    steps: list[dict[str, Any]] = json.loads(text)["sessions"][0]["steps"]
    return out.read_bytes(), steps


def test_both_decoders_read_the_file_whole(exported: tuple[bytes, list[dict[str, Any]]]) -> None:
    data, steps = exported
    garmin = garmin_read(data)
    frames = fitdecode_read(data)
    assert [f.name for f in frames][:3] == ["file_id", "device_info", "event"]
    assert [f.name for f in frames][-2:] == ["session", "activity"]
    assert len(garmin["lap_mesgs"]) == len(of(frames, "lap")) == len(steps) == 41
    (file_id,) = of(frames, "file_id")
    assert (file_id["type"], file_id["manufacturer"]) == ("activity", "development")
    (device,) = of(frames, "device_info")
    assert device["product_name"] == "trackside"
    # Every record is timed, in order; one at each lap boundary, the distance so far on each.
    records = of(frames, "record")
    assert len(records) == len(steps) + 1
    assert all(r["timestamp"] is not None for r in records)
    assert all(a["timestamp"] <= b["timestamp"] for a, b in pairs(records))
    assert [r["distance"] for r in records] == [400.0 * i for i in range(42)]


def test_laps_match_the_json_export_to_the_millisecond(
    exported: tuple[bytes, list[dict[str, Any]]],
) -> None:
    data, steps = exported
    laps = of(fitdecode_read(data), "lap")
    for lap, step in zip(laps, steps, strict=True):
        started, ended = iso_ms(step["started"]), iso_ms(step["ended"])
        elapsed_ms = round(lap["total_elapsed_time"] * 1000)
        timer_ms = round(lap["total_timer_time"] * 1000)
        assert elapsed_ms == ended - started
        assert timer_ms == elapsed_ms - round(step["paused_s"] * 1000)
        # The JSON gives durations to the hundredth; the lap carries the millisecond.
        assert abs(timer_ms - step["duration_s"] * 1000) <= 5
        # FIT timestamps are whole seconds: the lap starts in the step's second.
        assert utc_seconds(lap["start_time"]) == started // 1000
        assert utc_seconds(lap["timestamp"]) == ended // 1000
        assert lap["wkt_step_index"] == step["step"] - 1
        assert lap["total_distance"] == step["distance_m"] == 400
        assert lap["intensity"] == ("active" if step["kind"] == "rep" else "rest")
        assert lap["lap_trigger"] == ("time" if step["ended_by"] == "auto" else "manual")
    # The session as run: one rep to the millisecond, one recovery to its end, a pause.
    assert laps[4]["total_timer_time"] == pytest.approx(72.623, abs=1e-9)
    assert [lap["lap_trigger"] for lap in laps].count("time") == 1
    paused = [lap for lap in laps if lap["total_elapsed_time"] != lap["total_timer_time"]]
    assert [(p["total_elapsed_time"], p["total_timer_time"]) for p in paused] == [(185.25, 160.25)]


def test_the_timer_stops_for_the_pause_and_the_totals_add_up(
    exported: tuple[bytes, list[dict[str, Any]]],
) -> None:
    data, steps = exported
    frames = fitdecode_read(data)
    events = [(e["event"], e["event_type"]) for e in of(frames, "event")]
    assert events == [("timer", "start"), ("timer", "stop_all"), ("timer", "start")] + [
        ("timer", "stop_all")
    ]
    stop, start = of(frames, "event")[1:3]
    assert (start["timestamp"] - stop["timestamp"]).total_seconds() == 25
    (session,) = of(frames, "session")
    (activity,) = of(frames, "activity")
    first, last = iso_ms(steps[0]["started"]), iso_ms(steps[-1]["ended"])
    assert (session["sport"], session["sub_sport"]) == ("running", "track")
    assert (session["num_laps"], session["total_distance"]) == (41, 16_400)
    assert round(session["total_elapsed_time"] * 1000) == last - first
    assert session["total_timer_time"] == pytest.approx(session["total_elapsed_time"] - 25)
    assert activity["num_sessions"] == 1
    assert activity["total_timer_time"] == session["total_timer_time"]


def test_all_writes_one_file_a_session_into_a_folder(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HistoryStore(db_path) as store:
        first = record_21x400(store)
        second = record_21x400(store, WALL0 + 86_400)
    folder = tmp_path / "fit"
    code, out, err = run_cli(capsys, "export", "--all", "--format", "fit", "-o", str(folder))
    assert (code, err) == (0, "")
    written = [Path(line) for line in out.splitlines()]
    assert [p.name for p in written] == [
        f"trackside-{first}-2026-05-28.fit",
        f"trackside-{second}-2026-05-29.fit",
    ]
    for path in written:
        assert len(garmin_read(path.read_bytes())["lap_mesgs"]) == 41
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written)


def test_without_a_file_it_says_so_in_one_line(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HistoryStore(db_path) as store:
        record_21x400(store)
    code, out, err = run_cli(capsys, "export", "--format", "fit")
    assert (code, out) == (2, "")
    assert err == "trackside: a FIT file is binary: give -o FILE (a folder with --all or --group)\n"


def test_a_folder_as_the_file_gets_the_session_named_inside_it(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HistoryStore(db_path) as store:
        session = record_21x400(store)
    code, _, err = run_cli(capsys, "export", str(session), "--format", "fit", "-o", str(tmp_path))
    assert (code, err) == (0, "")
    assert (tmp_path / f"trackside-{session}-2026-05-28.fit").is_file()


def test_a_session_ended_early_while_paused(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from history_support import record_session

    with HistoryStore(db_path) as store:
        presses = [(K.START, 0.0), (K.MARK, 70.0), (K.SKIP, 10.0), (K.PAUSE, 30.0), (K.END, 5.0)]
        record_session(store, Process(100.0, WALL0), presses)
    out = tmp_path / "early.fit"
    assert run_cli(capsys, "export", "--format", "fit", "-o", str(out))[0] == 0
    frames = fitdecode_read(out.read_bytes())
    garmin_read(out.read_bytes())
    laps = of(frames, "lap")
    assert [lap["lap_trigger"] for lap in laps] == ["manual", "manual", "session_end"]
    # A skipped recovery and a rep cut short by the end: their distance was not covered.
    assert [lap.get("total_distance") for lap in laps] == [400.0, None, None]
    assert [lap["total_timer_time"] for lap in laps] == [70.0, 10.0, 30.0]
    assert laps[2]["total_elapsed_time"] == 35.0
    # Stopped at the pause, and never started again: no second stop at the end.
    assert [e["event_type"] for e in of(frames, "event")] == ["start", "stop_all"]


def test_the_writer_refuses_a_session_without_a_lap() -> None:
    with pytest.raises(ValueError, match="no step was run"):
        write_activity(Activity(laps=()))


def test_a_lap_without_a_distance_keeps_the_total_and_the_timestamps_in_order() -> None:
    start = int(WALL0 * 1000)
    laps = (
        Lap(0, StepKind.WARMUP, start, start + 600_000, 600_000, None, "time"),
        Lap(1, StepKind.WORK, start + 600_000, start + 600_400, 400, 400.0, "manual"),
        Lap(2, StepKind.COOLDOWN, start + 600_400, start + 900_400, 300_000, None, "manual"),
    )
    data = write_activity(Activity(laps, utc_offset_s=3600))
    frames = fitdecode_read(data)
    assert [r.get("distance") for r in of(frames, "record")] == [0.0, 0.0, 400.0, 400.0]
    # Two laps ending in the same second: timestamps may repeat, never go back.
    records = of(frames, "record")
    assert all(a["timestamp"] <= b["timestamp"] for a, b in pairs(records))
    assert [lap["intensity"] for lap in of(frames, "lap")] == ["warmup", "active", "cooldown"]
    (activity,) = of(frames, "activity")
    assert (activity["local_timestamp"] - activity["timestamp"]).total_seconds() == 3600
