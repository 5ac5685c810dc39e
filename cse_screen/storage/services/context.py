"""What every service needs: sessions on the open database, the signed-in user, a clock.

One transaction per service call: the change and its audit entry commit together or not at all.
Driver failures (a full disk, damage, a lock held elsewhere) leave the block as the matching
user-facing error, with the transaction rolled back.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from cse_screen.errors import DatabaseDamaged, PermissionDenied
from cse_screen.storage.records import UserRecord
from cse_screen.vault.atomic import storage_full
from cse_screen.vault.engine import db_errors

try:  # POSIX only; Windows reports a full disk as such
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

#: A write that leaves less than this free (or this close to the file-size limit) ran out of room.
ROOM_NEEDED = 1 << 20


#: A write that changes nothing, run first in every write transaction: it takes SQLite's write
#: lock before anything is read (what BEGIN IMMEDIATE would do), so a second program writing at
#: the same moment is waited for (busy timeout) instead of failing the whole transaction.
TAKE_WRITE_LOCK = text("UPDATE meta SET value = value WHERE 0")


def utc_now() -> datetime:
    """Naive UTC, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


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


class Refusal(PermissionDenied):
    """A role check said no: carries what to write to the audit trail about it."""

    def __init__(self, message: str, action: str, entity: str, entity_id: object) -> None:
        super().__init__(message)
        self.action = action
        self.entity = entity
        self.entity_id = entity_id
        self.recorded = False


@dataclass
class ServiceContext:
    engine: Engine
    db_path: Path
    user: UserRecord
    today: Callable[[], date] = date.today
    now: Callable[[], datetime] = utc_now
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._local = threading.local()

    @property
    def in_session(self) -> bool:
        """Whether this thread is inside one of this context's sessions."""
        return bool(getattr(self._local, "depth", 0))

    @contextlib.contextmanager
    def _tracked(self) -> Iterator[None]:
        """Count open sessions; a refusal raised inside them is audited once they are closed
        (the refused work is rolled back, and a second writer would wait on our own lock)."""
        depth = getattr(self._local, "depth", 0)
        self._local.depth = depth + 1
        try:
            yield
        except Refusal as refusal:
            self._local.depth = depth
            if depth == 0 and not refusal.recorded:
                self.record_refusal(refusal)
            raise
        finally:
            self._local.depth = depth

    def record_refusal(self, refusal: Refusal) -> None:
        from cse_screen.storage.services import audit  # audit builds on this module

        detail = {"attempted": refusal.action, "role": self.user.role}
        with self.transaction() as session:
            audit.append(session, self, audit.DENIED, refusal.entity, refusal.entity_id, detail)
        refusal.recorded = True

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits on a clean exit and rolls back on any error."""
        try:
            with self._tracked(), db_errors(self.db_path), self.sessions.begin() as session:
                session.execute(TAKE_WRITE_LOCK)
                yield session
        except DatabaseDamaged:
            if out_of_space(self.db_path):
                raise storage_full(self.db_path) from None
            raise

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only; nothing it does is committed."""
        with self._tracked(), db_errors(self.db_path), self.sessions() as session:
            yield session
