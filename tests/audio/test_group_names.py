"""A group's cues that name the athlete: "Ann — go" from her name's clip once it is made, her
number before (and for an athlete without one), the clip played by every backend."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from audio_helpers import find_in_order, wait_until
from requires import require_program

from trackside.audio.backends import SystemBackend
from trackside.audio.child import ChildLane
from trackside.audio.clips import ClipBank, read_wav
from trackside.audio.cues import CueBatch
from trackside.audio.group_cues import GroupCueListener, group_batches, name_call
from trackside.audio.lanes import Lane, LocalLane
from trackside.audio.names import name_clips
from trackside.audio.player import ChainPlayer
from trackside.audio.recording import RecordingPlayer
from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind, Event, EventKind
from trackside.core.group import Athlete, AthleteEvent, Group
from trackside.core.group_runner import GroupRunner
from trackside.core.plan import Plan, Step, StepKind

PLAN = Plan(
    "2 x 200m",
    (
        Step(StepKind.WORK, 200.0, rep=1),
        Step(StepKind.RECOVERY, min_s=30.0, max_s=60.0),
        Step(StepKind.WORK, 200.0, rep=2),
    ),
)
NAMES = {"Ann": "name_ann", "Cid": "name_cid"}
"""Ann and Cid have a clip; Ben has none."""


def group(offsets: tuple[int, ...] = (0, 0, 0)) -> Group:
    athletes = [Athlete(n, PLAN, o) for n, o in zip(("Ann", "Ben", "Cid"), offsets, strict=True)]
    return Group(athletes, 3)


def test_an_athlete_with_a_clip_is_named_by_it_and_one_without_by_number() -> None:
    call = name_call(group(), NAMES)
    go = Event(EventKind.REP_STARTED, 10.0, step=2, rep=2)
    assert group_batches([_at(0, go)], call=call)[0].cues == ("tone_go", "name_ann", "say_go")
    assert group_batches([_at(1, go)], call=call)[0].cues == ("tone_go", "num_2", "say_go")
    window = Event(EventKind.WINDOW_OPENED, 10.0, step=1)
    assert group_batches([_at(2, window)], call=call)[0].cues == (
        "tone_window",
        "name_cid",
        "say_window_open",
    )
    # Everyone sent off together: named one after the other, "go" said once.
    started, _ = group().apply_all(ActionKind.START, 0.0)
    _, events = started.advance(3.0)
    assert group_batches(events, call=call)[-1].cues == (
        "tone_go",
        "name_ann",
        "num_2",
        "name_cid",
        "say_go",
    )


def test_numbers_until_the_names_are_ready_then_names_without_a_cue_twice() -> None:
    """Names that come mid-group are heard from the next batch told ahead; what was told
    ahead with numbers comes due as it was told, so the player plays it once."""
    player = RecordingPlayer()
    listener = GroupCueListener(player)
    clock = FakeClock(0.0)
    runner = GroupRunner(group(), clock, listeners=[listener])
    runner.act_all(ActionKind.START)
    told_go = [b for b in player.expected if b.due == 3.0]
    assert [b.cues for b in told_go] == [("tone_go", "num_1", "num_2", "num_3", "say_go")]
    listener.hear_names(NAMES)  # the clips made meanwhile, on their thread
    clock.advance(1.0)
    runner.tick()  # the 2 of the 3-2-1: told again, the go now with names
    assert [b.cues for b in player.expected if b.due == 3.0] == [
        ("tone_go", "name_ann", "num_2", "name_cid", "say_go")
    ]
    clock.advance(2.0)
    runner.tick()
    assert player.played[-1] == ("tone_go", "name_ann", "num_2", "name_cid", "say_go")
    assert ("tone_go", "num_1", "num_2", "num_3", "say_go") not in player.played


def test_names_that_come_as_a_batch_is_due_leave_it_as_told() -> None:
    player = RecordingPlayer()
    listener = GroupCueListener(player)
    clock = FakeClock(0.0)
    runner = GroupRunner(group(), clock, listeners=[listener])
    runner.act_all(ActionKind.START)
    clock.advance(2.0)
    runner.tick()
    listener.hear_names(NAMES)
    clock.advance(1.0)
    runner.tick()  # the go was told with numbers: it is played so
    assert player.played[-1] == ("tone_go", "num_1", "num_2", "num_3", "say_go")
    clock.advance(40.0)
    runner.act(0, ActionKind.MARK)
    assert ("tone_window", "name_ann", "say_window_open") in [b.cues for b in player.expected]


LaneMaker = Callable[[ClipBank], Lane]
LANES: dict[str, LaneMaker] = {
    "miniaudio": lambda bank: ChildLane(("ALSA",)),
    "aplay": lambda bank: LocalLane(SystemBackend(bank, [["aplay", "-q"]]), bank),
}


class AtOnce:
    """A player's ``play`` with the due time left out: each batch is played at once (on a
    fake clock a due time is not the player's to judge)."""

    def __init__(self, player: ChainPlayer) -> None:
        self.player = player

    def play(self, cues: Sequence[str], due: float | None = None) -> None:
        self.player.play(cues)

    def expect(self, batches: Sequence[CueBatch]) -> None:
        """Nothing told ahead: each batch is played when it comes."""


@pytest.mark.parametrize("early", [False, True], ids=["after-start", "before-start"])
@pytest.mark.parametrize("lane_name", LANES)
def test_the_name_clip_is_what_reaches_the_card_for_ann_go(
    alsa_capture: Path, tmp_path: Path, lane_name: str, early: bool
) -> None:
    """Ann's name made by espeak-ng into the cache, given to the lane before it starts or
    after (the miniaudio process too), and "Ann — go" through the group runner as samples on
    ALSA's file plugin: the tone, then the very samples of her clip, then "go"."""
    require_program("espeak-ng", "espeak-ng")
    require_program("aplay", "alsa-utils")
    cache = tmp_path / "cache"
    cache.mkdir()
    made = name_clips(["Ann", "Ben"], cache)
    assert made.problem is None
    bank = ClipBank()
    reports: list[str] = []
    lane = LANES[lane_name](bank)
    if early:
        lane.add_clips(dict(made.clips.values()))
    player = ChainPlayer([lane], bank=bank, on_backend=lambda n, _r: reports.append(n))
    assert wait_until(lambda: bool(reports))
    assert wait_until(lane.ready.is_set)
    if not early:
        player.add_clips(dict(made.clips.values()))
    listener = GroupCueListener(AtOnce(player))  # type: ignore[arg-type]
    listener.hear_names({name: cue for name, (cue, _) in made.clips.items()})
    clock = FakeClock(0.0)
    staggered = Group([Athlete("Ann", PLAN, 0), Athlete("Ben", PLAN, 20)], 3)
    runner = GroupRunner(staggered, clock, listeners=[listener])
    try:
        runner.act_all(ActionKind.START)  # the group's start, then 2, 1 and "Ann — go"
        for _ in range(3):
            clock.advance(1.0)
            runner.tick()
        assert wait_until(lambda: player.played == 4)
    finally:
        player.close()
    ann_cue, ann_file = made.clips["Ann"]
    bank.add_clips({ann_cue: ann_file})  # the test's own bank, to render the batch
    parts = [bank.sound("tone_go"), read_wav(ann_file), bank.sound("say_go")]
    assert find_in_order(alsa_capture.read_bytes(), [p.tobytes() for p in parts]) == 3
    assert bank.render(("tone_go", ann_cue, "say_go")).pcm in alsa_capture.read_bytes()


def _at(athlete: int, event: Event) -> AthleteEvent:
    return AthleteEvent(athlete, event)
