"""A workout written as a trackside preset (TOML): blocks of reps, found again in its steps.

A preset has a warmup, blocks of reps with one recovery after each rep (and another after the
last rep of each set), and a cooldown. Workouts from elsewhere can have more steps between two
reps (a rest, then a jog) or before the first: those are made one step, its words naming each
part ("rest 1:00, then jog 200m"), and a line says so. Lengths a preset cannot hold (part
seconds) are rounded to the second, and said; a workout without a rep cannot be a preset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from trackside.core.plan import Step, StepKind
from trackside.core.safe import is_visible
from trackside.core.timefmt import clock
from trackside.interop import InteropError
from trackside.interop.words import clean, distance_text, length_words, whole_seconds
from trackside.interop.workout import Workout

MAX_WORDS = 200
MAX_NOTE = 2000
MAX_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class _Block:
    work: Step
    recovery: Step | None
    set_recovery: Step | None = None
    reps: int = 1
    sets: int = 1


Pair = tuple[Step, Step | None]
"""A rep and the step after it (None after the workout's last rep)."""


def preset_toml(workout: Workout, file: str) -> tuple[str, list[str]]:
    """The workout as preset TOML, and the lines to tell; raises :class:`InteropError` when it
    has no rep or a step a preset cannot hold."""
    notices: list[str] = []
    steps = [replace(step, rep=None) for step in workout.steps]
    reps = [i for i, step in enumerate(steps) if step.is_rep]
    if not reps:
        raise InteropError([f"{file}: no rep in it (a preset needs at least one work step)"])
    slot = _Slots(workout, file, notices)
    warmup = slot.merge(range(0, reps[0]), StepKind.WARMUP)
    cooldown = slot.merge(range(reps[-1] + 1, len(steps)), StepKind.COOLDOWN)
    pairs: list[Pair] = []
    for here, after in zip(reps, [*reps[1:], None], strict=True):
        gap = None if after is None else slot.merge(range(here + 1, after), StepKind.RECOVERY)
        pairs.append((steps[here], gap))
    writer = _Writer(file, notices)
    lines = [f"# Converted by trackside from {clean(file, 200)}.", ""]
    lines.append(f"name = {_text(writer.words(workout.name, 'its name'))}")
    if workout.description:
        lines.append(f"description = {_text(writer.note(workout.description, 'its text'))}")
    if warmup is not None:
        lines.append(f"warmup = {writer.recovery(warmup, 'the warmup')}")
    if cooldown is not None:
        lines.append(f"cooldown = {writer.recovery(cooldown, 'the cooldown')}")
    for block in blocks(pairs):
        lines += ["", "[[block]]"]
        if block.sets > 1:
            lines.append(f"sets = {block.sets}")
        if block.reps > 1:
            lines.append(f"reps = {block.reps}")
        lines.append(f"work = {writer.work(block.work)}")
        if block.recovery is not None:
            lines.append(f"recovery = {writer.recovery(block.recovery, 'a recovery')}")
        if block.set_recovery is not None:
            lines.append(f"set_recovery = {writer.recovery(block.set_recovery, 'a recovery')}")
    if writer.problems:
        raise InteropError(writer.problems)
    return "\n".join(lines) + "\n", notices


def blocks(pairs: Sequence[Pair]) -> list[_Block]:
    """Blocks that expand to ``pairs``: runs of the same rep and recovery, and sets of them
    (a run ended by a different recovery, repeated)."""
    out: list[_Block] = []
    i, n = 0, len(pairs)
    while i < n:
        work, gap = pairs[i]
        run = _run(pairs, i, (work, gap))
        unit = [(work, gap)] * run
        after = pairs[i + run] if i + run < n else None
        if after is not None and after[0] == work and after[1] not in (None, gap):
            unit.append(after)
            sets = _copies(pairs, i, unit)
            # The workout's last set has nothing after its last rep.
            last = [*unit[:-1], (work, None)]
            if list(pairs[i + sets * len(unit) :]) == last:
                sets += 1
            out.append(_Block(work, gap, after[1], len(unit), sets))
            i += min(sets * len(unit), n - i)
        elif after == (work, None) and i + run == n - 1 and gap is not None:
            out.append(_Block(work, gap, reps=run + 1))
            i = n
        else:
            out.append(_Block(work, gap, reps=run))
            i += run
    return out


def _run(pairs: Sequence[Pair], start: int, pair: Pair) -> int:
    run = 0
    while start + run < len(pairs) and pairs[start + run] == pair:
        run += 1
    return run


def _copies(pairs: Sequence[Pair], start: int, unit: list[Pair]) -> int:
    count, size = 0, len(unit)
    while list(pairs[start + count * size : start + (count + 1) * size]) == unit:
        count += 1
    return count


class _Slots:
    """The steps between two reps (or before the first, after the last), made one step."""

    def __init__(self, workout: Workout, file: str, notices: list[str]) -> None:
        self.workout, self.file, self.notices = workout, file, notices

    def merge(self, indexes: range, kind: StepKind) -> Step | None:
        steps = [replace(self.workout.steps[i], rep=None) for i in indexes]
        if not steps:
            return None
        where = self._where(indexes)
        if len(steps) == 1:
            step = steps[0]
            if step.kind is not kind and step.kind is not StepKind.RECOVERY:
                self.notices.append(f"{where}: a {step.kind.value} here is run as a {kind.value}")
            return replace(step, kind=kind)
        merged = _merged(steps, kind)
        self.notices.append(
            f"{where}: {len(steps)} steps in a row made one {kind.value} "
            f"({merged.activity}): a preset has one step there"
        )
        return merged

    def _where(self, indexes: range) -> str:
        first, last = self.workout.origin(indexes[0]), self.workout.origin(indexes[-1])
        if first == last:
            return f"{self.file}: {first}"
        unit, _, start = first.partition(" ")
        return f"{self.file}: {unit}s {start}-{last.partition(' ')[2]}"


def _merged(steps: list[Step], kind: StepKind) -> Step:
    times = [step.time_s for step in steps]
    metres = [step.distance_m for step in steps]
    open_ends = all(s.time_s is None and not s.has_window for s in steps)
    total_time = sum(t for t in times if t is not None) if None not in times else None
    total_m = sum(m for m in metres if m is not None) if None not in metres and open_ends else None
    parts = []
    for step in steps:
        what = (step.effort if step.is_rep else step.activity) or step.kind.value
        length = length_words(step.time_s) if step.time_s is not None else step.distance_text
        parts.append(" ".join(part for part in (what, length) if part))
    notes = [step.note for step in steps if step.note]
    return Step(
        kind=kind,
        distance_m=total_m,
        distance_text=None if total_m is None else distance_text(total_m),
        time_s=total_time,
        activity=", then ".join(parts),
        note=" / ".join(notes) or None,
    )


class _Writer:
    """Steps as TOML inline tables, values checked against what a preset holds."""

    def __init__(self, file: str, notices: list[str]) -> None:
        self.file, self.notices = file, notices
        self.problems: list[str] = []

    def work(self, step: Step) -> str:
        fields = [("distance", self._distance(step)), ("time", self._time(step.time_s, "a rep"))]
        fields.append(("effort", _maybe(self.words(step.effort, "a rep's effort"))))
        if step.all_out:
            fields.append(("all_out", "true"))
        fields.append(("note", _maybe(self.note(step.note, "a rep's note"))))
        return _table(fields)

    def recovery(self, step: Step, what: str) -> str:
        fields = [("distance", self._distance(step))]
        fields.append(("activity", _maybe(self.words(step.activity, f"{what}'s words"))))
        fields.append(("time", self._time(step.time_s, what)))
        fields.append(("min", self._time(step.min_s, what)))
        fields.append(("max", self._time(step.max_s, what)))
        fields.append(("note", _maybe(self.note(step.note, f"{what}'s note"))))
        return _table(fields)

    def words(self, text: str | None, what: str) -> str | None:
        return self._cut(text, MAX_WORDS, what)

    def note(self, text: str | None, what: str) -> str | None:
        return self._cut(text, MAX_NOTE, what)

    def _cut(self, text: str | None, limit: int, what: str) -> str | None:
        kept = clean(text, limit)
        if text is not None and kept != clean(text):
            self.notices.append(f"{self.file}: {what} cut to {limit} characters")
        return kept

    def _distance(self, step: Step) -> str | None:
        if step.distance_m is None:
            return None
        return _text(step.distance_text or distance_text(step.distance_m))

    def _time(self, seconds: float | None, what: str) -> str | None:
        if seconds is None:
            return None
        whole = round(seconds)
        if not whole_seconds(seconds):
            self.notices.append(
                f"{self.file}: {what}: {length_words(seconds)} rounded to {clock(whole)}"
            )
        if not 0 < whole <= MAX_SECONDS:
            self.problems.append(f"{self.file}: {what}: a length of {length_words(seconds)}")
            return None
        return str(whole) if whole < 60 else _text(clock(whole))


def _maybe(text: str | None) -> str | None:
    return None if text is None else _text(text)


def _table(fields: list[tuple[str, str | None]]) -> str:
    return "{ " + ", ".join(f"{key} = {value}" for key, value in fields if value) + " }"


def _text(value: str | None) -> str:
    """A TOML basic string: quotes and backslashes escaped, any control or bidi character as
    \\uXXXX (the same text once read, and a file safe to print)."""
    out = ['"']
    for char in value or "":
        if char in '"\\':
            out.append("\\" + char)
        elif not is_visible(char):
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)
