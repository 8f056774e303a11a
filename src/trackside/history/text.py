"""The history as text for the command line (pure: views in, lines out)."""

from __future__ import annotations

from collections.abc import Sequence

from trackside.core.results import chart
from trackside.core.timefmt import split
from trackside.history.views import Comparison, Detail, Overview, StepRow, local_time

_STATUS = {"running": "unfinished", "ended-early": "ended early"}


def status_text(line: Overview) -> str:
    """How a session stands, in the runner's words."""
    return _STATUS.get(line.status.value, line.status.value)


def _table(rows: Sequence[Sequence[str]], right: frozenset[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            f"{cell:>{widths[i]}}" if i in right else f"{cell:<{widths[i]}}"
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def listing(lines: Sequence[Overview]) -> list[str]:
    """``trackside history``: one row per session, oldest first."""
    rows = [("ID", "DATE", "PRESET", "REPS", "AVERAGE", "STATUS", "FELT")]
    for line in lines:
        rows.append(
            (
                str(line.id),
                local_time(line.started_wall),
                line.preset_name,
                f"{line.reps_done}/{line.reps_planned}",
                "-" if line.average_s is None else split(line.average_s),
                status_text(line),
                "-" if line.rating is None else f"{line.rating}/10",
            )
        )
    return _table(rows, right=frozenset({0, 3, 4}))


def detail(view: Detail) -> list[str]:
    """``trackside history SESSION``: the session like its summary."""
    line = view.overview
    out = [
        f"{line.preset_name}: session {line.id}, "
        f"{local_time(line.started_wall, '%a %Y-%m-%d %H:%M')}, {status_text(line)}",
        _figures(line),
    ]
    felt = _felt(line)
    if felt:
        out.append(felt)
    out += ["", *_steps(view.steps)]
    if view.comparison is not None:
        out += ["", *comparison(view.comparison)]
    return out


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
        parts.append(f"note: {line.note}")
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
    return lines + ["  " + row for row in chart(view.chart_values(), 3)]
