"""Keyslots: passwords unwrap the database key; wrong ones fail before the database is touched."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from cse_screen import errors
from cse_screen.vault import kdf
from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path, slot_sum
from cse_screen.vault.recovery import generate_recovery_keypair

OTHER_PHRASE = "another council's escrowed recovery phrase"


def _unchanged(vault):
    return {p: p.read_bytes() for p in (vault.db_path, vault.keys_path)}


def test_keyslot_path_is_beside_the_database(tmp_path):
    assert keyslot_path(tmp_path / "cse.db") == tmp_path / "cse.db.keys"


@pytest.mark.parametrize(("user", "password"), [("admin", "wrong"), ("nobody", "whatever")])
def test_wrong_password_or_unknown_user_says_the_same_and_touches_nothing(vault, h, user, password):
    vault.engine.dispose()
    before = _unchanged(vault)
    slots = KeyslotFile.load(vault.keys_path)
    with pytest.raises(errors.WrongPassword) as caught:
        slots.unlock(user, password)
    assert str(caught.value) == "wrong user name or password"
    assert caught.value.exit_code == errors.EXIT_AUTH
    assert _unchanged(vault) == before
    assert not vault.db_path.with_name("cse.db-wal").exists()
    assert slots.unlock("admin", h.password) == vault.key


PASSWORDS = [
    'it\'s "quoted"',
    "user@host/path:with:colons",
    "x'00'; DROP TABLE notes; --",
    "Ünïcødé päss – 密码 🔑",
    "  surrounding spaces  ",
    "éß" * 150,
]


@pytest.mark.parametrize("password", PASSWORDS)
def test_awkward_passwords_round_trip_through_a_real_database(tmp_path, h, password):
    made = h.make_vault(tmp_path / "cse.db", password=password)
    made.engine.dispose()
    key = KeyslotFile.load(made.keys_path).unlock("admin", password)
    engine = open_engine(made.db_path, key)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT text FROM notes").scalar() == h.canary
    engine.dispose()


def test_nfc_and_nfd_forms_of_the_same_password_both_unlock(tmp_path, h):
    password = "Zoë café naïve Ångström"
    nfd = unicodedata.normalize("NFD", password)
    assert nfd != password
    made = h.make_vault(tmp_path / "cse.db", password=nfd)
    slots = KeyslotFile.load(made.keys_path)
    assert slots.unlock("admin", password) == made.key
    assert slots.unlock("admin", nfd) == made.key
    made.engine.dispose()


def test_user_names_are_normalised_too(tmp_path, h):
    made = h.make_vault(tmp_path / "cse.db", user=unicodedata.normalize("NFD", "zoë"))
    assert KeyslotFile.load(made.keys_path).unlock("zoë", h.password) == made.key
    made.engine.dispose()


def test_changing_a_password_rewraps_only_that_slot(vault, h):
    slots = KeyslotFile.load(vault.keys_path)
    slots.add_user("worker", "stone ferry lantern", vault.key)
    slots.save()
    before = {s["user"]: s for s in json.loads(vault.keys_path.read_text())["slots"]}
    slots = KeyslotFile.load(vault.keys_path)
    slots.set_password("admin", "new copper kettle 9", vault.key)
    slots.save()
    after = {s["user"]: s for s in json.loads(vault.keys_path.read_text())["slots"]}
    assert after["worker"] == before["worker"]
    assert after["admin"]["salt"] != before["admin"]["salt"]
    reloaded = KeyslotFile.load(vault.keys_path)
    with pytest.raises(errors.WrongPassword):
        reloaded.unlock("admin", h.password)
    assert reloaded.unlock("admin", "new copper kettle 9") == vault.key
    assert reloaded.unlock("worker", "stone ferry lantern") == vault.key


def test_slots_cannot_be_swapped_between_users(vault):
    slots = KeyslotFile.load(vault.keys_path)
    slots.add_user("worker", "stone ferry lantern", vault.key)
    slots.save()
    data = json.loads(vault.keys_path.read_text())
    data["slots"][0]["user"], data["slots"][1]["user"] = (
        data["slots"][1]["user"],
        data["slots"][0]["user"],
    )
    vault.keys_path.write_text(json.dumps(data))
    with pytest.raises(errors.DatabaseDamaged):  # the slots' checksums no longer match
        KeyslotFile.load(vault.keys_path)
    for slot in data["slots"]:  # a deliberate swap recomputes them: the AEAD still refuses
        slot["sum"] = slot_sum({k: v for k, v in slot.items() if k != "sum"})
    vault.keys_path.write_text(json.dumps(data))
    swapped = KeyslotFile.load(vault.keys_path)
    with pytest.raises(errors.WrongPassword):
        swapped.unlock("worker", "stone ferry lantern")


def test_missing_keyslot_file_is_damage_naming_it(vault):
    vault.keys_path.unlink()
    with pytest.raises(errors.DatabaseDamaged, match=re.escape(str(vault.keys_path))) as caught:
        KeyslotFile.load(vault.keys_path)
    assert "missing" in str(caught.value)
    assert caught.value.exit_code == errors.EXIT_DAMAGED


def _mutations():
    def truncate(text):
        return text[: len(text) // 2]

    def bad_base64(text):
        data = json.loads(text)
        data["slots"][0]["salt"] = "***"
        return json.dumps(data)

    def huge_memory(text):
        data = json.loads(text)
        data["slots"][0]["kdf"]["memory_kib"] = 2**40
        return json.dumps(data)

    def future_version(text):
        data = json.loads(text)
        data["version"] = 99
        return json.dumps(data)

    def no_slots(text):
        data = json.loads(text)
        data["slots"] = []
        return json.dumps(data)

    return {
        "garbage": lambda _t: "\x00\xff not json",
        "truncated": truncate,
        "bad_base64": bad_base64,
        "huge_memory": huge_memory,
        "future_version": future_version,
        "no_slots": no_slots,
        "a_list": lambda _t: "[]",
    }


@pytest.mark.parametrize("name", sorted(_mutations()))
def test_damaged_keyslot_file_is_damage_not_a_wrong_password(vault, name):
    vault.keys_path.write_text(_mutations()[name](vault.keys_path.read_text()), errors="ignore")
    with pytest.raises(errors.DatabaseDamaged, match=re.escape(str(vault.keys_path))):
        KeyslotFile.load(vault.keys_path)


def test_create_refuses_an_existing_keyslot_file(vault):
    before = vault.keys_path.read_bytes()
    with pytest.raises(errors.UserError, match="already exists"):
        KeyslotFile.create(vault.keys_path, "admin", "x")
    assert vault.keys_path.read_bytes() == before


def test_save_refuses_when_another_program_changed_the_file(vault):
    mine = KeyslotFile.load(vault.keys_path)
    theirs = KeyslotFile.load(vault.keys_path)
    theirs.add_user("worker", "willow quarry tide", vault.key)
    theirs.save()
    mine.add_user("lead", "lamp harbour seven", vault.key)
    with pytest.raises(errors.UserError, match="changed or removed by another program"):
        mine.save()
    assert KeyslotFile.load(vault.keys_path).users() == ["admin", "worker"]


def test_the_last_way_in_cannot_be_removed(vault):
    slots = KeyslotFile.load(vault.keys_path)
    with pytest.raises(errors.UserError, match="last user"):
        slots.remove_user("admin")
    slots.add_user("worker", "willow quarry tide", vault.key)
    slots.remove_user("admin")
    assert slots.users() == ["worker"]


def test_slot_changes_require_the_database_key(vault):
    slots = KeyslotFile.load(vault.keys_path)
    with pytest.raises(ValueError):
        slots.add_user("worker", "willow quarry tide", bytes(32))


def test_each_slot_keeps_its_own_kdf_parameters(vault, h, monkeypatch):
    stronger = kdf.KdfParams(time_cost=2, memory_kib=2048, parallelism=1)
    monkeypatch.setattr(kdf, "TEST_PARAMS", stronger)
    slots = KeyslotFile.load(vault.keys_path)
    slots.add_user("worker", "willow quarry tide", vault.key)
    slots.save()
    stored = {s["user"]: s["kdf"] for s in json.loads(vault.keys_path.read_text())["slots"]}
    assert stored["worker"]["memory_kib"] == 2048
    assert stored["admin"]["memory_kib"] == 1024
    reloaded = KeyslotFile.load(vault.keys_path)
    assert (
        reloaded.unlock("admin", h.password)
        == reloaded.unlock("worker", "willow quarry tide")
        == vault.key
    )


def test_default_kdf_cost_meets_owasp_and_tests_use_cheap_settings(monkeypatch):
    assert kdf.current_params() == kdf.TEST_PARAMS
    monkeypatch.delenv("CSE_SCREEN_KDF")
    params = kdf.current_params()
    assert params == kdf.DEFAULT_PARAMS
    assert params.memory_kib >= 19 * 1024 and params.time_cost >= 2


def test_out_of_memory_during_key_derivation_is_a_sentence(run_child):
    result = run_child(
        """
import resource
from cse_screen.errors import UserError
from cse_screen.vault.kdf import DEFAULT_PARAMS, derive_key
resource.setrlimit(resource.RLIMIT_AS, (200 * 1024 * 1024, 200 * 1024 * 1024))
try:
    derive_key("pw", bytes(16), DEFAULT_PARAMS)
except UserError as exc:
    print("USER:", exc)
"""
    )
    assert "USER: there is not enough free memory (256 MiB) to check the password" in (
        result.stdout
    ), result.stderr


def test_keyslot_file_holds_no_password_or_key(vault, h):
    text = vault.keys_path.read_bytes()
    assert h.password.encode() not in text
    assert vault.key not in text and vault.key.hex().encode() not in text


@pytest.fixture(scope="module")
def it_keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("it")
    generate_recovery_keypair(
        folder / "private.pem", folder / "public.pem", "it keeps this phrase in the key safe"
    )
    return folder


def test_recovery_slot_unwraps_the_key_with_it_private_key(vault, it_keys):
    slots = KeyslotFile.load(vault.keys_path)
    slots.add_recovery((it_keys / "public.pem").read_bytes(), vault.key)
    slots.save()
    reloaded = KeyslotFile.load(vault.keys_path)
    assert reloaded.has_recovery
    private = (it_keys / "private.pem").read_bytes()
    assert reloaded.recover_key(private, "it keeps this phrase in the key safe") == vault.key
    with pytest.raises(errors.WrongPassword, match="passphrase"):
        reloaded.recover_key(private, "wrong")
    with pytest.raises(errors.WrongPassword, match="needs its passphrase"):
        reloaded.recover_key(private)


def test_recovery_with_another_key_or_no_slot_is_refused(vault, it_keys, tmp_path):
    slots = KeyslotFile.load(vault.keys_path)
    private = (it_keys / "private.pem").read_bytes()
    with pytest.raises(errors.UserError, match="no recovery slot"):
        slots.recover_key(private, "it keeps this phrase in the key safe")
    generate_recovery_keypair(tmp_path / "other.pem", tmp_path / "other.pub", OTHER_PHRASE)
    slots.add_recovery((tmp_path / "other.pub").read_bytes(), vault.key)
    with pytest.raises(errors.WrongPassword, match="does not belong"):
        slots.recover_key(private, "it keeps this phrase in the key safe")
    with pytest.raises(errors.UserError, match="not a PEM"):
        slots.recover_key(b"not a key", "x")


def test_recovery_public_key_must_be_strong_rsa(vault):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    pem = weak.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    slots = KeyslotFile.load(vault.keys_path)
    with pytest.raises(errors.UserError, match="at least 3072 bits"):
        slots.add_recovery(pem, vault.key)
    with pytest.raises(errors.UserError, match="not a PEM public key"):
        slots.add_recovery(b"garbage", vault.key)


def test_keypair_generation_protects_and_never_overwrites(tmp_path):
    private, public = tmp_path / "p.pem", tmp_path / "p.pub"
    generate_recovery_keypair(private, public, OTHER_PHRASE)
    assert b"BEGIN CSE-SCREEN RECOVERY PRIVATE KEY" in private.read_bytes()
    assert b"PRIVATE KEY-----\nMII" not in private.read_bytes()
    assert private.stat().st_mode & 0o777 == 0o600
    before = private.read_bytes()
    with pytest.raises(errors.UserError, match="already exists"):
        generate_recovery_keypair(private, tmp_path / "q.pub", OTHER_PHRASE)
    with pytest.raises(errors.UserError, match="passphrase is refused"):
        generate_recovery_keypair(tmp_path / "r.pem", tmp_path / "r.pub", "")
    assert private.read_bytes() == before


def test_no_environment_variable_weakens_the_kdf_in_an_installed_build(monkeypatch):
    """CSE_SCREEN_KDF=test is for the suite run from source; a frozen (PyInstaller) build
    always makes new keyslots, and the recovery key file, at full cost."""
    import sys

    assert kdf.current_params() == kdf.TEST_PARAMS
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert kdf.current_params() == kdf.DEFAULT_PARAMS
    assert kdf.recovery_params() == kdf.DEFAULT_PARAMS


def _flip_b64(text: str) -> str:
    """The same base64 length, one character different: still decodes, no longer the same."""
    return ("B" if text[0] == "A" else "A") + text[1:]


@pytest.mark.parametrize("field", ["salt", "nonce", "wrapped"])
def test_a_flipped_slot_field_is_damage_exit_4_not_a_wrong_password(
    vault, h, field, capsys, monkeypatch
):
    """Before, a flipped salt or nonce passed parsing and failed the AEAD as a 'wrong
    password' (exit 3); the slot's checksum now says damage (exit 4)."""
    data = json.loads(vault.keys_path.read_text())
    data["slots"][0][field] = _flip_b64(data["slots"][0][field])
    vault.keys_path.write_text(json.dumps(data))
    vault.engine.dispose()
    with pytest.raises(errors.DatabaseDamaged, match="damaged"):
        KeyslotFile.load(vault.keys_path).unlock("admin", h.password)
    from cse_screen.cli import main

    monkeypatch.setenv("CSE_SCREEN_PASSWORD", h.password)
    code = main(["stats", "--db", str(vault.db_path), "--user", "admin", "--json"])
    assert code == 4 and "damaged" in capsys.readouterr().err


def test_a_file_without_checksums_still_opens_and_gains_them_when_saved(vault, h):
    data = json.loads(vault.keys_path.read_text())
    for slot in data["slots"]:
        assert len(slot.pop("sum")) == 64
    vault.keys_path.write_text(json.dumps(data))
    slots = KeyslotFile.load(vault.keys_path)
    assert slots.unlock("admin", h.password) == vault.key
    slots.add_user("worker", "willow quarry tide", vault.key)
    slots.save()
    assert all("sum" in s for s in json.loads(vault.keys_path.read_text())["slots"])


@pytest.mark.parametrize(
    ("name", "value"),
    [("memory_kib", 4 * 1024 * 1024), ("time_cost", 64), ("memory_kib", 8), ("parallelism", 16)],
)
def test_loaded_kdf_parameters_have_a_floor_and_a_ceiling(vault, name, value):
    """A slot edited to 4 GiB took over a minute to unlock; one edited to 8 KiB cost nothing."""
    data = json.loads(vault.keys_path.read_text())
    data["slots"][0]["kdf"][name] = value
    data["slots"][0].pop("sum")  # a deliberate edit, not damage the checksum would catch
    vault.keys_path.write_text(json.dumps(data))
    with pytest.raises(errors.DatabaseDamaged):
        KeyslotFile.load(vault.keys_path)


def test_a_weak_slot_is_rehashed_on_unlock(tmp_path, h, monkeypatch):
    from cse_screen.vault.store import Store

    db = tmp_path / "store.db"
    Store.create(db, "admin", h.password).close()
    stronger = kdf.KdfParams(time_cost=2, memory_kib=2048, parallelism=1)
    monkeypatch.setattr(kdf, "TEST_PARAMS", stronger)
    keys = keyslot_path(db)
    assert KeyslotFile.load(keys).needs_rehash("admin")
    with Store.open(db, "admin", h.password):
        pass
    stored = json.loads(keys.read_text())["slots"][0]["kdf"]
    assert (stored["time_cost"], stored["memory_kib"]) == (2, 2048)
    assert not KeyslotFile.load(keys).needs_rehash("admin")
