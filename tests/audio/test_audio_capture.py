"""Real audio: each backend puts the exact samples of its cues into ALSA's file-plugin capture,
and a live session's cues reach it at their moments."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from audio_helpers import SizePoller, find_in_order, run_21x400, wait_until
from requires import require_program

from trackside.audio import ChainPlayer, CueBatch, CueListener, cue_batches
from trackside.audio.backends import SystemBackend
from trackside.audio.child import ChildLane
from trackside.audio.clips import ClipBank
from trackside.audio.lanes import Lane, LocalLane
from trackside.audio.native import MiniaudioBackend
from trackside.core.clock import MonotonicClock
from trackside.core.events import ActionKind
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.runner import Runner
from trackside.core.session import Session

LaneMaker = Callable[[ClipBank], Lane]
BACKENDS: dict[str, LaneMaker] = {
    "miniaudio": lambda bank: ChildLane(("ALSA",)),
    "miniaudio-in-process": lambda bank: LocalLane(MiniaudioBackend(["ALSA"]), bank),
    "aplay": lambda bank: LocalLane(SystemBackend(bank, [["aplay", "-q"]]), bank),
}


@pytest.fixture(autouse=True)
def _aplay() -> None:
    require_program("aplay", "alsa-utils")  # and ALSA itself, which the capture card is


def chain_on(name: str, bank: ClipBank) -> ChainPlayer:
    reports: list[str] = []
    lane = BACKENDS[name](bank)
    player = ChainPlayer([lane], on_backend=lambda n, _r: reports.append(n))
    assert wait_until(lambda: bool(reports))
    assert reports == [player.backend] == [name.removesuffix("-in-process")]
    # Up and ready before the first cue, as in the app (it starts with the first frame): a cue
    # due now would be late by the time a process started on a busy machine.
    assert wait_until(lane.ready.is_set)
    return player


@pytest.mark.parametrize("name", BACKENDS)
def test_the_exact_samples_of_a_cue_reach_the_card(name: str, alsa_capture: Path) -> None:
    bank = ClipBank()
    player = chain_on(name, bank)
    cues = ("tone_final_go", "say_final_rep")
    try:
        assert player.sound_check().result(timeout=10) == player.backend
        player.play(cues)
        assert wait_until(lambda: player.played == 2)
    finally:
        player.close()
    captured = alsa_capture.read_bytes()
    check, final = bank.render(("tone_go", "say_check")).pcm, bank.render(cues).pcm
    assert captured.startswith(check)  # byte-exact; what follows is zero padding
    rest = captured[len(check) :]
    at = rest.find(final)
    assert at >= 0
    assert rest[:at].count(0) == at  # between the two clips: only silence


@pytest.mark.parametrize("name", BACKENDS)
def test_a_whole_21x400m_session_reaches_the_card_in_order(
    name: str, alsa_capture: Path, plan_21x400: Plan
) -> None:
    batches = run_21x400(plan_21x400)
    bank = ClipBank()
    player = chain_on(name, bank)
    try:
        for count, batch in enumerate(batches, start=1):
            player.play(batch.cues)  # due now: the fake clock's times are not the player's
            assert wait_until(player_reached(player, count))
    finally:
        player.close()
    assert player.dropped_late == 0
    clips = [bank.render(batch.cues).pcm for batch in batches]
    assert find_in_order(alsa_capture.read_bytes(), clips) == len(batches)
    final = bank.render(("tone_final_go",)).pcm
    assert alsa_capture.read_bytes().count(final[:4000]) == 1  # the final rep's sound, once


@pytest.mark.parametrize("name", BACKENDS)
def test_two_hundred_cues_in_a_row_all_play(name: str, alsa_capture: Path) -> None:
    bank = ClipBank()
    player = chain_on(name, bank)
    try:
        for count in range(1, 201):
            player.play(("tone_pip",))
            assert wait_until(player_reached(player, count))
    finally:
        player.close()
    assert player.backend == name.removesuffix("-in-process")  # never fell back
    assert alsa_capture.read_bytes().count(bank.render(("tone_pip",)).pcm) == 200


def test_volume_reaches_the_card(alsa_capture: Path) -> None:
    bank = ClipBank()
    player = chain_on("miniaudio", bank)
    player.set_volume(0.25)
    try:
        player.play(("tone_window",))
        assert wait_until(lambda: player.played == 1)
    finally:
        player.close()
    quiet = bank.render(("tone_window",), 0.25).pcm
    assert alsa_capture.read_bytes().startswith(quiet)
    assert quiet != bank.render(("tone_window",)).pcm


def player_reached(player: ChainPlayer, count: int) -> Callable[[], bool]:
    """A test for ``wait_until``: the player has played ``count`` batches."""
    return lambda: player.played == count


def reached(capture: Path, clips: list[bytes]) -> Callable[[], bool]:
    """A test for ``wait_until``: every one of ``clips``, in order, is in the capture."""
    return lambda: find_in_order(capture.read_bytes(), clips) == len(clips)


KEYS = (0.4, None, 0.4, 0.6, 0.4)
"""Seconds into each step at which the key is pressed; None: the step ends by itself."""


def test_a_live_session_on_the_real_clock_sounds_each_cue_at_its_moment(
    alsa_capture: Path,
) -> None:
    """The runner, the listener and the miniaudio process together on the monotonic clock. The
    runner is never ticked at a moment of the session's own until the cues of that moment have
    reached the card: they were told ahead, and started by the player itself. Then every cue
    reached the card once, in order, none before its moment and none dropped as late."""
    steps = []
    for rep in (1, 2, 3):
        steps.append(Step(StepKind.WORK, rep=rep))
        if rep < 3:
            steps.append(Step(StepKind.RECOVERY, min_s=0.3, max_s=1.2))
    plan = Plan("3 short reps", tuple(steps))
    bank = ClipBank()
    player = chain_on("miniaudio", bank)
    heard: list[CueBatch] = []
    runner = Runner(Session(plan, countdown_s=1), MonotonicClock())
    runner.listeners += [
        CueListener(player, time.monotonic),
        lambda s, events: heard.extend(cue_batches(events, s.plan)),
    ]
    with SizePoller(alsa_capture) as poller:
        runner.act(ActionKind.START)
        while not runner.session.finished:
            session, now = runner.session, runner.now()
            index = session.step_index
            key = KEYS[index] if index is not None and session.step is not None else None
            key_at = None if key is None else now + key - session.elapsed(now)
            due = session.next_due()
            if key_at is not None and (due is None or key_at < due):
                time.sleep(max(0.0, key_at - now))
                runner.act(ActionKind.MARK)
                continue
            assert due is not None
            coming = cue_batches(session.advance(due).events, plan)
            sounded = reached(alsa_capture, [bank.render(batch.cues).pcm for batch in coming])
            assert wait_until(sounded, timeout=5), f"{coming} never sounded by themselves"
            runner.tick()
        assert wait_until(lambda: player.played == len(heard))
    player.close()
    assert player.dropped_late == 0  # each started within 0.75 s of its moment
    captured = alsa_capture.read_bytes()
    position = 0
    for batch in heard:  # each once, in order, and never before its moment
        at = captured.find(bank.render(batch.cues).pcm, position)
        assert at >= 0, batch
        assert poller.first_holding(at) >= batch.due, f"{batch} sounded early"
        position = at + 1
    assert heard[-1].cues == ("tone_marked", "tone_done", "say_done")
