"""miniaudio hosted in a small child process, so native audio code can never take the app down.

A segfault in a native audio library (miniaudio reaching JACK with no server, a broken driver)
would otherwise end the whole session; a stuck sound server would leave a thread blocked for 30 s
with a device half open. In a child process, a crash is an exit status, a hang is a ``kill``, and
libasound's messages go to the child's stderr (DEVNULL), never over the screen.

The protocol on the child's stdin and stdout is tiny: the parent sends a clip as a 4-byte
little-endian length and the PCM bytes; the child answers ``S`` when its output has begun, then
``D`` when the clip has played, or ``E`` with a 2-byte length and a message if it could not play.
The child exits when its stdin closes (the parent exited or closed it).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
import threading
from typing import IO

from trackside.audio.backends import Backend, BackendFailed, Started, kill_process, signal_name
from trackside.audio.clips import Clip
from trackside.audio.native import MiniaudioBackend, miniaudio_backend_names


class ChildBackend(Backend):
    """The miniaudio backend, run in a child process (``python -m trackside.audio.child``)."""

    name = "miniaudio"
    first_start_s = 2.0  # Python's start and miniaudio's import, on a slow or busy machine

    def __init__(self, backends: tuple[str, ...] | None = None) -> None:
        self._names = backends if backends is not None else miniaudio_backend_names()
        self._lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None
        self._stopped = False

    @property
    def pid(self) -> int | None:
        """The child's process id, once started."""
        return self._child.pid if self._child is not None else None

    def unavailable(self) -> str | None:
        if not self._names:
            return f"no tested miniaudio backend list for {sys.platform}"
        if importlib.util.find_spec("miniaudio") is None:
            return "miniaudio is not installed"
        if not sys.executable:
            return "no Python interpreter to run the player process"
        return None

    def warm(self) -> None:
        """Start the child ahead of the first cue (its imports take about 0.1 s)."""
        self._spawn()

    def play(self, clip: Clip, started: Started) -> None:
        child = self._spawn()
        assert child.stdin is not None
        assert child.stdout is not None
        try:
            child.stdin.write(len(clip.pcm).to_bytes(4, "little") + clip.pcm)
            child.stdin.flush()
        except OSError:
            raise BackendFailed(self._death(child)) from None
        reply = child.stdout.read(1)
        if reply == b"S":
            started()
            reply = child.stdout.read(1)
        if reply == b"D":
            return
        if reply == b"E":
            size = int.from_bytes(child.stdout.read(2), "little")
            raise BackendFailed(child.stdout.read(size).decode(errors="replace"))
        raise BackendFailed(self._death(child))

    def _spawn(self) -> subprocess.Popen[bytes]:
        with self._lock:
            if self._stopped:
                raise BackendFailed("miniaudio player process stopped")
            if self._child is None:
                self._child = subprocess.Popen(
                    [sys.executable, "-m", "trackside.audio.child", ",".join(self._names)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,  # a Ctrl+C meant for the app never reaches it
                )
            return self._child

    def _death(self, child: subprocess.Popen[bytes]) -> str:
        try:
            code = child.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return "miniaudio player process stopped answering"
        if code < 0:
            return f"miniaudio player process died of signal {signal_name(-code)}"
        return f"miniaudio player process exited with status {code}"

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            child = self._child
        if child is not None and child.poll() is None:
            kill_process(child, wait=False)  # the lane reading its replies reaps it

    def close(self) -> None:
        self.stop()
        child = self._child
        if child is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=1.0)
            for stream in (child.stdin, child.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()


def serve(names: list[str], requests: IO[bytes], replies: IO[bytes]) -> int:
    """The child's loop: play each clip that arrives, answer S/D or E, until stdin closes."""
    backend = MiniaudioBackend(names or None)  # never miniaudio's default list: it has JACK
    backend.warm()  # while the app starts, so the first cue is as prompt as the others
    try:
        while True:
            header = requests.read(4)
            if len(header) < 4:
                return 0
            pcm = requests.read(int.from_bytes(header, "little"))
            try:
                backend.play(Clip((), pcm), lambda: _reply(replies, b"S"))
            except BackendFailed as error:
                message = str(error).encode()[:1000]
                _reply(replies, b"E" + len(message).to_bytes(2, "little") + message)
            else:
                _reply(replies, b"D")
    finally:
        backend.close()


def _reply(replies: IO[bytes], data: bytes) -> None:
    replies.write(data)
    replies.flush()


def main() -> int:
    """Entry point of the child: replies go on a private copy of stdout, nothing else does."""
    replies = os.fdopen(os.dup(1), "wb")
    # Anything native code prints to stdout must not corrupt the replies: send fd 1 nowhere.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    names = [name for name in (sys.argv[1] if len(sys.argv) > 1 else "").split(",") if name]
    try:
        return serve(names, sys.stdin.buffer, replies)
    except (BrokenPipeError, KeyboardInterrupt):
        return 0


if __name__ == "__main__":
    sys.exit(main())
