"""History at scale: the commands, the Summary's comparison and the History screen with 10,
1,000 and 10,000 sessions, side by side, and the file's size per session.

Each history is filled by :mod:`bench.history_fill` (the real engine and session log, the
built-in presets) in a scratch folder, once per size and mix: ``mixed`` (every built-in preset
in turn) and ``21x400m`` (one preset only: every earlier session is compared). Then, each the
median of several runs:

- ``trackside history``, ``history N`` and ``export N`` (N the newest session) and
  ``export --all -o FILE``: the real command in a fresh interpreter, start to exit;
- the Summary's comparison: :func:`trackside.history.service.comparison_for` for the newest
  session, as the app calls it when the Summary opens, on a store just opened;
- the History screen's first rows: the app headless (``App.run_test``), from the history
  action to the first rows of the list on screen;
- bytes per session: the file (its log checkpointed) divided by the sessions in it.

The figure with 10 sessions is each row's baseline. Needs nothing but trackside installed::

    python -m bench.history                  # 10, 1,000 and 10,000 sessions (about 10 minutes)
    python -m bench.history --sizes 10 1000  # quicker
    python -m bench.history --keep DIR       # keep (and reuse) the filled histories in DIR
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.common import PYTHON, Figure, bytecode_env
from bench.history_fill import MIXES, fill

SIZES = (10, 1_000, 10_000)
QUICK_SIZES = (10, 1_000)
TIMEOUT_S = 300.0
"""A command slower than this is stopped and shown as ``>`` its limit."""
COMMANDS: dict[str, tuple[str, ...]] = {
    "history": ("history",),
    "history N": ("history", "{latest}"),
    "export N": ("export", "{latest}", "--format", "csv"),
    "export --all": ("export", "--all", "-o", "{out}"),
}


def history_path(root: Path, mix: str, size: int) -> Path:
    """Where the filled history of ``size`` sessions of ``mix`` lives (``root/.../history.db``,
    the file ``trackside`` finds with ``XDG_DATA_HOME=root/...``)."""
    return root / f"{mix}-{size}" / "trackside" / "history.db"


def ensure_filled(root: Path, mix: str, size: int) -> Path:
    """The history, filled now unless an earlier run left it complete."""
    path = history_path(root, mix, size)
    done = path.with_name("filled")
    if not done.exists():
        for old in path.parent.glob("history.db*"):
            old.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        fill(path, size, mix)
        seconds = time.monotonic() - started
        print(f"  filled {size} {mix} sessions in {seconds:.0f} s", file=sys.stderr, flush=True)
        done.write_text(f"{size}\n")
    return path


def latest_id(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT id FROM sessions WHERE status != 'discarded' ORDER BY started_wall DESC, id "
            "DESC LIMIT 1"
        ).fetchone()
    conn.close()
    return int(row[0])


def bytes_per_session(path: Path) -> float:
    """The file's size over its sessions, its log folded in first (as a closed app leaves it)."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        count = conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
    conn.close()
    return path.stat().st_size / count


def time_command(path: Path, args: Sequence[str], runs: int) -> float:
    """Median seconds of ``trackside ARGS`` on the history at ``path`` (inf if too slow)."""
    env = {**_base_env(), "XDG_DATA_HOME": str(path.parent.parent)}
    env["XDG_CONFIG_HOME"] = str(path.parent.parent / "config")
    out = path.parent / "export.out"
    filled = [a.format(latest=latest_id(path), out=out) for a in args]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [PYTHON, "-m", "trackside", *filled],
                env=env,
                capture_output=True,
                timeout=TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return float("inf")
        samples.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"trackside {' '.join(filled)}: {done.stderr.decode()[-500:]}")
    return statistics.median(samples)


def _base_env() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    return {**env, **bytecode_env()}


def time_in_child(what: str, path: Path, runs: int) -> float:
    """Median seconds of ``what`` (``compare`` or ``screen``) measured in a fresh interpreter."""
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [PYTHON, "-m", "bench.history", "child", what, str(path)],
            env={**_base_env(), "XDG_CONFIG_HOME": str(path.parent.parent / "config")},
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{what} on {path}: {done.stderr[-800:]}")
        samples.append(float(json.loads(done.stdout.splitlines()[-1])["seconds"]))
    return statistics.median(samples)


def child_compare(path: Path) -> float:
    """Seconds of the Summary's comparison for the newest session, on a store just opened."""
    from trackside.history.resume import replay
    from trackside.history.service import comparison_for
    from trackside.history.store import HistoryStore

    store = HistoryStore(path)
    store.open()
    session_id = latest_id(path)
    stored = store.session(session_id)
    actions = store.actions(session_id)
    session = replay(stored, actions, actions[-1].action.at + 1.0)
    started = time.perf_counter()
    comparison_for(store, session_id, stored.preset_id, session)
    return time.perf_counter() - started


async def child_screen(path: Path) -> float:
    """Seconds from the history action to the History screen's first rows, headless."""
    from trackside.core.clock import FakeClock
    from trackside.history.store import HistoryStore
    from trackside.tui.app import TracksideApp

    store = HistoryStore(path)
    store.open()
    app = TracksideApp(clock=FakeClock(), history=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        app.action_history()
        while not _rows_shown(app):
            await asyncio.sleep(0.002)
        await pilot.pause()  # the frame with them
        return time.perf_counter() - started


def _rows_shown(app: object) -> bool:
    from textual.widgets import DataTable

    screen = app.screen  # type: ignore[attr-defined]
    for table in screen.query(DataTable):
        if table.row_count > 0:
            return True
    # The virtual list: rows of the first page loaded and drawn.
    return any(getattr(widget, "rows_shown", 0) > 0 for widget in screen.query("*"))


def run(root: Path, sizes: Sequence[int], mixes: Sequence[str], runs: int) -> dict[str, dict]:
    """Every figure for every mix and size: ``{mix: {figure: {size: value}}}``.

    The sizes are measured in turn, one run of each figure at each size a round, and each
    figure is the median of its rounds: on a shared machine a busy spell then falls on every
    size alike instead of on the one measured just then.
    """
    paths = {(mix, size): ensure_filled(root, mix, size) for mix in mixes for size in sizes}
    samples: dict[tuple[str, str, int], list[float]] = {}
    for number in range(runs):
        print(f"  round {number + 1} of {runs}", file=sys.stderr, flush=True)
        for (mix, size), path in paths.items():
            for name, value in _one_round(path).items():
                samples.setdefault((mix, name, size), []).append(value)
    results: dict[str, dict] = {}
    for (mix, name, size), values in samples.items():
        results.setdefault(mix, {}).setdefault(name, {})[size] = statistics.median(values)
    for (mix, size), path in paths.items():
        results[mix].setdefault("bytes per session", {})[size] = bytes_per_session(path)
    return results


def _one_round(path: Path) -> dict[str, float]:
    """One run of each figure on the history at ``path``."""
    out = {name: time_command(path, args, 1) for name, args in COMMANDS.items()}
    out["Summary comparison"] = time_in_child("compare", path, 1)
    out["History screen, first rows"] = time_in_child("screen", path, 1)
    return out


def _cell(name: str, value: float) -> str:
    if name.startswith("bytes"):
        return f"{value:,.0f} B"
    if value == float("inf"):
        return f"> {TIMEOUT_S:.0f} s"
    return f"{value * 1000:,.0f} ms" if value < 10 else f"{value:,.1f} s"


def report(results: dict[str, dict], sizes: Sequence[int]) -> str:
    """One table per mix: a row per figure, a column per size, and the largest against 10."""
    out = []
    for mix, figures in results.items():
        head = [f"{mix} sessions", *(f"{s:,}" for s in sizes), f"{sizes[-1]:,} / {sizes[0]:,}"]
        rows = [head]
        for name, by_size in figures.items():
            first, last = by_size[sizes[0]], by_size[sizes[-1]]
            ratio = "-" if not first or last == float("inf") else f"{last / first:.2f}x"
            rows.append([name, *(_cell(name, by_size[s]) for s in sizes), ratio])
        widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
        lines = [
            "  ".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        out += [*lines, ""]
    return "\n".join(out)


BUDGETS: dict[str, tuple[str, float, bool]] = {
    "history": ("≤ 2x 10 sessions", 2.0, True),
    "history N": ("≤ 2x 10 sessions", 2.0, True),
    "export N": ("≤ 2x 10 sessions", 2.0, True),
    "Summary comparison": ("< 100 ms", 0.1, False),
    "History screen, first rows": ("< 1 s", 1.0, False),
}
"""The issue's budgets: (as written, the limit, whether it is a ratio to 10 sessions)."""


def _verdict(name: str, by_size: dict[int, float], sizes: Sequence[int]) -> tuple[str, bool]:
    """The budget of a figure and whether the largest history meets it."""
    last, first = by_size[sizes[-1]], by_size[sizes[0]]
    if name == "export --all":
        middle = by_size[sizes[-2]] if len(sizes) > 2 else first
        per_session = (last / sizes[-1]) / (middle / sizes[-2 if len(sizes) > 2 else 0])
        return "linear: per session ≤ 1.5x", per_session <= 1.5
    if name.startswith("bytes"):
        return "≤ 4,096 B (21x400m)", last <= 4096
    budget, limit, ratio = BUDGETS[name]
    return budget, (last / first <= limit) if ratio else last < limit


def measure(quick: bool = False) -> list[Figure]:
    """For ``bench/run``: each figure at the largest history, against the same with 10."""
    sizes = QUICK_SIZES if quick else SIZES
    with tempfile.TemporaryDirectory(prefix="trackside-bench-history-") as folder:
        results = run(Path(folder), sizes, MIXES, 3)
    out = []
    for mix, figures in results.items():
        for name, by_size in figures.items():
            unit = "B" if name.startswith("bytes") else "ms"
            scale = 1.0 if unit == "B" else 1000.0
            budget, passed = _verdict(name, by_size, sizes)
            if name.startswith("bytes") and mix != "21x400m":
                budget, passed = "", None  # the budget is for a 21 x 400m session
            out.append(
                Figure(
                    f"history {mix}, {name}, {sizes[-1]:,}",
                    by_size[sizes[-1]] * scale,
                    unit,
                    by_size[sizes[0]] * scale,
                    f"{sizes[0]} sessions",
                    budget=budget,
                    passed=passed,
                )
            )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.history", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--mix", choices=MIXES, nargs="+", default=list(MIXES))
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--keep", type=Path, help="fill (or reuse) the histories here")
    args = parser.parse_args(argv)
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        results = run(args.keep, args.sizes, args.mix, args.runs)
    else:
        with tempfile.TemporaryDirectory(prefix="trackside-bench-history-") as folder:
            results = run(Path(folder), args.sizes, args.mix, args.runs)
    print(f"history at scale, median of {args.runs} runs each")
    print(report(results, args.sizes))
    return 0


def child(what: str, path: Path) -> int:
    """Measure one thing in this fresh interpreter and print it as JSON."""
    seconds = child_compare(path) if what == "compare" else asyncio.run(child_screen(path))
    print(json.dumps({"seconds": seconds}))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "child":
        sys.exit(child(sys.argv[2], Path(sys.argv[3])))
    sys.exit(main())
