"""Which schema revisions exist and which one a database is stamped with, on any engine.

The one schema history is ``migrations/``; the local file's upgrade (backup first) is
:mod:`cse_screen.vault.migrate`, and the backups read the stamp from here to say what they hold.
"""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(
    connection: Connection | None = None, script_location: Path | str | None = None
) -> Config:
    """An Alembic configuration built in code, optionally carrying an open connection."""
    config = Config()
    config.set_main_option("script_location", str(script_location or MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _scripts(script_location: Path | str | None) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(script_location=script_location))


def head_revision(script_location: Path | str | None = None) -> str | None:
    """The newest schema revision this version of the application knows."""
    return _scripts(script_location).get_current_head()


def known_revisions(script_location: Path | str | None = None) -> set[str]:
    return {rev.revision for rev in _scripts(script_location).walk_revisions()}


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is stamped with (None for a new, empty database)."""
    with engine.connect() as connection:
        return _current(connection)
