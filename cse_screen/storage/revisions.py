"""Which schema revisions exist and which one a database is stamped with, on any engine.

The one schema history is ``migrations/``; the local file's upgrade (backup first) is
:mod:`cse_screen.vault.migrate`, and the backups read the stamp from here to say what they hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: The first release of cse-screen that knows each schema revision, in the order of the chain
#: (so the last is the head). Every new revision goes at the end (a test checks both): it is
#: written into each database it upgrades, so that a later version which finds the database too
#: new can name the release to install, and IT can tell from ``--version`` which releases can
#: open which databases.
FIRST_RELEASE: dict[str, str] = {
    "0001": "0.1.0",
    "0002": "0.1.0",
    "0005_public_ids": "0.2.0",
    "0003_effective_outcome": "0.2.0",
    "0006_server_accounts": "0.2.0",
    "0008_team_history": "0.2.0",
    "0007_four_eyes": "0.2.0",
    "0004_audit_sequence": "0.2.0",
    "0012_signatures": "0.2.0",
    "0010_sync": "0.2.0",
    "0013_care_codes": "0.2.0",
    "0019_device_audit": "0.2.0",
    "0018_server_indexes": "0.2.0",
    "0014_instrument_versions": "0.2.0",
}
#: The ``meta`` key holding the oldest release that can open the database.
REQUIRES_KEY = "requires_version"


def release_for(revision: str | None) -> str | None:
    """The first release that can open a database at ``revision`` (None if unknown)."""
    return FIRST_RELEASE.get(revision) if revision else None


#: The newest revision this build ships. Opening an up-to-date database compares its stamp with
#: this and never loads Alembic or its scripts (a tenth of a second before the first paint);
#: a test checks it against Alembic's own head.
SHIPPED_HEAD = list(FIRST_RELEASE)[-1]


def alembic_config(
    connection: Connection | None = None, script_location: Path | str | None = None
) -> Config:
    """An Alembic configuration built in code, optionally carrying an open connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location or MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _scripts(script_location: Path | str | None) -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(script_location=script_location))


def head_revision(script_location: Path | str | None = None) -> str | None:
    """The newest schema revision this version of the application knows."""
    if script_location is None:
        return SHIPPED_HEAD
    return _scripts(script_location).get_current_head()


def known_revisions(script_location: Path | str | None = None) -> set[str]:
    return {rev.revision for rev in _scripts(script_location).walk_revisions()}


def stamped_revision(connection: Connection) -> str | None:
    """The revision stamped in the database, read on a connection already in use.

    Read with one query rather than through Alembic, which need not be loaded to learn that a
    database is up to date.
    """
    if not inspect(connection).has_table("alembic_version"):
        return None
    stamps = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(stamps) > 1:
        raise RuntimeError("the database is stamped with more than one schema revision")
    return stamps[0] if stamps else None


def current_revision(engine: Engine) -> str | None:
    """The revision the database is stamped with (None for a new, empty database)."""
    with engine.connect() as connection:
        return stamped_revision(connection)
