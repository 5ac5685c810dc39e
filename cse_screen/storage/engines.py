"""Engines for the record services other than the local encrypted file: PostgreSQL.

The services run unchanged on any SQLAlchemy 2 engine; what differs per driver lives where the
engine is made. The vault makes the SQLCipher engine (:mod:`cse_screen.vault.engine`); this
module makes the PostgreSQL one, from a libpq-style URL as PostgreSQL's own tools and managed
services hand it out (``postgresql://user:password@host:port/db?sslmode=require``), over
psycopg 3, and brings its schema up to date from the same history as the local file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from alembic import command
from sqlalchemy import Connection, Engine, Table, create_engine, func, select
from sqlalchemy.engine import URL, make_url

from cse_screen.errors import UsageError
from cse_screen.storage.revisions import alembic_config

#: The URL schemes a libpq URL may carry; both mean PostgreSQL over the default driver.
LIBPQ_SCHEMES = ("postgresql", "postgres")
DRIVER = "postgresql+psycopg"


def postgresql_url(url: str | URL) -> URL:
    """A libpq URL as SQLAlchemy's psycopg URL; percent-encoding and ``?sslmode=`` are kept.

    The error names the scheme only: the URL itself may carry a password.
    """
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except Exception:
        raise UsageError("the database URL is not a postgresql://user@host/db URL") from None
    scheme = parsed.drivername
    if scheme in LIBPQ_SCHEMES:
        return parsed.set(drivername=DRIVER)
    if scheme == DRIVER:
        return parsed
    raise UsageError(
        f"the database URL starts with '{scheme}://'; a PostgreSQL URL starts with postgresql://"
    )


def postgresql_engine(url: str | URL, **options: Any) -> Engine:
    """An engine on PostgreSQL for the record services.

    ``pool_pre_ping`` because a server's connections outlive restarts and failovers of the
    database; the services then see a fresh connection instead of a dead one.
    """
    options.setdefault("pool_pre_ping", True)
    return create_engine(postgresql_url(url), **options)


def upgrade_to_head(engine: Engine) -> None:
    """Create or upgrade the schema in one transaction (PostgreSQL's DDL is transactional, so
    a failing revision leaves the database as it was)."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


def continue_id_sequences(connection: Connection, tables: Iterable[Table]) -> None:
    """Make the next generated row id follow the ids a bulk insert chose itself.

    SQLite numbers a new row after the largest id in the table; PostgreSQL draws ids from a
    sequence that rows inserted with explicit ids do not move, so its next insert would
    collide. Call this in the same transaction as such an insert (the demo data does).
    """
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        connection.execute(
            select(
                func.setval(
                    func.pg_get_serial_sequence(table.name, "id"),
                    func.coalesce(func.max(table.c.id), 1),
                    func.max(table.c.id).is_not(None),
                )
            )
        )
