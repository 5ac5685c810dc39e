"""Weak passwords and recovery passphrases are refused from every command (issue 17, item 6):
before, the command line accepted user passwords "a" and "z" and a one-character passphrase for
the recovery key that opens every enrolled database."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import run
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cse_screen.vault.keyslots import KeyslotFile, keyslot_path
from cse_screen.vault.recovery import load_private_key
from cse_screen.vault.store import Store

PASSWORD = 'first "pass" @/:'
PHRASE = "it keeps this phrase in the key safe"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cse.db"
    with Store.create(path, "admin", PASSWORD) as admin:
        admin.users.add("wes", PASSWORD, "worker", team="North")
    return path


def test_init_refuses_a_weak_password_and_creates_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", "a")
    code, _, err = run(capsys, "init", "--db", str(tmp_path / "x.db"), "--user", "admin")
    assert code == 1 and "password for user 'admin' is refused" in err
    assert "Traceback" not in err and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("weak", ["a", "z", "password123"])
def test_user_add_and_passwd_refuse_weak_passwords(db, capsys, monkeypatch, weak):
    before = keyslot_path(db).read_bytes()
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSWORD", weak)
    base = ["--db", str(db), "--user", "admin"]
    code, _, err = run(capsys, "user", "add", *base, "--new-user", "nina", "--role", "worker")
    assert code == 1 and "is refused" in err
    code, _, err = run(capsys, "passwd", *base)
    assert code == 1 and "is refused" in err
    assert keyslot_path(db).read_bytes() == before
    with Store.open(db, "admin", PASSWORD) as store:
        assert "nina" not in [u.name for u in store.users.list()]


def test_keygen_refuses_a_short_passphrase(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CSE_SCREEN_RECOVERY_PASSPHRASE", "x")
    private, public = tmp_path / "it.key", tmp_path / "it.pub"
    code, _, err = run(
        capsys, "recovery", "keygen", "--private-out", str(private), "--public-out", str(public)
    )
    assert code == 1 and "recovery key passphrase is refused" in err
    assert not private.exists() and not public.exists()


def _old_pkcs8_key(path: Path, passphrase: str) -> rsa.RSAPrivateKey:
    """A recovery key file as versions before 0.2.0 wrote it (PKCS#8, PBKDF2)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    path.write_bytes(pem)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    path.with_suffix(".pub").write_bytes(public)
    return key


def test_an_old_recovery_key_still_recovers_and_is_upgraded_to_argon2id(
    db, tmp_path, capsys, monkeypatch
):
    private = tmp_path / "old-it.key"
    _old_pkcs8_key(private, "short")
    with Store.open(db, "admin", PASSWORD) as admin:
        admin.enrol_recovery(private.with_suffix(".pub").read_bytes())
    monkeypatch.setenv("CSE_SCREEN_RECOVERY_PASSPHRASE", "short")
    # A weak new password is refused on the recovery path too, and nothing changes.
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSWORD", "z")
    before = keyslot_path(db).read_bytes()
    rec = ["recovery", "recover", "--db", str(db), "--user", "wes", "--private-key", str(private)]
    code, _, err = run(capsys, *rec)
    assert code == 1 and "is refused" in err
    assert keyslot_path(db).read_bytes() == before
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSWORD", "a fresh long passphrase 8")
    assert run(capsys, *rec)[0] == 0
    # Upgrading keeps the key but needs a passphrase that meets the recovery policy.
    upgrade = ["recovery", "upgrade-key", "--private-key", str(private)]
    code, _, err = run(capsys, *upgrade)
    assert code == 1 and "passphrase is refused" in err
    assert b"ENCRYPTED PRIVATE KEY" in private.read_bytes()
    monkeypatch.setenv("CSE_SCREEN_NEW_RECOVERY_PASSPHRASE", PHRASE)
    code, out, _ = run(capsys, *upgrade)
    assert code == 0 and "resealed" in out
    sealed = private.read_bytes()
    assert b"BEGIN CSE-SCREEN RECOVERY PRIVATE KEY" in sealed
    load_private_key(sealed, PHRASE)
    slots = KeyslotFile.load(keyslot_path(db))
    assert len(slots.recover_key(sealed, PHRASE)) == 32
    monkeypatch.setenv("CSE_SCREEN_RECOVERY_PASSPHRASE", "wrong passphrase entirely")
    code, _, err = run(capsys, *rec)
    assert code == 3 and "passphrase for the recovery key file is wrong" in err
