"""Engine cost: a whole 21 x 400m workout's actions folded by the pure engine.

Prints the median time per action (apply, with the advance it implies) and per replay of the
whole recorded session, against a baseline loop that only builds the same actions. Run:
``python -m bench.engine`` (``bench/run`` includes it).

``python -m bench.engine --before OTHER/src`` measures another checkout's engine too, in a
fresh interpreter in the same invocation, and prints the two side by side (the same script and
plan drive both): how a change to the engine is judged.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time

from bench.common import PYTHON, REPO, Figure
from trackside.core.events import Action, ActionKind
from trackside.core.plan import Display, Plan, Step, StepKind
from trackside.core.session import Session

A = ActionKind
RUNS = 30
ROUNDS = 5


def plan_21x400() -> Plan:
    steps: list[Step] = []
    for rep in range(1, 22):
        final = rep == 21
        effort = "All You Got" if final else "3K effort"
        steps.append(Step(StepKind.WORK, 400, "400m", effort=effort, all_out=final, rep=rep))
        if not final:
            steps.append(Step(StepKind.RECOVERY, 400, "400m", min_s=150, max_s=180))
    return Plan("21 x 400m", tuple(steps), Display.EFFORT)


def script() -> list[tuple[ActionKind, float]]:
    """Start, 21 marks, 20 recoveries ended on the key, a pause and an undo: 45 actions."""
    out = [(A.START, 0.0)]
    now = 3.0
    for rep in range(1, 22):
        now += 72 + rep % 4
        out.append((A.MARK, now))
        if rep == 10:
            out += [(A.PAUSE, now + 10), (A.RESUME, now + 40)]
            now += 30
        if rep < 21:
            now += 155 + rep % 9
            out.append((A.MARK, now))
    out.append((A.UNDO, now + 1))
    return out


def run_session(plan: Plan, actions: list[tuple[ActionKind, float]]) -> Session:
    session = Session(plan)
    for kind, at in actions:
        session = session.apply(kind, at).session
    return session


def baseline(actions: list[tuple[ActionKind, float]]) -> tuple[Action, ...]:
    recorded: tuple[Action, ...] = ()
    for kind, at in actions:
        recorded = (*recorded, Action(kind, at))
    return recorded


def median_time(fn: object, *args: object) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn(*args)  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure(quick: bool = False) -> list[Figure]:
    """The engine's cost per action, against the loop that only builds the actions."""
    plan = plan_21x400()
    actions = script()
    n = len(actions)
    live = median_time(run_session, plan, actions) / n * 1e6
    base = median_time(baseline, actions) / n * 1e6
    session = run_session(plan, actions)
    replay = median_time(Session.replay, plan, session.actions, actions[-1][1]) * 1e3
    note = f"{n} actions, median of {RUNS} runs; replaying the whole session takes {replay:.2f} ms"
    return [Figure("engine: apply, per action", live, "µs", base, "building actions", note=note)]


def figures() -> dict[str, float]:
    """Apply per action, the baseline per action (µs) and a whole replay (ms), in this process."""
    plan = plan_21x400()
    actions = script()
    session = run_session(plan, actions)
    n = len(actions)
    return {
        "apply, per action (µs)": median_time(run_session, plan, actions) / n * 1e6,
        "baseline, per action (µs)": median_time(baseline, actions) / n * 1e6,
        "replay whole session (ms)": median_time(
            Session.replay, plan, session.actions, actions[-1][1]
        )
        * 1e3,
    }


def figures_of(src: str) -> dict[str, float]:
    """:func:`figures` of the engine in the checkout ``src`` (a fresh interpreter)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, str(REPO)])}
    done = subprocess.run(
        [PYTHON, "-m", "bench.engine", "--json"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.engine", description=__doc__)
    parser.add_argument("--before", metavar="SRC", help="another checkout's src folder")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(figures()))
        return
    sources = {"this checkout": str(REPO / "src")}
    if args.before:
        sources = {"before": args.before, **sources}
    # Taken in turn, five rounds each, the median of each figure kept: on a shared machine a
    # busy spell then falls on both alike.
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in sources}
    for _ in range(ROUNDS):
        for name, src in sources.items():
            rounds[name].append(figures_of(src))
    columns = {
        name: {row: statistics.median(r[row] for r in taken) for row in taken[0]}
        for name, taken in rounds.items()
    }
    print(
        f"engine: {len(script())} actions of a 21 x 400m session, median of {RUNS} runs in "
        f"each of {ROUNDS} rounds taken in turn"
    )
    print(f"  {'':28}" + "".join(f"{name:>15}" for name in columns))
    for row in next(iter(columns.values())):
        print(f"  {row:28}" + "".join(f"{c[row]:15.2f}" for c in columns.values()))
    if args.before:
        old, new = columns.values()
        for row in ("apply, per action (µs)", "replay whole session (ms)"):
            print(f"  {row.split(' (')[0]}: {old[row] / new[row]:.1f}x as fast")


if __name__ == "__main__":
    main()
