"""Ways to make a sound that need nothing beyond the standard library.

A backend plays one clip at a time on a thread of its own (the chain player gives each one a
lane), blocking until the clip has played. It raises :class:`BackendFailed` when it cannot play,
and the chain then drops it and plays the same clip on the next backend.
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
    first_start_s = 0.0
    """Extra time allowed for the first clip to start (a backend that starts a process)."""

    @property
    def label(self) -> str:
        """What the app shows as the active backend."""
        return self.name

    def unavailable(self) -> str | None:
        """Why this backend cannot be used here (cheap: an import or a PATH lookup), or None."""
        return None

    def warm(self) -> None:
        """Get ready ahead of the first clip, if that takes a while. Must not block."""

    def play(self, clip: Clip, started: Started) -> None:
        """Play ``clip`` and return once it has played; raise :class:`BackendFailed` if not."""
        raise NotImplementedError

    def stop(self) -> None:
        """Cut the clip playing now short (from another thread). Best effort, never raises."""

    def close(self) -> None:
        """Release whatever the backend holds. Called once, at the end."""
        self.stop()


Reply = Callable[[str, int, "str | float | None"], None]
"""``on_reply(kind, key, detail)`` from a :class:`DirectBackend`: ``S`` started (``detail``: the
clip's length in seconds), ``D`` played, ``L`` dropped as late, ``E`` failed (``detail`` says
why), ``dead`` (the backend is gone; ``detail`` says why)."""


class DirectBackend(Backend):
    """A backend that takes cues without a worker in between, each to start at a given time.

    ``submit()`` returns at once (a few bytes to a pipe), so the app's thread hands a cue over
    the moment it is produced, and a cue known ahead is handed over before it is due and starts
    on time whatever the app is doing meanwhile. It reports each cue through ``on_reply``, from
    a thread of its own; the chain player judges hangs and falls back from those reports.
    """

    def attach(self, on_reply: Reply, max_late: float, volume: float) -> None:
        """Where to report, how late past its due time a cue may still start, and the volume
        most cues will have (to get ready for)."""
        raise NotImplementedError

    def submit(
        self, key: int, cues: tuple[str, ...], volume: float, due: float, at: float | None
    ) -> None:
        """Play ``cues`` at ``volume``, at ``at`` (None: now); ``due`` judges lateness. Both
        on ``time.monotonic``. Raises :class:`BackendFailed` if it cannot take the cue."""
        raise NotImplementedError

    def cancel(self, key: int) -> None:
        """Withdraw a cue submitted before (cut short if it has begun). Never raises."""
        raise NotImplementedError

    def death_reason(self) -> str:
        """Why the backend stopped taking cues (may wait up to a second to find out)."""
        return f"{self.label} stopped"

    def play(self, clip: Clip, started: Started) -> None:
        raise BackendFailed(f"{self.label} takes cues through submit()")


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

    def play(self, clip: Clip, started: Started) -> None:
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
            child = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
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

    def play(self, clip: Clip, started: Started) -> None:
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

    def play(self, clip: Clip, started: Started) -> None:
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

    def play(self, clip: Clip, started: Started) -> None:
        started()
