"""trackside reinstalled during a workout: the session still reaches its Summary.

A fresh process runs the app as ``trackside run`` does (the real history in its own data
folder); once the session has started, every trackside module not yet loaded is made
unimportable, as if its file had gone from disk, and the session is run to its end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import asyncio, sys
from trackside.core.clock import FakeClock
from trackside.history.service import history_at_start
from trackside.presets.loader import load_checked
from trackside.settings import Settings
from trackside.tui.app import TracksideApp

class Gone:
    '''The installed package replaced: a module not loaded yet cannot be found.'''
    def find_spec(self, name, path=None, target=None):
        if name == "trackside" or name.startswith("trackside."):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None

async def main():
    clock = FakeClock()
    app = TracksideApp(
        clock=clock, preset=load_checked(sys.argv[1]), settings=Settings(countdown_s=0),
        history=history_at_start(False, clock),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        sys.meta_path.insert(0, Gone())
        for seconds in (70, 150, 70, 150):
            clock.advance(seconds)
            await pilot.press("pagedown")
            await pilot.pause()
        clock.advance(60)
        await pilot.press("q")  # the end question, then the summary
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("3")  # rated: the rating goes to the history
        await pilot.pause()
        print(type(app.screen).__name__, app.runner.session.finished)

asyncio.run(main())
"""


def test_the_session_reaches_its_summary_with_trackside_gone_from_disk(tmp_path: Path) -> None:
    preset = Path(__file__).resolve().parents[2] / "presets" / "6x800m.toml"
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(preset)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["SummaryScreen", "True"], done.stderr[-2000:]
    assert "ModuleNotFoundError" not in done.stderr
