"""Start-up unchanged: ``trackside --help``, ``show`` and the app never load the FIT SDK or the
converters; only the commands that need them do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = """\
import contextlib, io, sys
import trackside.__main__ as m
import trackside.tui.launch, trackside.cli.run_command
with contextlib.redirect_stdout(io.StringIO()):
    with contextlib.suppress(SystemExit):
        m.main(['--help'])
    m.main(['show', '21x400m'])
    m.main({after!r})
names = ('garmin_fit_sdk', 'fitdecode', 'trackside.interop')
print(sorted(n for n in sys.modules if any(n == x or n.startswith(x + '.') for x in names)))
"""


def _loaded(tmp_path: Path, after: list[str]) -> str:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(after=after)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_help_show_and_the_app_load_no_fit_code(tmp_path: Path) -> None:
    assert _loaded(tmp_path, ["presets"]) == "[]"


def test_convert_loads_it_when_asked(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path, ["convert", "21x400m", str(tmp_path / "w.fit")])
    assert "'garmin_fit_sdk'" in loaded
    assert "'trackside.interop.fitworkout'" in loaded
    assert "fitdecode" not in loaded
