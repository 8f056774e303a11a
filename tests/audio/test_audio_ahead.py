"""Cues told ahead: what the listener tells, what the player withdraws, and what sounds.

The session's own cues (the 3-2-1, the window, the pips, a step ending by itself) are told to the
player before they are due, so they start at their moment whatever the app's thread is doing; any
key takes back what is no longer coming. Driven through whole sessions on a fake clock with the
player's own bookkeeping (:class:`~trackside.audio.player.Told`), what sounds is exactly what the
runner heard, and every cue that came out of a tick had been told ahead.
"""

from __future__ import annotations

from collections.abc import Sequence

from audio_helpers import FakeBackend, chain, make_21x400, wait_until
from hypothesis import given, settings
from hypothesis import strategies as st

from trackside.audio import SOUND_CHECK, CueBatch, CueListener, RecordingPlayer, cue_batches
from trackside.audio.chain import Request
from trackside.audio.clips import ClipBank
from trackside.audio.cues import upcoming
from trackside.audio.player import EARLY_S, Told
from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.runner import Runner
from trackside.core.session import Session

A = ActionKind
WINDOW = ("tone_window", "say_window_open")


class ToldPlayer(RecordingPlayer):
    """A player keeping the chain player's record of what was told ahead, and what it sent."""

    def __init__(self) -> None:
        super().__init__()
        self.told = Told()
        self.now: list[tuple[tuple[str, ...], float | None]] = []
        self.sent: list[Request] = []
        self.withdrawn: list[Request] = []

    def play(self, cues: Sequence[str], due: float | None = None) -> None:
        super().play(cues, due)
        if not self.told.claim(CueBatch(due or 0.0, tuple(cues)), due or 0.0):
            self.now.append((tuple(cues), due))

    def expect(self, batches: Sequence[CueBatch]) -> None:
        stale, new = self.told.expect(batches, 1.0)
        self.withdrawn += stale
        self.sent += new

    def ahead(self) -> list[tuple[tuple[str, ...], float]]:
        """What was told ahead and not withdrawn (it sounds at its moment)."""
        return [(r.cues, r.due) for r in self.sent if r not in self.withdrawn]

    def sounded(self, until: float) -> list[tuple[tuple[str, ...], float]]:
        """Everything that sounds up to ``until``, in order of due time (then of arrival, as
        a scheduler plays two cues due at once)."""
        out = [(due or 0.0, n, cues) for n, (cues, due) in enumerate(self.now)]
        out += [(due, n, cues) for n, (cues, due) in enumerate(self.ahead()) if due <= until]
        return [(cues, due) for due, _, cues in sorted(out)]


def short_plan() -> Plan:
    steps: list[Step] = []
    for rep in (1, 2, 3):
        steps.append(Step(StepKind.WORK, 400, rep=rep))
        if rep < 3:
            steps.append(Step(StepKind.RECOVERY, 400, min_s=20, max_s=30))
    return Plan("3 x 400m", tuple(steps))


def rig(plan: Plan) -> tuple[Runner, FakeClock, ToldPlayer, list[CueBatch]]:
    clock = FakeClock(1000.0)
    runner = Runner(Session(plan), clock)
    player = ToldPlayer()
    heard: list[CueBatch] = []
    runner.listeners.append(lambda s, events: heard.extend(cue_batches(events, s.plan)))
    runner.listeners.append(CueListener(player))
    return runner, clock, player, heard


def test_the_3_2_1_and_a_recovery_ending_by_itself_are_told_before_they_are_due() -> None:
    runner, clock, player, heard = rig(short_plan())
    runner.act(A.START)
    assert player.now == [(("tone_start_pip", "num_3"), 1000.0)]
    assert sorted(player.ahead(), key=lambda item: item[1])[:2] == [
        (("tone_start_pip", "num_2"), 1001.0),
        (("tone_start_pip", "num_1"), 1002.0),
    ]
    clock.advance(3)
    runner.tick()
    assert len(player.now) == 1  # the 3-2-1 and "go" were all told ahead, none played twice
    clock.advance(70)
    runner.act(A.MARK)
    assert max(due for _cues, due in player.ahead()) == 1073.0 + 20  # the window: next
    clock.advance(20)
    runner.tick()
    # The pips from 25 s and the start of rep 2 at 30 s: all within reach now.
    due = sorted(due - 1073.0 for _cues, due in player.ahead())
    assert due[-7:] == [20.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0]
    clock.advance(11)
    runner.tick()
    assert [cues for cues, _ in player.sounded(clock.now())] == [b.cues for b in heard]


def test_a_pause_withdraws_what_was_told_and_a_resume_tells_it_again() -> None:
    runner, clock, player, heard = rig(short_plan())
    runner.act(A.START)
    clock.advance(3 + 70)
    runner.act(A.MARK)
    assert (WINDOW, 1093.0) in player.ahead()
    clock.advance(10)
    runner.act(A.PAUSE)
    assert [told for told in player.ahead() if told[1] > clock.now()] == []
    assert WINDOW in [request.cues for request in player.withdrawn]
    clock.advance(60)
    runner.act(A.RESUME)
    (again,) = [due for cues, due in player.ahead() if cues == WINDOW]
    assert again == clock.now() + 10  # the 10 s still to go before the window opens
    clock.advance(10.5)
    runner.act(A.MARK)
    assert [cues for cues, _ in player.sounded(clock.now())] == [b.cues for b in heard]


def test_upcoming_is_what_the_recovery_sounds_by_itself() -> None:
    session, _ = Session(make_21x400()).apply(A.START, 0.0)
    session, _ = session.apply(A.MARK, 75.0)  # rep 1 ends at 75 s: a 2:30-3:00 jog follows
    # Written out from the workout: the window at 2:30, five pips, rep 2 starting by itself.
    rep_2 = ("tone_auto_go", "say_rep", "num_2", "say_of", "num_20", "num_1")
    assert upcoming(session, horizon=1e9) == (
        CueBatch(225.0, WINDOW),
        *(CueBatch(250.0 + pip, ("tone_pip",)) for pip in range(5)),
        CueBatch(255.0, rep_2),
    )
    assert upcoming(session) == (CueBatch(225.0, WINDOW),)  # at least the next one
    later = session.advance(10_000.0).events
    assert upcoming(session, horizon=1e9) == cue_batches(later, session.plan)[:7]


def test_a_skip_during_the_3_2_1_sounds_go_at_once_not_when_it_was_told() -> None:
    runner, clock, player, heard = rig(short_plan())
    runner.act(A.START)
    go = ("tone_go", "say_rep", "num_1", "say_of", "num_3")
    assert (go, 1003.0) in player.ahead()
    clock.advance(2.5)
    runner.act(A.SKIP)
    assert (go, 1002.5) in player.now, "played now, not half a second late"
    assert (go, 1003.0) not in player.ahead(), "and the one told for 3 s withdrawn"
    assert [cues for cues, _ in player.sounded(1010.0)] == [b.cues for b in heard]


KEYS = st.lists(
    st.tuples(st.sampled_from(list(ActionKind)), st.floats(0, 40), st.booleans()),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(KEYS)
def test_what_sounds_is_what_the_runner_heard_and_ticks_only_bring_what_was_told(
    keys: list[tuple[ActionKind, float, bool]],
) -> None:
    runner, clock, player, heard = rig(short_plan())
    ticked: list[CueBatch] = []
    runner.act(A.START)
    for kind, wait, like_the_app in keys:
        key_at = clock.now() + wait
        if like_the_app:  # a tick at every moment of the session's own (after catching up)
            runner.tick()
            due = runner.session.next_due()
            while due is not None and due <= key_at:
                clock.set(due)
                ticked += cue_batches(runner.tick(), runner.session.plan)
                due = runner.session.next_due()
        clock.set(key_at)  # else the app was busy: what came due comes out with the key
        if runner.check(kind) is None:
            runner.act(kind)
    clock.advance(5)
    runner.tick()
    sounded = player.sounded(clock.now())
    for batch in heard:  # each at its moment, or a told one kept for a key less than EARLY_S early
        match = [s for s in sounded if s[0] == batch.cues and 0 <= s[1] - batch.due < EARLY_S]
        assert match, f"{batch} never sounds"
        sounded.remove(match[0])
    assert sounded == [], "nothing sounds that the runner did not hear"
    assert not set(player.now) & set(player.ahead())  # nothing both played and told
    assert not {(b.cues, b.due) for b in ticked} & set(player.now)  # ticks: all told ahead


def test_the_chain_starts_a_told_cue_at_its_moment_and_never_a_withdrawn_one(
    bank: ClipBank,
) -> None:
    clock = FakeClock(100.0)
    good = FakeBackend("good")
    player, _ = chain(good, bank=bank, clock=clock.now, poll=0.002)
    player.expect([CueBatch(101.0, WINDOW), CueBatch(101.5, ("tone_pip",))])
    player.play(("tone_marked",))
    assert wait_until(lambda: len(good.clips) == 1)
    player.expect([CueBatch(101.0, WINDOW)])  # the pip is no longer coming
    clock.advance(1.0)
    assert wait_until(lambda: len(good.clips) == 2)  # the window, at its moment
    player.play(WINDOW, 101.0)  # its event comes out: it sounded already
    clock.advance(0.6)
    player.play(("tone_go",))
    assert player.sound_check().result(timeout=5) == "good"
    player.close()
    assert [clip.cues for clip in good.clips] == [
        ("tone_marked",),
        WINDOW,
        ("tone_go",),
        SOUND_CHECK,
    ]


def test_muting_silences_a_told_cue_and_unmuting_brings_it_back_at_the_new_volume(
    bank: ClipBank,
) -> None:
    clock = FakeClock(100.0)
    good = FakeBackend("good")
    player, _ = chain(good, bank=bank, clock=clock.now, poll=0.002)
    player.expect([CueBatch(101.0, WINDOW), CueBatch(102.0, ("tone_pip",))])
    player.set_muted(True)
    clock.advance(1.5)  # the window's moment goes by, muted
    player.play(("tone_marked",))  # muted: dropped
    player.set_muted(False)
    player.set_volume(0.5)
    clock.advance(1.0)
    assert wait_until(lambda: len(good.clips) == 1)
    assert player.sound_check().result(timeout=5) == "good"
    player.close()
    assert [clip.cues for clip in good.clips] == [("tone_pip",), SOUND_CHECK]
    assert good.clips[0].pcm == bank.render(("tone_pip",), 0.5).pcm


def test_after_a_suspend_what_was_told_is_withdrawn_and_the_cue_judged_like_the_rest() -> None:
    clock = FakeClock(1000.0)
    player_time = [5000.0]  # the player's clock: it stops while the computer sleeps
    runner = Runner(Session(short_plan(), countdown_s=0), clock)
    player = ToldPlayer()
    runner.listeners.append(CueListener(player, lambda: player_time[0]))
    runner.act(A.START)
    clock.advance(70)
    player_time[0] += 70
    runner.act(A.MARK)
    assert (WINDOW, 5090.0) in player.ahead()  # 20 s into the recovery, player time
    clock.advance(600)  # asleep for ten minutes: the session's clock ran on, the player's not
    runner.tick()
    assert (WINDOW, 5090.0) not in player.ahead()
    assert (WINDOW, 1090.0 + 3400.0) in player.now  # 10 min late for the player: it drops it
