"""What every service needs: sessions on the open database, the signed-in user, a clock.

One transaction per service call: the change and its audit entry commit together or not at all.
Driver failures (a full disk, damage, a lock held elsewhere) leave the block as the matching
user-facing error, with the transaction rolled back; which words of which driver mean what is
known to whoever opened the engine, who hands it in as :class:`DriverErrors`.

This module imports no other service: the audit trail and the role checks build on it, and a
refusal is written to the trail through the ``record_denial`` the context was given.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from cse_screen.errors import NotFound, PermissionDenied
from cse_screen.storage.records import UserRecord

#: The first statement of every write transaction. It takes SQLite's write lock before anything
#: is read (what BEGIN IMMEDIATE would do), so a second program writing at the same moment is
#: waited for (busy timeout) instead of failing the whole transaction. On PostgreSQL it locks the
#: one ``write_lock`` row until commit, so concurrent writers queue and each appends to the audit
#: chain after the previous one's entry is committed and visible. It also counts the write: the
#: row's value is the number of write transactions the database has committed, which whoever
#: opened it can compare, next time, with the count it saw committed (a torn copy holds fewer).
TAKE_WRITE_LOCK = text(
    "UPDATE meta SET value = CAST(CAST(COALESCE(NULLIF(value, ''), '0') AS INTEGER) + 1"
    " AS VARCHAR(20)) WHERE key = 'write_lock' RETURNING value"
)
_WRITES = text("SELECT value FROM meta WHERE key = 'write_lock'")


def writes_in(session: Session) -> int:
    """How many write transactions the database holds committed (0 before any)."""
    found = session.execute(_WRITES).scalar()
    return int(found) if found else 0


def utc_now() -> datetime:
    """Naive UTC, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


class Refusal(PermissionDenied):
    """A role check said no: carries what to write to the audit trail about it."""

    def __init__(self, message: str, action: str, entity: str, entity_id: object) -> None:
        super().__init__(message)
        self.action = action
        self.entity = entity
        self.entity_id = entity_id
        self.recorded = False


class Unseen(NotFound):
    """A record outside the caller's caseload or team, answered exactly as one that does not
    exist (so nobody learns which case references or user names exist beyond their own), yet
    audited as a refusal like :class:`Refusal`."""

    def __init__(self, message: str, action: str, entity: str, entity_id: object) -> None:
        super().__init__(message)
        self.action = action
        self.entity = entity
        self.entity_id = entity_id
        self.recorded = False


class DriverErrors(Protocol):
    """Turns the driver failures raised inside a block into the matching user-facing error.

    The services cannot know them: SQLCipher says "database or disk is full" where another
    driver says something else, so the owner of the engine supplies the translation.
    """

    def reading(self) -> AbstractContextManager[object]:
        """Around a read-only session."""
        ...

    def writing(self) -> AbstractContextManager[object]:
        """Around a write transaction, its commit included."""
        ...


class PassThrough:
    """Driver errors left as they are: for an engine whose owner translates none."""

    def reading(self) -> AbstractContextManager[object]:
        return contextlib.nullcontext()

    def writing(self) -> AbstractContextManager[object]:
        return contextlib.nullcontext()


#: Writes a refusal to the audit trail in its own transaction (``audit.record_refusal``).
RecordDenial = Callable[["ServiceContext", "Refusal | Unseen"], None]

#: Told of every audited change inside its transaction (session, context, action, entity, row
#: id, detail): the server numbers it for sync, an enrolled laptop queues it in its outbox.
RecordChange = Callable[[Session, "ServiceContext", str, str, object, Mapping[str, Any]], None]


@dataclass
class ServiceContext:
    engine: Engine
    db_path: Path
    user: UserRecord
    today: Callable[[], date] = date.today
    now: Callable[[], datetime] = utc_now
    #: Required: a refusal that is not audited would hide who tried what.
    record_denial: RecordDenial = field(kw_only=True)
    errors: DriverErrors = field(default_factory=PassThrough, kw_only=True)
    #: Called with the database's write count after each committed transaction.
    on_commit: Callable[[int], None] | None = None
    #: An administrator's session that holds the signing key (``services/signatures.py``);
    #: None for everyone else and on the team server, which never signs.
    signer: Any = None
    #: Where changes go for sync (see :mod:`.changes`); None: nowhere (a standalone copy).
    record_change: RecordChange | None = field(default=None, kw_only=True)
    #: Take the write lock late: not as a transaction's first statement but before its first
    #: change, or (a read that is only audited) as its audit entries are chained just before
    #: it commits (see ``audit.lock_before_writing`` and ``audit.chain_pending``). For a
    #: server on PostgreSQL, whose row locks need no BEGIN IMMEDIATE: its requests find their
    #: records side by side and queue only for the part that writes.
    lock_late: bool = field(default=False, kw_only=True)
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._local = threading.local()

    def rebind(self, engine: Engine) -> None:
        """Point this context, and so every service holding it, at a new engine on the same
        database (after a re-key the file opens under a new key)."""
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)

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
        except (Refusal, Unseen) as refusal:
            self._local.depth = depth
            if depth == 0 and not refusal.recorded:
                self.record_refusal(refusal)
            raise
        finally:
            self._local.depth = depth

    def record_refusal(self, refusal: Refusal | Unseen) -> None:
        self.record_denial(self, refusal)
        refusal.recorded = True

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits on a clean exit and rolls back on any error.

        Its first statement takes the write lock and counts the write; once committed, the
        count goes to ``on_commit`` (the local store records it, to notice torn copies later).
        """
        with self._tracked(), self.errors.writing(), self.sessions.begin() as session:
            found = None if self.lock_late else session.execute(TAKE_WRITE_LOCK).scalar()
            yield session
        if self.on_commit is not None and found is not None:
            self.on_commit(int(found))

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only; nothing it does is committed."""
        with self._tracked(), self.errors.reading(), self.sessions() as session:
            yield session
