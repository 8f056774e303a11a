"""The pure mapping from engine events to cues, driven through whole sessions on a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from audio_helpers import run_21x400
from hypothesis import given
from hypothesis import strategies as st

from trackside.audio import cue_batches, cues_for
from trackside.audio.clips import sounds_dir
from trackside.audio.cues import ALL_CUES, say_number, say_rep
from trackside.core.clock import FakeClock
from trackside.core.events import ActionKind, Event, EventKind
from trackside.core.plan import Display, Plan, Step, StepKind
from trackside.core.session import Session

A = ActionKind
SILENT = {
    EventKind.SESSION_STARTED,
    EventKind.RECOVERY_STARTED,
    EventKind.SKIPPED,
    EventKind.UNDONE,
}


def expected_21x400() -> list[tuple[str, ...]]:
    """What the runner hears, written out from the workout, not from the code under test."""
    heard: list[tuple[str, ...]] = [
        ("tone_start_pip", "num_3"),
        ("tone_start_pip", "num_2"),
        ("tone_start_pip", "num_1"),
        ("tone_go", "say_rep", "num_1", "say_of", "num_20", "num_1"),
    ]
    for rep in range(1, 21):
        last_recovery = rep == 20
        marked = ("tone_marked", "tone_final_next", "say_final_next")
        heard.append(marked if last_recovery else marked[:1])
        heard.append(("tone_window", "say_window_open"))
        spoken = ("say_final_rep", "say_all_you_got") if last_recovery else say_rep(rep + 1, 21)
        if rep % 2:  # started on the key inside the window
            heard.append(("tone_final_go" if last_recovery else "tone_go", *spoken))
        else:  # started by itself at 3:00, after five pips; the auto tone replaces "go"
            heard.extend([("tone_pip",)] * 5)
            tone = ("tone_auto_go", "tone_final_go") if last_recovery else ("tone_auto_go",)
            heard.append((*tone, *spoken))
    heard.append(("tone_marked", "tone_done", "say_done"))
    return heard


def test_whole_21x400m_session_sounds_every_cue_in_order(plan_21x400: Plan) -> None:
    batches = run_21x400(plan_21x400)
    assert [batch.cues for batch in batches] == expected_21x400()
    assert [batch.due for batch in batches] == sorted(batch.due for batch in batches)


def test_the_final_rep_sounds_like_no_other(plan_21x400: Plan) -> None:
    batches = run_21x400(plan_21x400)
    final = [b for b in batches if "tone_final_go" in b.cues]
    assert len(final) == 1
    assert final[0].cues[-3:] == ("tone_final_go", "say_final_rep", "say_all_you_got")
    assert sum("say_final_next" in b.cues for b in batches) == 1
    others = {cue for b in batches if b is not final[0] for cue in b.cues}
    assert "tone_final_go" not in others


def _started(plan: Plan) -> list[tuple[str, ...]]:
    """The cues of each rep's start, the session run rep by rep on the key."""
    session = Session(plan, 0).apply(A.START, 0.0).session
    heard = []
    now = 0.0
    while not session.finished:
        now += 60.0
        applied = session.apply(A.MARK, now)
        session = applied.session
        for event in applied.events:
            if event.kind in (EventKind.REP_STARTED, EventKind.FINAL_REP_STARTED):
                heard.append(cues_for(event, plan))
    return heard


def test_a_final_rep_not_run_all_out_is_the_final_rep_without_the_siren() -> None:
    reps = [Step(StepKind.WORK, 800.0, "800m", effort="10K", rep=rep) for rep in (1, 2, 3)]
    rest = Step(StepKind.RECOVERY)
    plan = Plan("3 x 800m", (reps[0], rest, reps[1], rest, reps[2]))
    started = _started(plan)
    assert started[0] == ("tone_go", *say_rep(2, 3))
    assert started[-1] == ("tone_go", "say_final_rep")
    assert all("say_all_you_got" not in cues for cues in started)
    assert all("tone_final_go" not in cues for cues in started)


def test_an_all_out_rep_is_told_all_you_got_and_only_the_final_one_gets_the_siren() -> None:
    sprints = [Step(StepKind.WORK, 200.0, "200m", all_out=True, rep=rep) for rep in (1, 2, 3)]
    rest = Step(StepKind.RECOVERY)
    plan = Plan("3 x 200m", (sprints[0], rest, sprints[1], rest, sprints[2]))
    started = _started(plan)
    assert started[0] == ("tone_go", *say_rep(2, 3), "say_all_you_got")
    assert started[-1] == ("tone_final_go", "say_final_rep", "say_all_you_got")


def test_a_rep_number_reads_as_words() -> None:
    assert say_rep(7, 21) == ("say_rep", "num_7", "say_of", "num_20", "num_1")
    assert say_number(19) == ("num_19",)
    assert say_number(40) == ("num_40",)
    assert say_number(99) == ("num_90", "num_9")
    assert say_number(0) == () == say_number(100)
    assert say_rep(3, 120) == ("say_rep", "num_3")


@given(st.integers(1, 99), st.integers(1, 99))
def test_every_rep_phrase_has_a_sound_file(rep: int, total: int) -> None:
    assert set(say_rep(rep, total)) <= ALL_CUES


def test_every_cue_has_its_file_and_every_file_a_cue() -> None:
    files = {path.stem for path in Path(sounds_dir()).glob("*.wav")}
    assert files == set(ALL_CUES)


@pytest.mark.parametrize("kind", list(EventKind))
def test_every_event_kind_either_sounds_or_is_silent_on_purpose(
    kind: EventKind, plan_21x400: Plan
) -> None:
    cues = cues_for(Event(kind, 0.0, step=1, rep=1, value=3.0), plan_21x400)
    assert bool(cues) is (kind not in SILENT)
    assert set(cues) <= ALL_CUES


@given(st.floats(0, 10_000), st.sampled_from(list(Display)))
def test_no_split_is_ever_spoken(split: float, display: Display) -> None:
    plan = Plan("x", (Step(StepKind.WORK, rep=1),), display=display)
    for kind in (EventKind.REP_MARKED, EventKind.REP_ENDED, EventKind.AUTO_ENDED):
        cues = cues_for(Event(kind, 5.0, step=0, rep=1, value=split), plan)
        assert not any(cue.startswith("num_") for cue in cues)


def test_pause_and_resume_have_their_own_tones(plan_21x400: Plan) -> None:
    clock = FakeClock(0.0)
    session = Session(plan_21x400, countdown_s=0)
    heard: list[tuple[str, ...]] = []
    for kind, wait in ((A.START, 0), (A.PAUSE, 10), (A.RESUME, 30), (A.END, 5)):
        clock.advance(wait)
        session, events = session.apply(kind, clock.now())
        heard += [batch.cues for batch in cue_batches(events, plan_21x400)]
    assert heard == [
        ("tone_go", *say_rep(1, 21)),
        ("tone_paused",),
        ("tone_resumed",),
        ("tone_stop", "say_ended"),
    ]


def test_a_timed_rep_ending_by_itself_sounds_stop_and_a_warmup_says_so() -> None:
    plan = Plan(
        "timed",
        (
            Step(StepKind.WARMUP, time_s=10),
            Step(StepKind.WORK, time_s=20, rep=1),
            Step(StepKind.RECOVERY, time_s=10),
            Step(StepKind.WORK, time_s=20, rep=2),
        ),
    )
    session, events = Session(plan, countdown_s=0).apply(A.START, 0.0)
    later = session.advance(100.0).events
    heard = [batch.cues for batch in cue_batches(events + later, plan)]
    assert heard[0] == ("tone_go", "say_warmup")
    assert ("tone_auto_go", *say_rep(1, 2)) in heard  # the warmup's end starts rep 1
    assert ("tone_stop", "tone_final_next", "say_final_next") in heard  # rep 1 ended by itself
    assert heard[-1] == ("tone_stop", "tone_done", "say_done")
