"""Alembic environment: migrations always run on a connection the application hands over.

There is no alembic.ini and no URL here: the database is encrypted and only the application
holds the key, so ``cse_screen.vault.migrate`` opens the engine, begins ONE transaction and
passes the connection in ``config.attributes["connection"]``. Because that transaction is
already open, Alembic runs every revision and the version stamp inside it: SQLite's DDL is
transactional, so a failing revision leaves the database exactly as it was.
"""

from __future__ import annotations

from alembic import context

from cse_screen.storage.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("migrations run only through cse_screen.vault.migrate")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        transactional_ddl=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
