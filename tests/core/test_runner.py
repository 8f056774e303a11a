"""The runner records every accepted action before it tells anyone, and nothing else."""

from __future__ import annotations

import pytest

from trackside.core.clock import FakeClock
from trackside.core.events import Action, ActionKind, Event, EventKind, WindowNotOpen
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.runner import Runner
from trackside.core.session import Session


class Log:
    def __init__(self, order: list[str]) -> None:
        self.actions: list[tuple[Action, float]] = []
        self.order = order

    def record(self, action: Action, wall: float) -> None:
        self.actions.append((action, wall))
        self.order.append(f"record {action.kind.value}")


def test_actions_are_recorded_before_listeners_hear_of_them() -> None:
    plan = Plan(
        "2 x 400m",
        (
            Step(StepKind.WORK, 400, "400m", rep=1),
            Step(StepKind.RECOVERY, min_s=60, max_s=90),
            Step(StepKind.WORK, 400, "400m", rep=2),
        ),
    )
    clock = FakeClock(100.0)
    order: list[str] = []
    log = Log(order)
    heard: list[Event] = []

    def listener(session: Session, events: tuple[Event, ...]) -> None:
        order.append("listen")
        heard.extend(events)

    runner = Runner(Session(plan, 0), clock, log=log, listeners=[listener], wall=lambda: 5e9)
    runner.act(ActionKind.START)
    clock.advance(70)
    runner.act(ActionKind.MARK)
    clock.advance(30)
    with pytest.raises(WindowNotOpen):
        runner.act(ActionKind.MARK)
    assert runner.check(ActionKind.MARK) is not None
    assert ActionKind.GO_NOW in runner.allowed()
    clock.advance(100)
    assert runner.tick()[-1].kind is EventKind.FINAL_REP_STARTED
    assert [a.kind for a, _ in log.actions] == [ActionKind.START, ActionKind.MARK]
    assert [a.at for a, _ in log.actions] == [100.0, 170.0]
    assert order == ["record start", "listen", "record mark", "listen", "listen"]
    assert heard[-1].due == pytest.approx(260.0)
    assert runner.tick() == ()
