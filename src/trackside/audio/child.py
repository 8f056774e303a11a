"""miniaudio hosted in a small child process, so native audio code can never take the app down.

A segfault in a native audio library (miniaudio reaching JACK with no server, a broken driver)
would otherwise end the whole session; a stuck sound server would leave a thread blocked for 30 s
with a device half open. In a child process, a crash is an exit status, a hang is a ``kill``, and
libasound's messages go to the child's stderr (DEVNULL), never over the screen.

The child is also the cue scheduler. The parent sends each cue batch as a few bytes (a key, its
due time, the time to start it, the volume and the cue names) the moment it is known, from
whatever thread produced it: a cue the engine knows ahead (a countdown pip, the window opening,
a step ending by itself) is sent before it is due, and the child opens the device a little
early and starts it at that moment on the shared monotonic clock, whatever the app is busy with.
Any key press withdraws what was sent ahead (``C`` and the key). Clips play one at a time, in
order of their start times; one that cannot start within ``max_late`` of its due time is dropped.

On stdin: ``P`` key (u32) due (f64) start (f64, NaN: now) volume (f32) length (u16) and the cue
names joined by commas; ``C`` key. On stdout: ``S`` key (the output has begun), ``D`` key (played),
``L`` key (dropped as late), ``E`` key, a u16 length and a message (could not play). The child
exits when its stdin closes (the parent exited or closed it).
"""

from __future__ import annotations

import contextlib
import heapq
import importlib.util
import math
import os
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from trackside.audio.backends import BackendFailed, DirectBackend, Reply, kill_process, signal_name
from trackside.audio.clips import ClipBank, SoundsMissing
from trackside.audio.native import MiniaudioBackend, miniaudio_backend_names

LEAD_S = 0.15
"""A cue sent ahead has its clip rendered and its device opened this long before it starts."""
_PLAY = struct.Struct("<Iddf H")
_KEY = struct.Struct("<I")
_LENGTH = struct.Struct("<f")


class ChildBackend(DirectBackend):
    """The miniaudio backend, run in a child process (``python -m trackside.audio.child``)."""

    name = "miniaudio"
    first_start_s = 2.0  # Python's start and miniaudio's import, on a slow or busy machine

    def __init__(self, backends: tuple[str, ...] | None = None, sounds: Path | None = None) -> None:
        self._names = backends if backends is not None else miniaudio_backend_names()
        self._sounds = sounds
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None
        self._stopped = False
        self._on_reply: Reply | None = None
        self._max_late = 0.75
        self._volume = 1.0

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

    def attach(self, on_reply: Reply, max_late: float, volume: float) -> None:
        self._on_reply = on_reply
        self._max_late = max_late
        self._volume = volume

    def warm(self) -> None:
        """Start the child ahead of the first cue (its imports take about 0.1 s)."""
        self._spawn()

    def submit(
        self, key: int, cues: tuple[str, ...], volume: float, due: float, at: float | None
    ) -> None:
        names = ",".join(cues).encode()
        start = math.nan if at is None else at
        self._write(b"P" + _PLAY.pack(key, due, start, volume, len(names)) + names)

    def cancel(self, key: int) -> None:
        with contextlib.suppress(BackendFailed):
            self._write(b"C" + _KEY.pack(key))

    def _write(self, message: bytes) -> None:
        """Hand a message to the child without ever waiting on it (its pipe is non-blocking)."""
        child = self._spawn()
        assert child.stdin is not None
        try:
            with self._write_lock:
                written = os.write(child.stdin.fileno(), message)
        except BlockingIOError:
            written = 0
        except (OSError, ValueError):
            raise BackendFailed("miniaudio player process is gone") from None
        if written != len(message):  # 64 kB of cues unread: the child is stuck
            raise BackendFailed("miniaudio player process stopped reading")

    def _spawn(self) -> subprocess.Popen[bytes]:
        with self._lock:
            if self._stopped:
                raise BackendFailed("miniaudio player process stopped")
            if self._child is None:
                argv = [sys.executable, "-m", "trackside.audio.child", ",".join(self._names)]
                argv += [repr(self._max_late), repr(self._volume), str(self._sounds or "")]
                self._child = subprocess.Popen(
                    argv,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,  # a Ctrl+C meant for the app never reaches it
                )
                assert self._child.stdin is not None
                os.set_blocking(self._child.stdin.fileno(), False)
                reader = threading.Thread(
                    target=self._read, args=(self._child,), name="trackside-audio-replies"
                )
                reader.daemon = True
                reader.start()
            return self._child

    def _read(self, child: subprocess.Popen[bytes]) -> None:
        """The replies thread: each reply goes to ``on_reply``; the end of the child too."""
        replies = child.stdout
        assert replies is not None
        report = self._report
        try:
            while True:
                kind = replies.read(1)
                header = replies.read(4) if kind else b""
                if len(header) < 4:
                    break
                (key,) = _KEY.unpack(header)
                detail: str | float | None = None
                if kind == b"S":
                    (detail,) = _LENGTH.unpack(replies.read(_LENGTH.size))
                elif kind == b"E":
                    size = int.from_bytes(replies.read(2), "little")
                    detail = replies.read(size).decode(errors="replace")
                report(kind.decode(errors="replace"), key, detail)
        except (OSError, ValueError):
            pass
        if not self._stopped:
            report("dead", 0, self.death_reason())

    def _report(self, kind: str, key: int, detail: str | float | None) -> None:
        if self._on_reply is not None:
            self._on_reply(kind, key, detail)

    def death_reason(self) -> str:
        child = self._child
        if child is None:
            return "miniaudio player process did not start"
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
            kill_process(child, wait=False)  # the replies thread reaps it

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


# -- the child's side ---------------------------------------------------------------------------


@dataclass(order=True)
class _Cue:
    start: float
    order: int
    key: int = field(compare=False)
    due: float = field(compare=False)
    cues: tuple[str, ...] = field(compare=False)
    volume: float = field(compare=False)
    cut: threading.Event = field(compare=False, default_factory=threading.Event)


class Scheduler:
    """The child's loop: cues in order of their start times, each started on time."""

    def __init__(
        self, backend: MiniaudioBackend, bank: ClipBank, replies: IO[bytes], max_late: float
    ) -> None:
        self.backend = backend
        self.bank = bank
        self.replies = replies
        self.max_late = max_late
        self._waiting: list[_Cue] = []
        self._cues: dict[int, _Cue] = {}
        self._changed = threading.Condition()
        self._closed = False
        self._order = 0
        self._reply_lock = threading.Lock()

    def read(self, requests: IO[bytes]) -> None:
        """The reading thread: take each message as it arrives, until stdin closes."""
        try:
            while True:
                kind = requests.read(1)
                if kind == b"P":
                    key, due, start, volume, size = _PLAY.unpack(requests.read(_PLAY.size))
                    names = requests.read(size).decode()
                    now = time.monotonic()
                    start = now if math.isnan(start) else start
                    self.add(key, due, start, tuple(names.split(",")), volume)
                elif kind == b"C":
                    self.cancel(_KEY.unpack(requests.read(_KEY.size))[0])
                else:
                    return
        except (OSError, ValueError, struct.error):
            return
        finally:
            with self._changed:
                self._closed = True
                self._changed.notify()
            self.backend.stop()

    def add(self, key: int, due: float, start: float, cues: tuple[str, ...], volume: float) -> None:
        with self._changed:
            self._order += 1
            cue = _Cue(start, self._order, key, due, cues, volume)
            self._cues[key] = cue
            heapq.heappush(self._waiting, cue)
            self._changed.notify()

    def cancel(self, key: int) -> None:
        with self._changed:
            cue = self._cues.pop(key, None)
            if cue is None:
                return
            cue.cut.set()
            self._changed.notify()
        self.backend.cut()  # wakes the cue playing now only if it is this one

    def run(self) -> None:
        """Play each cue at its time, until stdin closes."""
        while True:
            cue = self._next()
            if cue is None:
                return
            self._play(cue)
            with self._changed:
                self._cues.pop(cue.key, None)
                idle = not self._waiting or self._waiting[0].start - time.monotonic() > LEAD_S
            if idle:  # a device ready for the next cue; one due sooner opens its own
                self.backend.ready()

    def _next(self) -> _Cue | None:
        with self._changed:
            while not self._closed:
                while self._waiting and self._waiting[0].cut.is_set():
                    heapq.heappop(self._waiting)
                if self._waiting:
                    wait = self._waiting[0].start - LEAD_S - time.monotonic()
                    if wait <= 0:
                        return heapq.heappop(self._waiting)
                    self._changed.wait(wait)
                else:
                    self._changed.wait()
            return None

    def _play(self, cue: _Cue) -> None:
        try:
            clip = self.bank.render(cue.cues, cue.volume)
        except SoundsMissing as error:
            self._reply(b"E", cue.key, str(error))
            return
        if time.monotonic() - cue.due > self.max_late:
            self._reply(b"L", cue.key)
            return
        start = cue.start if cue.start > time.monotonic() else None
        try:
            started = _LENGTH.pack(clip.duration)
            self.backend.play(clip, lambda: self._reply(b"S", cue.key, started), start, cue.cut)
        except BackendFailed as error:
            self._reply(b"E", cue.key, str(error))
        else:
            if not cue.cut.is_set():
                self._reply(b"D", cue.key)

    def _reply(self, kind: bytes, key: int, detail: str | bytes | None = None) -> None:
        data = kind + _KEY.pack(key)
        if isinstance(detail, bytes):
            data += detail
        elif detail is not None:
            text = detail.encode()[:1000]
            data += len(text).to_bytes(2, "little") + text
        with self._reply_lock:
            self.replies.write(data)
            self.replies.flush()


def serve(
    names: list[str],
    requests: IO[bytes],
    replies: IO[bytes],
    max_late: float = 0.75,
    volume: float = 1.0,
    sounds: Path | None = None,
) -> int:
    """The child's whole life: warm up, then schedule and play cues until stdin closes."""
    backend = MiniaudioBackend(names or None)  # never miniaudio's default list: it has JACK
    backend.warm()  # while the app starts, so the first cue is as prompt as the others
    backend.ready()
    bank = ClipBank(sounds)
    with contextlib.suppress(SoundsMissing):
        bank.prepare(volume)  # read and scale the sounds now, not at the first cue
    scheduler = Scheduler(backend, bank, replies, max_late)
    reader = threading.Thread(target=scheduler.read, args=(requests,), daemon=True)
    reader.start()
    try:
        scheduler.run()
    finally:
        backend.close()
    return 0


def main() -> int:
    """Entry point of the child: replies go on a private copy of stdout, nothing else does."""
    replies = os.fdopen(os.dup(1), "wb")
    # Anything native code prints to stdout must not corrupt the replies: send fd 1 nowhere.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    args = sys.argv[1:] + ["", "", "", ""]
    names = [name for name in args[0].split(",") if name]
    max_late = float(args[1]) if args[1] else 0.75
    volume = float(args[2]) if args[2] else 1.0
    sounds = Path(args[3]) if args[3] else None
    try:
        return serve(names, sys.stdin.buffer, replies, max_late, volume, sounds)
    except (BrokenPipeError, KeyboardInterrupt):
        return 0


if __name__ == "__main__":
    sys.exit(main())
