"""Ways to make a sound that need nothing beyond the standard library.

A backend plays one clip at a time, blocking until the clip has played, on the thread of the
scheduler that hands it the clips (see ``schedule.py``). It raises :class:`BackendFailed` when it
cannot play, and the chain player then drops it and plays the same clip on the next backend.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence

from trackside.audio.clips import Clip, ClipBank

Started = Callable[[], None]
"""Called by a backend the moment its output has begun (the chain's hang detection waits on it)."""

KILL_AFTER_S = 5.0
"""A player subprocess still running after this long is killed: every clip is shorter."""


class BackendFailed(Exception):
    """A backend could not play a clip. ``str()`` is one line saying why."""


class Backend:
    """Base of every backend: a name, a cheap availability check, play, stop and close."""

    name = "backend"
    needs_samples = True
    """False for backends that make a sound without the clip (the bell, silence)."""
    lead_s = 0.0
    """How long before its start a clip is handed over, for a backend that gets ready first
    (opens a device) and then starts it at its moment itself."""

    @property
    def label(self) -> str:
        """What the app shows as the active backend."""
        return self.name

    def unavailable(self) -> str | None:
        """Why this backend cannot be used here (cheap: an import or a PATH lookup), or None."""
        return None

    def warm(self) -> None:
        """Get ready ahead of the first clip, if that takes a while (on the scheduler's thread,
        before it takes cues). A failure here shows up at the first clip."""

    def check(self) -> str | None:
        """The silent check, before any cue (on the scheduler's thread): open and close the
        sound device without a sound. None if one opened, else why not in a few plain words.
        Default: there is no device to open (the bell, silence)."""
        return None

    def ready(self) -> None:
        """Get ready for the next clip while nothing is due soon. Never raises."""

    def play(self, clip: Clip, started: Started, at: float | None, cut: threading.Event) -> None:
        """Play ``clip`` and return once it has played; raise :class:`BackendFailed` if not.

        ``at`` is when to start it (None: now) for a backend with a lead (:attr:`lead_s`);
        the others get each clip at its moment and start at once. ``cut`` is set when the clip
        is withdrawn (see :meth:`cut`)."""
        raise NotImplementedError

    def cut(self) -> None:
        """A clip was withdrawn: end it now if it is the one waiting or playing (its ``cut``
        event is set). Only backends that can cut a clip short do anything."""

    def stop(self) -> None:
        """Cut the clip playing now short (from another thread). Best effort, never raises."""

    def close(self) -> None:
        """Release whatever the backend holds. Called once, at the end."""
        self.stop()


def stop_quietly(backend: Backend) -> None:
    """Cut a backend short; one whose stop fails too is given up on all the same."""
    with contextlib.suppress(Exception):
        backend.stop()


def system_commands() -> list[list[str]]:
    """The player commands to try on this platform, in order (the WAV path is appended)."""
    if sys.platform == "darwin":
        return [["afplay"]]
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return [["pw-play"], ["paplay"], ["aplay", "-q"]]
    return []


class SystemBackend(Backend):
    """A player subprocess per clip: ``pw-play``, ``paplay``, ``aplay -q`` or ``afplay``.

    The child is isolated from the app: all its streams go to DEVNULL (Textual draws the screen on
    stderr), it runs in its own session, and it is killed if it runs longer than
    :data:`KILL_AFTER_S`. A command that fails is dropped and the next one tried on the same clip.
    """

    name = "system"

    def __init__(
        self,
        bank: ClipBank,
        commands: Sequence[Sequence[str]] | None = None,
        kill_after: float = KILL_AFTER_S,
    ) -> None:
        self._bank = bank
        wanted = system_commands() if commands is None else commands
        self._commands = [list(command) for command in wanted if shutil.which(command[0])]
        self._kill_after = kill_after
        self._lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None
        self._stopped = threading.Event()

    @property
    def label(self) -> str:
        return self._commands[0][0] if self._commands else self.name

    def unavailable(self) -> str | None:
        if self._commands:
            return None
        names = ", ".join(command[0] for command in system_commands()) or "none for this platform"
        return f"no player program found ({names})"

    def check(self) -> str | None:
        """Play a clip of no samples: each program opens the device and closes it, or fails
        (and the next one is tried)."""
        try:
            self.play(Clip(("check",), b""), lambda: None, None, threading.Event())
        except BackendFailed as error:
            return str(error)
        return None

    def play(self, clip: Clip, started: Started, at: float | None, cut: threading.Event) -> None:
        path = self._bank.wav_path(clip)
        last = "no player program left"
        while self._commands:
            command = self._commands[0]
            # Every cue is far shorter than the limit; a longer clip (a test) gets its length.
            limit = max(self._kill_after, clip.duration + 1.0)
            problem = self._run([*command, str(path)], started, limit)
            if problem is None:
                return
            if self._stopped.is_set():
                raise BackendFailed(f"{command[0]} stopped")
            self._commands.pop(0)  # this command is broken here: never try it again
            last = f"{command[0]} {problem}"
        raise BackendFailed(last)

    def _run(self, argv: list[str], started: Started, limit: float) -> str | None:
        try:
            child = start_process(argv, subprocess.DEVNULL, subprocess.DEVNULL)
        except OSError as error:
            return f"could not start: {error.strerror or error}"
        with self._lock:
            self._child = child
        started()
        try:
            code = child.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            kill_process(child)
            return f"still running after {limit:g} s: killed"
        finally:
            with self._lock:
                self._child = None
        if code < 0:
            return f"died of signal {signal_name(-code)}"
        return None if code == 0 else f"exited with status {code}"

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            child = self._child
        if child is not None:
            kill_process(child)


def signal_name(number: int) -> str:
    """``SIGSEGV`` for 11, or the number for a signal Python has no name for."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def start_process(argv: Sequence[str], stdin: int, stdout: int) -> subprocess.Popen[bytes]:
    """A helper process (a player, espeak-ng) in a session of its own, so it is killed with
    whatever it starts and a Ctrl+C meant for the app never reaches it, its stderr nowhere
    (Textual draws the screen there). Raises OSError if it cannot start."""
    return subprocess.Popen(
        argv, stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL, start_new_session=True
    )


def kill_process(child: subprocess.Popen[bytes], wait: bool = True) -> None:
    """Kill a player process and, on POSIX, its whole session (a wrapper's own children too)."""
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            child.kill()
        else:
            os.killpg(child.pid, signal.SIGKILL)
    if wait:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=1.0)


class WinsoundBackend(Backend):
    """Windows' own player (``winsound.PlaySound``) on a WAV file of the clip."""

    name = "winsound"

    def __init__(self, bank: ClipBank) -> None:
        self._bank = bank
        self._stopped = threading.Event()

    def unavailable(self) -> str | None:
        return None if sys.platform == "win32" else "winsound exists only on Windows"

    def play(self, clip: Clip, started: Started, at: float | None, cut: threading.Event) -> None:
        if sys.platform != "win32":  # also tells mypy the rest is Windows-only
            raise BackendFailed("winsound exists only on Windows")
        import winsound

        path = self._bank.wav_path(clip)
        flags = winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT
        try:
            # SND_ASYNC returns at once (SND_MEMORY cannot be async, hence the file); waiting the
            # clip's length here keeps clips in order.
            winsound.PlaySound(str(path), flags)
        except RuntimeError as error:
            raise BackendFailed(f"winsound: {error}") from None
        started()
        self._stopped.wait(clip.duration)

    def stop(self) -> None:
        self._stopped.set()
        if sys.platform == "win32":
            import winsound

            winsound.PlaySound(None, 0)


class BellBackend(Backend):
    """The terminal bell (and the app's visual flash): the app's callback, once per batch."""

    name = "bell"
    needs_samples = False

    def __init__(self, bell: Callable[[], None] | None) -> None:
        self._bell = bell

    def unavailable(self) -> str | None:
        return None if self._bell is not None else "no bell callback given"

    def play(self, clip: Clip, started: Started, at: float | None, cut: threading.Event) -> None:
        if self._bell is None:
            raise BackendFailed("no bell callback given")
        started()
        try:
            self._bell()
        except Exception as error:
            raise BackendFailed(f"bell: {error}") from None


class SilentBackend(Backend):
    """Plays nothing. Last in every chain, and always reported as "silent"."""

    name = "silent"
    needs_samples = False

    def play(self, clip: Clip, started: Started, at: float | None, cut: threading.Event) -> None:
        started()
