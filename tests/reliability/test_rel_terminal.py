"""The real program in a real terminal (tmux): resized from 200x60 to 20x8 and back mid-session,
``TERM=dumb`` and ``NO_COLOR=1``, and the terminal closed under it (SIGHUP) with the session left
resumable.

Each test has a tmux server of its own (``tmux -L``), and its own config and data folders.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from trackside.history.resume import latest_unfinished
from trackside.history.store import HistoryStore

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or not Path(sys.executable).with_name("trackside").exists(),
    reason="needs tmux and the installed trackside",
)
TRACKSIDE = str(Path(sys.executable).with_name("trackside"))
"""The installed entry point beside this Python (the venv's)."""
STATE = "#{pane_width}x#{pane_height} dead=#{pane_dead} pid=#{pane_pid}"
CLEAN_ENV = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TMPDIR")}
CLEAN_ENV["TERM"] = "xterm-256color"
"""The tmux server starts from a plain environment, not the test runner's."""
WAIT_S = 30.0
"""Generous: the machine is shared, and the app's start-up takes a second or two there."""


class Terminal:
    """One tmux server, one session running trackside."""

    def __init__(self, home: Path, name: str) -> None:
        self.home = home
        self.socket = f"trackside-rel-{os.getpid()}-{name}"
        self.base = ["tmux", "-L", self.socket, "-f", "/dev/null"]

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            [*self.base, *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env=CLEAN_ENV,
            stdin=subprocess.DEVNULL,
        )
        return done.stdout

    def start(self, args: str, size: tuple[int, int], env: dict[str, str] | None = None) -> int:
        folders = {
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "XDG_DATA_HOME": str(self.home / "data"),
            "PULSE_SERVER": "unix:/nonexistent",
            **(env or {}),
        }
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in folders.items())
        # Textual draws on stderr: it stays on the terminal (a traceback would show there).
        line = f"exec env {assignments} {TRACKSIDE} {args}"
        width, height = size
        self.tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), line)
        self.tmux("set-option", "-t", "t", "window-size", "manual")
        self.tmux("set-option", "-t", "t", "remain-on-exit", "on")  # to read what it left
        return int(self.tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip())

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def screen(self, escapes: bool = False) -> str:
        return self.tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "t")

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", "t", "-x", str(width), "-y", str(height))

    def wait_for(self, test: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + WAIT_S
        while True:
            shown = self.screen()
            if test(shown):
                return shown
            assert "Traceback" not in shown, shown
            if time.monotonic() > deadline:
                state = self.tmux("display-message", "-p", "-t", "t", STATE)
                raise AssertionError(f"never showed {what} ({state.strip()}):\n{shown}")
            time.sleep(0.1)

    def close(self) -> None:
        """Kill this test's tmux server (and trackside in it), and remove its socket."""
        self.tmux("kill-server")
        folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)


@pytest.fixture
def terminal(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Terminal]:
    shown = Terminal(tmp_path, request.node.name.replace("[", "-").replace("]", ""))
    yield shown
    shown.close()


def gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":  # exited; tmux keeps a dead pane's process until the pane goes
            return True
        time.sleep(0.05)
    return False


def _has_hue(index: int) -> bool:
    """Whether colour ``index`` of the 256-colour palette is other than a grey."""
    if index < 16:
        return index % 8 not in (0, 7)
    if index < 232:
        cube = index - 16
        return len({cube // 36, cube // 6 % 6, cube % 6}) > 1
    return False


def hues(screen: str) -> list[str]:
    """The colours with a hue in the SGR sequences of ``screen`` (greys and default left out)."""
    found = []
    for match in re.finditer(r"\x1b\[([0-9;]*)m", screen):
        params = [int(p) for p in match[1].split(";") if p]
        i = 0
        while i < len(params):
            p = params[i]
            if p in (38, 48) and params[i + 1 : i + 2] == [2]:
                rgb = params[i + 2 : i + 5]
                if len(set(rgb)) > 1:
                    found.append(match[0])
                i += 5
            elif p in (38, 48) and params[i + 1 : i + 2] == [5]:
                if _has_hue(params[i + 2]):
                    found.append(match[0])
                i += 3
            else:
                if 31 <= p % 60 <= 36 or 41 <= p % 60 <= 46:
                    found.append(match[0])
                i += 1
    return found


def start_a_session(terminal: Terminal, size: tuple[int, int], **env: str) -> int:
    pid = terminal.start("run 21x400m --countdown 0 --audio silent", size, env)
    terminal.wait_for(lambda s: "21 x 400m" in s, "the Ready screen")
    terminal.keys("Space")
    terminal.wait_for(lambda s: "REP 1/21" in s, "rep 1")
    return pid


def test_resized_from_200x60_to_20x8_and_back_mid_session(terminal: Terminal) -> None:
    pid = start_a_session(terminal, (200, 60))
    terminal.keys("Space")  # rep 1 marked: the recovery
    terminal.wait_for(lambda s: "RECOVERY" in s, "the recovery")
    for width, height in [(120, 40), (80, 24), (40, 12), (30, 10), (20, 8)]:
        terminal.resize(width, height)
        # Redrawn at the new size, the phase still named (tmux cuts the old picture at once).
        terminal.wait_for(
            lambda s, w=width, h=height: (
                len(s.splitlines()) <= h
                and any(
                    line.strip().startswith(("RECOVERY", "REC 2/21")) for line in s.splitlines()
                )
                and all(len(line) <= w for line in s.splitlines())
            ),
            f"the recovery redrawn at {width}x{height}",
        )
    terminal.keys("p")  # paused at the smallest size
    terminal.resize(200, 60)
    terminal.wait_for(lambda s: "RECOVERY" in s and "NEXT 2" in s, "the full headline")
    terminal.keys("p", "q")
    terminal.wait_for(lambda s: "?" in s and ("y" in s.lower()), "the end question")
    terminal.keys("y")
    terminal.wait_for(lambda s: "Summary" in s, "the summary")
    terminal.keys("q")
    assert gone(pid), "trackside quits from the summary"
    assert "Traceback" not in terminal.screen()


@pytest.mark.parametrize(
    ("name", "env"),
    [
        ("dumb", {"TERM": "dumb"}),
        ("no-color", {"NO_COLOR": "1"}),
        ("both", {"TERM": "dumb", "NO_COLOR": "1"}),
    ],
)
def test_a_dumb_or_colourless_terminal_still_runs_the_session(
    terminal: Terminal, name: str, env: dict[str, str]
) -> None:
    start_a_session(terminal, (80, 24), **env)
    terminal.keys("Space")
    shown = terminal.wait_for(lambda s: "RECOVERY" in s, "the recovery")
    assert "1/21" in shown or "NEXT 2" in shown
    if "NO_COLOR" in env:
        # Textual keeps its contrast in greys: no colour sent may have a hue.
        assert hues(terminal.screen(escapes=True)) == []
    else:
        assert hues(terminal.screen(escapes=True)) != [], "the check sees colours"


def test_the_terminal_closed_mid_recovery_leaves_the_session_resumable(terminal: Terminal) -> None:
    pid = start_a_session(terminal, (100, 30))
    terminal.keys("Space")
    terminal.wait_for(lambda s: "RECOVERY" in s, "the recovery")
    db = terminal.home / "data" / "trackside" / "history.db"
    assert db.exists(), "the history is wired: the session is being recorded"
    terminal.tmux("kill-session", "-t", "t")  # the terminal window closed: SIGHUP
    assert gone(pid), "trackside exits when its terminal goes away"
    with HistoryStore(db) as store:
        unfinished = latest_unfinished(store)
        assert unfinished is not None, "offered for resume"
        assert [a.action.kind.value for a in unfinished.actions] == ["start", "mark"]
        assert unfinished.session.splits()[0][0] == 1
    shown = subprocess.run(
        [TRACKSIDE, "resume", "--show"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={
            **os.environ,
            "HOME": str(terminal.home),
            "XDG_CONFIG_HOME": str(terminal.home / "config"),
            "XDG_DATA_HOME": str(terminal.home / "data"),
        },
    )
    assert shown.returncode == 0, shown.stderr
    assert "1 of 21 reps done" in shown.stdout
