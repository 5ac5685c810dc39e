"""An operating-system lock that says "this database is open", held by every open store.

A restore renames new files over the database. If the app still had the old file open, its
later saves would go on into the set-aside copy without an error, and be lost from view. So
every open store holds a shared ``flock`` on the database file, and a restore asks for an
exclusive one without waiting: while any store anywhere on the machine has the database open,
the restore is refused with a sentence.

``flock`` locks are separate from the POSIX record locks SQLite itself takes on the same file,
so the two never interfere. On Windows the file system already refuses to rename a file that
SQLite holds open, so the restore fails there before replacing anything; no lock is taken.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from cse_screen.errors import DatabaseInUse

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


class OpenLock:
    """The shared "open" lock of one store, released by :meth:`release` (or at exit)."""

    def __init__(self, db_path: Path) -> None:
        self._fd: int | None = None
        if fcntl is None:
            return
        with contextlib.suppress(OSError):  # best effort: a read-only share still opens
            fd = os.open(db_path, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)  # a restore holds it: opening continues, the restore decides
                return
            self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)  # closing the descriptor releases its flock
            self._fd = None


@contextlib.contextmanager
def exclusive(db_path: Path) -> Iterator[None]:
    """Hold the database exclusively for a restore, or refuse at once if it is open."""
    if fcntl is None or not db_path.exists():
        yield
        return
    fd = os.open(db_path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise DatabaseInUse(
                f"the database {db_path} is open in cse-screen (the app or a command); close "
                "it everywhere, then restore again (nothing was changed)"
            ) from None
        yield
    finally:
        os.close(fd)
