"""The administrator signing key in the keyslot file: who can unwrap it, at what cost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cse_screen.vault import slots as slots_module  # where the slots derive their keys
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path
from cse_screen.vault.recovery import generate_recovery_keypair
from cse_screen.vault.signing import public_bytes
from cse_screen.vault.store import Store

PASSWORD = 'correct "horse" battery @/: staple'
PASSPHRASE = "a long recovery passphrase kept in the council key safe 4417"


def test_unlock_derives_one_key_and_the_signing_key_needs_no_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Unlock speed: signing costs AES-GCM opens and one X25519, never another Argon2id."""
    Store.create(tmp_path / "cse.db", "ada", PASSWORD).close()
    slots = KeyslotFile.load(keyslot_path(tmp_path / "cse.db"))
    calls: list[int] = []
    real = slots_module.derive_key
    monkeypatch.setattr(
        slots_module,
        "derive_key",
        lambda *a: calls.append(1) or real(*a),  # type: ignore[func-returns-value]
    )
    slots.unlock("ada", PASSWORD)
    key = slots.signing.signing_key("ada")
    assert len(calls) == 1
    assert key is not None and public_bytes(key) == slots.signing.public


def test_the_file_holds_the_public_half_and_no_private_key_in_the_clear(tmp_path: Path):
    Store.create(tmp_path / "cse.db", "ada", PASSWORD).close()
    slots = KeyslotFile.load(keyslot_path(tmp_path / "cse.db"))
    slots.unlock("ada", PASSWORD)
    key = slots.signing.signing_key("ada")
    assert key is not None
    from cryptography.hazmat.primitives import serialization

    seed = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    raw = keyslot_path(tmp_path / "cse.db").read_bytes()
    assert seed not in raw and seed.hex().encode() not in raw
    import base64

    assert base64.b64encode(seed) not in raw
    section = json.loads(raw)["signing"]
    assert set(section) == {"public", "boxes", "grants", "recovery"}
    assert set(section["grants"]) == {"ada"}


def test_a_worker_slot_cannot_open_the_signing_key(tmp_path: Path):
    with Store.create(tmp_path / "cse.db", "ada", PASSWORD) as admin:
        admin.users.add("wes", PASSWORD, "worker")
    slots = KeyslotFile.load(keyslot_path(tmp_path / "cse.db"))
    slots.unlock("wes", PASSWORD)
    assert slots.signing.signing_key("wes") is None
    assert "wes" in slots.signing.boxes and "wes" not in slots.signing.grants


def test_the_recovery_key_can_sign_for_a_recovered_administrator(tmp_path: Path):
    private, public = tmp_path / "it.key", tmp_path / "it.pub"
    generate_recovery_keypair(private, public, PASSPHRASE)
    db = tmp_path / "cse.db"
    Store.create(db, "ada", PASSWORD, recovery_public_key=public.read_bytes()).close()
    new_password = "a different horse battery staple 9!"
    with Store.recover(db, "ada", private.read_bytes(), PASSPHRASE, new_password) as admin:
        assert admin.context.signer is not None
        admin.users.add("wes", PASSWORD, "worker")  # a signed change
    with Store.open(db, "ada", new_password) as admin:
        assert admin.context.signer is not None  # the new slot was granted the key
        assert admin.verify().ok


def test_a_recovery_key_enrolled_later_by_an_administrator_can_sign_too(tmp_path: Path):
    private, public = tmp_path / "it.key", tmp_path / "it.pub"
    generate_recovery_keypair(private, public, PASSPHRASE)
    db = tmp_path / "cse.db"
    with Store.create(db, "ada", PASSWORD) as admin:
        admin.users.add("wes", PASSWORD, "worker")
    assert KeyslotFile.load(keyslot_path(db)).signing.recovery is None
    with Store.open(db, "ada", PASSWORD) as admin:
        admin.enrol_recovery(public.read_bytes())
    assert KeyslotFile.load(keyslot_path(db)).signing.recovery is not None
    new_password = "a different horse battery staple 9!"
    with Store.recover(db, "ada", private.read_bytes(), PASSPHRASE, new_password) as admin:
        assert admin.context.signer is not None
    with Store.recover(db, "wes", private.read_bytes(), PASSPHRASE, new_password) as worker:
        assert worker.context.signer is None  # a worker's recovery gives them no key
