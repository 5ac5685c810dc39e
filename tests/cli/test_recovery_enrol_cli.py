"""`cse-screen recovery enrol`: IT's recovery key added to (or replaced on) an existing database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_run import run
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cse_screen.cli import main
from cse_screen.errors import UserError
from cse_screen.vault.keyslots import keyslot_path
from cse_screen.vault.recovery import generate_recovery_keypair
from cse_screen.vault.store import Store

PASSWORD = 'first "pass" @/:'
NEW = "second pässword"
PASSPHRASE = "it keeps this phrase in the key safe"


@dataclass(frozen=True)
class KeyPair:
    private: Path
    public: Path
    fingerprint: str


@pytest.fixture(scope="session")
def it_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[KeyPair, KeyPair]:
    """Two key pairs (the current one and its replacement), made once: RSA keygen is slow."""
    folder = tmp_path_factory.mktemp("it-keys")
    pairs = []
    for name in ("first", "second"):
        private, public = folder / f"{name}.key", folder / f"{name}.pub"
        pairs.append(
            KeyPair(private, public, generate_recovery_keypair(private, public, PASSPHRASE))
        )
    return pairs[0], pairs[1]


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSWORD", NEW)
    monkeypatch.setenv("CSE_SCREEN_RECOVERY_PASSPHRASE", PASSPHRASE)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database made without a recovery key, with a worker and a lead besides the admin."""
    path = tmp_path / "cse.db"
    with Store.create(path, "admin", PASSWORD, full_name="A") as admin:
        admin.users.add("wes", PASSWORD, "worker", team="North")
        admin.users.add("lena", PASSWORD, "lead", team="North")
        assert not admin.keyslots.has_recovery
    return path


def enrol(capsys, db: Path, user: str, key: Path) -> tuple[int, str, str]:
    return run(
        capsys, "recovery", "enrol", "--db", str(db), "--user", user, "--recovery-key", str(key)
    )


def recover(capsys, db: Path, user: str, key: Path) -> tuple[int, str, str]:
    return run(
        capsys, "recovery", "recover", "--db", str(db), "--user", user, "--private-key", str(key)
    )


def test_enrol_on_an_existing_database_then_recover_a_forgotten_password(
    db: Path, capsys, monkeypatch, it_keys
):
    first, _ = it_keys
    assert recover(capsys, db, "wes", first.private)[0] == 1  # no recovery slot yet
    code, out, err = enrol(capsys, db, "admin", first.public)
    assert code == 0 and err == ""
    assert "enrolled the IT recovery key" in out and first.fingerprint in out
    with Store.open(db, "admin", PASSWORD) as admin:
        assert admin.keyslots.recovery_fingerprint == first.fingerprint
        changes = admin.audit.entries(limit=5, action="change")
        assert changes[0].actor == "admin" and changes[0].entity == "database"
        assert changes[0].detail == {"recovery_key": [None, first.fingerprint]}
        assert admin.verify().ok

    code, out, _ = recover(capsys, db, "wes", first.private)  # wes forgot their password
    assert code == 0 and "new password was set for user 'wes'" in out
    assert run(capsys, "stats", "--db", str(db), "--user", "wes")[0] == 3  # the old one is gone
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", NEW)
    assert run(capsys, "stats", "--db", str(db), "--user", "wes")[0] == 0
    with Store.open(db, "wes", NEW) as wes:
        assert wes.user.role == "worker"


def test_replacing_the_key_retires_the_old_one(db: Path, capsys, it_keys):
    first, second = it_keys
    assert enrol(capsys, db, "admin", first.public)[0] == 0
    code, out, _ = enrol(capsys, db, "admin", second.public)
    assert code == 0 and "replaced" in out
    assert first.fingerprint in out and second.fingerprint in out
    code, _, err = recover(capsys, db, "admin", first.private)
    assert code == 3 and "does not belong to this database" in err
    assert recover(capsys, db, "admin", second.private)[0] == 0


@pytest.mark.parametrize("user", ["wes", "lena"])
def test_a_worker_or_lead_is_refused_and_nothing_changes(db: Path, capsys, it_keys, user: str):
    first, _ = it_keys
    slots = keyslot_path(db)
    before = slots.read_bytes()
    code, out, err = enrol(capsys, db, user, first.public)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "may not enrol the IT recovery key" in err
    assert "Traceback" not in err
    assert slots.read_bytes() == before
    with Store.open(db, "admin", PASSWORD) as admin:
        denied = admin.audit.entries(limit=10, action="denied")
        assert denied and denied[0].actor == user
        assert not admin.audit.entries(limit=10, action="change")


def _small_rsa_key(path: Path) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return path


def test_a_file_that_is_not_a_recovery_public_key_is_refused_and_nothing_changes(
    db: Path, capsys, tmp_path: Path, it_keys
):
    first, second = it_keys
    assert enrol(capsys, db, "admin", first.public)[0] == 0  # refusals must keep this one
    slots = keyslot_path(db)
    before = slots.read_bytes()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a key at all\n")
    garbage = tmp_path / "garbage.pub"
    garbage.write_bytes(bytes(range(256)) * 4)
    refused = {
        notes: "is not a PEM public key",
        garbage: "is not a PEM public key",
        second.private: "is not a PEM public key",  # the private half given by mistake
        _small_rsa_key(tmp_path / "weak.pub"): "must be an RSA key of at least 3072 bits",
    }
    for path, reason in refused.items():
        code, out, err = enrol(capsys, db, "admin", path)
        assert code == 1 and out == "", path
        assert err.count("\n") == 1 and "Traceback" not in err
        assert f"the file {path} {reason}" in err and "nothing was changed" in err
        assert slots.read_bytes() == before
    code, _, err = enrol(capsys, db, "admin", tmp_path / "missing.pub")
    assert code == 1 and "does not exist" in err
    assert slots.read_bytes() == before
    assert recover(capsys, db, "admin", first.private)[0] == 0  # the enrolled key still works


def test_the_service_refuses_a_non_key_itself_and_keeps_the_file(db: Path):
    with Store.open(db, "admin", PASSWORD) as admin:
        before = keyslot_path(db).read_bytes()
        with pytest.raises(UserError, match="not a PEM public key"):
            admin.enrol_recovery(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
        assert keyslot_path(db).read_bytes() == before
        assert not admin.keyslots.has_recovery
        assert not admin.audit.entries(limit=10, action="change")


def test_a_failed_save_keeps_the_earlier_slot_and_writes_no_audit_entry(db: Path, it_keys):
    first, second = it_keys
    with Store.open(db, "admin", PASSWORD) as admin:
        admin.enrol_recovery(first.public.read_bytes())
        slots = keyslot_path(db)
        slots.write_bytes(slots.read_bytes() + b"\n")  # another program touched the file
        changed = slots.read_bytes()
        with pytest.raises(UserError, match="changed or removed by another program"):
            admin.enrol_recovery(second.public.read_bytes())
        assert admin.keyslots.recovery_fingerprint == first.fingerprint
        assert slots.read_bytes() == changed
        assert len(admin.audit.entries(limit=10, action="change")) == 1


def test_help_names_the_enrol_command(capsys):
    with pytest.raises(SystemExit):
        main(["recovery", "--help"])
    assert "recovery enrol --db PATH --user ADMIN" in capsys.readouterr().out
