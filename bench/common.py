"""What every benchmark shares: the figure it reports, statistics, and process CPU and memory."""

from __future__ import annotations

import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
"""The interpreter the benchmarks run everything with (trackside and the baselines alike)."""
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Figure:
    """One row of the table: a median, its baseline, and the budget it is held to."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    budget: str = ""
    passed: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline


def median(values: Sequence[float]) -> float:
    """The median, or NaN for no values."""
    return statistics.median(values) if values else math.nan


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank), or NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process ``pid`` so far (its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / CLOCK_TICKS


def children_of(pid: int) -> list[int]:
    """The direct children of ``pid`` (a shell's, a tmux pane's)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(child) for child in path.read_text().split()]
    except OSError:
        return []


def fmt(value: float | None, unit: str) -> str:
    """A value with its unit, at a precision that suits it."""
    if value is None or math.isnan(value):
        return "-"
    if unit == "%":
        return f"{value:.2f} %"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit == "ms":
        return f"{value:.1f} ms" if abs(value) < 100 else f"{value:.0f} ms"
    if unit == "µs":
        return f"{value:.1f} µs"
    return f"{value:g} {unit}"


def table(figures: Sequence[Figure]) -> str:
    """The figures as a fixed-width table."""
    head = ("figure", "median", "baseline", "ratio", "budget", "pass")
    rows = [head]
    for f in figures:
        ratio = f.ratio
        base = fmt(f.baseline, f.unit)
        if f.baseline_name and f.baseline is not None:
            base = f"{base} ({f.baseline_name})"
        verdict = {True: "pass", False: "FAIL", None: "-"}[f.passed]
        ratio_text = "-" if ratio is None else f"{ratio:.2f}x"
        rows.append((f.name, fmt(f.value, f.unit), base, ratio_text, f.budget, verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines + (["", "notes:", *notes] if notes else []))


def frame_times(app: Any) -> list[float]:
    """The ``perf_counter`` time of every frame the app (headless) draws from now on, as the
    terminal would get it: the list fills as it draws."""
    frames: list[float] = []
    display = app._display

    def timed(screen: object, update: object) -> None:
        frames.append(time.perf_counter())
        display(screen, update)

    app._display = timed
    return frames


PYCACHE = Path(tempfile.gettempdir()) / "trackside-bench-pycache"


def bytecode_env() -> dict[str, str]:
    """Cached bytecode, as after ``pip install`` (which compiles it), even in an editable
    checkout run with ``PYTHONDONTWRITEBYTECODE``: kept in a private folder, not in ``src``."""
    return {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(PYCACHE)}


def scratch_env(root: Path) -> dict[str, str]:
    """Settings, history and sound kept away from the user's: fresh folders, a silent card,
    and cached bytecode (see :func:`bytecode_env`)."""
    (root / "config").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(parents=True, exist_ok=True)
    card = root / "asound-null.conf"
    card.write_text("pcm.!default { type null }\n")
    return {
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_DATA_HOME": str(root / "data"),
        "ALSA_CONFIG_PATH": str(card),
        "PULSE_SERVER": "unix:/nonexistent",
        **bytecode_env(),
    }
