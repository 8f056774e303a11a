"""Interop: what a FIT export and a conversion cost, beside what the same command costs in JSON.

- ``export --format fit`` of a recorded 21 x 400m session (in process: open the history, replay
  the session, write the file) against ``export --format json`` of the same session;
- the FIT writer alone (``write_activity``) against the JSON writer alone (``to_json``);
- ``trackside convert 21x400m x.fit`` as a process against ``trackside show 21x400m --json``
  (both read and check the same preset);
- ``trackside --help`` as a process against ``python -c pass``, and ``import garmin_fit_sdk``
  alone: what start-up would pay if the SDK were loaded with the command line (it is not).

Run: ``python -m bench.interop`` (``bench/run`` includes it).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import PYTHON, REPO, Figure, bytecode_env, median
from bench.engine import script
from trackside.__main__ import main
from trackside.core.clock import FakeClock
from trackside.core.runner import Runner
from trackside.core.session import Session
from trackside.history.log import SessionLog
from trackside.history.store import HistoryStore, NewSession
from trackside.presets.loader import resolve

WALL0 = 1_780_000_000.0


def record(db: Path) -> int:
    """A 21 x 400m session (bench.engine's script: a pause, an undo) through a real SessionLog."""
    plan = resolve("21x400m").to_plan()
    clock = FakeClock(1000.0)
    offset = WALL0 - clock.now()
    with HistoryStore(db) as store:
        new = NewSession("21x400m", plan.name, plan, 3, exertion=8)
        log = SessionLog(store, new, wall=lambda: clock.now() + offset)
        runner = Runner(Session(plan, 3), clock, log=log, wall=lambda: clock.now() + offset)
        last = 0.0
        for kind, at in script():
            clock.advance(at - last)
            last = at
            runner.act(kind)
        log.finish(runner.session, None, None)
        return log.session_id or 0


def timed(runs: int, action: Callable[[], object]) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1e3)
    return samples


def quiet(*argv: str) -> Callable[[], object]:
    def run() -> object:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return main(list(argv))

    return run


def process(*argv: str, env: dict[str, str]) -> Callable[[], object]:
    def run() -> object:
        return subprocess.run(argv, env=env, capture_output=True, check=True, cwd=REPO)

    return run


def alternate(
    runs: int, ours: Callable[[], object], base: Callable[[], object]
) -> tuple[float, float]:
    """Medians of ``ours`` and ``base``, run in turn (one warm-up each first)."""
    ours(), base()
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):
        mine += timed(1, ours)
        theirs += timed(1, base)
    return median(mine), median(theirs)


def measure(quick: bool = False) -> list[Figure]:
    """The interop figures (in-process ones over many runs, processes over fewer)."""
    runs, procs = (10, 5) if quick else (40, 15)
    with tempfile.TemporaryDirectory(prefix="bench-interop-") as tmp:
        root = Path(tmp)
        env = {
            **os.environ,
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_DATA_HOME": str(root / "data"),
            "XDG_CACHE_HOME": str(root / "cache"),
            **bytecode_env(),
        }
        saved = {
            k: os.environ.get(k) for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")
        }
        os.environ.update({k: env[k] for k in saved})
        try:
            figures = _measure(root, env, runs, procs)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    return figures


def _measure(root: Path, env: dict[str, str], runs: int, procs: int) -> list[Figure]:
    """The figures, with the history, settings and cache under ``root`` (``env`` for processes)."""
    (root / "data" / "trackside").mkdir(parents=True)
    record(root / "data" / "trackside" / "history.db")
    fit, js = str(root / "s.fit"), str(root / "s.json")
    export = alternate(
        runs,
        quiet("export", "--format", "fit", "-o", fit),
        quiet("export", "--format", "json", "-o", js),
    )
    writers = _writers(runs)
    convert = alternate(
        procs,
        process(PYTHON, "-m", "trackside", "convert", "21x400m", str(root / "w.fit"), env=env),
        process(PYTHON, "-m", "trackside", "show", "21x400m", "--json", env=env),
    )
    helps = alternate(
        procs,
        process(PYTHON, "-m", "trackside", "--help", env=env),
        process(PYTHON, "-c", "pass", env=env),
    )
    sdk = alternate(
        procs,
        process(PYTHON, "-c", "import garmin_fit_sdk", env=env),
        process(PYTHON, "-c", "pass", env=env),
    )
    size = Path(fit).stat().st_size
    return [
        Figure(
            "export 21x400m session as FIT",
            export[0],
            "ms",
            export[1],
            "as JSON",
            note=f"in process, {runs} runs each, alternating; the FIT file is {size} bytes",
        ),
        Figure("FIT writer alone (41 laps)", writers[0], "ms", writers[1], "JSON writer alone"),
        Figure(
            "convert 21x400m to .fit (process)",
            convert[0],
            "ms",
            convert[1],
            "show --json (process)",
            note=f"{procs} runs each, alternating",
        ),
        Figure("trackside --help (process)", helps[0], "ms", helps[1], "python -c pass"),
        Figure(
            "import garmin_fit_sdk (process)",
            sdk[0],
            "ms",
            sdk[1],
            "python -c pass",
            note="what --help would pay if the SDK loaded with the command line; it does not",
        ),
    ]


def _writers(runs: int) -> tuple[float, float]:
    from trackside.cli.fit_export import activity
    from trackside.history import views
    from trackside.history.export import to_json
    from trackside.interop.fitactivity import write_activity
    from trackside.paths import history_db

    with HistoryStore(history_db()) as store:
        session_id = views.latest_id(store) or 0
        detail = views.detail(store, session_id)
        session = activity(detail.steps, store.actions(session_id), detail.overview.started_wall)
    return alternate(runs * 5, lambda: write_activity(session), lambda: to_json([detail]))


if __name__ == "__main__":
    from bench.common import table

    print(table(measure(quick=True)))
