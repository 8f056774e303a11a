"""Cues for a coach's group: the athlete's number before their go, window and finish; the
group's start once; athletes told the same thing at once named together."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from audio_helpers import find_in_order, wait_until

from trackside.audio.child import ChildLane
from trackside.audio.clips import ClipBank
from trackside.audio.cues import ALL_CUES, CueBatch
from trackside.audio.group_cues import (
    GroupCueListener,
    athlete_cues,
    group_batches,
    group_upcoming,
)
from trackside.audio.player import ChainPlayer
from trackside.audio.recording import RecordingPlayer
from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind, Event, EventKind
from trackside.core.group import Athlete, Group
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


def group(offsets: tuple[int, ...] = (0, 0, 0)) -> Group:
    return Group([Athlete(n, PLAN, o) for n, o in zip("ABC", offsets, strict=True)], 3)


def test_an_athletes_go_says_their_number() -> None:
    go = Event(EventKind.REP_STARTED, 10.0, step=2, rep=2)
    assert athlete_cues(2, go) == ("tone_go", "num_3", "say_go")
    window = Event(EventKind.WINDOW_OPENED, 10.0, step=1)
    assert athlete_cues(11, window) == ("tone_window", "num_12", "say_window_open")
    assert athlete_cues(0, Event(EventKind.REP_MARKED, 10.0, step=0)) == ("tone_marked",)
    every = {c for i in range(20) for k in EventKind for c in athlete_cues(i, Event(k, 0.0))}
    assert every <= ALL_CUES  # every cue is a shipped clip


def test_the_group_start_is_heard_once_and_everyone_goes_together() -> None:
    started, events = group().apply_all(ActionKind.START, 0.0)
    batches = group_batches(events, group())
    # The group's own start cue (three rising notes), not the single runner's pip.
    assert [b.cues for b in batches] == [("tone_group_start", "num_3")]
    _, later = started.advance(3.0)
    *countdown, go = group_batches(later)
    assert [b.cues for b in countdown] == [("tone_start_pip", "num_2"), ("tone_start_pip", "num_1")]
    assert go.due == 3.0
    assert go.cues[-4:] == ("num_1", "num_2", "num_3", "say_go")
    assert go.cues.count("say_go") == 1


def test_a_staggered_athlete_hears_their_own_go() -> None:
    staggered = group((0, 10, 20))
    started, at_space = staggered.apply_all(ActionKind.START, 0.0)
    # At Space the group's start is heard once, with the first athlete's 3.
    assert [b.cues for b in group_batches(at_space, staggered)] == [("tone_group_start", "num_3")]
    _, events = started.advance(13.0)
    cues = [b.cues for b in group_batches(events)]
    assert cues[:3] == [("tone_start_pip", "num_2"), ("tone_start_pip", "num_1")] + [
        ("tone_go", "num_1", "say_go")
    ]
    # B's countdown of 13 s is said only from 3: at 10, 11 and 12 s, then B goes.
    assert cues[-4:] == [
        ("tone_start_pip", "num_3"),
        ("tone_start_pip", "num_2"),
        ("tone_start_pip", "num_1"),
        ("tone_go", "num_2", "say_go"),
    ]


def test_the_listener_plays_each_batch_on_the_player() -> None:
    player = RecordingPlayer()
    clock = FakeClock(0.0)
    runner = GroupRunner(group(), clock, listeners=[GroupCueListener(player)])
    runner.act_all(ActionKind.START)
    clock.advance(3.0)
    runner.tick()
    clock.advance(40.0)
    runner.act(1, ActionKind.MARK)
    clock.advance(30.0)
    runner.tick()  # B's window opens
    played = player.played
    assert played[0] == ("tone_group_start", "num_3")
    assert ("tone_marked",) in played
    assert played[-1] == ("tone_window", "num_2", "say_window_open")


class AtOnce:
    """A player's ``play`` with the due time left out: each batch is played at once."""

    def __init__(self, player: ChainPlayer) -> None:
        self.player = player

    def play(self, cues: Sequence[str], due: float | None = None) -> None:
        self.player.play(cues)

    def expect(self, batches: Sequence[CueBatch]) -> None:
        """Nothing told ahead: each batch is played when it comes."""


@pytest.mark.skipif(shutil.which("aplay") is None, reason="needs alsa-utils")
def test_a_groups_cues_reach_the_card_in_order(alsa_capture: Path) -> None:
    """The group's start, the 3-2-1, "one, two, three — go", a mark and "two — window open",
    through the group runner, the listener and the real player, as samples on ALSA's file
    plugin."""
    bank = ClipBank()
    reports: list[str] = []
    lane = ChildLane(("ALSA",))
    player = ChainPlayer([lane], bank=bank, on_backend=lambda n, _r: reports.append(n))
    assert wait_until(lambda: bool(reports))
    assert wait_until(lane.ready.is_set)
    clock = FakeClock(0.0)
    # Each batch played as it comes: on a fake clock, a due time is not the player's to judge
    # (what the player does with a late cue is its own tests' business).
    runner = GroupRunner(group(), clock, listeners=[GroupCueListener(AtOnce(player))])  # type: ignore[arg-type]
    try:
        for step in ("start", 1.0, 1.0, 1.0, "mark", 30.0):
            seen = player.played
            if step == "start":
                runner.act_all(ActionKind.START)
            elif step == "mark":
                clock.advance(40.0)
                runner.act(1, ActionKind.MARK)
            else:
                clock.advance(float(step))
                runner.tick()
            assert wait_until(lambda seen=seen: player.played > seen)
    finally:
        player.close()
    expected = [
        ("tone_group_start", "num_3"),
        ("tone_start_pip", "num_2"),
        ("tone_start_pip", "num_1"),
        ("tone_go", "num_1", "num_2", "num_3", "say_go"),
        ("tone_marked",),
        ("tone_window", "num_2", "say_window_open"),
    ]
    clips = [bank.render(cues).pcm for cues in expected]
    assert find_in_order(alsa_capture.read_bytes(), clips) == len(expected)


def test_the_groups_cues_are_told_ahead_as_they_will_sound() -> None:
    """What the group sounds by itself (the 3-2-1, the go, a window opening, a recovery's end)
    is told to the player ahead, with the cues and due time it has when it comes, so the player
    starts it at its moment whatever the screen is doing then."""
    player = RecordingPlayer()
    clock = FakeClock(0.0)
    runner = GroupRunner(group(), clock, listeners=[GroupCueListener(player)])
    runner.act_all(ActionKind.START)
    told = {(b.due, b.cues) for b in player.expected}
    assert (1.0, ("tone_start_pip", "num_2")) in told
    assert (3.0, ("tone_go", "num_1", "num_2", "num_3", "say_go")) in told
    clock.advance(3.0)
    runner.tick()
    clock.advance(40.0)
    runner.act(1, ActionKind.MARK)  # B in recovery: their window opens at 73 s by itself
    assert (73.0, ("tone_window", "num_2", "say_window_open")) in {
        (b.due, b.cues) for b in player.expected
    }
    ahead = list(player.expected)
    clock.advance(30.0)
    runner.tick()
    # What came due is played with the cues and moment it was told with.
    window = player.requests[-1]
    assert any(b.cues == window.cues and b.due == window.due for b in ahead)
    # The group is unchanged by looking ahead.
    assert group_upcoming(runner.group) == group_upcoming(runner.group)
