"""Cues scheduled ahead, with real bytes: ALSA's file plugin records what miniaudio's process plays.

The runner and the listener on the real monotonic clock, the player process as the app has it.
No test here asserts a latency (those figures live in ``bench/cues.py``): only what reaches the
card, in which order, and what never does.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from audio_helpers import chain, find_in_order, wait_until
from requires import require_program
from test_audio_capture import chain_on

from trackside.audio import ChainPlayer, CueBatch, CueListener, cue_batches
from trackside.audio.backends import SystemBackend
from trackside.audio.child import ChildLane
from trackside.audio.clips import ClipBank
from trackside.core.clock import MonotonicClock
from trackside.core.events import ActionKind
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.runner import Runner
from trackside.core.session import Session

A = ActionKind
WINDOW = ("tone_window", "say_window_open")


@pytest.fixture(autouse=True)
def _aplay() -> None:
    require_program("aplay", "alsa-utils")


def live(
    plan: Plan, bank: ClipBank, countdown_s: int = 0
) -> tuple[Runner, ChainPlayer, list[tuple[str, ...]]]:
    """A runner on the real clock, heard by the app's listener on the miniaudio process."""
    player = chain_on("miniaudio", bank)
    heard: list[tuple[str, ...]] = []
    runner = Runner(Session(plan, countdown_s=countdown_s), MonotonicClock())
    runner.listeners += [
        CueListener(player, time.monotonic),
        lambda s, events: heard.extend(batch.cues for batch in cue_batches(events, s.plan)),
    ]
    return runner, player, heard


def two_reps(window_s: float) -> Plan:
    return Plan(
        "2 reps",
        (
            Step(StepKind.WORK, rep=1),
            Step(StepKind.RECOVERY, min_s=window_s, max_s=60),
            Step(StepKind.WORK, rep=2),
        ),
    )


def test_a_pause_cancels_the_window_cue_and_the_resume_brings_it_back(
    alsa_capture: Path, bank: ClipBank
) -> None:
    runner, player, heard = live(two_reps(window_s=1.5), bank)
    window = bank.render(WINDOW).pcm
    try:
        runner.act(A.START)
        runner.act(A.MARK)  # the recovery begins: its window is told to the player ahead
        runner.act(A.PAUSE)
        time.sleep(2.5)  # well past the moment the window would have opened
        assert window not in alsa_capture.read_bytes()
        runner.act(A.RESUME)  # 1.5 s still to go; from now on nothing ticks the runner
        assert wait_until(lambda: window in alsa_capture.read_bytes(), timeout=10)
        runner.tick()
        runner.act(A.MARK)
        assert wait_until(lambda: player.played == len(heard))
    finally:
        player.close()
    assert heard[2:] == [("tone_paused",), ("tone_resumed",), WINDOW, heard[-1]]
    clips = [bank.render(cues).pcm for cues in heard]
    captured = alsa_capture.read_bytes()
    assert find_in_order(captured, clips) == len(heard)
    assert captured.count(window) == 1


def test_the_3_2_1_and_go_sound_while_the_app_thread_is_busy_and_never_ticks(
    alsa_capture: Path, bank: ClipBank
) -> None:
    runner, player, heard = live(two_reps(window_s=60), bank, countdown_s=3)
    wanted = [("tone_start_pip", "num_3"), ("tone_start_pip", "num_2")]
    wanted += [("tone_start_pip", "num_1"), ("tone_go", "say_rep", "num_1", "say_of", "num_2")]
    clips = [bank.render(cues).pcm for cues in wanted]
    try:
        runner.act(A.START)
        end = time.monotonic() + 6.0
        while time.monotonic() < end:  # pure Python: holds the GIL, as a long redraw would
            if find_in_order(alsa_capture.read_bytes(), clips) == len(clips):
                break
            sum(range(100_000))
        captured_busy = alsa_capture.read_bytes()
        runner.tick()  # the app's thread comes back: the events come out, nothing sounds twice
        assert heard == wanted
        runner.act(A.MARK)
        assert wait_until(lambda: player.played == 5), f"{player.dropped_late} dropped as late"
    finally:
        player.close()
    assert find_in_order(captured_busy, clips) == len(clips)
    captured = alsa_capture.read_bytes()
    assert [captured.count(clip) for clip in clips] == [1, 1, 1, 1]


def test_cues_scheduled_on_a_player_process_that_dies_go_to_the_next_player(
    alsa_capture: Path, bank: ClipBank
) -> None:
    child = ChildLane(("ALSA",))
    player, reports = chain(child, SystemBackend(bank, [["aplay", "-q"]]), bank=bank)
    assert player.sound_check().result(timeout=10) == "miniaudio"
    now = time.monotonic()
    player.expect([CueBatch(now + 1.0, WINDOW), CueBatch(now + 2.0, ("tone_pip",))])
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    assert wait_until(lambda: player.backend == "aplay")
    player.expect([CueBatch(now + 1.0, WINDOW)])  # the pip is no longer coming
    assert wait_until(lambda: player.played == 2)
    time.sleep(1.5)  # past the withdrawn pip's moment
    player.close()
    assert reports[-1] == ("aplay", "miniaudio player process died of signal SIGKILL")
    captured = alsa_capture.read_bytes()
    check, window = bank.render(("tone_go", "say_check")).pcm, bank.render(WINDOW).pcm
    assert find_in_order(captured, [check, window]) == 2
    assert bank.render(("tone_pip",)).pcm not in captured
    assert player.dropped_late == 0  # the window went to aplay ahead, and sounded at its moment
