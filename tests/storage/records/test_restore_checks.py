"""A restore checks the database it extracted, as ``verify`` would, before anything is swapped
(issue 17, item 5). These tests are about the encrypted file and its backup, so they take the
SQLCipher-only council.

A key holder can write a backup whose MAC holds over anything, so the MAC alone does not make a
database fit to restore: its audit chain and its schema revision are checked too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from records_fixtures import ADMIN, PASSWORD, FileCouncil

from cse_screen.errors import DatabaseDamaged, DatabaseTooNew, WrongPassword
from cse_screen.storage.revisions import head_revision
from cse_screen.vault import backup as backup_module
from cse_screen.vault.backup import write_backup
from cse_screen.vault.backup_unlock import PasswordCredential
from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path
from cse_screen.vault.store import Store, restore

ADMIN_PASSWORD = PasswordCredential(PASSWORD, ADMIN)


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _key_holders_backup(file_council: FileCouncil, out: Path, *statements: str) -> Path:
    """What someone holding the database key can do: change the file directly, then write a
    backup of it (its MAC is valid: they have the key)."""
    file_council.close()
    key = KeyslotFile.load(keyslot_path(file_council.path)).unlock(ADMIN, PASSWORD)
    copy = out.with_name("tampered.db")
    copy.write_bytes(file_council.path.read_bytes())
    keyslot_path(copy).write_bytes(keyslot_path(file_council.path).read_bytes())
    engine = open_engine(copy, key)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
        write_backup(engine, copy, out)
    finally:
        engine.dispose()
    return out


def _refused(file_council: FileCouncil, backup: Path, error: type[Exception]) -> Exception:
    folder = file_council.path.parent
    before = _files(folder)
    with pytest.raises(error) as caught:
        restore(backup, file_council.path, ADMIN_PASSWORD)
    assert _files(folder) == before  # nothing set aside, nothing extracted left behind
    assert "nothing was changed" in str(caught.value)
    return caught.value


def test_a_backup_whose_audit_chain_was_rewritten_is_refused(file_council, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with Store.open(file_council.path, ADMIN, PASSWORD) as admin:
        triggers = admin.engine.connect().exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'"
        )
        drops = [f'DROP TRIGGER "{name}"' for (name,) in triggers]
    bad = _key_holders_backup(
        file_council,
        folder / "rewritten.backup",
        *drops,
        "UPDATE audit SET actor = 'someone else' WHERE seq = 2",
    )
    error = _refused(file_council, bad, DatabaseDamaged)
    assert "audit trail is broken at entry 2" in str(error)


def test_a_backup_of_a_database_at_an_unknown_revision_is_refused(
    file_council, tmp_path, monkeypatch
):
    """The manifest can say one revision and the database hold another; the database's own
    stamp decides."""
    folder = tmp_path / "out"
    folder.mkdir()
    head = head_revision()
    monkeypatch.setattr(backup_module, "current_revision", lambda _engine: head)
    bad = _key_holders_backup(
        file_council,
        folder / "future.backup",
        "UPDATE alembic_version SET version_num = 'ffff_from_the_future'",
    )
    error = _refused(file_council, bad, DatabaseTooNew)
    assert "newer version of cse-screen" in str(error)


def test_a_good_backup_restores_opens_and_verifies(file_council, tmp_path):
    out = tmp_path / "good.backup"
    with Store.open(file_council.path, ADMIN, PASSWORD) as admin:
        admin.backup(out)
        children = admin.stats()["children"]
    file_council.close()
    with pytest.raises(WrongPassword, match="nothing was changed"):
        restore(out, file_council.path, PasswordCredential("a password of nobody at all"))
    info = restore(out, file_council.path, PasswordCredential(PASSWORD))  # any user's
    assert info.authenticated
    assert not list(tmp_path.glob("council.db.restore-new*"))
    with Store.open(file_council.path, ADMIN, PASSWORD) as admin:
        assert admin.verify().ok and not admin.warnings
        assert admin.stats()["children"] == children
        assert "restore" in [e.action for e in admin.audit.entries(limit=5)]
