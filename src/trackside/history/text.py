"""The history as text for the command line (pure: views in, lines out).

What the runner or a preset wrote (a preset's name, a note) is made visible
(:func:`~trackside.core.safe.visible`): a history row is text from elsewhere.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from functools import lru_cache

from trackside.core.results import chart
from trackside.core.safe import visible
from trackside.core.stats import CriticalSpeed, Effort, WorkoutStats, slope_per_session
from trackside.core.timefmt import clock, split
from trackside.history.group_views import GroupLine
from trackside.history.progress import CS_DAYS, BestSoFar, Progress
from trackside.history.store import Status
from trackside.history.views import Comparison, Detail, Overview, StepRow, local_time

_STATUS = {
    Status.RUNNING: "unfinished",
    Status.COMPLETED: "completed",
    Status.ENDED_EARLY: "ended early",
    Status.DISCARDED: "discarded",
}


STATUS_WORDS = _STATUS
"""How a session (or a group) stands, in the runner's words, by its status."""


def status_text(line: Overview) -> str:
    """How a session stands, in the runner's words."""
    return "damaged" if line.problem is not None else _STATUS[line.status]


def _table(rows: Sequence[Sequence[str]], right: frozenset[int]) -> list[str]:
    widths = [max(map(len, column)) for column in zip(*rows, strict=True)]
    # One format for every row: a history of ten thousand sessions is one table.
    line = "  ".join(f"{{:{'>' if i in right else '<'}{width}}}" for i, width in enumerate(widths))
    return [line.format(*row).rstrip() for row in rows]


def sparkline(values: Sequence[float]) -> str:
    """One line, one character a value: taller is more (slower, or more fade)."""
    return chart(values, 1)[0] if values else ""


def trend(view: Comparison) -> list[str]:
    """The average rep and the fade of the latest sessions of the preset, as sparklines."""
    out = []
    averages = view.trend_averages()
    if len(averages) >= 2:
        slope = slope_per_session(averages) or 0.0
        out.append(
            f"average rep, last {len(averages)} sessions: {sparkline(averages)} "
            f"{split(averages[0])} -> {split(averages[-1])} ({slope:+.2f} s a session)"
        )
    fades = view.trend_sdec()
    if len(fades) >= 2:
        out.append(
            f"fade (Sdec), last {len(fades)} sessions:  {sparkline(fades)} "
            f"{_pct(fades[0])} -> {_pct(fades[-1])}"
        )
    return out


@lru_cache(maxsize=4096)
def _split_tenths(tenths: int) -> str:
    return split(tenths / 10)


def _average(seconds: float | None) -> str:
    """A split as :func:`~trackside.core.timefmt.split` writes it, remembered by the tenth:
    ten thousand averages are a few hundred different splits."""
    if seconds is None:
        return "-"
    return _split_tenths(max(0, math.floor(seconds * 10 + 1e-6)))


_MINUTES = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)]


@lru_cache(maxsize=4096)
def _day(year: int, month: int, day: int) -> str:
    return f"{year}-{month:02d}-{day:02d}"


def _when(wall: float) -> str:
    """``local_time(wall)`` (``2026-11-30 07:05``), its pieces remembered: ten thousand sessions
    are a few thousand days."""
    t = time.localtime(wall)
    return f"{_day(t.tm_year, t.tm_mon, t.tm_mday)} {_MINUTES[t.tm_hour * 60 + t.tm_min]}"


_NO_LINE = (0, 0, None)


@lru_cache(maxsize=4096)
def shown_name(name: str) -> str:
    """A preset's name made visible, remembered: ten thousand sessions are a few presets."""
    return visible(name)


def listing(lines: Sequence[Overview], groups: Sequence[GroupLine] = ()) -> list[str]:
    """``trackside history``: one row per session, oldest first; a coach's group one row,
    ``G3`` (``trackside history G3`` opens it to its athletes)."""
    rows = [("ID", "DATE", "PRESET", "REPS", "AVERAGE", "STATUS", "FELT")]
    when, average, statuses = _when, _average, _STATUS  # a loop of ten thousand: names at hand
    name = shown_name
    for line in lines:
        figures, rating = line.figures, line.rating
        done, planned, mean = _NO_LINE if figures is None else figures.line
        rows.append(
            (
                str(line.id),
                when(line.started_wall),
                name(line.preset_name),
                f"{done}/{planned}",
                average(mean),
                "damaged" if line.problem is not None else statuses[line.status],
                "-" if rating is None else f"{rating}/10",
            )
        )
    if groups:
        return _table([rows[0], *_with_groups(lines, rows[1:], groups)], frozenset({0, 3, 4}))
    return _table(rows, right=frozenset({0, 3, 4}))


def _with_groups(
    lines: Sequence[Overview], rows: Sequence[Sequence[str]], groups: Sequence[GroupLine]
) -> list[Sequence[str]]:
    """The sessions' rows and the groups', by when each started."""
    dated: list[tuple[float, Sequence[str]]] = [
        (line.started_wall, row) for line, row in zip(lines, rows, strict=True)
    ]
    for group in groups:
        what = f"{group.title} · {group.athletes} athletes"
        row = (
            f"G{group.id}",
            _when(group.started_wall),
            what,
            "-",
            "-",
            _STATUS[group.status],
            "-",
        )
        dated.append((group.started_wall, row))
    dated.sort(key=lambda pair: pair[0])
    return [row for _, row in dated]


def detail(view: Detail) -> list[str]:
    """``trackside history SESSION``: the session like its summary."""
    line = view.overview
    out = [
        f"{shown_name(line.preset_name)}: session {line.id}, "
        f"{local_time(line.started_wall, '%a %Y-%m-%d %H:%M')}, {status_text(line)}",
        _figures(line),
    ]
    workout = workout_text(line.workout)
    if workout:
        out.append(workout)
    felt = _felt(line)
    if felt:
        out.append(felt)
    out += ["", *_steps(view.steps)]
    if view.bests:
        out += ["", bests_text(view.bests)]
    if view.comparison is not None:
        out += ["", *comparison(view.comparison)]
    return out


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def workout_text(workout: WorkoutStats) -> str:
    """Fade, evenness, windows kept and the final rep, in one line (empty if none apply)."""
    parts = []
    if workout.sdec_pct is not None:
        parts.append(f"fade (Sdec) {_pct(workout.sdec_pct)}")
    if workout.cv_pct is not None:
        parts.append(f"variation (CV) {_pct(workout.cv_pct)}")
    adherence = workout.window_adherence_pct
    if adherence is not None:
        parts.append(f"windows kept {workout.windows_met} of {workout.windows} ({adherence:.0f}%)")
    versus = workout.final_vs_rest_pct
    if versus is not None:
        how = "faster" if versus < 0 else "slower"
        parts.append(f"final rep {_pct(abs(versus))} {how} than the rest")
    return ", ".join(parts)


def metres(distance: float) -> str:
    """A rep distance as a runner writes it: ``400m``, ``1.5km``."""
    return f"{distance:g}m" if distance < 1000 else f"{distance / 1000:g}km"


def bests_text(bests: Sequence[BestSoFar]) -> str:
    """Each distance's fastest rep of the session against the best before it."""
    parts = []
    for best in bests:
        today = f"{metres(best.today.distance_m)} {split(best.today.seconds)}"
        before = best.before
        if before is None:
            parts.append(f"{today} (first at this distance)")
        elif best.is_best:
            parts.append(f"{today} (personal best, was {split(before.seconds)})")
        else:
            when = "" if before.wall is None else f", {local_time(before.wall, '%Y-%m-%d')}"
            parts.append(f"{today} (best {split(before.seconds)}{when})")
    return "best reps: " + "; ".join(parts)


def _figures(line: Overview) -> str:
    stats = line.stats
    head = f"reps {line.reps_done} of {line.reps_planned}"
    if stats is None:
        return head
    parts = [head, f"average {split(stats.average)}", f"spread {split(stats.spread)}"]
    parts.append(f"fastest {split(stats.fastest[1])} (rep {stats.fastest[0]})")
    parts.append(f"slowest {split(stats.slowest[1])} (rep {stats.slowest[0]})")
    if stats.final is not None:
        parts.append(f"final {split(stats.final)}")
    return ", ".join(parts)


def _felt(line: Overview) -> str:
    parts = []
    if line.rating is not None:
        prescribed = f" (prescribed {line.exertion}/10)" if line.exertion is not None else ""
        parts.append(f"felt {line.rating}/10{prescribed}")
    if line.note:
        parts.append(f"note: {visible(line.note, newlines=True)}")
    return "; ".join(parts)


def _window(row: StepRow) -> str:
    if row.window_min_s is None and row.window_max_s is None:
        return ""
    low = "" if row.window_min_s is None else split(row.window_min_s)
    high = "" if row.window_max_s is None else split(row.window_max_s)
    return f"{low}-{high}"


def _steps(steps: Sequence[StepRow]) -> list[str]:
    rows = [("#", "STEP", "TIME", "WINDOW", "")]
    for row in steps:
        name = f"rep {row.rep}" if row.kind == "rep" and row.rep is not None else row.kind
        if row.final:
            name += " (final)"
        flag = row.flag or ("in window" if row.window_met else "")
        rows.append((str(row.step), name, split(row.duration_s), _window(row), flag))
    return _table(rows, right=frozenset({0, 2}))


def _versus(today: float | None, before: float | None) -> str:
    if today is None:
        return "-"
    if before is None:
        return split(today)
    delta = today - before
    sign = "+" if delta >= 0 else "-"
    return f"{split(today)} ({sign}{split(abs(delta))} s)"


def comparison(view: Comparison) -> list[str]:
    """Today against the earlier sessions of the same preset, and a chart of the averages."""
    count = len(view.previous)
    today = view.today
    lines = [
        f"against the {count} earlier session{'s' if count != 1 else ''} of this preset: "
        f"average {_versus(today.average, view.previous_average)}, "
        f"spread {_versus(today.spread, view.previous_spread)}, "
        f"final {_versus(today.final, view.previous_final)}",
        "average rep by session (taller is slower; today on the right):",
    ]
    return [*lines, *("  " + row for row in chart(view.chart_values(), 3)), *trend(view)]


def _effort_row(effort: Effort) -> tuple[str, str, str]:
    where = "" if effort.session_id is None else f"session {effort.session_id}"
    if effort.wall is not None:
        where += f", {local_time(effort.wall, '%Y-%m-%d')}"
    return metres(effort.distance_m), split(effort.seconds), where


def stats_short(view: Progress) -> list[str]:
    """Personal bests and critical speed in two lines, for the top of the History screen."""
    if not view.bests:
        return ["Personal bests: none yet (marked reps with a distance)"]
    bests = " · ".join(f"{metres(e.distance_m)} {split(e.seconds)}" for e in view.bests)
    found = view.critical
    if not isinstance(found, CriticalSpeed):
        return [f"Personal bests: {bests}", f"Critical speed: none ({found.reason})"]
    used = ", ".join(metres(e.distance_m) for e in found.efforts)
    return [
        f"Personal bests: {bests}",
        f"Critical speed (estimate): {found.speed:.2f} m/s, {clock(found.pace_per_km_s)}/km · "
        f"D' {found.d_prime_m:.0f} m · R² {found.r_squared:.3f} · from {used}, "
        f"last {CS_DAYS} days",
    ]


def stats(view: Progress) -> list[str]:
    """``trackside history --stats``: personal bests, and critical speed as an estimate."""
    count = f"{view.sessions} session{'s' if view.sessions != 1 else ''}"
    if not view.bests:
        return [f"Personal bests: none yet in {count} (marked reps with a distance)"]
    out = [f"Personal bests (the fastest marked rep at each distance, {count}):"]
    out += ["  " + row for row in _table([_effort_row(e) for e in view.bests], frozenset({1}))]
    found = view.critical
    span = f"the last {CS_DAYS} days of the history"
    if view.since_wall is not None:
        span += f" (from {local_time(view.since_wall, '%Y-%m-%d')})"
    if not isinstance(found, CriticalSpeed):
        return [*out, "", f"Critical speed: none from {span}: {found.reason}"]
    used = ", ".join(f"{metres(e.distance_m)} {split(e.seconds)}" for e in found.efforts)
    return [
        *out,
        "",
        f"Critical speed (an estimate): {found.speed:.2f} m/s, {clock(found.pace_per_km_s)} "
        f"a km; D' {found.d_prime_m:.0f} m; R² {found.r_squared:.3f}",
        f"  a linear distance-time fit over the best efforts of {span}: {used}",
        "  From training reps, not an all-out test: the pace you could hold for about half an "
        "hour, and the metres beyond it.",
    ]
