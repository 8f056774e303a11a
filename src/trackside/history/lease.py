"""One window per session: the process that runs a session holds a lease on it.

A lease is a row of ``leases``: the holder's pid, host, a token of its boot and start (so a pid
used again by another process after a reboot, or after the holder died, is not mistaken for it),
its terminal, and when it last renewed the lease. The holder renews it with every write and
every :data:`RENEW_S` in between. Another process judges it:

- on the same host, by asking the system whether that very process is still running (a window
  suspended with Ctrl+Z, or a laptop asleep, still holds its session);
- where it cannot ask (another host sharing the folder, Windows), by the renewal: a lease not
  renewed for :data:`STALE_S` is a dead process's.

A live holder's session is never written by anyone else; a dead holder's lease is taken over by
the process that resumes the session. Every check and change runs inside the writer's own
transaction (SQLite lets one writer in at a time), so two windows cannot both take one lease.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import sys
from dataclasses import dataclass
from functools import cache

from trackside.history.sqlfile import HistoryError

RENEW_S = 5.0
"""How often a holder renews its lease when it has nothing to write: also how well a resume
knows when a session was left ("left N s ago" is right to within this; one small write)."""
STALE_S = 120.0
"""A lease not renewed for this long is a dead process's, where the system cannot be asked."""


@dataclass(frozen=True, slots=True)
class Holder:
    """A process that may hold a session: who it is and where the runner can find it."""

    pid: int
    host: str
    boot: str
    """The host's boot id and the process's start time (``""`` where the system has none)."""
    terminal: str | None = None

    @classmethod
    def me(cls) -> Holder:
        """This process."""
        return _me()

    def same(self, other: Holder) -> bool:
        """Whether ``other`` is this very process."""
        return (self.pid, self.host, self.boot) == (other.pid, other.host, other.boot)

    def where(self) -> str:
        """``pid 1234, terminal /dev/pts/3`` (and the host when it is another one)."""
        parts = [f"pid {self.pid}"]
        if self.terminal:
            parts.append(f"terminal {self.terminal}")
        if self.host != _me().host:
            parts.append(f"on {self.host}")
        return ", ".join(parts)


class SessionHeld(HistoryError):
    """The session is open in another window, which holds its lease: nothing is written."""

    def __init__(self, session_id: int, holder: Holder) -> None:
        self.session_id = session_id
        self.holder = holder
        super().__init__(f"session {session_id} is open in another window ({holder.where()})")


def alive(holder: Holder, renewed_wall: float, now_wall: float) -> bool:
    """Whether ``holder`` is running still (and so holds its lease)."""
    me = _me()
    if holder.same(me):
        return True
    if holder.host == me.host:
        running = _running(holder)
        if running is not None:
            return running
    return now_wall - renewed_wall < STALE_S


def holder_of(conn: sqlite3.Connection, session_id: int, now_wall: float) -> Holder | None:
    """The live process other than this one that holds ``session_id``, or None."""
    row = conn.execute(
        "SELECT pid, host, boot, terminal, renewed_wall FROM leases WHERE session_id = ?",
        (session_id,),
    ).fetchone()
    if row is None:
        return None
    try:
        holder = Holder(int(row[0]), str(row[1]), str(row[2]), _text(row[3]))
        renewed = float(row[4])
    except (TypeError, ValueError):  # a row edited by hand holds nothing
        return None
    if holder.same(_me()) or not alive(holder, renewed, now_wall):
        return None
    return holder


def claim(conn: sqlite3.Connection, session_id: int, now_wall: float) -> None:
    """Take or renew this process's lease on ``session_id``, inside the caller's transaction.
    Raises :class:`SessionHeld` if another live process holds it."""
    other = holder_of(conn, session_id, now_wall)
    if other is not None:
        raise SessionHeld(session_id, other)
    me = _me()
    conn.execute(
        "INSERT OR REPLACE INTO leases (session_id, pid, host, boot, terminal, renewed_wall) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (session_id, me.pid, me.host, me.boot, me.terminal, now_wall),
    )


def release(conn: sqlite3.Connection, session_id: int) -> None:
    """Let go of this process's lease on ``session_id`` (someone else's is left alone)."""
    me = _me()
    conn.execute(
        "DELETE FROM leases WHERE session_id = ? AND pid = ? AND host = ? AND boot = ?",
        (session_id, me.pid, me.host, me.boot),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


@cache
def _me() -> Holder:
    pid = os.getpid()
    return Holder(pid, socket.gethostname(), _boot_token(pid), _terminal())


def _boot_token(pid: int) -> str:
    """``<boot id>:<start time>`` of ``pid`` on Linux; ``""`` elsewhere."""
    boot = _read("/proc/sys/kernel/random/boot_id")
    started = _start_ticks(pid)
    return f"{boot}:{started}" if boot and started else ""


def _running(holder: Holder) -> bool | None:
    """Whether ``holder`` (on this host) is still running, or None if the system cannot say."""
    booted = _read("/proc/sys/kernel/random/boot_id")
    if holder.boot and booted:
        if holder.boot.split(":")[0] != booted:
            return False  # the machine was started again since
        return _boot_token(holder.pid) == holder.boot  # not gone, nor its pid used again
    if sys.platform == "win32":
        return None  # os.kill would end the process there, not ask about it
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process is running under that pid
    except OSError:
        return None
    return True


def _start_ticks(pid: int) -> str:
    """The process's start time since boot, in clock ticks (field 22 of /proc/PID/stat);
    ``""`` for a process that is not there, or has ended and waits to be reaped (a zombie)."""
    stat = _read(f"/proc/{pid}/stat")
    fields = stat.rpartition(")")[2].split()  # its name, in brackets, may hold spaces
    if len(fields) <= 19 or fields[0] in ("Z", "X"):
        return ""
    return fields[19]


def _read(path: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def _terminal() -> str | None:
    """This process's terminal (``/dev/pts/3``), if it has one."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            if stream is not None and stream.isatty():
                return os.ttyname(stream.fileno())
    return None
