"""``cse-screen restore --backup FILE --db PATH`` needs a password (issue 17, item 5; contract):
from CSE_SCREEN_PASSWORD, --password-file or a prompt, any user's in the backup, or
--recovery-key FILE with its passphrase. A wrong password is exit 3, a tampered or mismatched
backup exit 4, each with one sentence and nothing changed.

Before, restore asked for nothing: anyone holding a backup file could roll the database back.
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

import pytest
from cli_run import run

PASSWORD = "a long restore passphrase for IT"
SECOND = "the second user's other long phrase"
HEADER = struct.Struct(">8sHHIIQ")


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    monkeypatch.delenv("CSE_SCREEN_PASSWORD", raising=False)


@pytest.fixture
def made(tmp_path: Path, capsys, monkeypatch) -> tuple[Path, Path]:
    """A database with two users and one child, its backup, then a second child."""
    db = tmp_path / "cse.db"
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSWORD", SECOND)
    base = ["--db", str(db), "--user", "admin"]
    assert run(capsys, "init", *base)[0] == 0
    assert run(capsys, "user", "add", *base, "--new-user", "lee", "--role", "lead")[0] == 0
    run(capsys, "child", "add", *base, "--ref", "R1", "--name", "Ann", "--dob", "2012-03-04")
    backup = tmp_path / "b.backup"
    assert run(capsys, "backup", *base, "--out", str(backup))[0] == 0
    run(capsys, "child", "add", *base, "--ref", "R2", "--name", "Bob", "--dob", "2012-03-04")
    monkeypatch.delenv("CSE_SCREEN_PASSWORD")
    return db, backup


def _folder(db: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in db.parent.iterdir() if p.name.startswith("cse.db")}


def _one_sentence(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cse-screen: error: "), err
    assert "Traceback" not in err


def _restore(capsys, db: Path, backup: Path, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "restore", "--backup", str(backup), "--db", str(db), *extra)


def test_restore_without_a_password_is_refused(made, capsys):
    db, backup = made
    before = _folder(db)
    code, _, err = _restore(capsys, db, backup)  # no variable, no file, no terminal
    assert code == 2 and "no password given" in err
    _one_sentence(err)
    assert _folder(db) == before


def test_a_wrong_password_is_exit_3_and_changes_nothing(made, capsys, monkeypatch):
    db, backup = made
    before = _folder(db)
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", "nobody in the backup has this one")
    code, _, err = _restore(capsys, db, backup)
    assert code == 3 and "nothing was changed" in err
    _one_sentence(err)
    assert _folder(db) == before


def test_a_tampered_backup_is_exit_4_and_changes_nothing(made, capsys, monkeypatch, tmp_path):
    db, backup = made
    data = bytearray(backup.read_bytes())
    data[len(data) - 64 - 1000] ^= 0x01  # inside the database part
    body = bytes(data[:-64])
    bad = tmp_path / "bad.backup"
    bad.write_bytes(body + hashlib.sha256(body).digest() + bytes(data[-32:]))
    before = _folder(db)
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    code, _, err = _restore(capsys, db, bad)
    assert code == 4 and "fails its authentication check" in err and str(bad) in err
    _one_sentence(err)
    assert _folder(db) == before


def test_any_users_password_from_a_file_restores(made, capsys, tmp_path):
    db, backup = made
    secret = tmp_path / "pw.txt"
    secret.write_text(SECOND + "\n", encoding="utf-8")
    code, out, err = _restore(capsys, db, backup, "--password-file", str(secret))
    assert code == 0 and "restored" in out, err
    code, out, _ = run(
        capsys, "stats", "--db", str(db), "--user", "lee", "--password-file", str(secret), "--json"
    )
    assert code == 0 and '"children": 1' in out


def test_user_narrows_the_password_to_that_users_slot(made, capsys, tmp_path, monkeypatch):
    db, backup = made
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", SECOND)
    code, _, err = _restore(capsys, db, backup, "--user", "admin")
    assert code == 3, err
    assert _restore(capsys, db, backup, "--user", "lee")[0] == 0


def test_the_recovery_key_restores(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("CSE_SCREEN_RECOVERY_PASSPHRASE", "it keeps this phrase in the key safe")
    private, public = tmp_path / "it.key", tmp_path / "it.pub"
    keygen = ("recovery", "keygen", "--private-out", str(private), "--public-out", str(public))
    assert run(capsys, *keygen)[0] == 0
    db = tmp_path / "cse.db"
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    assert (
        run(capsys, "init", "--db", str(db), "--user", "admin", "--recovery-key", str(public))[0]
        == 0
    )
    backup = tmp_path / "b.backup"
    assert run(capsys, "backup", "--db", str(db), "--user", "admin", "--out", str(backup))[0] == 0
    monkeypatch.delenv("CSE_SCREEN_PASSWORD")
    code, out, err = _restore(capsys, db, backup, "--recovery-key", str(private))
    assert code == 0 and "restored" in out, err
    monkeypatch.setenv("CSE_SCREEN_RECOVERY_PASSPHRASE", "a wrong phrase for this key file")
    code, _, err = _restore(capsys, db, backup, "--recovery-key", str(private))
    assert code == 3 and "passphrase" in err
    _one_sentence(err)


def test_an_old_backup_is_restored_only_when_asked_and_with_a_warning(
    made, capsys, monkeypatch, tmp_path
):
    db, backup = made
    data = backup.read_bytes()
    magic, _v, res, m_len, k_len, d_len = HEADER.unpack(data[: HEADER.size])
    body = HEADER.pack(magic, 1, res, m_len, k_len, d_len) + data[HEADER.size : -64]
    old = tmp_path / "old.backup"
    old.write_bytes(body + hashlib.sha256(body).digest())
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    before = _folder(db)
    code, _, err = _restore(capsys, db, old)
    assert code == 1 and "--allow-unauthenticated" in err
    _one_sentence(err)
    assert _folder(db) == before
    code, out, err = _restore(capsys, db, old, "--allow-unauthenticated")
    assert code == 0 and "restored" in out
    assert "warning:" in err and "written before backups were authenticated" in err
