"""What every service needs: sessions on the open database, the signed-in user, a clock.

One transaction per service call: the change and its audit entry commit together or not at all.
Driver failures (a full disk, damage, a lock held elsewhere) leave the block as the matching
user-facing error, with the transaction rolled back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from cse_screen.storage.engine import db_errors
from cse_screen.storage.records import UserRecord


def utc_now() -> datetime:
    """Naive UTC, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


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

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits on a clean exit and rolls back on any error."""
        with db_errors(self.db_path), self.sessions.begin() as session:
            yield session

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only; nothing it does is committed."""
        with db_errors(self.db_path), self.sessions() as session:
            yield session
