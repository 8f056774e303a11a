"""``python -m bench [--quick] [--only NAME ...]``: run the benchmarks, print one table.

Run from the repository root with the bench environment's Python (see the README's
Performance section); ``bench/run`` does both.
"""

from __future__ import annotations

import argparse
import platform
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bench import coach, cpu, cues, display, engine, history, interop, memory, names, startup
from bench.common import Figure, table

BENCHMARKS: dict[str, Callable[[bool], list[Figure]]] = {
    "startup": startup.measure,
    "cpu": cpu.measure,
    "display": display.measure,
    "cues": cues.measure,
    "memory": memory.measure,
    "engine": engine.measure,
    "interop": interop.measure,
    "history": history.measure,
    "coach": coach.measure,
    "names": names.measure,
}


def machine() -> str:
    """Date, cores, CPU model and Python: the line that goes with the figures."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{when}; {cores} cores, {model}; Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter samples, fewer runs")
    parser.add_argument(
        "--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these benchmarks"
    )
    args = parser.parse_args()
    # A kill (a CI timeout) unwinds like Ctrl+C, so every tmux server and child is stopped.
    signal.signal(signal.SIGTERM, _stop)
    figures: list[Figure] = []
    for name in args.only or BENCHMARKS:
        started = time.monotonic()
        print(f"{name} ...", file=sys.stderr, flush=True)
        figures += BENCHMARKS[name](args.quick)
        print(f"{name}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    print(machine() + ("; --quick" if args.quick else ""))
    print(table(figures))
    return 0 if all(f.passed is not False for f in figures) else 1


def _stop(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


if __name__ == "__main__":
    sys.exit(main())
