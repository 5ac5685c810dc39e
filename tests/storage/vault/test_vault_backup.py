"""Backups: consistent encrypted copies in one self-checking file; restore checks first."""

from __future__ import annotations

import hashlib
import itertools
import re
import struct
import threading

import pytest

from cse_screen import errors
from cse_screen.vault import backup as backup_mod
from cse_screen.vault.backup import check_backup, write_backup
from cse_screen.vault.backup_unlock import PasswordCredential
from cse_screen.vault.engine import open_engine
from cse_screen.vault.integrity import check_integrity
from cse_screen.vault.keyslots import KeyslotFile
from cse_screen.vault.restore import finish_interrupted_restore, restore_backup


def _pw(h, user=None):
    return PasswordCredential(h.password, user)


def _reopen(vault, h, password=None):
    key = KeyslotFile.load(vault.keys_path).unlock("admin", password or h.password)
    return open_engine(vault.db_path, key)


def _listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_round_trip_restores_the_snapshot(vault, h, tmp_path):
    out = tmp_path / "snap.backup"
    seen: list[tuple[int, int]] = []
    assert write_backup(vault.engine, vault.db_path, out, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))
    info = check_backup(out)
    assert info.users == ("admin",) and not info.has_recovery
    vault.add("written after the backup")
    vault.engine.dispose()
    restore_backup(out, vault.db_path, _pw(h))
    engine = _reopen(vault, h)
    vault.engine = engine
    assert vault.rows() == [h.canary]
    assert check_integrity(engine) == []
    engine.dispose()
    assert _listing(tmp_path) == ["cse.db", "cse.db.keys", "snap.backup"]


def test_backup_carries_the_keyslots_of_its_time(vault, h, tmp_path):
    out = tmp_path / "snap.backup"
    write_backup(vault.engine, vault.db_path, out)
    slots = KeyslotFile.load(vault.keys_path)
    slots.set_password("admin", "changed later", vault.key)
    slots.save()
    vault.engine.dispose()
    restore_backup(out, vault.db_path, _pw(h))
    with pytest.raises(errors.WrongPassword):
        KeyslotFile.load(vault.keys_path).unlock("admin", "changed later")
    _reopen(vault, h).dispose()


def test_backup_is_encrypted_and_holds_no_canary(vault, h, tmp_path):
    out = tmp_path / "snap.backup"
    write_backup(vault.engine, vault.db_path, out)
    data = out.read_bytes()
    assert data.startswith(backup_mod.MAGIC)
    assert b"SQLite format 3" not in data
    assert h.files_containing(tmp_path, h.canary) == []
    assert out.stat().st_mode & 0o777 == 0o600


def test_backup_is_consistent_while_a_writer_is_busy(vault, h, tmp_path):
    stop = threading.Event()

    def writer():
        i = 0
        while not stop.is_set():
            vault.add(f"concurrent {i}")
            i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for n in range(3):
            write_backup(vault.engine, vault.db_path, tmp_path / f"b{n}.backup")
    finally:
        stop.set()
        thread.join()
    vault.engine.dispose()
    restore_backup(tmp_path / "b2.backup", vault.db_path, _pw(h))
    engine = _reopen(vault, h)
    assert check_integrity(engine) == []
    engine.dispose()


def test_cancel_leaves_nothing(vault, tmp_path):
    out = tmp_path / "snap.backup"
    with pytest.raises(errors.Cancelled):
        write_backup(vault.engine, vault.db_path, out, cancel=lambda: True)
    assert _listing(tmp_path) == ["cse.db", "cse.db-shm", "cse.db-wal", "cse.db.keys"]


def test_existing_backup_survives_a_cancelled_one(vault, tmp_path):
    out = tmp_path / "snap.backup"
    write_backup(vault.engine, vault.db_path, out)
    before = out.read_bytes()
    calls = iter(range(1000))
    with pytest.raises(errors.Cancelled):
        write_backup(vault.engine, vault.db_path, out, cancel=lambda: next(calls) > 0)
    assert out.read_bytes() == before


def test_backup_over_the_database_is_refused(vault):
    before = vault.db_path.read_bytes()
    for target in (vault.db_path, vault.keys_path, vault.db_path.with_name("cse.db-wal")):
        with pytest.raises(errors.BackupFailed, match="own files"):
            write_backup(vault.engine, vault.db_path, target)
    assert vault.db_path.read_bytes() == before


def _corrupt(data: bytes, how: str) -> bytes:
    header = struct.Struct(">8sHHIIQ")
    if how == "random":
        return bytes(range(256)) * 40
    if how == "empty":
        return b""
    if how == "truncated":
        return data[: len(data) - 100]
    if how == "flipped":
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 1
        return bytes(flipped)
    if how == "magic":
        return b"NOTABKUP" + data[8:]
    if how == "version":
        return data[:8] + struct.pack(">H", 9) + data[10:]
    if how == "plaintext_db":
        # A well-formed container whose database part is plaintext, with a valid checksum.
        _magic, _version, _res, m_len, k_len, _d_len = header.unpack(data[: header.size])
        body = data[: len(data) - 64]
        db_at = header.size + m_len + k_len
        body = body[:db_at] + b"SQLite format 3\x00" + body[db_at + 16 :]
        return body + hashlib.sha256(body).digest() + data[-32:]
    raise AssertionError(how)


CORRUPTIONS = ["random", "empty", "truncated", "flipped", "magic", "version", "plaintext_db"]


@pytest.mark.parametrize("how", CORRUPTIONS)
def test_check_refuses_garbage_with_a_sentence(vault, tmp_path, how):
    good = tmp_path / "good.backup"
    write_backup(vault.engine, vault.db_path, good)
    bad = tmp_path / "bad.backup"
    bad.write_bytes(_corrupt(good.read_bytes(), how))
    with pytest.raises(errors.BackupFailed, match=re.escape(str(bad))):
        check_backup(bad)


@pytest.mark.parametrize("how", CORRUPTIONS)
def test_restore_from_garbage_leaves_the_database_untouched(vault, h, tmp_path, how):
    good = tmp_path / "good.backup"
    write_backup(vault.engine, vault.db_path, good)
    bad = tmp_path / "bad.backup"
    bad.write_bytes(_corrupt(good.read_bytes(), how))
    vault.engine.dispose()
    before = h.file_bytes(tmp_path)
    with pytest.raises(errors.BackupFailed):
        restore_backup(bad, vault.db_path, _pw(h))
    assert h.file_bytes(tmp_path) == before


def test_check_names_missing_file_and_folder(tmp_path):
    with pytest.raises(errors.BackupFailed, match="does not exist"):
        check_backup(tmp_path / "absent.backup")
    with pytest.raises(errors.BackupFailed, match="is a folder"):
        check_backup(tmp_path)


def test_restore_into_an_empty_place_creates_the_pair(vault, h, tmp_path):
    out = tmp_path / "snap.backup"
    write_backup(vault.engine, vault.db_path, out)
    elsewhere = tmp_path / "new-laptop"
    elsewhere.mkdir()
    restore_backup(out, elsewhere / "cse.db", _pw(h))
    assert _listing(elsewhere) == ["cse.db", "cse.db.keys"]
    key = KeyslotFile.load(elsewhere / "cse.db.keys").unlock("admin", h.password)
    engine = open_engine(elsewhere / "cse.db", key)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT text FROM notes").scalar() == h.canary
    engine.dispose()


def test_restore_can_keep_the_previous_database(vault, h, tmp_path):
    out = tmp_path / "snap.backup"
    write_backup(vault.engine, vault.db_path, out)
    vault.add("only in the current database")
    vault.engine.dispose()
    restore_backup(out, vault.db_path, _pw(h), keep_previous=True)
    [parked] = tmp_path.glob("cse.db.before-restore-*")
    stamp = parked.name.split("before-restore-")[1]
    assert (tmp_path / f"cse.db.keys.before-restore-{stamp}").exists()
    engine = open_engine(parked, vault.key)
    with engine.connect() as connection:
        texts = [r[0] for r in connection.exec_driver_sql("SELECT text FROM notes")]
    engine.dispose()
    assert texts[-1] == "only in the current database"


def test_leftovers_of_an_undecided_restore_are_discarded(vault, tmp_path):
    (tmp_path / "cse.db.restore-new").write_bytes(b"partial")
    vault.engine.dispose()
    before = vault.db_path.read_bytes()
    assert finish_interrupted_restore(vault.db_path) is False
    assert not (tmp_path / "cse.db.restore-new").exists()
    assert vault.db_path.read_bytes() == before


def test_backup_of_a_newer_schema_is_refused_before_restore(vault, h, tmp_path, monkeypatch):
    out = tmp_path / "snap.backup"
    write_backup(vault.engine, vault.db_path, out)
    info = check_backup(out)
    monkeypatch.setattr(
        "cse_screen.vault.restore.check_backup",
        lambda _p: type(info)(**{**info.__dict__, "schema_revision": "ffff_from_the_future"}),
    )
    vault.engine.dispose()
    before = vault.db_path.read_bytes()
    with pytest.raises(errors.DatabaseTooNew):
        restore_backup(out, vault.db_path, _pw(h))
    assert vault.db_path.read_bytes() == before


def test_a_backup_needs_little_more_than_its_own_size_free(vault, h, tiny_fs):
    """On a disk with room for the backup and a half, not two of it: the snapshot is moved into
    the backup file as it is packed instead of copied whole beside it."""
    import os

    for _ in range(48):
        vault.add(os.urandom(60_000).hex())  # ~6 MB that does not compress or share pages
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size = vault.db_path.stat().st_size
    disk = tiny_fs(int(size * 1.5))
    out = disk / "snap.backup"
    seen: list[tuple[int, int]] = []
    write_backup(vault.engine, vault.db_path, out, progress=lambda d, t: seen.append((d, t)))
    assert check_backup(out).users == ("admin",)  # the digest and the database part check out
    assert seen and seen[-1][0] == seen[-1][1]
    assert sorted(p.name for p in disk.iterdir()) == ["snap.backup"]
    vault.engine.dispose()
    restore_backup(out, vault.db_path, _pw(h))
    engine = _reopen(vault, h)
    vault.engine = engine
    assert vault.rows()[0] == h.canary and len(vault.rows()) == 49
    assert check_integrity(engine) == []
    engine.dispose()
