"""Helpers for the interop tests: sessions recorded through the real store, FIT decoded twice."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from garmin_fit_sdk import Decoder, Stream

sys.path.append(str(Path(__file__).resolve().parents[1] / "history"))
from history_support import WALL0, Process, new_session, record_session  # noqa: E402

from trackside.__main__ import main  # noqa: E402
from trackside.core.events import ActionKind  # noqa: E402
from trackside.history.log import SessionLog  # noqa: E402
from trackside.history.store import HistoryStore  # noqa: E402
from trackside.presets.loader import resolve  # noqa: E402

K = ActionKind
BUILT_IN = ("21x400m", "10x400m-90s", "3x4x300m", "6x800m", "ladder", "tabata")


def session_21x400(pause_in: int = 10) -> list[tuple[ActionKind, float]]:
    """21 x 400m run through: reps of 68.5 to 75 s (one to the millisecond), recoveries marked
    inside the window, one left to end by itself at 3:00, one cut short with go-now, and a 25 s
    pause in recovery ``pause_in``."""
    presses: list[tuple[ActionKind, float]] = [(K.START, 0.0)]
    carry = 0.0
    for rep in range(1, 22):
        split = 68.5 + (rep * 7 % 13) / 2 + (0.123 if rep == 3 else 0.0)
        presses.append((K.MARK, split + carry))
        carry = 0.0
        if rep == 21:
            break
        if rep == pause_in:
            presses += [(K.PAUSE, 40.0), (K.RESUME, 25.0), (K.MARK, 120.25)]
        elif rep == 14:
            carry = 180.0  # the window's end: the next rep starts by itself
        elif rep == 17:
            presses.append((K.GO_NOW, 140.0))
        else:
            presses.append((K.MARK, 150.0 + rep % 5 * 6.25))
    return presses


def record_21x400(store: HistoryStore, wall: float = WALL0) -> int:
    """The built-in 21 x 400m, recorded through a real SessionLog; returns the session id."""
    plan = resolve("21x400m").to_plan()
    new = new_session(plan, preset_id="21x400m")
    runner = record_session(store, Process(5000.0, wall), session_21x400(), new)
    log = runner.log
    assert isinstance(log, SessionLog)
    assert log.finish(runner.session, 8, None)
    return log.session_id or 0


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``trackside ARGV`` in this process: exit code, stdout, stderr."""
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def show_steps(capsys: pytest.CaptureFixture[str], ref: str) -> list[dict[str, Any]]:
    code, out, err = run_cli(capsys, "show", ref, "--json")
    assert (code, err) == (0, "")
    steps: list[dict[str, Any]] = json.loads(out)["steps"]
    return steps


def garmin_read(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """Messages by kind, read by Garmin's SDK after its integrity check; no error allowed."""
    assert Decoder(Stream.from_byte_array(bytearray(data))).is_fit()
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return dict(messages)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Frame:
    """One data message as fitdecode reads it."""

    name: str
    values: dict[str, Any]


def fitdecode_read(data: bytes) -> list[Frame]:
    """Every data message, in order, read by fitdecode with its CRC checks raising."""
    frames = []
    with fitdecode.FitReader(
        data, check_crc=fitdecode.CrcCheck.RAISE, error_handling=fitdecode.ErrorHandling.RAISE
    ) as reader:
        for frame in reader:
            if frame.frame_type == fitdecode.FIT_FRAME_DATA:
                frames.append(Frame(frame.name, {f.name: f.value for f in frame.fields}))
    return frames


def of(frames: Sequence[Frame], name: str) -> list[dict[str, Any]]:
    return [frame.values for frame in frames if frame.name == name]


def utc_seconds(value: datetime) -> int:
    """A decoded FIT time (fitdecode gives aware UTC datetimes) as Unix seconds."""
    return int(value.replace(tzinfo=value.tzinfo or UTC).timestamp())


def iso_ms(text: str) -> int:
    """An ISO time from ``export --format json`` as Unix milliseconds (exactly)."""
    moment = datetime.fromisoformat(text)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return (moment - epoch) // __import__("datetime").timedelta(milliseconds=1)


def pairs(items: Sequence[Any]) -> Iterator[tuple[Any, Any]]:
    return zip(items, items[1:], strict=False)
