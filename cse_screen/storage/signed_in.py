"""One signed-in user's record services on an open engine, whichever engine it is.

The local app's store (:class:`cse_screen.vault.store.Store`) and the team server both hang the
same services off a :class:`ServiceContext`: this is that set, so a caller on PostgreSQL gets
exactly the role checks, rules and audit chain the laptop runs, and nothing of the vault.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from cse_screen.errors import PermissionDenied, WrongPassword
from cse_screen.storage.models import User
from cse_screen.storage.records import UserRecord
from cse_screen.storage.services import audit
from cse_screen.storage.services import stats as stats_service
from cse_screen.storage.services.audit import AuditLog
from cse_screen.storage.services.children import ChildrenService
from cse_screen.storage.services.context import DriverErrors, PassThrough, ServiceContext, utc_now
from cse_screen.storage.services.events import EventsService
from cse_screen.storage.services.screenings import ScreeningsService
from cse_screen.storage.services.users import Keyring, UsersService, user_record
from cse_screen.storage.services.versions import VersionsService, offer_installed
from cse_screen.storage.usernames import normalise_user


class SignedIn:
    """The services of the user ``context`` was built for."""

    def __init__(self, context: ServiceContext, keyring: Keyring, key: bytes) -> None:
        self.engine = context.engine
        self.context = context
        self.audit = AuditLog(context)
        self.children = ChildrenService(context)
        self.screenings = ScreeningsService(context)
        self.events = EventsService(context)
        self.users = UsersService(context, keyring, key)
        self.versions = VersionsService(context)
        with context.reading() as session:  # one small query; parsed only when a screening asks
            offer_installed(session)

    @property
    def user(self) -> UserRecord:
        return self.context.user

    def stats(self) -> dict[str, Any]:
        """The ``stats --json`` counts, over the records this user may see."""
        return stats_service.compute(self.context)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session for streaming queries (the export's reporting module)."""
        with self.context.reading() as session:
            yield session


def context_for(
    engine: Engine,
    user: UserRecord,
    where: Path | None = None,
    errors: DriverErrors | None = None,
) -> ServiceContext:
    """A context on ``engine`` whose refusals are audited; ``where`` names the database in
    messages (the file's path, or the server database's name when left out)."""
    place = where if where is not None else Path(engine.url.database or "database")
    return ServiceContext(
        engine, place, user, record_denial=audit.record_refusal, errors=errors or PassThrough()
    )


def load_user(context: ServiceContext, name: str) -> UserRecord:
    """The enrolled, active user ``name``; anyone else is refused as a wrong sign-in."""
    name = normalise_user(name)
    with context.reading() as session:
        row = session.scalar(select(User).where(User.name == name))
        if row is None:
            raise WrongPassword(f"user '{name}' is not enrolled in the database {context.db_path}")
        if not row.active:
            raise PermissionDenied(f"user '{name}' has been deactivated by an administrator")
        return user_record(row)


def placeholder_user(name: str, role: str = "worker") -> UserRecord:
    """Who a context speaks for before the real user is read (to read them, or to enrol the
    first administrator)."""
    return UserRecord(0, name, None, role, None, True, utc_now())
