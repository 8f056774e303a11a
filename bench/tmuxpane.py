"""The real program in a real terminal: a private tmux server, read through one control client.

Every benchmark that runs a program in tmux uses its own server (``tmux -L <socket>``), so it
never touches anyone else's sessions, and kills that server when done. The pane is read with
``capture-pane`` sent over a control-mode client (``tmux -C``): about 0.3 ms per read on this
machine, where spawning ``tmux capture-pane`` each time costs about 8 ms and a core's share of CPU.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO


class Tmux:
    """A private tmux server with named sessions, each running one command."""

    def __init__(self, tag: str = "bench") -> None:
        self.socket = f"trackside-{tag}-{os.getpid()}"
        self._base = ["tmux", "-L", self.socket, "-f", "/dev/null"]
        self._control: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Tmux:
        self.tmux("new-session", "-d", "-s", "control", "-x", "80", "-y", "24", "sleep 86400")
        self._control = subprocess.Popen(
            [*self._base, "-C", "attach", "-t", "control"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        # Attaching sends a reply of its own first: read up to our marker so replies stay paired.
        assert self._control.stdin is not None
        assert self._control.stdout is not None
        self._control.stdin.write(b"display-message -p bench-sync\n")
        while "bench-sync" not in _read_block(self._control.stdout):
            pass
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill this benchmark's tmux server, and every program running in it."""
        if self._control is not None:
            assert self._control.stdin is not None
            self._control.stdin.close()
            self._control.kill()
            self._control.wait()
            self._control = None
        subprocess.run([*self._base, "kill-server"], capture_output=True, check=False)
        folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)

    def tmux(self, *args: str) -> str:
        """Run one tmux command as a client process; its output."""
        done = subprocess.run([*self._base, *args], capture_output=True, check=True, text=True)
        return done.stdout

    def new(
        self,
        name: str,
        argv: list[str],
        env: Mapping[str, str] | None = None,
        size: tuple[int, int] = (100, 30),
    ) -> int:
        """Start ``argv`` in a new session ``name``; the pid of the pane's process."""
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        line = f"exec env {exports} {shlex.join(argv)}"
        self.tmux("new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), line)
        return int(self.tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())

    def kill(self, name: str) -> None:
        """Kill session ``name`` (its program gets SIGHUP)."""
        subprocess.run([*self._base, "kill-session", "-t", name], capture_output=True, check=False)

    def keys(self, name: str, *keys: str) -> None:
        """Type ``keys`` into session ``name`` (tmux key names: ``Space``, ``q``)."""
        self.command(f"send-keys -t {name} {' '.join(keys)}")

    def capture(self, name: str) -> str:
        """The text on session ``name``'s screen now."""
        return self.command(f"capture-pane -p -t {name}")

    def command(self, line: str) -> str:
        """Send one command over the control client; its output."""
        control = self._control
        assert control is not None
        assert control.stdin is not None
        assert control.stdout is not None
        control.stdin.write(line.encode() + b"\n")
        return _read_block(control.stdout)

    def wait_for(
        self, name: str, test: Callable[[str], bool], timeout: float, poll: float = 0.002
    ) -> float | None:
        """Poll session ``name`` until ``test(screen)``; the monotonic time it was first seen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = time.monotonic()
            if test(self.capture(name)):
                return seen
            time.sleep(poll)
        return None


def _read_block(stream: IO[bytes]) -> str:
    # A reply is the lines between %begin and %end (or %error); notifications come in between.
    lines: list[bytes] = []
    inside = False
    while True:
        line = stream.readline()
        if not line:
            raise EOFError("tmux control client closed")
        if line.startswith((b"%end ", b"%error ")) and inside:
            return b"".join(lines).decode(errors="replace")
        if line.startswith(b"%begin "):
            inside, lines = True, []
        elif inside:
            lines.append(line)
