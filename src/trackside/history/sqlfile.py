"""Opening the history file safely, its schema and migrations, and one-line error messages.

:func:`open_history` checks a file before SQLite writes to it: a header that is not SQLite's, or
a failed ``quick_check`` on a read-only connection, means the file is damaged, and it is moved
aside (``history.db.corrupt-<timestamp>`` with its ``-wal``/``-shm``) exactly as it was; then a
new file is started. On a read-only disk the file is opened for reading only.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from trackside.history.schema import SCHEMA_VERSION, migrate, user_version

# Primary SQLite result codes (the low byte of the extended code).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_SIDECARS = ("-wal", "-shm", "-journal")
_PAGE = 4096
"""SQLite's page size: a write adds at least one."""
FULL_BELOW = 1 << 20
"""Free space under which a disk counts as full: SQLite grows its log a page at a time and its
log index 32 KiB at a time, and other programs need room too."""
_HEADER = b"SQLite format 3\x00"


class HistoryError(Exception):
    """The history cannot be read or written. ``str()`` is one line a runner can read."""


class Damaged(Exception):
    """The file is not a database, or a damaged one: it goes aside."""


@dataclass(frozen=True, slots=True)
class Opened:
    """A connection to a checked, migrated history file, and what the runner should be told."""

    conn: sqlite3.Connection
    notice: str | None
    """Set when a damaged file was moved aside."""
    read_only: bool


def open_history(path: Path, busy_timeout_s: float) -> Opened:
    """Open, check and migrate the history file. Raises :class:`HistoryError`."""
    opener = _Opener(path, busy_timeout_s)
    try:
        return Opened(opener.open_checked(), None, False)
    except Damaged as damaged:
        aside = opener.move_aside(str(damaged))
        notice = (
            f"history file {path} was damaged ({damaged}); moved it to {aside.name} "
            "and started a new one"
        )
        return Opened(opener.open_checked(), notice, False)
    except HistoryError:
        if not opener.on_read_only_disk():
            raise
        return Opened(opener.open_read_only(), None, True)


def open_for_reading(path: Path, busy_timeout_s: float) -> sqlite3.Connection | None:
    """A read-only connection to a history file that looks sound and needs no migration, or
    None: then :func:`open_history` is the way in.

    No integrity check, which reads the whole file (70 ms at 10,000 sessions): a read-only
    connection cannot change the file, and a reader that meets damage opens it the full way,
    which checks it and moves it aside. Nothing is written through this connection.
    """
    try:
        with open(path, "rb") as handle:
            if handle.read(len(_HEADER)) != _HEADER:
                return None
    except OSError:
        return None
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(
            uri, uri=True, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error:
        return None
    try:
        wal = conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        if wal and user_version(conn) == SCHEMA_VERSION:
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None


def read_anyway(path: Path, busy_timeout_s: float) -> Opened | None:
    """A read-only connection to a file that cannot be opened the usual way because its disk is
    full or read-only (SQLite cannot make the log's index beside it), or None for any other
    reason: then the error stands. ``history`` and ``export`` still read a history there."""
    opener = _Opener(path, busy_timeout_s)
    if not path.is_file() or (no_room(path) is None and not opener.on_read_only_disk()):
        return None
    try:
        conn = opener.open_read_only()
    except HistoryError:
        return None
    notice = None
    if _has_log(path) and opener.immutable:
        notice = (
            f"history file {path}: its log ({path.name}-wal) cannot be read without room on "
            "the disk; the newest sessions may be missing"
        )
    return Opened(conn, notice, True)


def _has_log(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def is_damage(error: sqlite3.Error) -> bool:
    """Whether SQLite found the file damaged (or not a database at all)."""
    return _code(error) in (_CORRUPT, _NOTADB)


class _Opener:
    """The steps of :func:`open_history` for one path."""

    def __init__(self, path: Path, busy_timeout_s: float) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self.immutable = False
        """Whether :meth:`open_read_only` had to read the file as it lies, without its log."""

    def _error(self, error: sqlite3.Error) -> HistoryError:
        return HistoryError(describe(error, self.path))

    def on_read_only_disk(self) -> bool:
        """Whether the file exists in a folder this process cannot write to."""
        # SQLite cannot open a WAL file where it cannot create the -shm beside it; a folder
        # nobody may write to (a read-only disk) is then still worth reading.
        return self.path.is_file() and not os.access(self.path.parent, os.W_OK)

    def open_read_only(self) -> sqlite3.Connection:
        """Open for reading only, without the -shm; never moves anything aside.

        A file of an older schema cannot be migrated where it lies: it is copied into memory
        and migrated there, so its sessions can still be read (nothing is written back).
        """
        for mode in ("ro", "immutable"):
            try:
                conn = sqlite3.connect(
                    self._uri(mode), uri=True, isolation_level=None, check_same_thread=False
                )
            except sqlite3.Error:
                continue
            try:
                check(conn)
                version = user_version(conn)
                self.immutable = mode == "immutable"
                if version == SCHEMA_VERSION:
                    return conn
                if version < SCHEMA_VERSION:
                    return _migrated_in_memory(conn)
            except (sqlite3.Error, Damaged):
                pass
            conn.close()
        raise HistoryError(f"history file {self.path} is on a read-only disk and cannot be read")

    def open_checked(self) -> sqlite3.Connection:
        """Check the file, then open it read-write, set it up and migrate it."""
        self._check_file()
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=self.busy_timeout_s,
                isolation_level=None,  # explicit BEGIN/COMMIT: each write is one transaction
                check_same_thread=False,  # a worker thread may read while the app records
            )
        except sqlite3.Error as error:
            raise self._error(error) from error
        try:
            prepare(conn, self.path)
        except sqlite3.Error as error:
            conn.close()
            raise self._error(error) from error
        except BaseException:  # HistoryError: close, then let it through
            conn.close()
            raise
        return conn

    def _check_file(self) -> None:
        """Raise :class:`Damaged` for a file that is not a sound SQLite database.

        The check reads the header itself and then runs ``quick_check`` on a read-only
        connection: a read-write connection to a damaged file would checkpoint its WAL into it,
        or delete the WAL, when it closed, and the file must go aside exactly as it was.
        """
        try:
            with open(self.path, "rb") as handle:
                header = handle.read(len(_HEADER))
        except FileNotFoundError:
            return
        except OSError as error:
            raise HistoryError(f"cannot read history file {self.path}: {error.strerror}") from None
        if not header:
            return  # an empty file is an empty database
        if header != _HEADER:
            raise Damaged("not an SQLite database")
        try:
            conn = sqlite3.connect(self._uri("ro"), uri=True, timeout=self.busy_timeout_s)
        except sqlite3.Error as error:
            raise self._error(error) from error
        try:
            check(conn)
        except sqlite3.Error as error:
            if _code(error) in (_CORRUPT, _NOTADB):
                raise Damaged(str(error)) from error
            raise self._error(error) from error
        finally:
            conn.close()

    def _uri(self, mode: str) -> str:
        path = urllib.parse.quote(str(self.path.resolve()))
        return f"file:{path}?immutable=1" if mode == "immutable" else f"file:{path}?mode={mode}"

    def move_aside(self, why: str) -> Path:
        """Rename the damaged file and its sidecars to ``<name>.corrupt-<timestamp>``."""
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while any(Path(f"{aside}{suffix}").exists() for suffix in ("", *_SIDECARS)):
            counter += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
        try:
            self.path.rename(aside)
            # A stale WAL left beside a new database would be replayed into it: move it too.
            for suffix in _SIDECARS:
                sidecar = Path(f"{self.path}{suffix}")
                if sidecar.exists():
                    sidecar.rename(f"{aside}{suffix}")
        except OSError as error:
            raise HistoryError(
                f"history file {self.path} is damaged ({why}) and could not be moved aside: "
                f"{error.strerror}; it was left as it is"
            ) from error
        return aside


def _migrated_in_memory(conn: sqlite3.Connection) -> sqlite3.Connection:
    """A copy of ``conn``'s database in memory, migrated; ``conn`` is closed."""
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        conn.backup(memory)
        migrate(memory)
    except BaseException:
        memory.close()
        raise
    finally:
        conn.close()
    return memory


def check(conn: sqlite3.Connection) -> None:
    """Raise :class:`Damaged` for a damaged file (SQLite errors for one it cannot read)."""
    result = conn.execute("PRAGMA quick_check").fetchall()
    if result != [("ok",)]:
        raise Damaged(f"integrity check failed: {result[0][0]}")


def prepare(conn: sqlite3.Connection, path: Path) -> None:
    """Per-connection settings, then the migrations this file has not had yet."""
    conn.execute("PRAGMA foreign_keys = ON")
    # FULL: in WAL mode each commit syncs the log, so a commit that returned survives power loss.
    conn.execute("PRAGMA synchronous = FULL")
    version = user_version(conn)
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"history file {path} was written by a newer trackside (schema {version}, this "
            f"one knows {SCHEMA_VERSION}); it was left untouched"
        )
    # Only switch when needed: a read-only file already in WAL mode can still be read.
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn)


def _code(error: sqlite3.Error) -> int:
    return int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def describe(error: sqlite3.Error, path: Path) -> str:
    """One line that says what is wrong with the history file."""
    code = _code(error)
    if code in (_BUSY, _LOCKED):
        return f"history file {path} is locked by another program"
    if code == _READONLY:
        return f"history file {path} is read-only"
    if code == _CANTOPEN:
        if not path.parent.is_dir():
            return f"cannot open history file {path}: its folder does not exist"
        if not os.access(path.parent, os.W_OK):
            return f"cannot open history file {path}: its folder is read-only"
        return f"cannot open history file {path}: no permission"
    if code in (_CORRUPT, _NOTADB):
        return f"history file {path} is damaged ({error})"
    if code in (_FULL, _IOERR):
        # SQLite says "disk I/O error" for a disk too full to grow the log's index and for a
        # file-size limit (EFBIG): the room left tells them apart from a failing disk.
        room = no_room(path)
        if room is not None:
            return room
        if code == _FULL:
            return f"the disk holding history file {path} is full"
        return f"disk error on history file {path} ({error})"
    return f"history file {path}: {error}"


def no_room(path: Path) -> str | None:
    """Why the history file cannot grow, if it is for want of room: this process's file-size
    limit reached, or a full disk. None if there is room."""
    limit = _size_limit()
    if limit is not None and _largest(path) + _PAGE >= limit:
        return f"history file {path} has reached the file-size limit ({_kb(limit)})"
    free = _free_bytes(path.parent)
    if free is not None and free < FULL_BELOW:
        return f"the disk holding history file {path} is full ({_kb(free)} free)"
    return None


def _size_limit() -> int | None:
    try:
        import resource  # POSIX only
    except ImportError:
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else soft


def _largest(path: Path) -> int:
    """The size of the history file or of its log, whichever is larger (either may be the one
    that could not grow)."""
    sizes = [0]
    for side in ("", "-wal", "-journal"):
        with contextlib.suppress(OSError):
            sizes.append(Path(f"{path}{side}").stat().st_size)
    return max(sizes)


def _free_bytes(folder: Path) -> int | None:
    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs on Windows
        return None
    return stats.f_bavail * stats.f_frsize


def _kb(size: int) -> str:
    return f"{size // 1024} KB"
