"""``trackside`` itself, with every action and event of its runner written to a log file.

``python bench/instrumented.py LOG run 21x400m ...`` runs the real command line (the app, its
timers, its rendering) and appends one line per accepted action, event and cue batch to
``LOG``: ``action KIND AT``, ``heard NOW`` (the runner's time when events came out), ``event
KIND DUE STEP`` and ``cue DUE CUES...`` (times on
``time.monotonic``, which the benchmark process shares). The display benchmark takes the true
second boundaries from the recorded step start; the cue benchmark takes each cue's due time.
Nothing in trackside is changed.
"""

from __future__ import annotations

import sys
from typing import Any

from trackside.__main__ import main as trackside_main
from trackside.audio.cues import cue_batches
from trackside.core import runner as runner_module
from trackside.core.events import ActionKind, Event
from trackside.core.session import Session


def instrument(path: str) -> None:
    """Make every ``Runner`` log its actions and events to ``path``."""
    log = open(path, "a", buffering=1)  # noqa: SIM115 - open for the life of the process
    original_init = runner_module.Runner.__init__
    original_act = runner_module.Runner.act

    def init(self: runner_module.Runner, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)

        def heard(session: Session, events: tuple[Event, ...]) -> None:
            log.write(f"heard {session.now!r}\n")
            for event in events:
                log.write(f"event {event.kind.value} {event.due!r} {event.step}\n")
            for batch in cue_batches(events, session.plan):
                log.write(f"cue {batch.due!r} {' '.join(batch.cues)}\n")

        self.listeners.insert(0, heard)

    def act(self: runner_module.Runner, kind: ActionKind) -> tuple[Event, ...]:
        events = original_act(self, kind)
        log.write(f"action {kind.value} {self.session.actions[-1].at!r}\n")
        return events

    runner_module.Runner.__init__ = init  # type: ignore[method-assign]
    runner_module.Runner.act = act  # type: ignore[method-assign]


if __name__ == "__main__":
    instrument(sys.argv[1])
    sys.exit(trackside_main(sys.argv[2:]))
