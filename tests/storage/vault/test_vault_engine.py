"""Opening the encrypted database: encryption really on, fails closed, damage told apart."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3

import pytest

from cse_screen import errors
from cse_screen.vault import engine as engine_mod
from cse_screen.vault.engine import open_engine
from cse_screen.vault.integrity import check_integrity


def _pragma(vault, name: str):
    with vault.engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_settings_are_in_force_on_every_pooled_connection(vault):
    assert str(_pragma(vault, "cipher_version")).startswith("4.")
    first, second = vault.engine.connect(), vault.engine.connect()
    try:
        for connection in (first, second):
            values = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "temp_store", "foreign_keys")
            }
            assert values == {
                "journal_mode": "wal",
                "synchronous": 2,
                "temp_store": 2,
                "foreign_keys": 1,
            }
            # Off by choice: it locks and wipes SQLite's buffers, which this process copies
            # into Python objects it can neither lock nor wipe (see the engine's docstring).
            assert str(connection.exec_driver_sql("PRAGMA cipher_memory_security").scalar()) == "0"
    finally:
        first.close()
        second.close()


def test_cipher_format_is_pinned_and_temp_files_stay_in_memory(vault):
    with vault.engine.connect() as connection:
        settings = {r[0] for r in connection.exec_driver_sql("PRAGMA cipher_settings")}
        options = {r[0] for r in connection.exec_driver_sql("PRAGMA compile_options")}
    assert {
        "PRAGMA cipher_page_size = 4096;",
        "PRAGMA cipher_use_hmac = 1;",
        "PRAGMA cipher_plaintext_header_size = 0;",
        "PRAGMA cipher_hmac_algorithm = HMAC_SHA512;",
    } <= settings
    assert options & {"TEMP_STORE=2", "TEMP_STORE=3"}


def test_file_is_encrypted_and_canary_absent_everywhere(vault, h):
    vault.add(h.canary + "-second")  # WAL frames as well as the main file
    connection = vault.engine.connect()  # keeps -wal and -shm on disk while we look
    try:
        assert vault.db_path.with_name("cse.db-wal").exists()
        assert vault.db_path.read_bytes()[:16] != b"SQLite format 3\x00"
        assert h.files_containing(vault.db_path.parent, h.canary) == []
        assert h.files_containing(vault.db_path.parent, h.password) == []
    finally:
        connection.close()
    assert vault.rows() == [h.canary, h.canary + "-second"]


def test_new_database_files_are_private(vault):
    connection = vault.engine.connect()  # the WAL and shared-memory files exist while open
    try:
        for suffix in ("", "-wal", "-shm", ".keys"):
            path = vault.db_path.with_name(vault.db_path.name + suffix)
            assert (path.stat().st_mode & 0o777) == 0o600, path.name
    finally:
        connection.close()


def test_stock_sqlite_is_refused_and_nothing_is_created(tmp_path, monkeypatch):
    monkeypatch.setattr(engine_mod, "DRIVER", sqlite3)
    target = tmp_path / "plain.db"
    with pytest.raises(errors.SQLCipherMissing, match="SQLCipher 4 is required"):
        open_engine(target, os.urandom(32), create=True)
    assert list(tmp_path.iterdir()) == []


def test_stock_sqlite_is_refused_for_an_existing_database(vault, monkeypatch):
    before = vault.db_path.read_bytes()
    monkeypatch.setattr(engine_mod, "DRIVER", sqlite3)
    with pytest.raises(errors.SQLCipherMissing):
        open_engine(vault.db_path, vault.key)
    assert vault.db_path.read_bytes() == before


def _fingerprint(path):
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_size, stat.st_mtime_ns


def test_wrong_key_is_damage_sentence_and_touches_nothing(vault):
    vault.engine.dispose()
    before = _fingerprint(vault.db_path)
    for _ in range(3):
        with pytest.raises(errors.DatabaseDamaged, match=re.escape(str(vault.db_path))):
            open_engine(vault.db_path, os.urandom(32))
    assert _fingerprint(vault.db_path) == before
    assert not vault.db_path.with_name("cse.db-wal").exists()
    assert open_engine(vault.db_path, vault.key).connect().close() is None


def test_right_key_for_another_database_is_refused(tmp_path, h):
    first = h.make_vault(tmp_path / "a.db")
    second = h.make_vault(tmp_path / "b.db")
    for made in (first, second):
        made.engine.dispose()
    with pytest.raises(errors.DatabaseDamaged, match=r"b\.db"):
        open_engine(second.db_path, first.key)


def test_create_refuses_to_overwrite(vault):
    before = vault.db_path.read_bytes()
    with pytest.raises(errors.UserError, match="already exists"):
        open_engine(vault.db_path, os.urandom(32), create=True)
    assert vault.db_path.read_bytes() == before


def test_missing_database_is_not_created(tmp_path):
    target = tmp_path / "absent.db"
    with pytest.raises(errors.NotADatabase, match="does not exist"):
        open_engine(target, os.urandom(32))
    assert not target.exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "is empty"), (b"SQLite format 3\x00" + bytes(4080), "unencrypted SQLite")],
)
def test_empty_or_plaintext_file_is_not_ours(tmp_path, content, words):
    target = tmp_path / "other.db"
    target.write_bytes(content)
    with pytest.raises(errors.NotADatabase, match=words):
        open_engine(target, os.urandom(32))
    assert target.read_bytes() == content


def test_plaintext_sqlite_database_is_not_ours(tmp_path):
    target = tmp_path / "plain.db"
    connection = sqlite3.connect(target)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    with pytest.raises(errors.NotADatabase):
        open_engine(target, os.urandom(32))


def _fill(vault, rows: int = 300) -> None:
    with vault.engine.begin() as connection:
        for i in range(rows):
            connection.exec_driver_sql("INSERT INTO notes (text) VALUES (?)", (f"row {i} " * 20,))
    with vault.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    vault.engine.dispose()


def test_flipped_byte_is_detected(vault):
    _fill(vault)
    data = bytearray(vault.db_path.read_bytes())
    data[5000] ^= 0x01  # inside page 2
    vault.db_path.write_bytes(bytes(data))
    try:
        reopened = open_engine(vault.db_path, vault.key)
    except errors.DatabaseDamaged:
        return
    problems = check_integrity(reopened)
    reopened.dispose()
    assert any("page 2" in p and "authentication" in p for p in problems), problems


def test_flipped_byte_in_first_page_is_damage(vault):
    vault.engine.dispose()
    data = bytearray(vault.db_path.read_bytes())
    data[100] ^= 0xFF
    vault.db_path.write_bytes(bytes(data))
    with pytest.raises(errors.DatabaseDamaged, match="cannot be read"):
        open_engine(vault.db_path, vault.key)


@pytest.mark.parametrize("keep", [0.5, 0.001])
def test_truncated_database_is_detected(vault, keep):
    _fill(vault)
    data = vault.db_path.read_bytes()
    vault.db_path.write_bytes(data[: max(1, int(len(data) * keep))])
    try:
        reopened = open_engine(vault.db_path, vault.key)
    except errors.DatabaseDamaged:
        return
    try:
        assert check_integrity(reopened) != []
    finally:
        reopened.dispose()


def test_sound_database_has_no_problems(vault):
    assert check_integrity(vault.engine) == []
    assert check_integrity(vault.engine, quick=True) == []


def test_broken_reference_is_reported_without_values(vault, h):
    with vault.engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE refs (id INTEGER PRIMARY KEY, note_id INTEGER REFERENCES notes(id))"
        )
    raw = vault.engine.raw_connection()
    raw.driver_connection.execute("PRAGMA foreign_keys = OFF")
    raw.driver_connection.execute("INSERT INTO refs (note_id) VALUES (999)")
    raw.driver_connection.execute("PRAGMA foreign_keys = ON")
    raw.close()
    problems = check_integrity(vault.engine)
    assert problems == ["row 1 of table refs refers to a missing row in table notes"]


def test_key_never_reaches_url_repr_or_logs(vault, caplog):
    hex_key = vault.key.hex()
    with caplog.at_level(logging.DEBUG, logger="sqlalchemy"):
        vault.engine.echo = True
        reopened = open_engine(vault.db_path, vault.key)
        with reopened.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM notes").scalar()
        reopened.dispose()
    for text in (repr(vault.engine), str(vault.engine.url), caplog.text):
        assert hex_key not in text.lower()


def test_key_must_be_32_bytes(tmp_path):
    with pytest.raises(ValueError):
        open_engine(tmp_path / "x.db", b"short", create=True)
    assert list(tmp_path.iterdir()) == []


def test_default_location_is_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("CSE_SCREEN_DATA_DIR", str(tmp_path / "data"))
    engine = open_engine(None, os.urandom(32), create=True)
    engine.dispose()
    assert (tmp_path / "data" / "cse-screen.db").is_file()
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
