"""FIT workouts from elsewhere: written with Garmin's SDK the way Garmin Connect writes them
(repeat steps, lap-button steps, distances in centimetres, targets), what cannot be run refused
one line per step, and hostile files refused in one line, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from garmin_fit_sdk import Encoder, Profile
from interop_support import run_cli, show_steps

from trackside.interop.fitworkout import read_workout

MESG = Profile["mesg_num"]
CONNECT = {"manufacturer": "garmin", "product": 65534, "serial_number": 3_999_999_999}


def workout_file(
    steps: list[dict[str, Any]], sport: str = "running", kind: str = "workout", **header: Any
) -> bytes:
    """A workout as Garmin Connect exports one: file_id, workout, then its steps."""
    encoder = Encoder()
    encoder.write_mesg(
        {"mesg_num": MESG["FILE_ID"], "type": kind, "time_created": 1_100_000_000, **CONNECT}
    )
    encoder.write_mesg(
        {
            "mesg_num": MESG["WORKOUT"],
            "sport": sport,
            "num_valid_steps": len(steps),
            "wkt_name": header.get("name", "Track Tuesday"),
        }
    )
    for index, step in enumerate(steps):
        encoder.write_mesg({"mesg_num": MESG["WORKOUT_STEP"], "message_index": index, **step})
    return encoder.close()


def step(duration: str, value: int | None = None, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"duration_type": duration, "target_type": "open", "target_value": 0}
    if value is not None:
        out["duration_value"] = value
    return {**out, **fields}


def repeat(first: int, times: int) -> dict[str, Any]:
    return {
        "duration_type": "repeat_until_steps_cmplt",
        "duration_value": first,
        "target_type": "open",
        "target_value": times,
    }


CONNECT_6X800 = [
    step("time", 600_000, intensity="warmup", target_type="heart_rate", target_value=2),
    step(
        "distance",
        80_000,
        intensity="active",
        target_type="speed",
        custom_target_value_low=3_704,
        custom_target_value_high=4_000,
        notes="relaxed arms",
    ),
    step("open", intensity="recovery", wkt_step_name="Jog"),
    repeat(1, 6),
    step("distance", 160_934, intensity="cooldown"),
]


def test_a_garmin_connect_workout_becomes_a_preset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "track.fit"
    source.write_bytes(workout_file(CONNECT_6X800))
    preset = tmp_path / "track.toml"
    code, out, err = run_cli(capsys, "convert", str(source), str(preset))
    assert (code, out) == (0, "")
    # Garmin's sixth jog comes before the cooldown; a preset has nothing between them.
    assert err == (
        f"{source}: steps 3-5: 2 steps in a row made one cooldown (Jog, then cooldown 1mi): "
        "a preset has one step there\n"
    )
    steps = show_steps(capsys, str(preset))
    assert [s["kind"] for s in steps] == ["warmup"] + ["work", "recovery"] * 5 + ["work"] + [
        "cooldown"
    ]
    warmup, rep, recovery = steps[:3]
    assert (warmup["time_s"], warmup["activity"]) == (600, "HR zone 2")
    # 80,000 cm; a pace target of 3.704 to 4.0 m/s kept as the rep's words.
    assert (rep["distance_m"], rep["distance"], rep["effort"]) == (800, "800m", "4:10–4:30/km pace")
    assert (rep["note"], rep["time_s"]) == ("relaxed arms", None)
    assert (recovery["activity"], recovery["time_s"], recovery["max_s"]) == ("Jog", None, None)
    assert (steps[-1]["activity"], steps[-1]["distance"], steps[-1]["time_s"]) == (
        "Jog, then cooldown 1mi",
        None,
        None,
    )
    # 160,934 cm is a mile, within the centimetre FIT keeps: in FIT terms, the same mile.
    code, out, err = run_cli(capsys, "convert", str(source), str(tmp_path / "again.fit"))
    assert (code, err) == (0, "")
    assert (
        read_workout((tmp_path / "again.fit").read_bytes(), "again.fit")[0].steps[-1]
        == (read_workout(source.read_bytes(), "track.fit")[0].steps[-1])
    )


def test_the_recovery_after_the_last_rep_joins_the_cooldown_and_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    steps = [
        step("distance", 40_000, intensity="active"),
        step("time", 90_000, intensity="rest", wkt_step_name="Walk"),
        repeat(0, 4),
        step("time", 600_000, intensity="cooldown", wkt_step_name="Easy"),
    ]
    source = tmp_path / "four.fit"
    source.write_bytes(workout_file(steps))
    code, out, err = run_cli(capsys, "import", str(source))
    assert (code, out) == (0, "four\n")
    assert err.splitlines()[0] == (
        f"{source}: steps 2-4: 2 steps in a row made one cooldown (Walk 1:30, then Easy 10:00): "
        "a preset has one step there"
    )
    shown = show_steps(capsys, "four")
    assert [s["kind"] for s in shown] == ["work", "recovery"] * 3 + ["work", "cooldown"]
    assert (shown[-1]["time_s"], shown[-1]["activity"]) == (690, "Walk 1:30, then Easy 10:00")


@pytest.mark.parametrize(
    ("steps", "sport", "line"),
    [
        (
            [step("open"), step("open"), repeat(1, 2), repeat(0, 3)],
            "running",
            "steps 1-4: a repeat inside a repeat (trackside repeats one group of steps at a time)",
        ),
        (
            [step("hr_less_than", 220, intensity="recovery"), step("open")],
            "running",
            "step 1: ends on heart rate; trackside ends a step on time, distance or the key",
        ),
        (
            [step("open"), step("time", 60_000, target_type="power", target_value=3)],
            "running",
            "step 2: a power target; trackside has no power meter (remove it)",
        ),
        (
            [step("open"), step("open"), {**repeat(0, 2), "duration_type": "repeat_until_time"}],
            "running",
            "step 3: repeats until time; trackside repeats a set number of times",
        ),
        ([step("open")], "cycling", "a cycling workout; trackside times running workouts"),
        ([step("open")], "swimming", "a swimming workout; trackside times running workouts"),
    ],
)
def test_what_cannot_be_run_is_one_line_naming_the_step(
    steps: list[dict[str, Any]],
    sport: str,
    line: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "odd.fit"
    source.write_bytes(workout_file(steps, sport=sport))
    code, out, err = run_cli(capsys, "convert", str(source), str(tmp_path / "odd.toml"))
    assert (code, out, err) == (2, "", f"{source}: {line}\n")
    assert not (tmp_path / "odd.toml").exists()


def _hostile(tmp_path: Path) -> dict[str, bytes]:
    good = workout_file(CONNECT_6X800)
    flipped = bytearray(good)
    flipped[40] ^= 0xFF
    many = workout_file([step("open", intensity="active")] * 10_000)
    return {
        "truncated": good[: len(good) // 2],
        "bad CRC": bytes(flipped),
        "garbage": os.urandom(10 * 1024 * 1024),
        "10,000 steps": many,
        "empty": b"",
        "an activity": workout_file(CONNECT_6X800, kind="activity"),
    }


EXPECTED = {
    "truncated": "a damaged FIT file (cut short, or its checksum is wrong)",
    "bad CRC": "a damaged FIT file (cut short, or its checksum is wrong)",
    "garbage": "too large for a workout (over 1000000 bytes)",
    "10,000 steps": "10000 workout steps, more than trackside runs",
    "empty": "not a FIT file",
    "an activity": "a FIT activity file, not a workout",
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_a_hostile_file_is_refused_in_one_line(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    source = tmp_path / "hostile.fit"
    source.write_bytes(_hostile(tmp_path)[case])
    code, out, err = run_cli(capsys, "import", str(source))
    assert (code, out, err) == (2, "", f"{source}: {EXPECTED[case]}\n")
    assert not home.exists() or not list(home.iterdir())


def test_control_characters_in_a_file_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    steps = [
        step("distance", 40_000, wkt_step_name="\x1b[2J\x1b]0;pwned\x07fast\u202e", notes="a\rb"),
        step("open", intensity="rest"),
    ]
    source = tmp_path / "evil.fit"
    source.write_bytes(workout_file(steps, name="Evil\x1b[31m\nname"))
    assert run_cli(capsys, "import", str(source))[0] == 0
    code, out, err = run_cli(capsys, "show", "evil")
    assert (code, err) == (0, "")
    assert not any(ord(char) < 32 and char != "\n" for char in out)
    assert "\u202e" not in out
    # What the file held, shown as escapes: the runner sees it all, the terminal acts on none.
    assert out.splitlines()[0] == "Evil\\x1b[31m name"
    first = show_steps(capsys, "evil")[0]
    assert first["effort"] == "\\x1b[2J\\x1b]0;pwned\\x07fast\\u202e"
    assert first["note"] == "a b"
