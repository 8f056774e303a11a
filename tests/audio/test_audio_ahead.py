"""Cues told ahead: what the listener schedules and cancels, and the chain player holding them.

A scheduling player is told each cue the session will sound by itself before it is due; any
key takes back what is no longer coming. Driven through whole sessions on a fake clock, what
sounds (played at once, or scheduled and never cancelled) is exactly what the runner heard.
"""

from __future__ import annotations

from collections.abc import Sequence

from audio_helpers import make_21x400, wait_until
from hypothesis import given, settings
from hypothesis import strategies as st
from test_audio_chain import FakeBackend, chain

from trackside.audio import CueBatch, CueListener, cue_batches
from trackside.audio.clips import ClipBank
from trackside.audio.cues import upcoming
from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.runner import Runner
from trackside.core.session import Session

A = ActionKind


class AheadPlayer:
    """A scheduling player that records: cues played at once, scheduled, and cancelled."""

    def __init__(self) -> None:
        self.now: list[tuple[tuple[str, ...], float | None]] = []
        self.ahead: dict[int, tuple[tuple[str, ...], float]] = {}
        self.cancelled: list[tuple[tuple[str, ...], float]] = []
        self._order: dict[int, int] = {}  # ticket, or minus the index in now: when it came

    def play(self, cues: Sequence[str], due: float | None = None) -> None:
        self.now.append((tuple(cues), due))
        self._order[-len(self.now)] = len(self._order)

    def schedule(self, cues: Sequence[str], due: float) -> int:
        ticket = len(self.ahead) + len(self.cancelled) + 1
        self.ahead[ticket] = (tuple(cues), due)
        self._order[ticket] = len(self._order)
        return ticket

    def cancel(self, ticket: int) -> None:
        self.cancelled.append(self.ahead.pop(ticket))

    def sounded(self, until: float) -> list[tuple[tuple[str, ...], float]]:
        """Everything that sounds up to ``until``, in order of due time (then of arrival, as
        the player process plays two cues due at once)."""
        out = [(due or 0.0, self._order[-n], cues) for n, (cues, due) in enumerate(self.now, 1)]
        ahead = self.ahead.items()
        out += [(due, self._order[t], cues) for t, (cues, due) in ahead if due <= until]
        return [(cues, due) for due, _, cues in sorted(out)]


def short_plan() -> Plan:
    steps: list[Step] = []
    for rep in (1, 2, 3):
        steps.append(Step(StepKind.WORK, 400, rep=rep))
        if rep < 3:
            steps.append(Step(StepKind.RECOVERY, 400, min_s=20, max_s=30))
    return Plan("3 x 400m", tuple(steps))


def rig(plan: Plan) -> tuple[Runner, FakeClock, AheadPlayer, list[CueBatch]]:
    clock = FakeClock(1000.0)
    runner = Runner(Session(plan), clock)
    player = AheadPlayer()
    heard: list[CueBatch] = []
    runner.listeners.append(lambda s, events: heard.extend(cue_batches(events, s.plan)))
    runner.listeners.append(CueListener(player))
    return runner, clock, player, heard


def test_the_3_2_1_and_a_recovery_ending_by_itself_are_scheduled_before_they_are_due() -> None:
    runner, clock, player, heard = rig(short_plan())
    runner.act(A.START)
    assert player.now == [(("tone_start_pip", "num_3"), 1000.0)]
    assert sorted(player.ahead.values(), key=lambda item: item[1])[:2] == [
        (("tone_start_pip", "num_2"), 1001.0),
        (("tone_start_pip", "num_1"), 1002.0),
    ]
    clock.advance(3)
    runner.tick()
    assert len(player.now) == 1  # the 3-2-1 and "go" were all told ahead, none played twice
    clock.advance(70)
    runner.act(A.MARK)
    assert max(due for _cues, due in player.ahead.values()) == 1073.0 + 20  # the window: next
    clock.advance(20)
    runner.tick()
    # The pips from 25 s and the start of rep 2 at 30 s: all within reach now.
    due = [due - 1073.0 for _cues, due in sorted(player.ahead.values(), key=lambda i: i[1])]
    assert due[-7:] == [20.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0]
    clock.advance(11)
    runner.tick()
    sounded = [cues for cues, _ in player.sounded(clock.now())]
    assert sounded == [batch.cues for batch in heard]


def test_a_pause_cancels_what_was_scheduled_and_a_resume_schedules_it_again() -> None:
    runner, clock, player, heard = rig(short_plan())
    runner.act(A.START)
    clock.advance(3 + 70)
    runner.act(A.MARK)
    window = ("tone_window", "say_window_open")
    assert window in [cues for cues, _ in player.ahead.values()]
    clock.advance(10)
    runner.act(A.PAUSE)
    assert player.ahead == {} or all(due <= clock.now() for _, due in player.ahead.values())
    assert window in [cues for cues, _ in player.cancelled]
    clock.advance(60)
    runner.act(A.RESUME)
    (again,) = [due for cues, due in player.ahead.values() if cues == window]
    assert again == clock.now() + 10  # the 10 s still to go before the window opens
    clock.advance(10.5)
    runner.act(A.MARK)
    assert [cues for cues, _ in player.sounded(clock.now())] == [b.cues for b in heard]


def test_upcoming_batches_are_the_ones_the_runner_hears_later() -> None:
    session, _ = Session(make_21x400()).apply(A.START, 0.0)
    session, _ = session.apply(A.MARK, 75.0)  # rep 1 ends before the countdown is over
    ahead = upcoming(session, horizon=1e9)
    later = session.advance(10_000.0).events
    assert ahead[: len(ahead)] == cue_batches(later, session.plan)[: len(ahead)]


KEYS = st.lists(
    st.tuples(st.sampled_from(list(ActionKind)), st.floats(0, 40), st.booleans()),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(KEYS)
def test_what_sounds_is_what_the_runner_heard_whatever_the_keys(
    keys: list[tuple[ActionKind, float, bool]],
) -> None:
    runner, clock, player, heard = rig(short_plan())
    runner.act(A.START)
    for kind, wait, tick_first in keys:
        clock.advance(wait)
        if tick_first:
            runner.tick()
        if runner.check(kind) is None:
            runner.act(kind)
    clock.advance(5)
    runner.tick()
    sounded = player.sounded(clock.now())
    assert [(cues, due) for cues, due in sounded] == [(b.cues, b.due) for b in heard]
    assert not set(player.now) & set(player.ahead.values())  # nothing both played and ahead


def test_the_chain_holds_a_scheduled_cue_for_a_worker_backend_and_drops_a_cancelled_one(
    bank: ClipBank,
) -> None:
    clock = FakeClock(100.0)
    good = FakeBackend("good")
    player, _ = chain(good, bank=bank, clock=clock.now)
    kept = player.schedule(("tone_window",), 101.0)
    dropped = player.schedule(("tone_pip",), 101.5)
    player.play(("tone_marked",))
    assert wait_until(lambda: len(good.clips) == 1)
    player.cancel(dropped)
    clock.advance(1.6)  # both were due: the window plays (0.6 s late), the pip was cancelled
    player.play(("tone_go",))
    assert wait_until(lambda: len(good.clips) == 3)
    player.cancel(kept)  # played already: nothing happens
    player.close()
    assert [clip.cues for clip in good.clips] == [("tone_marked",), ("tone_window",), ("tone_go",)]


def test_muting_silences_a_scheduled_cue_and_unmuting_brings_it_back(bank: ClipBank) -> None:
    clock = FakeClock(100.0)
    good = FakeBackend("good")
    player, _ = chain(good, bank=bank, clock=clock.now)
    player.schedule(("tone_window",), 101.0)
    player.schedule(("tone_pip",), 102.0)
    player.set_muted(True)
    clock.advance(1.5)
    player.play(("tone_marked",))  # muted: dropped
    player.set_muted(False)
    player.set_volume(0.5)
    clock.advance(1.0)
    assert player.sound_check().result(timeout=5) == "good"
    player.close()
    assert [clip.cues for clip in good.clips] == [("tone_pip",), ("tone_go", "say_check")]
    assert good.clips[0].pcm == bank.render(("tone_pip",), 0.5).pcm


def test_after_a_suspend_what_was_told_ahead_is_taken_back_and_judged_like_the_rest() -> None:
    clock = FakeClock(1000.0)
    player_time = [5000.0]  # the player's clock: it stops while the computer sleeps
    runner = Runner(Session(short_plan(), countdown_s=0), clock)
    player = AheadPlayer()
    runner.listeners.append(CueListener(player, lambda: player_time[0]))
    runner.act(A.START)
    clock.advance(70)
    player_time[0] += 70
    runner.act(A.MARK)
    window = ("tone_window", "say_window_open")
    assert (window, 5090.0) in player.ahead.values()  # 20 s into the recovery, player time
    clock.advance(600)  # asleep for ten minutes: the session's clock ran on, the player's not
    runner.tick()
    assert (window, 5090.0) in player.cancelled
    assert (window, 1090.0 + 3400.0) in player.now  # 10 min late for the player: it drops it
