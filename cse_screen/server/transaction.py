"""One transaction per request, with the services built on it.

Every request (and every ``server`` command) runs in ONE database transaction on one pooled
connection: the caller's row-level security settings are made inside it, the services' own
"transactions" join it, and it commits when the work is done or rolls back on any error, so a
request that fails half way commits nothing.

A role check's refusal must be audited even though the refused work is rolled back: the
services hand refusals to ``record_denial``; here they are held until the request's
transaction has rolled back and then written in a transaction of their own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

from cse_screen.server.database import apply_scope
from cse_screen.storage.records import UserRecord
from cse_screen.storage.services import audit, changes
from cse_screen.storage.services.context import Refusal, ServiceContext, utc_now

#: What the services are told the database is, where a laptop would give the file's path.
SERVER_PLACE = Path("team-server")

#: Who acts for work done before anyone is signed in (a sign-in, ``server init``): it reads
#: and changes no child's record (row-level security shows it none).
SYSTEM = UserRecord(0, "server", None, "admin", None, True, datetime(2026, 1, 1), counts_only=True)


@dataclass
class Unit:
    """The open transaction of one request: its connection and the caller's services."""

    connection: Connection
    user: UserRecord
    today: Callable[[], date] = date.today
    now: Callable[[], datetime] = utc_now
    refusals: list[Refusal] = field(default_factory=list)

    def context(self, user: UserRecord | None = None) -> ServiceContext:
        """A service context on this transaction (for ``user``, by default the caller)."""
        ctx = ServiceContext(
            self.connection,  # type: ignore[arg-type]  # a Connection binds sessions as well
            SERVER_PLACE,
            user or self.user,
            today=self.today,
            now=self.now,
            record_denial=lambda _ctx, refusal: self.refusals.append(refusal),
            record_change=changes.log_change,
            lock_late=True,
        )
        event.listen(ctx.sessions, "before_flush", audit.lock_before_writing)
        event.listen(ctx.sessions, "before_commit", audit.chain_pending)
        return ctx

    def session(self) -> Session:
        """A session on this transaction for the server's own tables (accounts, devices)."""
        return Session(bind=self.connection)


def _write_refusals(engine: Engine, unit: Unit) -> None:
    if not unit.refusals:
        return
    with engine.begin() as connection:
        apply_scope(connection, unit.user)
        later = Unit(connection, unit.user, unit.today, unit.now)
        ctx = later.context()
        for refusal in unit.refusals:
            audit.record_refusal(ctx, refusal)


#: Who the transaction is for: a known user, or how to find them on its connection (the
#: bearer token's account, looked up inside the same transaction).
Who = UserRecord | Callable[[Connection], UserRecord]


@contextlib.contextmanager
def unit_of_work(engine: Engine, who: Who, *, counting: bool = False) -> Iterator[Unit]:
    """The request's transaction for ``who``: commit on a clean exit, roll back otherwise,
    then audit any refusal in a transaction of its own."""
    unit: Unit | None = None
    try:
        with engine.begin() as connection:
            user = who if isinstance(who, UserRecord) else who(connection)
            apply_scope(connection, user, counting=counting)
            unit = Unit(connection, user)
            yield unit
    finally:
        if unit is not None:
            _write_refusals(engine, unit)
