"""What went wrong with a file on disk, named for what it is: full, read-only, locked or damaged.

SQLite reports several unrelated faults with the same words. On a full disk it cannot grow its
shared-memory file and says "disk I/O error", which reads like damage; telling a worker their
database is damaged, and that IT should restore a backup, would throw away everything entered since
that backup. So a fault that *could* be damage is checked against the disk itself (free space, a
read-only mount) before it is called damage. Every open and every write of the database, the
command line and the desktop app, goes through :func:`classify` and :func:`user_error`.

Only damage exits with code 4 and mentions backups; a full disk, a read-only folder and a lock
held by another program are the user's (or IT's) to fix in place, exit 1, and lose nothing.
Sentences name the file, never its contents.
"""

from __future__ import annotations

import enum
import errno
import os
import shutil
from pathlib import Path

from cse_screen.errors import (
    DatabaseDamaged,
    DatabaseInUse,
    StorageFull,
    StorageReadOnly,
    UserError,
)

#: Below this much free space a write that failed "with an I/O error" failed for want of room:
#: SQLite needs a page or two for the WAL plus 32 KiB for its shared-memory file.
LOW_SPACE_BYTES = 1024 * 1024

_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)})
_READ_ONLY_ERRNOS = frozenset({errno.EROFS})
_DAMAGE_WORDS = ("not a database", "malformed", "hmac", "corrupt")


class Fault(enum.Enum):
    """The kinds of storage fault the user is told apart."""

    FULL = "full"
    READ_ONLY = "read_only"
    LOCKED = "locked"
    DAMAGED = "damaged"
    UNREACHABLE = "unreachable"  # the folder is missing or cannot be opened


def _inner(exc: BaseException) -> BaseException:
    inner = getattr(exc, "orig", None)
    return inner if isinstance(inner, BaseException) else exc


def _sqlite_name(exc: BaseException) -> str:
    return str(getattr(exc, "sqlite_errorname", "") or "")


def _existing_folder(path: Path) -> Path:
    folder = path if path.is_dir() else path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def disk_is_full(path: Path) -> bool:
    """Whether the disk holding ``path`` has (next to) no room left."""
    try:
        return shutil.disk_usage(_existing_folder(path)).free < LOW_SPACE_BYTES
    except OSError:
        return False


def disk_is_read_only(path: Path) -> bool:
    """Whether the file system holding ``path`` is mounted read-only."""
    try:
        return bool(os.statvfs(_existing_folder(path)).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # statvfs is POSIX only
        return False


def _from_os_error(exc: OSError, path: Path) -> Fault | None:
    if exc.errno in _FULL_ERRNOS:
        return Fault.FULL
    if exc.errno in _READ_ONLY_ERRNOS:
        return Fault.READ_ONLY
    if exc.errno == errno.EIO:
        return _ambiguous(path, Fault.DAMAGED)
    return None


def _ambiguous(path: Path, otherwise: Fault) -> Fault:
    """An error SQLite gives for damage and for a disk that refused a write alike."""
    if disk_is_full(path):
        return Fault.FULL
    if disk_is_read_only(path):
        return Fault.READ_ONLY
    return otherwise


def classify(exc: BaseException, path: Path | str) -> Fault | None:
    """The fault behind a driver or operating-system error on ``path``, or None when the error
    is not about the file at all (a programming error, which must not be dressed up)."""
    path = Path(path)
    inner = _inner(exc)
    if isinstance(inner, OSError):
        return _from_os_error(inner, path)
    name = _sqlite_name(inner)
    text = str(inner).lower()
    if name.startswith("SQLITE_FULL") or "database or disk is full" in text:
        return Fault.FULL
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text or "busy" in text:
        return Fault.LOCKED
    if name.startswith("SQLITE_READONLY") or "readonly" in text or "read-only" in text:
        return Fault.READ_ONLY
    damaged_words = any(word in text for word in _DAMAGE_WORDS)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or damaged_words:
        return Fault.DAMAGED
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return _ambiguous(path, Fault.DAMAGED)
    if name.startswith("SQLITE_CANTOPEN") or "unable to open database file" in text:
        return _ambiguous(path, Fault.UNREACHABLE)
    return None


def full_sentence(path: Path) -> StorageFull:
    return StorageFull(
        f"there is not enough disk space to write {path}; nothing already saved was lost: "
        "free some space on that disk and try again"
    )


def read_only_sentence(path: Path) -> StorageReadOnly:
    return StorageReadOnly(
        f"the database file {path} cannot be written: the file, its folder or its disk is "
        "read-only; nothing already saved was lost"
    )


def locked_sentence(path: Path) -> DatabaseInUse:
    return DatabaseInUse(
        f"the database file {path} is in use by another program (a long import, say); "
        "wait for it to finish or close it, then try again"
    )


def damaged_sentence(path: Path) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"the database file {path} cannot be read: it is damaged, or it does not belong to the "
        "keyslot file next to it (a copy of that file from before the database was last "
        "re-keyed is one); ask IT to look at it before anything is restored, since "
        "restoring a backup loses everything entered after that backup was made"
    )


def unreachable_sentence(path: Path) -> UserError:
    return UserError(
        f"the database file {path} cannot be opened: its folder is missing or not accessible"
    )


_SENTENCES = {
    Fault.FULL: full_sentence,
    Fault.READ_ONLY: read_only_sentence,
    Fault.LOCKED: locked_sentence,
    Fault.DAMAGED: damaged_sentence,
    Fault.UNREACHABLE: unreachable_sentence,
}


def user_error(exc: BaseException, path: Path | str) -> UserError | None:
    """The one sentence for ``exc`` on ``path`` (exit 4 for damage only), or None."""
    if isinstance(exc, UserError):
        return exc
    fault = classify(exc, path)
    return None if fault is None else _SENTENCES[fault](Path(path))


#: Faults that go away without anyone touching the file: the other program finishes, space is
#: freed, the stick is remounted. A save that failed with one of them is worth trying again.
RETRYABLE: frozenset[type[UserError]] = frozenset({DatabaseInUse, StorageFull, StorageReadOnly})


def is_retryable(exc: BaseException) -> bool:
    """Whether an automatic retry may succeed (never for damage or a refused value)."""
    return any(isinstance(exc, kind) for kind in RETRYABLE)


def short_phrase(exc: BaseException | None) -> str:
    """A few words for the mark beside each unsaved answer; the full sentence is in the footer."""
    if isinstance(exc, StorageFull):
        return "the disk is full"
    if isinstance(exc, DatabaseInUse):
        return "another program is using the database"
    if isinstance(exc, StorageReadOnly):
        return "the database cannot be written"
    if isinstance(exc, DatabaseDamaged):
        return "the database is damaged"
    return "see the message below"
