"""A database made by the first schema is brought up to date when it is opened, data kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from alembic import command
from records_fixtures import ADMIN, PASSWORD

from cse_screen.storage.records import RegisterQuery
from cse_screen.storage.revisions import alembic_config
from cse_screen.vault import migrate
from cse_screen.vault.store import Store


def downgrade(store: Store, revision: str) -> None:
    """Take a current database back to an older schema (how older versions left it: without
    the signing key, in the database or in the keyslot file)."""
    with store.engine.connect() as connection:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        with connection.begin():
            command.downgrade(alembic_config(connection), revision)
    keys = json.loads(store.keyslots.path.read_text())
    keys.pop("signing", None)
    store.keyslots.path.write_text(json.dumps(keys))


def first_schema_only(tmp_path: Path) -> Path:
    """A copy of the migrations folder holding revision 0001 alone."""
    folder = tmp_path / "migrations-0001"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    for revision in (folder / "versions").glob("*.py"):
        if not revision.name.startswith("0001_"):
            revision.unlink()
    return folder


def test_outcome_rank_is_backfilled_when_an_old_database_is_opened(tmp_path):
    db = tmp_path / "old.db"
    with Store.create(db, ADMIN, PASSWORD) as store:
        downgrade(store, "0001")
        connection = store.engine.connect()
        # The rows as the first schema held them (the models already know later columns).
        for ref, outcome in (("A", "significant"), ("B", "no_current_risk"), ("C", None)):
            connection.exec_driver_sql(
                "INSERT INTO children (case_ref, name, name_key, dob, latest_outcome, "
                "created_at, updated_at) VALUES (?, 'X', ?, '2012-01-01', ?, "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                (ref, f"x\x1f{ref.lower()}", outcome),
            )
        connection.commit()
        connection.close()
        assert migrate.current_revision(store.engine) == "0001"
    with Store.open(db, ADMIN, PASSWORD) as store:
        assert migrate.current_revision(store.engine) == migrate.head_revision()
        page = store.children.register(RegisterQuery(sort="outcome", descending=True))
        assert [r.case_ref for r in page.rows] == ["A", "B", "C"]
        assert store.verify().ok
        ids = {r.public_id for r in page.rows}
        assert len(ids) == 3 and all(len(i) == 36 for i in ids)
        assert store.users.get(ADMIN).public_id
    assert list(tmp_path.glob("old.db.before-upgrade-0001-*.backup"))
