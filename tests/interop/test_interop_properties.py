"""Properties over many workouts: repeats found give the same steps back; any workout of
preset-shaped steps survives FIT and intervals.icu text exactly; garbage only ever raises
:class:`InteropError`."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trackside.core.plan import Step, StepKind
from trackside.interop import InteropError
from trackside.interop.fitworkout import read_workout, write_workout
from trackside.interop.icuread import read_text
from trackside.interop.icuwrite import write_text
from trackside.interop.presetfile import preset_toml
from trackside.interop.words import distance_metres, read_words, say
from trackside.interop.workout import Repeat, Workout, compress, expand, numbered
from trackside.presets.loader import parse_preset

DISTANCES = (None, "200m", "400m", "1.5km", "2mi", "0.25mi", "1500m")
EFFORTS = (None, "3K effort", "easy strides", "rep race", "Mile, relaxed", "Tout ½ – vite")
ACTIVITIES = (None, "jog", "walk", "rest", "recovery jog", "drills", "float back")
NOTES = (None, "stay tall", "walk, then jog to the start")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def reps(draw: st.DrawFn) -> Step:
    distance = draw(st.sampled_from(DISTANCES))
    timed = distance is None and draw(st.booleans())
    return Step(
        StepKind.WORK,
        distance_m=None if distance is None else distance_metres(distance),
        distance_text=distance,
        time_s=float(draw(st.sampled_from((20, 45, 90)))) if timed else None,
        effort=draw(st.sampled_from(EFFORTS)),
        all_out=draw(st.booleans()),
        note=draw(st.sampled_from(NOTES)),
    )


@st.composite
def easy_steps(draw: st.DrawFn, kind: StepKind) -> Step:
    distance = draw(st.sampled_from(DISTANCES))
    length = draw(st.sampled_from(("open", "time", "min", "max", "window")))
    low, high = (None, None)
    time_s = None
    if length == "time":
        time_s = float(draw(st.sampled_from((10, 60, 150, 600))))
    elif length != "open":
        low = 120.0 if length in ("min", "window") else None
        high = 180.0 if length in ("max", "window") else None
    return Step(
        kind,
        distance_m=None if distance is None else distance_metres(distance),
        distance_text=distance,
        time_s=time_s,
        min_s=low,
        max_s=high,
        activity=draw(st.sampled_from(ACTIVITIES)),
        note=draw(st.sampled_from(NOTES)),
    )


@st.composite
def workouts(draw: st.DrawFn) -> Workout:
    """A preset's shape: an optional warmup, reps each followed by a recovery but the last,
    blocks of identical reps so there are repeats to find, an optional cooldown."""
    steps: list[Step] = []
    if draw(st.booleans()):
        steps.append(draw(easy_steps(StepKind.WARMUP)))
    blocks = draw(
        st.lists(
            st.tuples(reps(), easy_steps(StepKind.RECOVERY), st.integers(1, 5)),
            min_size=1,
            max_size=4,
        )
    )
    for rep, recovery, count in blocks:
        steps += [rep, recovery] * count
    steps.pop()
    if draw(st.booleans()):
        steps.append(draw(easy_steps(StepKind.COOLDOWN)))
    return Workout("Generated", numbered(steps))


@SETTINGS
@given(st.lists(st.sampled_from("abcab"), max_size=40))
def test_compress_then_expand_gives_the_steps_back(letters: list[str]) -> None:
    pool = {letter: Step(StepKind.WORK, effort=letter) for letter in "abc"}
    steps = numbered(pool[letter] for letter in letters)
    segments = compress(steps)
    assert expand(segments) == steps
    # Never more lines than steps: a repeat is only used when it saves some.
    lines = sum(len(s.steps) + 1 if isinstance(s, Repeat) else 1 for s in segments)
    assert lines <= len(steps)


@SETTINGS
@given(workouts())
def test_any_preset_shaped_workout_survives_fit(workout: Workout) -> None:
    data, notices = write_workout(workout, 1_780_000_000)
    assert notices == [] or "Garmin watches load at most" in notices[0]
    assert read_workout(data, "w.fit")[0].steps == workout.steps


@SETTINGS
@given(workouts())
def test_any_preset_shaped_workout_survives_intervals_text(workout: Workout) -> None:
    text, notices = write_text(workout)
    assert notices == []
    assert read_text(text, "w.txt", "w")[0].steps == workout.steps


@SETTINGS
@given(workouts())
def test_any_preset_shaped_workout_becomes_the_same_preset(workout: Workout) -> None:
    text, notices = preset_toml(workout, "w.fit")
    assert notices == []
    assert parse_preset(text, "w.toml").to_plan().steps == workout.steps


@SETTINGS
@given(
    st.lists(
        st.one_of(reps(), *(easy_steps(kind) for kind in StepKind if kind is not StepKind.WORK)),
        min_size=1,
        max_size=30,
    )
)
def test_any_order_of_steps_is_a_valid_preset_or_one_clear_refusal(steps: list[Step]) -> None:
    workout = Workout("Any", numbered(steps))
    if not any(step.is_rep for step in steps):
        with pytest.raises(InteropError) as refused:
            preset_toml(workout, "any.txt")
        assert refused.value.lines == (
            "any.txt: no rep in it (a preset needs at least one work step)",
        )
        return
    text, notices = preset_toml(workout, "any.txt")
    plan = parse_preset(text, "any.toml").to_plan()
    assert plan.total_reps == sum(step.is_rep for step in steps)
    assert all(line.startswith("any.txt: ") for line in notices)


@pytest.mark.parametrize(
    ("words", "window"),
    [
        ("jog 400m, go 2:30–3:00", (150.0, 180.0)),
        ("jog 400m, go 2:30-3:00", (150.0, 180.0)),
        ("go after 2:00", (120.0, None)),
        ("walk, go by 1:00:00", (None, 3600.0)),
        ("jog, go 3:00–2:30", (None, None)),
    ],
)
def test_windows_are_read_back_from_the_words(
    words: str, window: tuple[float | None, float | None]
) -> None:
    read = read_words(words, window=True, all_out=False)
    assert (read.min_s, read.max_s) == window
    if read.has_window:
        assert say(read.what, read.distance, window) == words.replace("2:30-3:00", "2:30–3:00")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_are_refused_never_crash(data: bytes) -> None:
    with pytest.raises(InteropError):
        read_workout(b"\x0e\x20\x00\x00" + data, "junk.fit")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_reads_or_is_refused_never_crashes(text: str) -> None:
    lines: tuple[str, ...] = ()
    try:
        workout, _ = read_text(text, "junk.txt", "junk")
    except InteropError as error:
        lines = error.lines
    else:
        assert workout.steps
    assert all(line.startswith("junk.txt: ") for line in lines)
