"""In-process backends on native audio libraries: miniaudio (default) and simpleaudio (opt-in).

Both are imported lazily, on the thread of the scheduler that plays them (miniaudio's is in its
own child process, see ``child.py``), so importing trackside stays cheap and a broken library
never stops the app from starting. Traps coded around here (each reproduced while the audio
stack was chosen):

* libasound prints errors straight to fd 2, where Textual draws the screen: :func:`quiet_alsa`.
* A miniaudio device still open at exit hangs the process: every device is closed after its clip,
  and ``close()`` (called at exit) closes one still playing.
* On PulseAudio each miniaudio device leaks its context, and the 64th fails: the context is
  released with ``ma_context_uninit`` after each clip.
* A miniaudio backend list that reaches JACK with no JACK server segfaults: the list is explicit.
* simpleaudio crashes after every clip on Python 3.12+ and holds the GIL while opening the device:
  opt-in only, refused on 3.12+.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import sys
import threading
import time
from collections.abc import Generator, Sequence
from typing import Any

from trackside.audio.backends import Backend, BackendFailed, Started
from trackside.audio.clips import RATE, Clip

_DRAIN_S = 0.12
"""How long a device keeps running after the last samples are handed over, so they are heard."""
_BUFFER_MS = 40
LEAD_S = 0.15
NO_DEVICE = "no sound device could be opened"
"""Why the silent check failed, in the runner's words (miniaudio's own is Python text)."""
"""A clip is handed over this long before it starts: its device opens, then starts on time."""

_alsa_lock = threading.Lock()
_alsa_handler: Any = None


def quiet_alsa() -> bool:
    """Route libasound's error messages to nowhere (once per process). True if installed.

    Must hold a reference to the callback for the life of the process, hence the module global.
    """
    global _alsa_handler
    with _alsa_lock:
        if _alsa_handler is not None:
            return True
        name = ctypes.util.find_library("asound") or "libasound.so.2"
        try:
            library = ctypes.CDLL(name)
        except OSError:
            return False
        handler_type = ctypes.CFUNCTYPE(
            None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
        )
        handler = handler_type(lambda *_args: None)
        library.snd_lib_error_set_handler(handler)
        _alsa_handler = handler
        return True


def miniaudio_backend_names() -> tuple[str, ...]:
    """miniaudio's backends to allow on this platform (never JACK: it segfaults with no server)."""
    if sys.platform.startswith("linux"):
        return ("PULSEAUDIO", "ALSA")
    if sys.platform == "darwin":
        return ("COREAUDIO",)
    if sys.platform == "win32":
        return ("WASAPI", "DSOUND", "WINMM")
    return ()


class MiniaudioBackend(Backend):
    """miniaudio, one device per clip, closed and its context released after the clip."""

    name = "miniaudio"
    lead_s = LEAD_S

    def __init__(self, backends: Sequence[str] | None = None) -> None:
        self._names = tuple(backends) if backends is not None else miniaudio_backend_names()
        self._lock = threading.Lock()
        self._device: Any = None
        self._abort = threading.Event()
        self._finished = threading.Event()
        self._cut = threading.Event()
        self._spare: Any = None

    def unavailable(self) -> str | None:
        if not self._names:
            return f"no tested miniaudio backend list for {sys.platform}"
        try:
            import miniaudio  # noqa: F401
        except Exception as error:  # a broken native library raises more than ImportError
            return f"miniaudio cannot be imported ({error})"
        return None

    def warm(self) -> None:
        """Load miniaudio and quieten libasound now, not at the first cue (about 40 ms)."""
        with contextlib.suppress(Exception):  # a broken library shows up at the first cue
            import miniaudio  # noqa: F401

            quiet_alsa()

    def check(self) -> str | None:
        """Open the first clip's device now (kept for it), or say that none would open."""
        return None if self._spare_opened() else NO_DEVICE

    def ready(self) -> None:
        """Open the next clip's device now, unstarted (no sound), so a cue that comes without
        warning (a key's) does not wait for it: opening takes a few ms, a process on ALSA's file
        plugin, more on a busy machine. Never raises; a device that cannot open is found out by
        the clip itself."""
        self._spare_opened()

    def _spare_opened(self) -> bool:
        """A device open and unstarted, for the next clip: False if none could be opened."""
        with self._lock:
            if self._spare is not None or self._abort.is_set():
                return True
        try:
            device = self._open()
        except Exception:
            return False
        with self._lock:
            if self._spare is None and not self._abort.is_set():
                self._spare, device = device, None
        _close(device)
        return True

    def _open(self) -> Any:
        import miniaudio

        return miniaudio.PlaybackDevice(
            output_format=miniaudio.SampleFormat.SIGNED16,
            nchannels=1,
            sample_rate=RATE,
            buffersize_msec=_BUFFER_MS,
            backends=[getattr(miniaudio.Backend, name) for name in self._names],
            app_name="trackside",
        )

    def play(self, clip: Clip, started: Started, at: float | None, cut: threading.Event) -> None:
        """Play ``clip``. With ``at`` (on ``time.monotonic``) the device is opened at once and
        started at that moment, so opening it costs the cue no time. Setting ``cut`` (then
        calling :meth:`cut`) cancels the clip, waiting or playing."""
        quiet_alsa()
        finished = self._finished = threading.Event()
        self._cut = cut
        if self._abort.is_set():
            return
        with self._lock:
            device, self._spare = self._spare, None
        try:
            device = device or self._open()
        except Exception as error:
            raise BackendFailed(f"miniaudio: {_one_line(error)}") from None
        with self._lock:
            self._device = device
        try:
            feed = _feed(clip.pcm, finished)
            next(feed)
            if at is not None:
                cut.wait(max(0.0, at - time.monotonic()))
            if self._abort.is_set() or cut.is_set():
                return
            device.start(feed)
            started()
            limit = clip.duration + _DRAIN_S + 2.0
            if not finished.wait(limit) and not (self._abort.is_set() or cut.is_set()):
                raise BackendFailed("miniaudio: the device stopped taking samples")
        except BackendFailed:
            raise
        except Exception as error:
            raise BackendFailed(f"miniaudio: {_one_line(error)}") from None
        finally:
            self._release()

    def _release(self, spare: bool = False) -> None:
        """Close the device playing (and the spare one) and free their contexts."""
        with self._lock:
            device, self._device = self._device, None
            if spare:
                _close(self._spare)
                self._spare = None
        _close(device)

    def cut(self) -> None:
        """Wake the clip waiting or playing now if its ``cut`` event is set, so it ends."""
        if self._cut.is_set():
            self._finished.set()

    def stop(self) -> None:
        self._abort.set()
        self._cut.set()
        self._finished.set()  # wakes play() so it closes the device on its own thread

    def close(self) -> None:
        self.stop()
        self._release(spare=True)


def _close(device: Any) -> None:
    """Close a device and free its context (pyminiaudio leaks it otherwise)."""
    if device is None:
        return
    import miniaudio

    context = getattr(device, "_context", None)
    device.close()
    if context is not None:
        miniaudio.lib.ma_context_uninit(context)


def _feed(pcm: bytes, finished: threading.Event) -> Generator[bytes, int, None]:
    """miniaudio's callback generator: the clip, then a little silence, then flag the end.

    The silence lets the device's buffer play out before it is closed; the end is flagged by
    counting samples handed over rather than by sleeping, so an unpaced device (ALSA's null
    plugin in the tests) does not fill its sink with silence for the length of a sleep.
    """
    data = pcm + bytes(round(_DRAIN_S * RATE) * 2)
    position = 0
    frames = yield b""
    while position < len(data):
        chunk = data[position : position + frames * 2]
        position += len(chunk)
        frames = yield chunk
    finished.set()
    while True:
        frames = yield b""


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]


SIMPLEAUDIO_TOO_NEW = (
    "simpleaudio crashes on Python 3.12 and newer; use --audio auto (miniaudio) instead"
)
SIMPLEAUDIO_MISSING = (
    "simpleaudio is not installed: pip install 'trackside[simpleaudio]' "
    "(needs a C compiler and libasound2-dev)"
)


def simpleaudio_refusal(version: tuple[int, int] | None = None) -> str | None:
    """Why simpleaudio cannot be used here (Python too new, or not installed), or None."""
    if (version or sys.version_info[:2]) >= (3, 12):
        return SIMPLEAUDIO_TOO_NEW
    try:
        import simpleaudio  # noqa: F401
    except Exception:
        return SIMPLEAUDIO_MISSING
    return None


class SimpleaudioBackend(Backend):
    """simpleaudio (opt-in only, Python < 3.12). Holds the GIL while it opens the device."""

    name = "simpleaudio"

    def __init__(self) -> None:
        self._abort = threading.Event()
        self._playing: Any = None

    def unavailable(self) -> str | None:
        return simpleaudio_refusal()

    def play(self, clip: Clip, started: Started, at: float | None, cut: threading.Event) -> None:
        import simpleaudio

        quiet_alsa()
        try:
            playing = simpleaudio.play_buffer(clip.pcm, 1, 2, RATE)
        except Exception as error:  # SimpleaudioError is not exported at the top level
            raise BackendFailed(f"simpleaudio: {_one_line(error)}") from None
        self._playing = playing
        started()
        while playing.is_playing() and not self._abort.wait(0.02):
            pass

    def stop(self) -> None:
        self._abort.set()
        playing = self._playing
        if playing is not None:
            playing.stop()
