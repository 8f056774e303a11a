"""miniaudio hosted in a small child process, so native audio code can never take the app down.

A segfault in a native audio library (miniaudio reaching JACK with no server, a broken driver)
would otherwise end the whole session; a stuck sound server would leave a thread blocked for 30 s
with a device half open. In a child process, a crash is an exit status, a hang is a ``kill``, and
libasound's messages go to the child's stderr (DEVNULL), never over the screen.

:class:`ChildLane` is the parent's side: each cue is a few bytes written to the child's stdin
the moment it is known, from whatever thread produced it. The child runs the lane's
:class:`~trackside.audio.schedule.Scheduler` over miniaudio, on the monotonic clock both share,
so a cue sent ahead starts at its moment whatever the app is busy with, and it keeps the next
clip's device open between cues.

On stdin: ``P`` key (u32) due (f64) start (f64, NaN: now) volume (f32) length (u16) and the cue
names joined by commas; ``C`` key (withdraw); ``A`` a clip from outside the sounds folder (an
athlete's spoken name): its cue's and its file's length (u16 each), then the cue and the path.
On stdout: ``R`` 0 (ready), ``K`` 0 (its silent check opened a device), ``N`` 0, a u16 length
and a message (no device opened), ``S`` key and the clip's length (f32), ``D`` key (played),
``L`` key (dropped as late), ``E`` key, a u16 length and a message (could not play). The
child exits when its stdin closes (the parent exited or closed it).
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import os
import struct
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from trackside.audio.backends import kill_process, signal_name, start_process
from trackside.audio.clips import ClipBank, SoundsMissing
from trackside.audio.lanes import FIRST_START_S, LaneGone
from trackside.audio.native import MiniaudioBackend, miniaudio_backend_names
from trackside.audio.schedule import Report, Scheduler, Setup

_PLAY = struct.Struct("<Iddf H")
_KEY = struct.Struct("<I")
_LENGTH = struct.Struct("<f")
_CLIP = struct.Struct("<HH")


class ChildLane:
    """The miniaudio lane: its scheduler in a child process (``-m trackside.audio.child``)."""

    name = "miniaudio"
    label = "miniaudio"
    first_start_s = FIRST_START_S

    def __init__(self, backends: tuple[str, ...] | None = None, sounds: Path | None = None) -> None:
        self._names = backends if backends is not None else miniaudio_backend_names()
        self._sounds = sounds
        self._lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None
        self._clips: dict[str, Path] = {}
        self._stopped = False
        self.ready = threading.Event()
        """Set once the child has said it takes cues."""

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

    def start(self, setup: Setup) -> None:
        """Start the child (its imports take about 0.1 s). Its clock is ``time.monotonic``."""
        report = setup.report
        argv = [sys.executable, "-m", "trackside.audio.child", ",".join(self._names)]
        argv += [repr(setup.max_late), repr(setup.volume), str(self._sounds or "")]
        try:
            child = start_process(argv, subprocess.PIPE, subprocess.PIPE)
        except OSError as error:
            report("dead", 0, f"miniaudio player process could not start: {error}")
            return
        assert child.stdin is not None
        os.set_blocking(child.stdin.fileno(), False)
        with self._lock:
            self._child = child
        self._send_clips(dict(self._clips))  # those added before it started
        reader = threading.Thread(
            target=self._read, args=(child, report), name="trackside-audio-replies", daemon=True
        )
        reader.start()

    def submit(
        self, key: int, cues: tuple[str, ...], volume: float, due: float, at: float | None
    ) -> None:
        names = ",".join(cues).encode()
        start = math.nan if at is None else at
        self._write(b"P" + _PLAY.pack(key, due, start, volume, len(names)) + names)

    def cancel(self, key: int) -> None:
        with contextlib.suppress(LaneGone):
            self._write(b"C" + _KEY.pack(key))

    def add_clips(self, clips: Mapping[str, Path]) -> None:
        with self._lock:
            self._clips.update(clips)
            started = self._child is not None
        if started:  # else start() sends them
            self._send_clips(clips)

    def _send_clips(self, clips: Mapping[str, Path]) -> None:
        """Each clip to the child, before any cue that names it (the pipe keeps their order)."""
        for cue, path in clips.items():
            name, where = cue.encode(), os.fsencode(path)
            with contextlib.suppress(LaneGone):  # a cue naming it goes to the next lane
                self._write(b"A" + _CLIP.pack(len(name), len(where)) + name + where)

    def _write(self, message: bytes) -> None:
        """Hand a message to the child without ever waiting on it (its pipe is non-blocking)."""
        with self._lock:
            child = self._child
            if self._stopped or child is None or child.stdin is None:
                raise LaneGone("miniaudio player process stopped" if child else "not started")
            try:
                written = os.write(child.stdin.fileno(), message)
            except BlockingIOError:
                written = 0
            except (OSError, ValueError):
                raise LaneGone("miniaudio player process is gone") from None
        if written != len(message):  # 64 kB of cues unread: the child is stuck
            raise LaneGone("miniaudio player process stopped reading")

    def _read(self, child: subprocess.Popen[bytes], report: Report) -> None:
        """The replies thread: each reply is reported; the end of the child too."""
        replies = child.stdout
        assert replies is not None
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
                elif kind in (b"E", b"N"):
                    size = int.from_bytes(replies.read(2), "little")
                    detail = replies.read(size).decode(errors="replace")
                elif kind == b"R":
                    self.ready.set()
                report(kind.decode(errors="replace"), key, detail)
        except (OSError, ValueError, struct.error):
            pass
        if not self._stopped:
            report("dead", 0, self.death_reason())

    def death_reason(self) -> str:
        """Why the child stopped taking cues (waits up to a second to find out)."""
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


def read_requests(requests: IO[bytes], scheduler: Scheduler) -> None:
    """The child's reading thread: each message to the scheduler as it arrives, until stdin
    closes; then the scheduler is closed and what plays is stopped."""
    try:
        while True:
            kind = requests.read(1)
            if kind == b"P":
                key, due, start, volume, size = _PLAY.unpack(requests.read(_PLAY.size))
                names = tuple(requests.read(size).decode().split(","))
                scheduler.add(key, names, volume, due, None if math.isnan(start) else start)
            elif kind == b"C":
                scheduler.cancel(_KEY.unpack(requests.read(_KEY.size))[0])
            elif kind == b"A":
                cue_size, path_size = _CLIP.unpack(requests.read(_CLIP.size))
                cue = requests.read(cue_size).decode()
                path = Path(os.fsdecode(requests.read(path_size)))
                with contextlib.suppress(SoundsMissing):  # checked by the parent already
                    scheduler.bank.add_clips({cue: path})
            else:
                return
    except (OSError, ValueError, struct.error):
        return
    finally:
        scheduler.close()
        scheduler.backend.stop()


def replies_to(stream: IO[bytes]) -> Report:
    """The scheduler's reports, written to ``stream`` as the parent reads them."""
    lock = threading.Lock()

    def report(kind: str, key: int, detail: str | float | None) -> None:
        data = kind.encode() + _KEY.pack(key)
        if isinstance(detail, float):
            data += _LENGTH.pack(detail)
        elif detail is not None:
            text = detail.encode()[:1000]
            data += len(text).to_bytes(2, "little") + text
        with lock:
            stream.write(data)
            stream.flush()

    return report


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
    bank = ClipBank(sounds)
    with contextlib.suppress(SoundsMissing):
        bank.prepare(volume)  # read and scale the sounds now, not at the first cue
    scheduler = Scheduler(backend, bank, Setup(replies_to(replies), max_late, volume))
    reader = threading.Thread(target=read_requests, args=(requests, scheduler), daemon=True)
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
