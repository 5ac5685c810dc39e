"""What the ``cse-screen server ...`` commands do, on the server's database.

Each runs in one transaction as a named server account (``--user``, its password from
``CSE_SCREEN_PASSWORD``), through the same services and audit trail as the API; only
``server init`` (no account exists yet) and ``server migrate`` (the schema itself) act
before anyone signs in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import psycopg
from alembic import command
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from cse_screen.errors import DatabaseDamaged, UserError, WrongPassword
from cse_screen.server import accounts
from cse_screen.server.database import open_engine, unreachable
from cse_screen.server.keyring import CredentialKeyring
from cse_screen.server.transaction import SYSTEM, Unit, unit_of_work
from cse_screen.storage.models import AuditRow, Credential, DeviceAuditRow, User
from cse_screen.storage.records import ChainReport, UserRecord
from cse_screen.storage.revisions import alembic_config, head_revision, stamped_revision
from cse_screen.storage.services import audit, stats
from cse_screen.storage.services.users import UsersService, check_name, insert_user
from cse_screen.storage.usernames import normalise_user


@contextlib.contextmanager
def connected(url: URL) -> Iterator[Engine]:
    """The server's engine; a database that does not answer is exit code 5, in one sentence."""
    engine = open_engine(url, pool_size=2)
    try:
        try:
            with engine.connect():
                pass
        except (OperationalError, psycopg.OperationalError):
            raise unreachable(url) from None
        yield engine
    finally:
        engine.dispose()


def migrate(engine: Engine) -> tuple[str | None, str | None]:
    """Bring the schema to head in one transaction; (revision before, after)."""
    with engine.begin() as connection:
        before = stamped_revision(connection)
        command.upgrade(alembic_config(connection), "head")
        return before, stamped_revision(connection)


def _require_head(engine: Engine) -> None:
    with engine.connect() as connection:
        stamped = stamped_revision(connection)
    if stamped != head_revision():
        raise UserError(
            f"the server's database is at schema {stamped or 'none'}, not {head_revision()}; "
            "run 'cse-screen server migrate' first"
        )


def init(engine: Engine, admin: str, password: str, full_name: str | None) -> UserRecord:
    """Create the schema and the first administrator on an empty database."""
    migrate(engine)
    name = check_name(admin)
    accounts.check_password_strength(password)
    with unit_of_work(engine, SYSTEM) as unit:
        ctx = unit.context(replace(SYSTEM, name=name))
        with ctx.transaction() as session:
            if session.scalar(select(func.count()).select_from(User)):
                raise UserError("the server's database already has accounts; it was not changed")
            row = insert_user(session, ctx, name, "admin", None, full_name)
            accounts.set_password(session, row.id, password, ctx.now())
            audit.append(session, ctx, audit.CREATE, "database", None, {"server": True})
            return accounts.server_user(row)


def signed_in(engine: Engine, name: str, password: str) -> UserRecord:
    """The account behind ``--user`` and its password, or WrongPassword (exit 3)."""
    _require_head(engine)
    name = normalise_user(name.strip())
    with engine.begin() as connection, Session(bind=connection) as session:
        row = session.scalar(select(User).where(User.name == name))
        credential = session.get(Credential, row.id) if row is not None else None
        if not accounts.verify_password(credential, password) or row is None or not row.active:
            raise WrongPassword("unknown user name or wrong password")
        return accounts.server_user(row)


def _users(unit: Unit) -> UsersService:
    return UsersService(unit.context(), CredentialKeyring(unit.connection), b"")


def add_user(
    engine: Engine,
    admin: UserRecord,
    name: str,
    password: str,
    role: str,
    team: str,
    full_name: str | None,
) -> UserRecord:
    accounts.check_password_strength(password)
    with unit_of_work(engine, admin) as unit:
        return _users(unit).add(name, password, role, team=team, full_name=full_name)


def disable_user(engine: Engine, admin: UserRecord, target: str) -> UserRecord:
    """Deactivate an account; its devices (and so its tokens) are revoked in the same commit."""
    with unit_of_work(engine, admin) as unit:
        return _users(unit).deactivate(target)


def counts(engine: Engine, user: UserRecord, team: str | None) -> dict[str, Any]:
    """``stats --json`` over the server (one team's, with ``team``: counted as its lead)."""
    who = replace(user, role="lead", team=team, counts_only=False) if team else user
    with unit_of_work(engine, who, counting=True) as unit:
        return stats.compute(unit.context())


def verify(engine: Engine, user: UserRecord) -> ChainReport:
    with unit_of_work(engine, user) as unit, Session(bind=unit.connection) as session:
        rows = session.scalars(
            select(AuditRow).order_by(AuditRow.seq).execution_options(yield_per=2000)
        )
        report = audit.walk_chain(iter(rows))
    if not report.ok:
        raise DatabaseDamaged(
            f"the server's audit trail is broken at entry {report.first_bad_seq} ({report.problem})"
        )
    return report


def verify_devices(engine: Engine, user: UserRecord) -> tuple[int, int]:
    """Walk every laptop's audit chain the server holds; (laptops, entries), or exit 4 naming
    the first laptop whose chain does not hold.

    Read across teams (as the statistics are): the check reports numbers and positions only,
    never an entry's content."""
    laptops = entries = 0
    with (
        unit_of_work(engine, user, counting=True) as unit,
        Session(bind=unit.connection) as session,
    ):
        devices = list(
            session.scalars(
                select(DeviceAuditRow.device).distinct().order_by(DeviceAuditRow.device)
            )
        )
        for device in devices:
            rows = session.scalars(
                select(DeviceAuditRow)
                .where(DeviceAuditRow.device == device)
                .order_by(DeviceAuditRow.seq)
                .execution_options(yield_per=2000)
            )
            report = audit.walk_chain(iter(rows))  # type: ignore[arg-type]  # same columns
            if not report.ok:
                raise DatabaseDamaged(
                    f"the audit trail the server holds for laptop {device} is broken at entry "
                    f"{report.first_bad_seq} ({report.problem})"
                )
            laptops, entries = laptops + 1, entries + report.entries
    return laptops, entries
