"""Write files so that a crash, a kill or a full disk never leaves a half-written one behind.

Every file the application writes itself (keyslots, backups, exports) goes through here: the bytes
go to a temporary file in the destination's own folder (so the final rename never crosses a file
system), the temporary file is flushed to disk, renamed over the destination in one step, and the
folder entry is flushed too, so that after a power cut the name points at either the old or the
new complete file. On any failure the temporary file is removed and the destination is untouched.

Temporary names carry the writing process's id, so that a later run can tell the leftovers of a
killed process (see :func:`remove_stale_temps`) from a write still going on in another process.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cse_screen.errors import StorageFull, UserError
from cse_screen.fileowner import keep_owner_and_mode, stat_or_none

# Errors that mean "no room": a full disk, a per-file size limit, a full quota.
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)})
_TEMP_SUFFIX = ".tmp"
_STALE_AFTER_SECONDS = 3600.0
_TOKEN_BYTES = 6
#: Exactly what :func:`temp_path_for` makes: ``.<target name>.<pid>.<hex token>.tmp``.
_TEMP_NAME = re.compile(
    rf"^\.(?P<target>.+)\.(?P<pid>[0-9]+)\.[0-9a-f]{{{2 * _TOKEN_BYTES}}}{re.escape(_TEMP_SUFFIX)}$"
)
PRIVATE_FILE_MODE = 0o600
#: For files meant to be shared, such as the IT recovery public key.
PUBLIC_FILE_MODE = 0o644


def is_disk_full(exc: BaseException) -> bool:
    """True when ``exc`` is the operating system saying there is no room left."""
    return isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS


def storage_full(target: Path) -> StorageFull:
    """The sentence for a full disk, naming the file that could not be written."""
    return StorageFull(
        f"there is not enough disk space to write {target}; nothing was changed there"
    )


_NOT_WRITABLE_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


def write_error(exc: BaseException, target: Path) -> UserError | None:
    """The sentence for an operating-system refusal to write ``target``, or None."""
    if is_disk_full(exc):
        return storage_full(target)
    if isinstance(exc, OSError) and exc.errno in _NOT_WRITABLE_ERRNOS:
        return UserError(
            f"{target} cannot be written: the file or its folder is read-only or not "
            "accessible; nothing was changed"
        )
    return None


def temp_path_for(target: Path) -> Path:
    """A fresh hidden temporary name next to ``target``, marked with this process's id."""
    token = secrets.token_hex(_TOKEN_BYTES)
    return target.with_name(f".{target.name}.{os.getpid()}.{token}{_TEMP_SUFFIX}")


def fsync_dir(folder: Path) -> None:
    """Flush a folder entry so a rename inside it survives a power cut (POSIX only).

    Windows cannot open folders for flushing; NTFS journals the rename itself.
    """
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open_private(path: Path) -> BinaryIO:
    """Create ``path`` readable by its owner only; refuse if it exists (never reuse a temp)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    return os.fdopen(fd, "wb")


def _settle(temp: Path, target: Path, mode: int | None) -> None:
    """Give the new file its permissions and owner before it takes ``target``'s name.

    A replaced file keeps its owner and permissions (so root replacing a user's keyslots leaves
    them the user's); a new file gets ``mode`` (owner-only unless asked) and, as root, the
    folder's owner. An explicit ``mode`` wins over the replaced file's.
    """
    replaced = stat_or_none(target)
    keep_owner_and_mode(temp, replaced)
    if mode is not None:
        temp.chmod(mode)


def _discard(temp: Path) -> None:
    """Best effort: the original error matters more than a failure to clean up after it."""
    if temp.exists():
        with contextlib.suppress(OSError):
            temp.unlink()


@contextlib.contextmanager
def atomic_writer(target: Path | str, mode: int | None = None) -> Iterator[BinaryIO]:
    """Yield a file to write; on a clean exit it replaces ``target`` in one step.

    If the body raises (including :class:`cse_screen.errors.Cancelled`), the temporary file is
    removed and ``target`` keeps its previous content, or stays absent. A full disk becomes
    :class:`cse_screen.errors.StorageFull` naming ``target``.
    """
    target = Path(target)
    temp = temp_path_for(target)
    try:
        with _open_private(temp) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _settle(temp, target, mode)
        temp.replace(target)
    except BaseException as exc:
        _discard(temp)
        user_error = write_error(exc, target)
        if user_error is not None:
            raise user_error from None
        raise
    fsync_dir(target.parent)


def atomic_write_bytes(target: Path | str, data: bytes, mode: int | None = None) -> None:
    """Replace ``target`` with ``data`` completely or not at all."""
    with atomic_writer(target, mode) as handle:
        handle.write(data)


def atomic_replace(source: Path | str, target: Path | str) -> None:
    """Move an already written and flushed file over ``target`` and flush the folder entry."""
    source, target = Path(source), Path(target)
    keep_owner_and_mode(source, stat_or_none(target))
    source.replace(target)
    fsync_dir(target.parent)


def fsync_file(path: Path | str) -> None:
    """Flush a file written by someone else (SQLite, a copy) before it is renamed into place."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    """Whether a process with this id still runs (POSIX); elsewhere assume it does."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_stale(temp: Path, now: float) -> bool:
    parts = temp.name[: -len(_TEMP_SUFFIX)].rsplit(".", 2)
    try:
        pid = int(parts[-2])
        age = now - temp.stat().st_mtime
    except (ValueError, IndexError, OSError):
        return False
    if pid == os.getpid():
        return False
    return not _pid_alive(pid) or age > _STALE_AFTER_SECONDS


def stale_temps(target: Path | str) -> list[Path]:
    """Temporary files left next to ``target`` by writers that were killed."""
    target = Path(target)
    if not target.parent.is_dir():
        return []
    now = time.time()
    pattern = f".{target.name}.*{_TEMP_SUFFIX}"
    return [p for p in target.parent.glob(pattern) if _is_stale(p, now)]


def remove_stale_temps(target: Path | str) -> int:
    """Delete what killed writers left next to ``target``; returns how many were removed.

    A kill between writing and renaming leaves a complete or partial temporary file that nothing
    else would ever clean up. Writes still running in live processes are left alone.
    """
    return _remove(stale_temps(target))


def stale_temps_in(folder: Path | str, target_suffix: str) -> list[Path]:
    """Temporary files killed writers left in ``folder`` for any destination whose name ends
    in ``target_suffix`` (compared case-insensitively, as file names on Windows and macOS are).

    Only names exactly of the form this module gives its temporary files are considered, so a
    user's own files in the folder, hidden or not, are never candidates.
    """
    folder = Path(folder)
    suffix = target_suffix.lower()
    now = time.time()
    try:
        entries = list(folder.iterdir())
    except OSError:  # gone, not a folder, or not readable: nothing to sweep
        return []
    return [
        p
        for p in entries
        if (match := _TEMP_NAME.match(p.name))
        and match["target"].lower().endswith(suffix)
        and p.is_file()
        and _is_stale(p, now)
    ]


def remove_stale_temps_in(folder: Path | str, target_suffix: str) -> int:
    """Delete what killed writers left in ``folder`` for any ``target_suffix`` destination.

    A killed write to one name is otherwise only cleaned by a later write to that same name,
    which may never come (exports are usually named by date); this sweeps them all.
    """
    return _remove(stale_temps_in(folder, target_suffix))


def _remove(temps: list[Path]) -> int:
    removed = 0
    for temp in temps:
        with contextlib.suppress(OSError):  # gone already, or a read-only folder
            temp.unlink()
            removed += 1
    return removed
