"""An expanded workout: the flat list of steps a session runs through, in order."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StepKind(StrEnum):
    """What the runner is doing in a step."""

    WARMUP = "warmup"
    WORK = "work"
    RECOVERY = "recovery"
    COOLDOWN = "cooldown"


class Display(StrEnum):
    """What the screen shows during a rep: the effort (the watch records) or a running clock."""

    EFFORT = "effort"
    TIME = "time"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a plan.

    How a step ends follows from its fields: ``time_s`` set means it ends by itself after that
    long; otherwise ``max_s`` set means it ends by itself at the maximum; otherwise it ends on the
    key. ``min_s`` means the key ends it only once that much time has passed.
    """

    kind: StepKind
    distance_m: float | None = None
    """Planned distance in metres, if the step has one."""
    distance_text: str | None = None
    """The distance as the preset wrote it (``"400m"``, ``"1mi"``), for display."""
    time_s: float | None = None
    """Fixed length: the step ends by itself after this long."""
    min_s: float | None = None
    """Start of the window: before this the key does not end the step."""
    max_s: float | None = None
    """End of the window: the step ends by itself here."""
    effort: str | None = None
    all_out: bool = False
    activity: str | None = None
    note: str | None = None
    rep: int | None = None
    """1-based rep number for work steps (over the whole workout)."""

    @property
    def auto_end_s(self) -> float | None:
        """Active seconds after which the step ends by itself, or None if it waits for the key."""
        return self.time_s if self.time_s is not None else self.max_s

    @property
    def has_window(self) -> bool:
        return self.min_s is not None or self.max_s is not None

    @property
    def is_rep(self) -> bool:
        return self.kind is StepKind.WORK


@dataclass(frozen=True, slots=True)
class Plan:
    """A workout expanded into steps, with what the engine needs to run it."""

    name: str
    steps: tuple[Step, ...]
    display: Display = Display.TIME

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a plan needs at least one step")

    @property
    def total_reps(self) -> int:
        return sum(1 for step in self.steps if step.is_rep)

    @property
    def final_rep_index(self) -> int | None:
        """Index of the last work step: the final rep, which looks and sounds like no other."""
        for index in range(len(self.steps) - 1, -1, -1):
            if self.steps[index].is_rep:
                return index
        return None

    def recovery_range_s(self) -> tuple[float, float | None]:
        """The least and most total time of the recoveries between reps, set recoveries
        included, the warmup and cooldown not (most is None when one is open)."""
        low = 0.0
        high: float | None = 0.0
        for step in self.steps:
            if step.kind is not StepKind.RECOVERY:
                continue
            fixed = step.time_s
            low += fixed if fixed is not None else (step.min_s or 0.0)
            most = fixed if fixed is not None else step.max_s
            high = None if high is None or most is None else high + most
        return low, high
