"""Files written where the runner says (``export -o``, ``convert SOURCE DEST``): never over the
history, never over a file without ``--force``, whole or not at all.

The target's links are resolved first: a file that is the history, its ``-wal``, ``-shm`` or
``-journal`` (by name or as a hard link to the same file) is refused, ``--force`` or not, since
writing over it would lose every session. An existing file is kept unless ``--force``. What is
written goes to a hidden temporary file beside the target, is flushed to the disk, then renamed
into place: a failure (a full disk, Ctrl+C) half-way leaves the target as it was. Without
``--force`` the rename is a hard link, which fails if a file appeared there meanwhile, so a
file made between the check and the write is never replaced either.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from trackside import paths
from trackside.cli import EXIT_FAILED, EXIT_USAGE, CommandError
from trackside.core.safe import visible

HISTORY_SIDES = ("", "-wal", "-shm", "-journal")
"""The history file and the files SQLite keeps beside it."""


def history_files() -> list[Path]:
    """The history file and its side files, links resolved (none if there is no data folder)."""
    try:
        db = paths.history_db(create=False).resolve()
    except (OSError, RuntimeError):
        return []
    return [db.with_name(db.name + side) for side in HISTORY_SIDES]


def checked_target(target: Path, *, force: bool) -> Path:
    """Where writing ``target`` really writes (its links resolved), once it is known to be
    neither the history nor, without ``force``, an existing file. Raises CommandError."""
    try:
        real = target.resolve()
    except (OSError, RuntimeError) as error:  # a loop of links
        raise _refused(target, f"cannot follow its links ({error})") from None
    for history in history_files():
        if real == history or _same_file(real, history):
            raise _refused(
                target, f"it is the history ({history}): nothing was written; give another file"
            )
    if real.is_dir():
        raise _refused(target, "it is a folder")
    if real.exists() and not force:
        raise _refused(target, "it exists; --force replaces it")
    return real


def write_bytes(target: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``target`` whole, by the rules above. Raises CommandError."""
    with open_binary(target, force=force) as handle:
        handle.write(data)


@contextlib.contextmanager
def open_text(target: Path, encoding: str, *, force: bool) -> Iterator[TextIO]:
    """A text file to write; it becomes ``target`` when the block ends without an error."""
    with open_binary(target, force=force) as raw:
        handle = open(raw.fileno(), "w", encoding=encoding, newline="", closefd=False)  # noqa: SIM115
        try:
            yield handle
        finally:
            handle.flush()


@contextlib.contextmanager
def open_binary(target: Path, *, force: bool) -> Iterator[BinaryIO]:
    """A file to write; it becomes ``target`` when the block ends without an error."""
    real = checked_target(target, force=force)
    temporary = real.with_name(f".{real.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        # O_EXCL: never a file (or a link someone left) already there; 0o666 less the umask.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise _failed(target, "cannot write beside it", error) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _place(temporary, real, target, force=force)
    except OSError as error:
        raise _failed(target, "cannot write it", error) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _place(temporary: Path, real: Path, target: Path, *, force: bool) -> None:
    """Rename the written file into place (over an existing one only with ``force``)."""
    if force:
        with contextlib.suppress(OSError):  # a replaced file keeps who may read it
            os.chmod(temporary, real.stat().st_mode & 0o777)
        os.replace(temporary, real)
        return
    try:
        os.link(temporary, real)  # fails if the name was taken meanwhile
    except FileExistsError:
        raise _refused(target, "it exists; --force replaces it") from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if real.exists():  # a file system without hard links: checked, then renamed
            raise _refused(target, "it exists; --force replaces it") from None
        os.replace(temporary, real)


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


_WORDS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file is too large",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "the folder does not exist",
}
"""What the runner can fix, in their words (exit 2); anything else is exit 1."""


def _failed(target: Path, what: str, error: OSError) -> CommandError:
    words = _WORDS.get(error.errno or 0)
    if words is not None:
        return _refused(target, f"{what}: {words}")
    return _refused(target, f"{what} ({error.strerror or error})", EXIT_FAILED)


def _refused(target: Path, why: str, code: int = EXIT_USAGE) -> CommandError:
    return CommandError([f"trackside: {visible(str(target))}: {why}"], code)
