"""Real audio: each backend puts the exact samples of its cues into ALSA's file-plugin capture."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from audio_helpers import find_in_order, run_21x400, wait_until
from requires import require_program

from trackside.audio import CueListener, cue_batches
from trackside.audio.backends import Backend, SystemBackend
from trackside.audio.child import ChildBackend
from trackside.audio.clips import ClipBank
from trackside.audio.native import MiniaudioBackend
from trackside.audio.players import ChainPlayer
from trackside.core.clock import MonotonicClock
from trackside.core.events import ActionKind, Event, Phase
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.runner import Runner
from trackside.core.session import Session


@pytest.fixture(autouse=True)
def _aplay() -> None:
    require_program("aplay", "alsa-utils")  # and ALSA itself, which the capture card is


BackendMaker = Callable[[ClipBank], Backend]
BACKENDS: dict[str, BackendMaker] = {
    "miniaudio": lambda bank: ChildBackend(("ALSA",)),
    "miniaudio-in-process": lambda bank: MiniaudioBackend(["ALSA"]),
    "aplay": lambda bank: SystemBackend(bank, [["aplay", "-q"]]),
}


def chain_on(name: str, bank: ClipBank) -> ChainPlayer:
    reports: list[str] = []
    backend = BACKENDS[name](bank)
    player = ChainPlayer([backend], bank=bank, on_backend=lambda n, _r: reports.append(n))
    assert wait_until(lambda: bool(reports))
    assert reports == [player.backend] == [name.removesuffix("-in-process")]
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


def test_a_live_session_on_the_real_clock_sounds_every_cue_on_time(alsa_capture: Path) -> None:
    """The runner, the listener and the player together, with due times on the monotonic clock."""
    steps = []
    for rep in (1, 2, 3):
        steps.append(Step(StepKind.WORK, rep=rep))
        if rep < 3:
            steps.append(Step(StepKind.RECOVERY, min_s=0.2, max_s=0.6))
    plan = Plan("3 short reps", tuple(steps))
    bank = ClipBank()
    player = chain_on("miniaudio", bank)
    heard: list[tuple[str, ...]] = []
    runner = Runner(Session(plan, countdown_s=1), MonotonicClock())
    runner.listeners += [CueListener(player), lambda s, ev: heard.extend(cue_batches_of(s, ev))]
    runner.act(ActionKind.START)
    while not runner.session.finished:
        time.sleep(0.02)
        runner.tick()
        if runner.session.running_phase is Phase.REP and runner.session.elapsed() > 0.3:
            runner.act(ActionKind.MARK)
    assert wait_until(lambda: player.played == len(heard))
    player.close()
    assert player.dropped_late == 0
    clips = [bank.render(cues).pcm for cues in heard]
    assert find_in_order(alsa_capture.read_bytes(), clips) == len(heard)
    assert heard[-1] == ("tone_marked", "tone_done", "say_done")


def cue_batches_of(session: Session, events: tuple[Event, ...]) -> list[tuple[str, ...]]:
    """The cue batches a listener hears for ``events``."""
    return [batch.cues for batch in cue_batches(events, session.plan)]
