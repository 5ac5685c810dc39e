"""The services' context on the encrypted local file: SQLCipher's failures as user errors.

The record services run on any engine and leave the translation of driver failures to whoever
opened it (:class:`~cse_screen.storage.services.context.DriverErrors`); this is the vault's.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine

from cse_screen.errors import DatabaseDamaged
from cse_screen.storage.records import UserRecord
from cse_screen.storage.services import audit, changes
from cse_screen.storage.services.context import ServiceContext
from cse_screen.vault.atomic import storage_full
from cse_screen.vault.engine import db_errors

try:  # POSIX only; Windows reports a full disk as such
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

#: A write that leaves less than this free (or this close to the file-size limit) ran out of room.
ROOM_NEEDED = 1 << 20


def out_of_space(db_path: Path) -> bool:
    """Whether a failed write was for want of room rather than damage.

    SQLite reports a write refused by the file-size limit (EFBIG) as a plain "disk I/O error",
    the same words as real damage; the sizes of the files against the free space and the limit
    tell them apart.
    """
    sizes = []
    for suffix in ("", "-wal", "-journal"):
        with contextlib.suppress(OSError):
            sizes.append(Path(f"{db_path}{suffix}").stat().st_size)
    try:
        free = shutil.disk_usage(db_path.parent).free
    except OSError:
        return False
    if free < ROOM_NEEDED:
        return True
    if resource is None:
        return False
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return limit != resource.RLIM_INFINITY and max(sizes, default=0) + ROOM_NEEDED > limit


class FileErrors:
    """SQLCipher's failures on the database at ``db_path`` as the sentences that name it."""

    def __init__(self, db_path: Path | str) -> None:
        self.db_path = Path(db_path)

    def reading(self) -> contextlib.AbstractContextManager[None]:
        return db_errors(self.db_path)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """As for reads, and a "disk I/O error" that was a full disk or the file-size limit is
        reported as a full disk, not as damage."""
        try:
            with db_errors(self.db_path):
                yield
        except DatabaseDamaged:
            if out_of_space(self.db_path):
                raise storage_full(self.db_path) from None
            raise


def local_context(engine: Engine, db_path: Path, user: UserRecord) -> ServiceContext:
    """A service context on the local file: its errors translated, refusals audited."""
    return ServiceContext(
        engine,
        db_path,
        user,
        record_denial=audit.record_refusal,
        errors=FileErrors(db_path),
        record_change=changes.queue_change,  # queues nothing until the database is enrolled
    )
