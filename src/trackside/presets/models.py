"""The preset format: pydantic models of a TOML preset, and its expansion into a plan.

The models mirror the file one to one (``[[block]]``, ``work``, ``recovery`` …), are frozen and
reject unknown keys, so a typo like ``recovey`` is an error rather than a silently missing
recovery. :meth:`Preset.to_plan` turns a valid preset into the flat
:class:`~trackside.core.plan.Plan` the session engine runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from trackside.core.plan import Display, Plan, Step, StepKind
from trackside.core.timefmt import clock
from trackside.presets.checked import CheckedPreset
from trackside.presets.units import Distance, parse_distance, parse_duration

MAX_STEPS = 1000
"""Most steps (reps, recoveries, warmup, cooldown) a workout may expand to."""

Text = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[
    StrictStr, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
]
Duration = Annotated[int, PlainValidator(parse_duration)]
"""Whole seconds, written ``"m:ss"``, ``"h:mm:ss"`` or as a number."""
DistanceField = Annotated[Distance, PlainValidator(parse_distance)]
Count = Annotated[StrictInt, Field(ge=1, le=MAX_STEPS)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WorkStep(_Model):
    """A rep. Without ``time`` it ends when the runner presses the key; with it, by itself."""

    distance: DistanceField | None = None
    time: Duration | None = None
    effort: Text | None = None
    """Free text shown during the rep: ``"3K effort"``, ``"All You Got"``."""
    all_out: StrictBool = False
    note: LongText | None = None

    def to_step(self, rep: int) -> Step:
        """This rep as plan step number ``rep`` (1-based over the whole workout)."""
        return Step(
            kind=StepKind.WORK,
            distance_m=None if self.distance is None else self.distance.metres,
            distance_text=None if self.distance is None else self.distance.text,
            time_s=None if self.time is None else float(self.time),
            effort=self.effort,
            all_out=self.all_out,
            note=self.note,
            rep=rep,
        )


class RecoveryStep(_Model):
    """A recovery, set recovery, warmup or cooldown.

    At most one of: ``time`` (fixed length, ends by itself); a window of ``min`` and/or ``max``
    (the key ends it only once ``min`` has passed; it ends by itself at ``max``); or neither
    (open: it ends on the key).
    """

    distance: DistanceField | None = None
    activity: Text | None = None
    """What the runner does: jog, walk, rest, float …"""
    note: LongText | None = None
    time: Duration | None = None
    min: Duration | None = None
    max: Duration | None = None

    @field_validator("min", "max")
    @classmethod
    def _time_or_window(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and info.data.get("time") is not None:
            raise ValueError("give either time or a min/max window, not both")
        return value

    @field_validator("max")
    @classmethod
    def _window_in_order(cls, value: int | None, info: ValidationInfo) -> int | None:
        low = info.data.get("min")
        if value is not None and low is not None and value <= low:
            raise ValueError(f"must be more than min ({clock(low)}), got {clock(value)}")
        return value

    def to_step(self, kind: StepKind) -> Step:
        """This step in the plan, as a ``kind`` step (warmup, recovery or cooldown)."""
        return Step(
            kind=kind,
            distance_m=None if self.distance is None else self.distance.metres,
            distance_text=None if self.distance is None else self.distance.text,
            time_s=_seconds(self.time),
            min_s=_seconds(self.min),
            max_s=_seconds(self.max),
            activity=self.activity,
            note=self.note,
        )


class Block(_Model):
    """``sets`` x ``reps`` of one work step, with the recoveries between them."""

    reps: Count = 1
    sets: Count = 1
    work: WorkStep
    recovery: RecoveryStep | None = None
    """After each rep (and after the last rep of a set when there is no ``set_recovery``)."""
    set_recovery: RecoveryStep | None = None
    """After the last rep of each set, instead of ``recovery``."""

    @property
    def total_reps(self) -> int:
        return self.reps * self.sets

    def gap_after(self, rep_in_set: int) -> RecoveryStep | None:
        """The recovery after rep ``rep_in_set`` (1-based) of a set, if any."""
        if rep_in_set == self.reps and self.set_recovery is not None:
            return self.set_recovery
        return self.recovery

    def step_count(self, last: bool) -> int:
        """Steps this block expands to; the ``last`` block has nothing after its last rep."""
        set_ends = self.sets if self.gap_after(self.reps) is not None else 0
        others = (self.total_reps - self.sets) if self.recovery is not None else 0
        trailing = 1 if last and set_ends else 0
        return self.total_reps + set_ends + others - trailing


class Preset(_Model):
    """A whole preset file: what it is, and the blocks of reps it expands to."""

    name: Text
    description: LongText | None = None
    designed_for: Text | None = None
    periodization: Text | None = None
    exertion: Annotated[StrictInt, Field(ge=1, le=10)] | None = None
    """Prescribed effort of the session, out of 10."""
    display: Display = Display.TIME
    """What the screen shows during reps: the effort, or a running clock."""
    warmup: RecoveryStep | None = None
    blocks: list[Block] = Field(alias="block", min_length=1)
    cooldown: RecoveryStep | None = None

    @model_validator(mode="after")
    def _not_too_long(self) -> Preset:
        count = self.step_count
        if count > MAX_STEPS:
            raise ValueError(f"the workout expands to {count} steps, at most {MAX_STEPS}")
        return self

    @property
    def total_reps(self) -> int:
        """Reps in the whole workout."""
        return sum(block.total_reps for block in self.blocks)

    @property
    def step_count(self) -> int:
        """Steps the workout expands to, counted without expanding it."""
        last = len(self.blocks) - 1
        count = sum(block.step_count(i == last) for i, block in enumerate(self.blocks))
        return count + (self.warmup is not None) + (self.cooldown is not None)

    def to_plan(self) -> Plan:
        """Expand into the steps the engine runs: warmup, every block's reps, cooldown."""
        steps: list[Step] = []
        if self.warmup is not None:
            steps.append(self.warmup.to_step(StepKind.WARMUP))
        steps.extend(self._main_set())
        if self.cooldown is not None:
            steps.append(self.cooldown.to_step(StepKind.COOLDOWN))
        return Plan(name=self.name, steps=tuple(steps), display=self.display)

    def checked(self) -> CheckedPreset:
        """This preset as plain data: what the app runs, and what the cache keeps."""
        return CheckedPreset(
            name=self.name,
            description=self.description,
            designed_for=self.designed_for,
            periodization=self.periodization,
            exertion=self.exertion,
            plan=self.to_plan(),
        )

    def _main_set(self) -> Iterator[Step]:
        total = self.total_reps
        rep = 0
        for block in self.blocks:
            for _set in range(block.sets):
                for rep_in_set in range(1, block.reps + 1):
                    rep += 1
                    yield block.work.to_step(rep)
                    gap = block.gap_after(rep_in_set)
                    # Nothing after the last rep of the workout: the cooldown (if any) follows.
                    if gap is not None and rep < total:
                        yield gap.to_step(StepKind.RECOVERY)


def _seconds(value: int | None) -> float | None:
    return None if value is None else float(value)
