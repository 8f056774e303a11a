"""What starting the app loads: nothing the Ready screen does not need (pydantic, the session,
summary, picker and history screens) is imported with the app; each loads when first used, the
session screen once the first frame is up."""

from __future__ import annotations

import os
import subprocess
import sys

LATER = (
    "pydantic",
    "trackside.presets.models",
    "trackside.tui.screens.session",
    "trackside.tui.screens.summary",
    "trackside.tui.screens.picker",
    "trackside.tui.screens.history",
    "trackside.history.views",
)


def test_the_app_imports_nothing_it_needs_later() -> None:
    program = (
        "import sys\n"
        "import trackside.tui.launch\n"
        f"print([name for name in {LATER!r} if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], env=os.environ, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
