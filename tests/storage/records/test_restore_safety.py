"""Restore never destroys, is always audited, and its side file cannot switch checks off
(issue 17, items 5 and 7)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from records_fixtures import ADMIN, PASSWORD, FileCouncil, complete_answers

from cse_screen.errors import BackupFailed
from cse_screen.vault import pending
from cse_screen.vault import restore as restore_module
from cse_screen.vault.backup_unlock import PasswordCredential
from cse_screen.vault.keyslots import keyslot_path
from cse_screen.vault.store import Store, restore

ADMIN_PASSWORD = PasswordCredential(PASSWORD, ADMIN)


def _backup(file_council: FileCouncil, out: Path) -> Path:
    with Store.open(file_council.path, ADMIN, PASSWORD) as admin:
        admin.backup(out)
    return out


def test_two_restores_in_a_row_keep_both_set_aside_generations(
    file_council: FileCouncil, q, tmp_path
):
    """Before, the second restore deleted the only set-aside copy of the original."""
    snap = _backup(file_council, tmp_path / "snap.backup")
    file_council.screen("wes", "N1", q, complete_answers(q))
    file_council.close()
    original = file_council.path.read_bytes()
    restore(snap, file_council.path, ADMIN_PASSWORD)
    restore(snap, file_council.path, ADMIN_PASSWORD)
    folder = file_council.path.parent
    parked = sorted(p.name for p in folder.glob("council.db.before-restore-*"))
    assert len(parked) == 2, parked
    assert len(list(folder.glob("council.db.keys.before-restore-*"))) == 2
    assert original in {(folder / name).read_bytes() for name in parked}


def test_restore_onto_an_unrelated_file_is_refused_and_it_is_untouched(file_council, tmp_path):
    snap = _backup(file_council, tmp_path / "snap.backup")
    file_council.close()
    unrelated = tmp_path / "thesis.docx"
    unrelated.write_bytes(b"years of work")
    with pytest.raises(BackupFailed, match="no valid keyslot file"):
        restore(snap, unrelated, ADMIN_PASSWORD)
    assert unrelated.read_bytes() == b"years of work"
    assert not list(tmp_path.glob("thesis.docx.*"))


def test_a_restore_killed_after_its_journal_is_still_audited(file_council, tmp_path, monkeypatch):
    """Before, the audit note was written after the restore returned: a kill after the
    journal left a restored database with no record of the restore."""
    snap = _backup(file_council, tmp_path / "snap.backup")
    file_council.close()

    def killed(*_args, **_kw):
        raise KeyboardInterrupt  # stands in for a kill right after the journal

    monkeypatch.setattr(restore_module, "_roll_forward", killed)
    with pytest.raises(KeyboardInterrupt):
        restore(snap, file_council.path, ADMIN_PASSWORD)
    monkeypatch.undo()
    with Store.open(file_council.path, ADMIN, PASSWORD) as admin:  # finishes the restore first
        actions = [e.action for e in admin.audit.entries(limit=10)]
        assert "restore" in actions
        assert not admin.warnings  # an audited restore going back in time is no rollback


def _put_back_older_copy(file_council: FileCouncil, q, tmp_path: Path) -> None:
    file_council.close()
    old = tmp_path / "old"
    old.mkdir()
    for path in (file_council.path, keyslot_path(file_council.path)):
        shutil.copy(path, old / path.name)
    file_council.screen("wes", "N1", q, complete_answers(q))
    file_council.close()
    for path in (file_council.path, keyslot_path(file_council.path)):
        shutil.copy(old / path.name, path)


def test_a_forged_restore_note_cannot_switch_off_rollback_detection(file_council, q, tmp_path):
    _put_back_older_copy(file_council, q, tmp_path)
    forged = {"action": "restore", "first": "x", "last": "x", "count": 1, "backup": "b"}
    pending.pending_path(file_council.path).write_text(json.dumps({"notes": [forged]}))
    with Store.open(file_council.path, ADMIN, PASSWORD) as admin:
        assert admin.warnings and "put back in place" in admin.warnings[0]


def test_a_restore_note_with_the_right_keyslot_hash_but_no_mac_is_no_excuse(
    file_council, q, tmp_path
):
    """Before, anyone who could hash the old keyslot file put back could forge the excuse;
    now the note needs a MAC under the database's key, which only a real restore has."""
    import hashlib

    _put_back_older_copy(file_council, q, tmp_path)
    keys = keyslot_path(file_council.path).read_bytes()
    forged = {
        "action": "restore",
        "first": "x",
        "last": "x",
        "count": 1,
        "backup": "b",
        "restore_id": "f" * 32,
        "keys_sha256": hashlib.sha256(keys).hexdigest(),
    }
    for note in (forged, {**forged, "mac": "0" * 64}):
        pending.pending_path(file_council.path).write_text(json.dumps({"notes": [note]}))
        with Store.open(file_council.path, ADMIN, PASSWORD) as admin:
            assert admin.warnings and "put back in place" in admin.warnings[0]


def test_the_side_file_accepts_only_typed_known_entries(file_council, tmp_path):
    file_council.close()
    notes = [
        {"action": "login_failed", "first": "a", "last": "b", "count": 2},
        {"action": "sign_off", "first": "a", "last": "b", "count": 1},  # not a side-file note
        {"action": "login_failed", "first": "a", "last": "b", "count": "many"},  # mistyped
        {"action": "login_failed", "first": "a", "last": "b", "count": 1, "actor": "ada"},
        "not even an object",
    ]
    pending.pending_path(file_council.path).write_text(json.dumps({"notes": notes}))
    assert [n["count"] for n in pending.read_notes(file_council.path)] == [2]
    with Store.open(file_council.path, ADMIN, PASSWORD) as admin:
        recent = admin.audit.entries(limit=10)
        assert [e.action for e in recent].count("login_failed") == 1
        assert "sign_off" not in [e.action for e in recent]


def test_restore_is_refused_while_a_store_holds_the_database_open(file_council, tmp_path):
    """Before, a restore under an open app sent the app's later saves into the set-aside
    copy without an error."""
    from cse_screen.errors import DatabaseInUse

    snap = _backup(file_council, tmp_path / "snap.backup")
    file_council.close()
    with Store.open(file_council.path, ADMIN, PASSWORD):
        with pytest.raises(DatabaseInUse, match="is open in cse-screen"):
            restore(snap, file_council.path, ADMIN_PASSWORD)
        assert not list(tmp_path.glob("council.db.before-restore-*"))
    restore(snap, file_council.path, ADMIN_PASSWORD)  # once every store is closed, it goes ahead
    assert list(tmp_path.glob("council.db.before-restore-*"))
