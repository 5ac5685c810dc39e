"""Schema upgrades: all or nothing, a backup first, newer databases refused untouched."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from cse_screen import errors
from cse_screen.vault import migrate
from cse_screen.vault.backup import check_backup
from cse_screen.vault.engine import open_engine
from cse_screen.vault.integrity import check_integrity
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path

R1 = """
def upgrade():
    op.create_table(
        "parent",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text),
    )
    op.create_table(
        "child",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", ondelete="CASCADE")),
    )
"""

R2 = """
def upgrade():
    # A table rebuild: with foreign keys on, dropping the old parent would cascade into child.
    with op.batch_alter_table("parent", recreate="always") as batch:
        batch.add_column(sa.Column("team", sa.Text, server_default="north"))
"""

FAILING = """
def upgrade():
    op.create_table("should_vanish", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("UPDATE parent SET name = 'changed by a failing step'")
    raise RuntimeError("this revision fails halfway")
"""


def write_revision(folder: Path, rev: str, down: str | None, body: str) -> None:
    source = f"""
        import sqlalchemy as sa
        from alembic import op

        revision = {rev!r}
        down_revision = {down!r}
        branch_labels = None
        depends_on = None
        """
    text = textwrap.dedent(source) + textwrap.dedent(body) + "\n\ndef downgrade():\n    pass\n"
    (folder / "versions" / f"{rev}.py").write_text(text)


@pytest.fixture
def scripts(tmp_path) -> Path:
    """A private Alembic script folder using the application's own env.py."""
    folder = tmp_path / "scripts"
    (folder / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copy(migrate.MIGRATIONS_DIR / name, folder / name)
    write_revision(folder, "r1", None, R1)
    write_revision(folder, "r2", "r1", R2)
    return folder


@pytest.fixture
def fresh(tmp_path):
    db_path = tmp_path / "db" / "cse.db"
    db_path.parent.mkdir()
    slots, key = KeyslotFile.create(keyslot_path(db_path), "admin", "migrate test passphrase")
    engine = open_engine(db_path, key, create=True)
    slots.save()
    yield engine, db_path
    engine.dispose()


def _scalar(engine, sql):
    with engine.connect() as connection:
        return connection.exec_driver_sql(sql).scalar()


def _seed(engine):
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO parent (id, name) VALUES (1, 'kept')")
        connection.exec_driver_sql("INSERT INTO child (id, parent_id) VALUES (10, 1), (11, 1)")


def test_new_database_is_upgraded_to_head_without_a_backup(fresh, scripts):
    engine, db_path = fresh
    assert migrate.current_revision(engine) is None
    assert migrate.upgrade(engine, db_path, script_location=scripts) is None
    assert migrate.current_revision(engine) == migrate.head_revision(scripts) == "r2"
    assert sorted(p.name for p in db_path.parent.iterdir() if "backup" in p.name) == []


def test_rebuilding_a_parent_table_does_not_cascade_into_children(fresh, scripts):
    engine, db_path = fresh
    (scripts / "versions" / "r2.py").rename(scripts / "r2.py.hold")
    migrate.upgrade(engine, db_path, script_location=scripts)
    _seed(engine)
    (scripts / "r2.py.hold").rename(scripts / "versions" / "r2.py")
    backup = migrate.upgrade(engine, db_path, script_location=scripts)
    assert backup is not None and check_backup(backup).schema_revision == "r1"
    assert _scalar(engine, "SELECT count(*) FROM child") == 2
    assert _scalar(engine, "SELECT team FROM parent WHERE id = 1") == "north"
    assert _scalar(engine, "PRAGMA foreign_keys") == 1
    assert check_integrity(engine) == []


def test_failing_revision_leaves_the_old_database_usable(fresh, scripts):
    engine, db_path = fresh
    migrate.upgrade(engine, db_path, script_location=scripts)
    _seed(engine)
    write_revision(scripts, "r3", "r2", FAILING)
    with pytest.raises(errors.MigrationFailed, match="left as it was") as caught:
        migrate.upgrade(engine, db_path, script_location=scripts)
    assert "a backup taken first is at" in str(caught.value)
    assert migrate.current_revision(engine) == "r2"
    assert _scalar(engine, "SELECT name FROM parent WHERE id = 1") == "kept"
    assert _scalar(engine, "SELECT count(*) FROM sqlite_master WHERE name = 'should_vanish'") == 0
    assert _scalar(engine, "PRAGMA foreign_keys") == 1
    assert check_integrity(engine) == []
    backups = [p for p in db_path.parent.iterdir() if ".before-upgrade-r2-" in p.name]
    assert len(backups) == 1 and check_backup(backups[0]).schema_revision == "r2"


def test_database_from_a_newer_version_is_refused_untouched(fresh, scripts):
    engine, db_path = fresh
    migrate.upgrade(engine, db_path, script_location=scripts)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'zz_future'")
    engine.dispose()
    before = db_path.read_bytes()
    with pytest.raises(errors.DatabaseTooNew, match="newer version"):
        migrate.upgrade(engine, db_path, script_location=scripts)
    engine.dispose()
    assert db_path.read_bytes() == before
    assert not [p for p in db_path.parent.iterdir() if "backup" in p.name]


def test_tables_without_a_schema_version_are_not_ours(vault, scripts):
    with pytest.raises(errors.NotADatabase, match="no cse-screen schema version"):
        migrate.upgrade(vault.engine, vault.db_path, script_location=scripts)


def test_the_application_schema_upgrades_a_new_database_cleanly(fresh):
    engine, db_path = fresh
    head = migrate.head_revision()
    assert head is not None
    migrate.upgrade(engine, db_path)
    assert migrate.current_revision(engine) == head
    assert check_integrity(engine) == []
    assert migrate.upgrade(engine, db_path) is None
