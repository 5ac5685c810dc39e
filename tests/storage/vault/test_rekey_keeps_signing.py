"""A re-key keeps the administrator signing key working, and the signing key keeps a re-key safe.

The re-key rebuilds the keyslot file and re-encrypts the database; the signing key lives in that
file (``"signing"``) and its public half in the database. These tests are about the two together:
administrators still sign after ``rekey`` and ``user disable``, a disabled user's record is
signed as inactive, the leaver's copy of the file opens nothing, and an older file put back is
refused. Each runs on SQLCipher, on the files themselves.
"""

from __future__ import annotations

import json
import shutil

import pytest

from cse_screen.errors import EXIT_DAMAGED, DatabaseDamaged, WrongPassword
from cse_screen.storage.services import signatures
from cse_screen.vault.backup_unlock import PasswordCredential
from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path
from cse_screen.vault.store import Store, restore

ADMIN_PW = "the administrator's long passphrase"
SECOND_PW = "the second administrator's passphrase"
WORKER_PW = "a worker's own long passphrase"
NEW_PW = "a brand new long passphrase 2026"


@pytest.fixture
def db(tmp_path):
    """ada and bea administrators (both granted the key), wes a worker."""
    path = tmp_path / "cse.db"
    with Store.create(path, "ada", ADMIN_PW) as store:
        store.users.add("bea", SECOND_PW, "admin")
        store.users.add("wes", WORKER_PW, "worker")
    with Store.open(path, "bea", SECOND_PW):
        pass  # bea's first sign-in gives her slot a box
    with Store.open(path, "ada", ADMIN_PW):
        pass  # and ada's next one grants her the key
    return path


def _holds_key(store: Store) -> bool:
    return store.context.signer is not None


def _copy_keys(db, name):
    copy = db.with_name(name)
    shutil.copy2(keyslot_path(db), copy)
    return copy


def _record_is_signed(db, user, password, target):
    """Check ``target``'s record with the signature check sign-in uses (raises if not)."""
    with Store.open(db, user, password) as store, store.context.transaction() as session:
        signatures.require_signed(session, db, target)


def test_after_a_rekey_administrators_still_sign_and_verify_passes(db):
    with Store.open(db, "bea", SECOND_PW) as store:
        assert _holds_key(store)
    with Store.open(db, "ada", ADMIN_PW) as store:
        public = store.keyslots.signing.public
        store.rekey()
        assert _holds_key(store)  # the session carries on signing
        store.users.update("wes", team="north")  # a signed change right after the re-key
        report = store.verify()
        assert report.ok, report
        assert report.signatures is not None and report.signatures.signed
        assert report.signatures.unsigned_tail == 0  # the re-key's own entry is covered
    data = KeyslotFile.load(keyslot_path(db))
    assert data.signing.public == public  # the signing key did not change
    assert set(data.signing.grants) == {"ada", "bea"}
    for name, password in (("ada", ADMIN_PW), ("bea", SECOND_PW)):
        with Store.open(db, name, password) as store:
            assert _holds_key(store), name
            assert store.verify().ok
    with Store.open(db, "wes", WORKER_PW) as store:  # sign-in still checks wes's signed record
        assert store.user.team == "north"
        assert store.verify().ok


def test_disable_user_signs_the_record_as_inactive_and_the_leaver_loses_the_key(db):
    leaver_copy = _copy_keys(db, "bea-kept.keys")
    old_key = KeyslotFile.load(leaver_copy).unlock("bea", SECOND_PW)
    with Store.open(db, "ada", ADMIN_PW) as store:
        record = store.disable_user("bea")
        assert not record.active
        assert _holds_key(store)
        report = store.verify()
        assert report.ok, report
        assert report.signatures is not None and report.signatures.unsigned_tail == 0
    data = KeyslotFile.load(keyslot_path(db))
    assert "bea" not in data.users()
    assert "bea" not in data.signing.grants and "bea" not in data.signing.boxes
    assert set(data.signing.grants) == {"ada"}
    _record_is_signed(db, "ada", ADMIN_PW, "bea")  # validly signed, as inactive
    with pytest.raises(WrongPassword):
        Store.open(db, "bea", SECOND_PW)  # no slot any more
    with pytest.raises(DatabaseDamaged):
        open_engine(db, old_key)  # the key in her kept copy no longer opens the database
    with Store.open(db, "wes", WORKER_PW) as store:
        assert store.verify().ok


def test_after_disable_a_promotion_grants_the_key_into_the_new_file(db):
    with Store.open(db, "ada", ADMIN_PW) as store:
        store.disable_user("bea")
        store.users.update("wes", role="admin")  # saved into the re-keyed file in use
    data = KeyslotFile.load(keyslot_path(db))
    assert "wes" in data.signing.grants
    with Store.open(db, "wes", WORKER_PW) as store:
        assert _holds_key(store)
        assert store.verify().ok


def test_a_keyslot_file_from_before_the_rekey_is_refused(db):
    before = _copy_keys(db, "before.keys")
    with Store.open(db, "ada", ADMIN_PW) as store:
        store.rekey()
    shutil.copy2(before, keyslot_path(db))
    with pytest.raises(DatabaseDamaged) as refused:
        Store.open(db, "ada", ADMIN_PW)
    assert refused.value.exit_code == EXIT_DAMAGED


def _as_an_older_version_left_her_slot(db, user, password):
    """Give ``user`` a format 1 slot (the key wrapped under the password itself), as a slot
    is until its owner first signs in after the upgrade; their sign-in then reseals it and
    saves the file."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from cse_screen.vault.kdf import current_params, derive_key
    from cse_screen.vault.keyslots import PasswordSlot

    key = KeyslotFile.load(keyslot_path(db)).unlock("ada", ADMIN_PW)
    bare = PasswordSlot(user, current_params(), b"s" * 16, b"n" * 12, b"")
    kek = derive_key(password, bare.salt, bare.params)
    wrapped = AESGCM(kek).encrypt(bare.nonce, key, bare.associated_data())
    data = json.loads(keyslot_path(db).read_text())
    data["slots"] = [s for s in data["slots"] if s["user"] != user]
    data["slots"].append(PasswordSlot(user, bare.params, bare.salt, bare.nonce, wrapped).to_json())
    keyslot_path(db).write_text(json.dumps(data))


def test_a_password_change_rolled_back_is_refused_even_when_sign_in_would_save(db):
    """The older copy still holds the current key, and signing in with it saves the file (a
    slot from an older version is resealed): that save must not lift the copy to the
    database's epoch, or one password change rolled back would pass."""
    _as_an_older_version_left_her_slot(db, "bea", SECOND_PW)
    before = _copy_keys(db, "before.keys")
    with Store.open(db, "ada", ADMIN_PW) as store:
        store.users.set_password("ada", NEW_PW)  # one save: the database is one epoch on
    shutil.copy2(before, keyslot_path(db))
    with pytest.raises(DatabaseDamaged, match="older than the database") as refused:
        Store.open(db, "bea", SECOND_PW)
    assert refused.value.exit_code == EXIT_DAMAGED
    with pytest.raises(DatabaseDamaged, match="older than the database"):
        Store.open(db, "ada", ADMIN_PW)  # the old password does not come back either


def test_a_backup_from_before_the_rekey_still_restores_and_opens(db, tmp_path):
    with Store.open(db, "ada", ADMIN_PW) as store:
        backup = store.backup(tmp_path / "before.cse-backup")
        store.disable_user("bea")
    restore(backup, db, PasswordCredential(ADMIN_PW, "ada"))
    # a restore is a deliberate rollback: the restored pair carries its own epoch
    with Store.open(db, "bea", SECOND_PW) as store:
        assert _holds_key(store)
        assert store.verify().ok
    with Store.open(db, "ada", ADMIN_PW) as store:
        assert _holds_key(store)
        assert store.verify().ok
