"""Authenticated backups (issue 17, item 5): a MAC under a key derived from the database key,
a restore that needs a password or the recovery key of the backup's own keyslots, and a check
of the extracted database before anything is swapped.

Before, the only check was a SHA-256 anyone can recompute: a backup with a flipped byte (digest
recomputed) or with another database's keyslots restored with exit 0 and left a database
nobody could open, and restore asked for no password at all.
"""

from __future__ import annotations

import hashlib
import hmac
import struct

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from cse_screen import errors
from cse_screen.vault import backup_mac
from cse_screen.vault import restore as restore_module
from cse_screen.vault.backup import check_backup, write_backup
from cse_screen.vault.backup_unlock import PasswordCredential, RecoveryCredential
from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile
from cse_screen.vault.recovery import generate_recovery_keypair
from cse_screen.vault.restore import restore_backup

HEADER = struct.Struct(">8sHHIIQ")
OTHER_PASSWORD = "a second user's long passphrase"


def _layout(data: bytes) -> tuple[int, int, int, int]:
    """(version, where the keyslots start, keyslot length, where the database starts)."""
    _magic, version, _res, m_len, k_len, _d_len = HEADER.unpack(data[: HEADER.size])
    slots_at = HEADER.size + m_len
    return version, slots_at, k_len, slots_at + k_len


def _seal(body: bytes, key: bytes | None, old: bytes) -> bytes:
    """A format 2 file from its signed bytes: a fresh digest, and the MAC recomputed under
    ``key`` (a key holder forging) or kept from ``old`` (anyone else)."""
    mac = hmac.new(backup_mac.mac_key(key), body, hashlib.sha256).digest() if key else old[-32:]
    return body + hashlib.sha256(body).digest() + mac


def _flip(data: bytes, offset: int, key: bytes | None = None) -> bytes:
    body = bytearray(data[:-64])
    body[offset] ^= 0x01
    return _seal(bytes(body), key, data)


def _with_slots(data: bytes, slots: bytes) -> bytes:
    """The same backup carrying another keyslot file (header lengths fixed, digest recomputed)."""
    version, slots_at, _k_len, db_at = _layout(data)
    magic, _v, res, m_len, _k, d_len = HEADER.unpack(data[: HEADER.size])
    header = HEADER.pack(magic, version, res, m_len, len(slots), d_len)
    body = header + data[HEADER.size : slots_at] + slots + data[db_at:-64]
    return _seal(body, None, data)


def _as_format_1(data: bytes) -> bytes:
    """What a backup written before 0.2.0 looks like: version 1, a digest, no MAC."""
    magic, _v, res, m_len, k_len, d_len = HEADER.unpack(data[: HEADER.size])
    body = HEADER.pack(magic, 1, res, m_len, k_len, d_len) + data[HEADER.size : -64]
    return body + hashlib.sha256(body).digest()


def _pw(h, user=None):
    return PasswordCredential(h.password, user)


@pytest.fixture
def snap(vault, tmp_path):
    out = tmp_path / "snap.backup"
    write_backup(vault.engine, vault.db_path, out)
    vault.add("written after the backup")
    vault.engine.dispose()
    return out


@pytest.fixture
def other_slots(tmp_path, h):
    """The keyslot file of another database whose admin has the same password."""
    folder = tmp_path / "other"
    folder.mkdir()
    other = h.make_vault(folder / "cse.db")
    other.engine.dispose()
    return other.keys_path.read_bytes()


def _refused(h, tmp_path, vault, bad, credential, error=errors.DatabaseDamaged):
    before = h.file_bytes(vault.db_path.parent)
    with pytest.raises(error) as caught:
        restore_backup(bad, vault.db_path, credential)
    assert h.file_bytes(vault.db_path.parent) == before
    assert "nothing was changed" in str(caught.value)
    return caught.value


def test_the_mac_is_hmac_sha256_under_hkdf_of_the_database_key(vault, snap):
    data = snap.read_bytes()
    hkdf = HKDF(hashes.SHA256(), 32, salt=None, info=b"cse-screen backup authentication v1")
    expected = hmac.new(hkdf.derive(vault.key), data[:-64], hashlib.sha256).digest()
    assert data[-32:] == expected
    assert data[-64:-32] == hashlib.sha256(data[:-64]).digest()  # damage check kept
    assert check_backup(snap).authenticated


@pytest.mark.parametrize("where", ["manifest", "database"])
def test_a_flipped_byte_with_its_digest_recomputed_is_refused_before_anything_changes(
    vault, h, snap, tmp_path, where
):
    data = snap.read_bytes()
    _v, _s, _k, db_at = _layout(data)
    year = data.index(b'"created": "') + len('"created": "') + 3  # 2026 becomes 2027
    offset = year if where == "manifest" else db_at + 4096 + 200
    bad = tmp_path / "bad.backup"
    bad.write_bytes(_flip(data, offset))
    check_backup(bad)  # the keyless checksum cannot tell: it was recomputed
    error = _refused(h, tmp_path, vault, bad, _pw(h))
    assert error.exit_code == errors.EXIT_DAMAGED
    assert "fails its authentication check" in str(error)


def test_a_backup_with_another_databases_keyslots_is_refused(vault, h, snap, tmp_path, other_slots):
    bad = tmp_path / "swapped.backup"
    bad.write_bytes(_with_slots(snap.read_bytes(), other_slots))
    error = _refused(h, tmp_path, vault, bad, _pw(h))  # the password opens the foreign slot
    assert error.exit_code == errors.EXIT_DAMAGED and "another database" in str(error)


def test_a_wrong_password_is_exit_3_and_changes_nothing(vault, h, snap, tmp_path):
    wrong = PasswordCredential("not the password of anyone here")
    error = _refused(h, tmp_path, vault, snap, wrong, errors.WrongPassword)
    assert error.exit_code == errors.EXIT_AUTH


def test_any_users_password_in_the_backup_opens_it(vault, h, tmp_path):
    slots = KeyslotFile.load(vault.keys_path)
    slots.add_user("bea", OTHER_PASSWORD, vault.key)
    slots.save()
    out = tmp_path / "two.backup"
    write_backup(vault.engine, vault.db_path, out)
    vault.engine.dispose()
    with pytest.raises(errors.WrongPassword):  # bea's password is not admin's
        restore_backup(out, vault.db_path, PasswordCredential(OTHER_PASSWORD, "admin"))
    restore_backup(out, vault.db_path, PasswordCredential(OTHER_PASSWORD))
    key = KeyslotFile.load(vault.keys_path).unlock("bea", OTHER_PASSWORD)
    open_engine(vault.db_path, key).dispose()


def test_the_recovery_key_restores_and_a_wrong_passphrase_is_exit_3(vault, h, tmp_path):
    phrase = "the council keeps this phrase in its key safe"
    private, public = tmp_path / "it.key", tmp_path / "it.pub"
    generate_recovery_keypair(private, public, phrase)
    slots = KeyslotFile.load(vault.keys_path)
    slots.enrol_recovery(public.read_bytes(), vault.key)
    out = tmp_path / "rec.backup"
    write_backup(vault.engine, vault.db_path, out)
    vault.add("after")
    vault.engine.dispose()
    wrong = RecoveryCredential(private.read_bytes(), "not the phrase at all, sorry")
    _refused(h, tmp_path, vault, out, wrong, errors.WrongPassword)
    restore_backup(out, vault.db_path, RecoveryCredential(private.read_bytes(), phrase))
    engine = open_engine(vault.db_path, vault.key)
    vault.engine = engine
    assert vault.rows() == [h.canary]
    engine.dispose()


def test_an_old_unauthenticated_backup_needs_an_explicit_choice(vault, h, snap, tmp_path):
    old = tmp_path / "old.backup"
    old.write_bytes(_as_format_1(snap.read_bytes()))
    assert not check_backup(old).authenticated
    error = _refused(h, tmp_path, vault, old, _pw(h), errors.BackupFailed)
    assert "--allow-unauthenticated" in str(error)
    restore_backup(old, vault.db_path, _pw(h), allow_unauthenticated=True)
    engine = open_engine(vault.db_path, vault.key)
    vault.engine = engine
    assert vault.rows() == [h.canary]
    engine.dispose()


def test_an_old_backup_with_a_foreign_database_fails_the_check_of_what_was_extracted(
    vault, h, snap, tmp_path, other_slots
):
    """No MAC to catch it, so the check of the extracted database must: it does not open."""
    bad = tmp_path / "old-swapped.backup"
    bad.write_bytes(_as_format_1(_with_slots(snap.read_bytes(), other_slots)))
    before = h.file_bytes(tmp_path)
    with pytest.raises(errors.DatabaseDamaged, match="does not open with its own keyslots"):
        restore_backup(bad, vault.db_path, _pw(h), allow_unauthenticated=True)
    assert h.file_bytes(tmp_path) == before


def test_a_key_holders_mac_over_a_damaged_page_fails_the_cipher_check(vault, h, snap, tmp_path):
    data = snap.read_bytes()
    _v, _s, _k, db_at = _layout(data)
    bad = tmp_path / "forged.backup"
    bad.write_bytes(_flip(data, db_at + 4096 + 200, key=vault.key))  # MAC valid
    error = _refused(h, tmp_path, vault, bad, _pw(h))
    assert "failed its authentication check" in str(error)


def test_a_backup_changed_after_its_mac_was_checked_is_refused(
    vault, h, snap, tmp_path, monkeypatch
):
    """The bytes copied out are authenticated again: a file swapped between the check and the
    extraction cannot slip through."""
    data = snap.read_bytes()
    _v, _s, _k, db_at = _layout(data)
    real = restore_module.verify_authentication

    def then_swapped(info, key):
        real(info, key)
        snap.write_bytes(_flip(data, db_at + 4096 + 200))

    monkeypatch.setattr(restore_module, "verify_authentication", then_swapped)
    before = {p: b for p, b in h.file_bytes(tmp_path).items() if p != snap}
    with pytest.raises(errors.DatabaseDamaged, match="fails its authentication check"):
        restore_backup(snap, vault.db_path, _pw(h))
    assert {p: b for p, b in h.file_bytes(tmp_path).items() if p != snap} == before


def test_a_restore_killed_while_checking_leaves_nothing_the_next_one_would_trust(
    vault, h, snap, tmp_path
):
    """The check opens the extracted file, so SQLite may leave its WAL beside it after a kill;
    the next attempt (or open) removes it with the rest, so it never meets another file."""
    for name in ("cse.db.restore-new", "cse.db.restore-new-wal", "cse.db.restore-new-shm"):
        (tmp_path / name).write_bytes(b"left by a kill")
    restore_module.finish_interrupted_restore(vault.db_path)
    assert not list(tmp_path.glob("cse.db.restore-new*"))
    restore_backup(snap, vault.db_path, _pw(h))
    assert not list(tmp_path.glob("cse.db.restore-new*"))
