"""The silent device check: before any cue each lane opens and closes its device, and the chain
names a player only once that check found one.

A lane that finds no device (``N``), or whose check hangs, is dropped before any cue comes, never
named; the last lane is kept whatever its check says (nothing comes after it). The real miniaudio
process on a sound server that never answers is given up on the same way.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from audio_helpers import wait_until
from requires import require_library, require_program

from trackside.audio import ChainPlayer
from trackside.audio.backends import SystemBackend
from trackside.audio.chain import CHECKING
from trackside.audio.child import ChildLane
from trackside.audio.clips import ClipBank
from trackside.audio.lanes import LocalLane
from trackside.audio.schedule import Report, Setup


class CheckedLane:
    """A lane that starts at once and answers its check as the test says (None: never)."""

    first_start_s = 0.3

    def __init__(self, name: str, check: str | None = "K", why: str | None = None) -> None:
        self.name = self.label = name
        self.ready = threading.Event()
        self.submitted: list[tuple[str, ...]] = []
        self._check, self._why = check, why
        self._report: Report | None = None

    def unavailable(self) -> str | None:
        return None

    def start(self, setup: Setup) -> None:
        self._report = setup.report
        setup.report("R", 0, None)
        self.ready.set()
        if self._check is not None:
            setup.report(self._check, 0, self._why)

    def submit(
        self, key: int, cues: tuple[str, ...], volume: float, due: float, at: object
    ) -> None:
        self.submitted.append(cues)
        assert self._report is not None
        self._report("S", key, 0.01)
        self._report("D", key, None)

    def cancel(self, key: int) -> None:
        pass

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


def watched(*lanes: CheckedLane) -> tuple[ChainPlayer, list[tuple[str, str | None]], list[str]]:
    """A chain over ``lanes``, the backends it reported, and every label seen until a report."""
    reports: list[tuple[str, str | None]] = []
    report = lambda n, r: reports.append((n, r))  # noqa: E731
    player = ChainPlayer(lanes, on_backend=report, bank=None)  # type: ignore[arg-type]
    seen = [player.backend]
    deadline = time.monotonic() + 10
    while not reports and time.monotonic() < deadline:
        if seen[-1] != player.backend:
            seen.append(player.backend)
        time.sleep(0.001)
    return player, reports, seen


def test_a_lane_that_finds_no_device_is_never_named_and_the_next_is() -> None:
    first = CheckedLane("first", "N", "no sound device could be opened")
    second = CheckedLane("second")
    player, reports, seen = watched(first, second)
    assert wait_until(lambda: bool(reports))
    assert reports == [("second", "no sound device could be opened")]
    assert set(seen) <= {CHECKING, "second"}  # never "first"
    player.play(("tone_go",))
    assert wait_until(lambda: player.played == 1)
    assert first.submitted == []
    player.close()


def test_the_last_lane_is_named_whatever_its_check_says() -> None:
    only = CheckedLane("only", "N", "no sound device could be opened")
    player, reports, _ = watched(only)
    assert wait_until(lambda: bool(reports))
    assert reports == [("only", None)]
    assert player.backend == "only"
    player.close()


def test_a_check_that_hangs_is_given_up_on_before_any_cue() -> None:
    hung, second = CheckedLane("hung", check=None), CheckedLane("second")
    begun = time.monotonic()
    player, reports, seen = watched(hung, second)
    assert wait_until(lambda: bool(reports))
    assert time.monotonic() - begun >= hung.first_start_s  # waited its start's allowance
    assert reports[0][0] == "second"
    assert "hung" in (reports[0][1] or "")
    assert "hung" not in seen
    assert hung.submitted == []
    player.close()


def test_until_a_check_answers_the_player_says_checking() -> None:
    hung = CheckedLane("hung", check=None)
    player = ChainPlayer([hung], bank=None)  # type: ignore[list-item]
    assert wait_until(hung.ready.is_set)
    time.sleep(0.5)  # alone, it is waited for: nothing comes after it
    assert player.backend == CHECKING
    player.close()


def test_the_miniaudio_process_on_a_hung_server_is_dropped_before_any_cue(
    alsa_capture: Path, hung_pulse_server: Path, bank: ClipBank
) -> None:
    require_program("aplay", "alsa-utils")
    require_library("pulse", "libpulse0")
    child = ChildLane(("PULSEAUDIO",))
    reports: list[tuple[str, str | None]] = []
    aplay = LocalLane(SystemBackend(bank, [["aplay", "-q"]]), bank)
    player = ChainPlayer([child, aplay], on_backend=lambda n, r: reports.append((n, r)))
    try:
        assert wait_until(lambda: bool(reports))
        assert player.backend == "aplay"
        assert reports[0][0] == "aplay"
        assert "did not open a device" in (reports[0][1] or "")
        assert player.played == 0  # no cue was needed to find it out
        assert wait_until(lambda: not Path(f"/proc/{child.pid}").exists(), timeout=2)
    finally:
        player.close()
