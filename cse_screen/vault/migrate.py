"""Bring the database schema up to date with Alembic, safely, every time the database is opened.

There is no alembic.ini: the configuration is built here, and the already keyed connection is
handed to ``migrations/env.py``, because only this process holds the key. The upgrade:

* refuses a database stamped with a revision this version does not know (written by a newer
  version) without modifying it;
* takes an encrypted backup next to the database before touching an existing schema;
* runs all pending revisions and the version stamp in ONE SQLite transaction with foreign keys
  switched off (SQLite's advice for table rebuilds: a rebuilt parent table must not cascade
  deletes into its children), checks foreign keys before committing, and rolls everything back
  on any failure, so the old database stays usable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from cse_screen.errors import (
    DatabaseTooNew,
    MigrationFailed,
    NotADatabase,
    UserError,
)
from cse_screen.storage.revisions import MIGRATIONS_DIR as MIGRATIONS_DIR
from cse_screen.storage.revisions import (
    REQUIRES_KEY,
    alembic_config,
    current_revision,
    head_revision,
    known_revisions,
    release_for,
    stamped_revision,
)
from cse_screen.vault.backup import write_backup
from cse_screen.vault.engine import db_errors, translate_error


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).scalar()
    return bool(rows)


def backup_path_for(db_path: Path, revision: str | None) -> Path:
    """Where the pre-upgrade backup goes: beside the database, named by revision and time."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return db_path.with_name(f"{db_path.name}.before-upgrade-{revision or 'none'}-{stamp}.backup")


def required_release(engine: Engine) -> str | None:
    """The release a database says it needs (written by each upgrade since 0.2.0), or None."""
    with engine.connect() as connection:
        has_meta = connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).scalar()
        if not has_meta:
            return None
        return connection.exec_driver_sql(
            "SELECT value FROM meta WHERE key = ?", (REQUIRES_KEY,)
        ).scalar()


def _check_upgradable(engine: Engine, db_path: Path, current: str | None, known: set[str]) -> bool:
    """Whether a backup is needed first; refuses foreign and newer databases untouched."""
    if current is not None and current not in known:
        needed = required_release(engine)
        version = f"cse-screen {needed}" if needed else "that version"
        raise DatabaseTooNew(
            f"the database {db_path} was written by a newer version of cse-screen (schema "
            f"{current}); install {version} or newer to open it (nothing was changed)"
        )
    has_tables = _has_tables(engine)
    if current is None and has_tables:
        raise NotADatabase(f"the database {db_path} has tables but no cse-screen schema version")
    return has_tables


def upgrade(
    engine: Engine,
    db_path: Path | str,
    *,
    script_location: Path | str | None = None,
) -> Path | None:
    """Upgrade to the newest revision; returns the backup taken first, if any."""
    db_path = Path(db_path)
    with db_errors(db_path):
        current = current_revision(engine)
        head = head_revision(script_location)
        if current == head:
            return None
        needs_backup = _check_upgradable(engine, db_path, current, known_revisions(script_location))
    backup = None
    if needs_backup:
        backup = write_backup(engine, db_path, backup_path_for(db_path, current))
    _run_in_one_transaction(engine, db_path, script_location, backup)
    return backup


@dataclass(frozen=True)
class Upgraded:
    """What opening did to an older database's schema, and where the backup taken first is."""

    from_revision: str
    to_revision: str | None
    backup: Path | None

    def sentence(self, db_path: Path, release: str) -> str:
        """What the user and IT are told (CLI stderr, the app's message)."""
        saved = f"; the database as it was is backed up in {self.backup}" if self.backup else ""
        return (
            f"upgraded the database {db_path} from schema {self.from_revision} to "
            f"{self.to_revision} for cse-screen {release}{saved}"
        )

    def audit_detail(self, release: str) -> dict[str, Any]:
        """What the audit trail keeps (the backup's name; its folder is the database's)."""
        return {
            "from_schema": self.from_revision,
            "to_schema": self.to_revision,
            "release": release,
            "backup": self.backup.name if self.backup else None,
        }


def upgrade_reporting(engine: Engine, db_path: Path) -> Upgraded | None:
    """Bring the schema up to date; say what changed when it was an existing database."""
    with db_errors(db_path):
        before = current_revision(engine)
    backup = upgrade(engine, db_path)
    if before is None:
        return None
    after = current_revision(engine)
    return Upgraded(before, after, backup) if after != before else None


def _driver(connection: Connection) -> Any:
    return connection.connection.driver_connection


def _run_in_one_transaction(
    engine: Engine, db_path: Path, script_location: Path | str | None, backup: Path | None
) -> None:
    from alembic import command  # only loaded when there is something to upgrade

    with engine.connect() as connection:
        # Must happen outside any transaction: SQLite ignores this PRAGMA inside one.
        _driver(connection).execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection, script_location), "head")
                _record_required_release(connection)
                _require_foreign_keys_intact(connection)
        except Exception as exc:
            raise _migration_error(exc, db_path, backup) from exc
        finally:
            _driver(connection).execute("PRAGMA foreign_keys = ON")


def _record_required_release(connection: Connection) -> None:
    """Stamp the release needed to open the database, for a too-old build's refusal."""
    needed = release_for(stamped_revision(connection))
    has_meta = connection.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).scalar()
    if needed and has_meta:
        connection.exec_driver_sql(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (REQUIRES_KEY, needed)
        )


def _require_foreign_keys_intact(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"{len(broken)} rows would break foreign keys after the upgrade")


def _migration_error(exc: Exception, db_path: Path, backup: Path | None) -> UserError:
    """A full disk, a lock or damage keep their own sentence; anything else is a failed step."""
    translated = translate_error(exc, db_path)
    if translated is not None:
        return translated
    saved = f"; a backup taken first is at {backup}" if backup else ""
    return MigrationFailed(
        f"the database {db_path} could not be upgraded to this version of cse-screen and was "
        f"left as it was{saved}"
    )
