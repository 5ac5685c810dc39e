"""Re-key and the keyslot epoch: what revokes an old keyslot file, and what refuses one put back.

Each test is about the encrypted file and its keyslot sidecar, so it runs on SQLCipher only.
"""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import select

from cse_screen.errors import DatabaseDamaged, PermissionDenied, UserError, WrongPassword
from cse_screen.storage.models import AuditRow
from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path
from cse_screen.vault.store import Store

ADMIN_PW = "the administrator's long passphrase"
WORKER_PW = "a worker's own long passphrase"
NEW_PW = "a brand new long passphrase 2026"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cse.db"
    with Store.create(path, "ada", ADMIN_PW) as store:
        store.users.add("wes", WORKER_PW, "worker")
    return path


def _copy_keys(db, name):
    copy = db.with_name(name)
    shutil.copy2(keyslot_path(db), copy)
    return copy


def _put_back(copy, db):
    shutil.copy2(copy, keyslot_path(db))


def _key_from(keys_file, user, password):
    return KeyslotFile.load(keys_file).unlock(user, password)


def test_rekey_makes_an_earlier_keyslot_file_useless_and_keeps_every_user(db):
    before = _copy_keys(db, "before.keys")
    old_key = _key_from(keyslot_path(db), "wes", WORKER_PW)
    with Store.open(db, "ada", ADMIN_PW) as store:
        done = store.rekey()
        assert store.stats()["children"] == 0  # the store carries on with the new pair
        store.users.set_password("wes", NEW_PW)  # and with the keyslot file as written
        store.users.set_password("wes", WORKER_PW)
    assert done.slots == 2 and done.epoch + 2 == KeyslotFile.load(keyslot_path(db)).epoch
    # the old key (from the file kept before) no longer opens the database
    with pytest.raises(DatabaseDamaged):
        open_engine(db, old_key)
    # everyone remaining still signs in, with their own password
    with Store.open(db, "wes", WORKER_PW) as store:
        assert store.user.name == "wes"
    # the file put back is refused: it unwraps a key the database no longer uses
    _put_back(before, db)
    with pytest.raises(DatabaseDamaged):
        Store.open(db, "ada", ADMIN_PW)


def test_rekey_is_audited_with_who_and_the_epoch_and_no_key_material(db):
    with Store.open(db, "ada", ADMIN_PW) as store:
        done = store.rekey()
        key_hex = store._key.hex()
        with store.reading() as session:
            row = session.scalars(select(AuditRow).where(AuditRow.action == "rekey")).one()
        assert store.verify().ok
    assert row.actor == "ada"
    detail = json.loads(row.detail) if isinstance(row.detail, str) else row.detail
    assert detail["epoch"] == done.epoch and detail["slots"] == 2
    assert key_hex not in json.dumps(detail)


def test_only_an_administrator_may_rekey_and_nothing_changes(db):
    keys_before = keyslot_path(db).read_bytes()
    with Store.open(db, "wes", WORKER_PW) as store, pytest.raises(PermissionDenied):
        store.rekey()
    assert keyslot_path(db).read_bytes() != b""
    assert KeyslotFile.load(keyslot_path(db)).users() == ["ada", "wes"]
    key = _key_from(keyslot_path(db), "ada", ADMIN_PW)
    assert key == KeyslotFile.from_bytes(keyslot_path(db), keys_before).unlock("ada", ADMIN_PW)


def test_disable_user_removes_the_slot_and_a_leavers_old_file_no_longer_opens(db):
    leaver_copy = _copy_keys(db, "leaver-took.keys")
    with Store.open(db, "ada", ADMIN_PW) as store:
        record = store.disable_user("wes")
        assert not record.active
        assert store.keyslots.users() == ["ada"]
        assert store.stats()["children"] == 0  # still usable after the swap
    assert KeyslotFile.load(keyslot_path(db)).users() == ["ada"]
    # the leaver's slot inside their old copy still unwraps the OLD key...
    old_key = _key_from(leaver_copy, "wes", WORKER_PW)
    # ...which opens nothing now, whether through the app or SQLCipher directly
    with pytest.raises(DatabaseDamaged):
        open_engine(db, old_key)
    _put_back(leaver_copy, db)
    with pytest.raises(DatabaseDamaged):
        Store.open(db, "wes", WORKER_PW)


def test_disable_user_keeps_the_rules_of_deactivation(db):
    with Store.open(db, "ada", ADMIN_PW) as store:
        with pytest.raises(UserError, match="signed in with"):
            store.disable_user("ada")
        with pytest.raises(UserError, match="no user named"):
            store.disable_user("nobody")
        assert store.keyslots.users() == ["ada", "wes"]  # refused: nothing changed
    with Store.open(db, "wes", WORKER_PW) as store, pytest.raises(PermissionDenied):
        store.disable_user("ada")


def test_keyslot_file_put_back_after_a_password_change_is_refused_as_rolled_back(db):
    yesterday = _copy_keys(db, "yesterday.keys")
    with Store.open(db, "wes", WORKER_PW) as store:
        store.users.set_password("wes", NEW_PW)
    _put_back(yesterday, db)
    with pytest.raises(DatabaseDamaged, match="older than the database") as refused:
        Store.open(db, "wes", WORKER_PW)  # the old password does not work
    assert refused.value.exit_code == 4
    with pytest.raises((DatabaseDamaged, WrongPassword)):
        Store.open(db, "wes", NEW_PW)


@pytest.mark.parametrize("event", ["add_user", "deactivate", "recovery"])
def test_every_keyslot_change_raises_the_epoch_the_database_records(db, event, tmp_path):
    yesterday = _copy_keys(db, "yesterday.keys")
    with Store.open(db, "ada", ADMIN_PW) as store:
        start = store.keyslots.epoch
        if event == "add_user":
            store.users.add("lee", "a lead's long passphrase", "lead")
        elif event == "deactivate":
            store.users.deactivate("wes")
        else:
            from cse_screen.vault.recovery import generate_recovery_keypair

            generate_recovery_keypair(
                tmp_path / "it.key", tmp_path / "it.pub", "it keeps this phrase in the key safe"
            )
            store.enrol_recovery((tmp_path / "it.pub").read_bytes())
        assert store.keyslots.epoch == start + 1
    _put_back(yesterday, db)
    with pytest.raises(DatabaseDamaged, match="older than the database"):
        Store.open(db, "ada", ADMIN_PW)


def test_an_edited_epoch_is_damage(db):
    data = json.loads(keyslot_path(db).read_text())
    data["epoch"] += 5
    keyslot_path(db).write_text(json.dumps(data))
    with pytest.raises(DatabaseDamaged, match="epoch was altered"):
        Store.open(db, "ada", ADMIN_PW)


def test_a_file_one_save_ahead_brings_the_database_up(db):
    """A kill between the keyslot file's save and the database's commit leaves the file ahead:
    it is the newer one, so it is accepted and the database catches up."""
    with Store.open(db, "ada", ADMIN_PW) as store:
        keys = store.keyslots
        keys.set_password("wes", NEW_PW, store._key)
        keys.save()  # no record in the database: as if killed before the commit
    with Store.open(db, "wes", NEW_PW) as store:
        epoch = store.keyslots.epoch
    yesterday = db.with_name("y.keys")
    yesterday.write_bytes(keyslot_path(db).read_bytes())
    with Store.open(db, "ada", ADMIN_PW) as store:
        store.users.set_password("ada", "another long admin passphrase")
        assert store.keyslots.epoch == epoch + 1
    _put_back(yesterday, db)
    with pytest.raises(DatabaseDamaged, match="older than the database"):
        Store.open(db, "wes", NEW_PW)


def _as_written_before_epochs(db):
    """Turn the pair into what 0.1 wrote: format 1 slots (the key wrapped under the password
    itself), no epoch in the file, none recorded in the database, and no signing key on
    either side (0.1 signed nothing)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from cse_screen.vault.kdf import current_params, derive_key
    from cse_screen.vault.keyslots import PasswordSlot, key_check

    key = _key_from(keyslot_path(db), "ada", ADMIN_PW)
    slots = []
    for user, password in (("ada", ADMIN_PW), ("wes", WORKER_PW)):
        bare = PasswordSlot(user, current_params(), b"s" * 16, b"n" * 12, b"")
        kek = derive_key(password, bare.salt, bare.params)
        wrapped = AESGCM(kek).encrypt(bare.nonce, key, bare.associated_data())
        slots.append(PasswordSlot(user, bare.params, bare.salt, bare.nonce, wrapped).to_json())
    data = {
        "format": "cse-screen-keyslots",
        "version": 1,
        "key_check": key_check(key),
        "slots": slots,
        "recovery": None,
    }
    keyslot_path(db).write_text(json.dumps(data))
    engine = open_engine(db, key)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "DELETE FROM meta WHERE key IN ('key_epoch', 'signing_public_key')"
        )
        connection.exec_driver_sql("DELETE FROM audit_heads")
        connection.exec_driver_sql("UPDATE users SET signature = NULL, signed_counter = NULL")
    engine.dispose()


def test_a_keyslot_file_from_before_sealed_slots_opens_and_is_upgraded_at_each_sign_in(db):
    _as_written_before_epochs(db)
    with Store.open(db, "ada", ADMIN_PW) as store:
        assert store.keyslots.legacy_users() == ["wes"]  # ada's slot was resealed at sign-in
        with pytest.raises(UserError, match="keyslots of wes were made by an older version"):
            store.rekey()
    assert json.loads(keyslot_path(db).read_text())["version"] == 2
    with Store.open(db, "wes", WORKER_PW) as store:
        assert store.keyslots.legacy_users() == []
    with Store.open(db, "ada", ADMIN_PW) as store:
        store.rekey()
    with Store.open(db, "wes", WORKER_PW):
        pass


PASSPHRASE = "it keeps this phrase in the key safe"


@pytest.fixture(scope="module")
def it_pair(tmp_path_factory):
    from cse_screen.vault.recovery import generate_recovery_keypair

    folder = tmp_path_factory.mktemp("it")
    generate_recovery_keypair(folder / "it.key", folder / "it.pub", PASSPHRASE)
    return (folder / "it.key").read_bytes(), (folder / "it.pub").read_bytes()


def test_rekey_rewraps_the_recovery_slot_so_it_still_recovers(db, it_pair):
    private, public = it_pair
    with Store.open(db, "ada", ADMIN_PW) as store:
        store.enrol_recovery(public)
        store.rekey()
    with Store.recover(db, "wes", private, PASSPHRASE, NEW_PW) as store:
        assert store.user.name == "wes"
    with Store.open(db, "wes", NEW_PW):
        pass


def test_a_recovery_slot_from_before_kept_public_keys_needs_it_given_once(db, it_pair, tmp_path):
    private, public = it_pair
    with Store.open(db, "ada", ADMIN_PW) as store:
        store.enrol_recovery(public)
    data = json.loads(keyslot_path(db).read_text())
    del data["recovery"]["public_key"]  # as 0.1 wrote it (not covered by the epoch's mac)
    keyslot_path(db).write_text(json.dumps(data))
    with Store.open(db, "ada", ADMIN_PW) as store:
        with pytest.raises(UserError, match="--recovery-public-key"):
            store.rekey()
        from cse_screen.vault.recovery import generate_recovery_keypair

        generate_recovery_keypair(tmp_path / "other.key", tmp_path / "other.pub", PASSPHRASE)
        with pytest.raises(UserError, match="not the one enrolled"):
            store.rekey(recovery_public_key=(tmp_path / "other.pub").read_bytes())
        store.rekey(recovery_public_key=public)
    assert "public_key" in json.loads(keyslot_path(db).read_text())["recovery"]
    with Store.recover(db, "ada", private, PASSPHRASE, NEW_PW):
        pass


def test_a_slot_planted_in_the_file_without_an_active_user_is_not_handed_the_new_key(db):
    """A key holder can add a slot of their own to the file (they have the key); a re-key
    reseals only the slots of active users, so the planted one is dropped."""
    planted = KeyslotFile.load(keyslot_path(db))
    key = planted.unlock("wes", WORKER_PW)
    planted.add_user("mallory", "a planted long passphrase 9", key)
    planted.save()
    with Store.open(db, "ada", ADMIN_PW) as store:
        store.disable_user("wes")
    keys = KeyslotFile.load(keyslot_path(db))
    assert keys.users() == ["ada"]
    with pytest.raises(WrongPassword):
        keys.unlock("mallory", "a planted long passphrase 9")


def test_services_taken_before_the_rekey_follow_it(db):
    """The app holds on to services (the register, the drafts); after a re-key they must read
    the re-encrypted file, not the old key's engine."""
    with Store.open(db, "ada", ADMIN_PW) as store:
        children, audit_log = store.children, store.audit
        store.rekey()
        assert children.register().total == 0
        assert audit_log.verify().ok
        assert store.stats()["children"] == 0


def test_a_rekey_is_refused_while_another_store_has_the_database_open(db):
    before = keyslot_path(db).read_bytes()
    with Store.open(db, "wes", WORKER_PW), Store.open(db, "ada", ADMIN_PW) as admin:
        with pytest.raises(UserError, match="close it everywhere, then re-key again"):
            admin.rekey()
        assert admin.stats()["children"] == 0  # the administrator carries on, old pair
        assert admin.verify().ok
    assert keyslot_path(db).read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["cse.db", "cse.db.keys"]


def test_a_full_disk_during_the_rekey_changes_nothing_and_says_so(db, tiny_fs):
    import os

    size = db.stat().st_size
    folder = tiny_fs(4 * size + 2**20)
    moved = folder / "cse.db"
    shutil.copy2(db, moved)
    shutil.copy2(keyslot_path(db), keyslot_path(moved))
    before = keyslot_path(moved).read_bytes()
    with Store.open(moved, "ada", ADMIN_PW) as store:
        stats = os.statvfs(folder)
        free = stats.f_bavail * stats.f_frsize
        (folder / "filler").write_bytes(b"\0" * max(0, free - size // 2))
        with pytest.raises(UserError, match="not enough disk space") as refused:
            store.rekey()
        assert "Traceback" not in str(refused.value)
        (folder / "filler").unlink()
        assert store.verify().ok  # carries on with the old pair
    assert keyslot_path(moved).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["cse.db", "cse.db.keys"]
    with Store.open(moved, "wes", WORKER_PW):
        pass
