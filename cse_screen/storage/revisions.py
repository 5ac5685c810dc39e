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

#: The first release of cse-screen that knows each schema revision. Every new revision goes in
#: here (a test checks): it is written into each database it upgrades, so that a later version
#: which finds the database too new can name the release to install, and IT can tell from
#: ``--version`` which releases can open which databases.
FIRST_RELEASE: dict[str, str] = {
    "0001": "0.1.0",
    "0002": "0.1.0",
    "0005_public_ids": "0.2.0",
    "0003_effective_outcome": "0.2.0",
    "0006_server_accounts": "0.2.0",
    "0008_team_history": "0.2.0",
    "0007_four_eyes": "0.2.0",
    "0004_audit_sequence": "0.2.0",
    "0013_care_codes": "0.2.0",
}
#: The ``meta`` key holding the oldest release that can open the database.
REQUIRES_KEY = "requires_version"


def release_for(revision: str | None) -> str | None:
    """The first release that can open a database at ``revision`` (None if unknown)."""
    return FIRST_RELEASE.get(revision) if revision else None


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


def stamped_revision(connection: Connection) -> str | None:
    """The revision stamped in the database, read on a connection already in use."""
    return MigrationContext.configure(connection).get_current_revision()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is stamped with (None for a new, empty database)."""
    with engine.connect() as connection:
        return stamped_revision(connection)
