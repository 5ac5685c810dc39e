"""Keyslots: each user's password unwraps their own copy of the one random database key.

The database is encrypted with a random 256-bit key, never with a password. Each user has a slot
in a small JSON sidecar next to the database (``<db file name>.keys``): Argon2id turns the
password into a key-encryption key, which opens an AES-256-GCM box holding the database key. The
user's name is bound into the box as associated data, so slots cannot be swapped between users.
Consequences the rest of the application relies on:

* a wrong password fails here, before the database is touched, so it is never confused with
  damage (SQLCipher cannot tell the two apart);
* changing a password rewraps one slot and leaves the database and every other slot alone;
* every new password passes the one policy of :mod:`cse_screen.core.passwords` here, the one
  place all of them (set-up, users, passwords, recovery, command line, app) go through;
* an optional recovery slot wraps the same key to IT's public key (see ``recovery.py``).

The sidecar holds no personal data about children: user names, salts, parameters, boxes.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cse_screen.core.passwords import require_strong_password
from cse_screen.errors import DatabaseDamaged, KeyslotConflict, UserError, WrongPassword
from cse_screen.fileowner import permission_problem
from cse_screen.storage.usernames import normalise_user
from cse_screen.vault import recovery
from cse_screen.vault.atomic import atomic_write_bytes, remove_stale_temps
from cse_screen.vault.journal import finish_interrupted_restore
from cse_screen.vault.kdf import SALT_BYTES, KdfParams, current_params, derive_key
from cse_screen.vault.signing import SigningSection

FORMAT_NAME = "cse-screen-keyslots"
FORMAT_VERSION = 1
KEY_BYTES = 32
NONCE_BYTES = 12
SUFFIX = ".keys"
WRONG_CREDENTIALS = "wrong user name or password"
_CHECK_LABEL = b"cse-screen database key check v1"
_AD_LABEL = b"cse-screen keyslot v1"
_SUM_LABEL = b"cse-screen keyslot checksum v1\x00"


def keyslot_path(db_path: Path | str) -> Path:
    """The sidecar of a database: same folder, same name plus ``.keys``."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + SUFFIX)


def new_database_key() -> bytes:
    return os.urandom(KEY_BYTES)


def key_check(key: bytes) -> str:
    """A value that proves a key is this database's key without revealing anything about it."""
    return hmac.new(key, _CHECK_LABEL, hashlib.sha256).hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, length: int | None = None) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    data = base64.b64decode(text.encode("ascii"), validate=True)
    if length is not None and len(data) != length:
        raise ValueError("wrong length")
    return data


def slot_sum(body: dict[str, Any]) -> str:
    """A keyless checksum of one slot's fields: a flipped salt, nonce or parameter is damage
    (exit 4), told apart from a wrong password (exit 3) before any key is derived. It proves
    nothing against a forger (anyone can recompute it); the AEAD does that."""
    text = json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(_SUM_LABEL + text).hexdigest()


@dataclass(frozen=True)
class PasswordSlot:
    """One user's wrapped copy of the database key."""

    user: str
    params: KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes

    def associated_data(self) -> bytes:
        """What the box is bound to: the user and the KDF settings, so neither can be swapped."""
        params = json.dumps(self.params.to_json(), sort_keys=True).encode("utf-8")
        return b"\x00".join((_AD_LABEL, self.user.encode("utf-8"), params, self.salt))

    @classmethod
    def seal(cls, user: str, password: str, key: bytes, params: KdfParams) -> PasswordSlot:
        return cls.seal_kek(user, password, key, params)[0]

    @classmethod
    def seal_kek(
        cls, user: str, password: str, key: bytes, params: KdfParams
    ) -> tuple[PasswordSlot, bytes]:
        """A new slot and the key Argon2id derived for it (the slot's signing box is sealed
        under that key too, so signing never costs a second Argon2id)."""
        slot = cls(user, params, os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES), b"")
        kek = derive_key(password, slot.salt, params)
        wrapped = AESGCM(kek).encrypt(slot.nonce, key, slot.associated_data())
        return replace(slot, wrapped=wrapped), kek

    def open(self, password: str) -> bytes | None:
        """The database key, or None when the password is wrong."""
        return self.open_kek(password)[0]

    def open_kek(self, password: str) -> tuple[bytes | None, bytes]:
        """(the database key or None when the password is wrong, the derived key)."""
        kek = derive_key(password, self.salt, self.params)
        try:
            return AESGCM(kek).decrypt(self.nonce, self.wrapped, self.associated_data()), kek
        except InvalidTag:
            return None, kek

    def to_json(self) -> dict[str, Any]:
        body = {
            "user": self.user,
            "kdf": self.params.to_json(),
            "salt": _b64(self.salt),
            "aead": "aes-256-gcm",
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }
        return {**body, "sum": slot_sum(body)}

    def weaker_than(self, params: KdfParams) -> bool:
        """Whether this slot costs a guesser less than ``params`` (then it is rehashed)."""
        mine, wanted = self.params, params
        return mine.memory_kib < wanted.memory_kib or mine.time_cost < wanted.time_cost

    @classmethod
    def from_json(cls, data: Any) -> PasswordSlot:
        if not isinstance(data, dict) or data.get("aead") != "aes-256-gcm":
            raise ValueError("unknown slot")
        stored_sum = data.get("sum")
        if stored_sum is not None:  # files written before 0.2.0 have none; saving adds it
            body = {k: v for k, v in data.items() if k != "sum"}
            if not isinstance(stored_sum, str) or not hmac.compare_digest(
                stored_sum, slot_sum(body)
            ):
                raise ValueError("a keyslot's checksum does not match")
        user = data.get("user")
        if not isinstance(user, str) or not user:
            raise ValueError("slot without a user")
        return cls(
            user=user,
            params=KdfParams.from_json(data.get("kdf")),
            salt=_unb64(data.get("salt"), SALT_BYTES),
            nonce=_unb64(data.get("nonce"), NONCE_BYTES),
            wrapped=_unb64(data.get("wrapped"), KEY_BYTES + 16),
        )


@dataclass(frozen=True)
class RecoverySlot:
    """The database key wrapped to IT's public key."""

    fingerprint: str
    wrapped: bytes
    scheme: str = recovery.SCHEME

    def to_json(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "fingerprint": self.fingerprint,
            "wrapped": _b64(self.wrapped),
        }

    @classmethod
    def from_json(cls, data: Any) -> RecoverySlot:
        if not isinstance(data, dict) or data.get("scheme") != recovery.SCHEME:
            raise ValueError("unknown recovery scheme")
        fp = data.get("fingerprint")
        if not isinstance(fp, str) or len(fp) != 64:
            raise ValueError("bad fingerprint")
        return cls(fingerprint=fp, wrapped=_unb64(data.get("wrapped")))


def _damaged(path: Path, what: str) -> DatabaseDamaged:
    return DatabaseDamaged(f"the keyslot file {path} {what}; the database cannot be unlocked")


def _parse(path: Path, raw: bytes) -> tuple[str, dict[str, PasswordSlot], RecoverySlot | None]:
    """Validate the whole file first: damage must never be reported as a wrong password."""
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
            raise ValueError("not a keyslot file")
        if data.get("version") != FORMAT_VERSION:
            raise _damaged(path, "was written by a newer or unknown version of the application")
        check = data.get("key_check")
        if not isinstance(check, str) or len(check) != 64:
            raise ValueError("bad key check")
        if not isinstance(data.get("slots"), list):
            raise ValueError("no slots")
        slots = [PasswordSlot.from_json(item) for item in data["slots"]]
        rec = data.get("recovery")
        recovery_slot = RecoverySlot.from_json(rec) if rec is not None else None
    except (ValueError, UnicodeDecodeError, binascii.Error, TypeError, AttributeError):
        raise _damaged(path, "is damaged or is not a keyslot file") from None
    by_user = {slot.user: slot for slot in slots}
    if len(by_user) != len(slots) or not (by_user or recovery_slot):
        raise _damaged(path, "is damaged (duplicate or missing keyslots)")
    return check, by_user, recovery_slot


class KeyslotFile:
    """The sidecar file in memory. Nothing reaches the disk until :meth:`save`."""

    def __init__(
        self,
        path: Path,
        check: str,
        slots: dict[str, PasswordSlot],
        recovery_slot: RecoverySlot | None = None,
        loaded_digest: str | None = None,
        signing: SigningSection | None = None,
    ) -> None:
        self.path = Path(path)
        self._check = check
        self._slots = dict(slots)
        self._recovery = recovery_slot
        self._loaded_digest = loaded_digest
        #: The administrator signing key's section (``vault/signing.py``).
        self.signing = signing or SigningSection()
        #: The signing key IT's recovery key unwrapped, on the recovery path.
        self.recovered_signing_key: Any = None

    # -- creating and loading -------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, user: str, password: str) -> tuple[KeyslotFile, bytes]:
        """A new keyslot file with a fresh random database key and its first user's slot.

        Refuses when ``path`` exists: replacing a keyslot file would lock everyone out of the
        database it belongs to.
        """
        path = Path(path)
        if path.exists():
            raise UserError(f"the keyslot file {path} already exists; it was not overwritten")
        user = normalise_user(user)
        require_strong_password(password, (user,), user)
        key = new_database_key()
        slot, kek = PasswordSlot.seal_kek(user, password, key, current_params())
        made = cls(path, key_check(key), {user: slot})
        made.signing.unlocked(user, kek)
        return made, key

    @classmethod
    def load(cls, path: Path | str) -> KeyslotFile:
        """Read and validate a keyslot file; missing or damaged → DatabaseDamaged naming it."""
        path = Path(path)
        _finish_restore(path)
        remove_stale_temps(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise _damaged(path, "is missing") from None
        except OSError as exc:
            refused = permission_problem(exc)  # not damage: say whose it is and the fix
            raise refused or _damaged(path, "cannot be read") from None
        return cls.from_bytes(path, raw)

    @classmethod
    def from_bytes(cls, path: Path | str, raw: bytes) -> KeyslotFile:
        """Parse keyslot bytes read from ``path`` (or carried inside a backup)."""
        path = Path(path)
        check, slots, recovery_slot = _parse(path, raw)
        digest = hashlib.sha256(raw).hexdigest()
        return cls(path, check, slots, recovery_slot, digest, _signing(path, raw))

    # -- unlocking -----------------------------------------------------------------------

    def unlock(self, user: str, password: str) -> bytes:
        """The database key for this user and password, or WrongPassword (not saying which)."""
        slot = self._slots.get(normalise_user(user))
        if slot is None:
            # Spend the same time as a real attempt, so timing does not reveal valid user names.
            PasswordSlot.seal("", password or "-", new_database_key(), current_params())
            raise WrongPassword(WRONG_CREDENTIALS)
        key, kek = slot.open_kek(password)
        if key is None:
            raise WrongPassword(WRONG_CREDENTIALS)
        if not hmac.compare_digest(key_check(key), self._check):
            raise _damaged(self.path, "is damaged (a keyslot does not match the key check)")
        self.signing.unlocked(slot.user, kek)
        return key

    def needs_rehash(self, user: str) -> bool:
        """Whether the user's slot was made cheaper than today's parameters."""
        slot = self._slots.get(normalise_user(user))
        return slot is not None and slot.weaker_than(current_params())

    def rehash(self, user: str, password: str, key: bytes) -> None:
        """Reseal a weak slot under today's parameters with the password just proven right.

        Not a password change, so the policy for new passwords does not apply: an older,
        weaker password keeps working until its owner changes it."""
        self._require_key(key)
        user = normalise_user(user)
        if user not in self._slots:
            raise UserError(f"the keyslot file {self.path} has no slot for this user")
        self._seal(user, password, key)

    def recover_key(self, private_key_pem: bytes | str, passphrase: str | None = None) -> bytes:
        """The database key from the recovery slot, using IT's private key."""
        if self._recovery is None:
            raise UserError(f"the keyslot file {self.path} has no recovery slot")
        private_key = recovery.load_private_key(private_key_pem, passphrase)
        if recovery.fingerprint(private_key.public_key()) != self._recovery.fingerprint:
            raise WrongPassword("this recovery key does not belong to this database")
        try:
            key = recovery.unwrap_key(private_key, self._recovery.wrapped)
        except ValueError:
            raise _damaged(self.path, "has a damaged recovery slot") from None
        if not hmac.compare_digest(key_check(key), self._check):
            raise _damaged(self.path, "has a damaged recovery slot")
        self.recovered_signing_key = self.signing.recover(private_key)
        return key

    # -- changing slots (each needs the database key, proving the caller unlocked first) ---

    def users(self) -> list[str]:
        return sorted(self._slots)

    @property
    def digest(self) -> str | None:
        """SHA-256 of the file as last read or saved (None for one never on disk)."""
        return self._loaded_digest

    @property
    def has_recovery(self) -> bool:
        return self._recovery is not None

    @property
    def recovery_fingerprint(self) -> str | None:
        """The enrolled recovery key's fingerprint, for IT to compare with the one they kept."""
        return self._recovery.fingerprint if self._recovery else None

    def add_user(self, user: str, password: str, key: bytes) -> None:
        self._require_key(key)
        user = normalise_user(user)
        if user in self._slots:
            raise UserError(f"the keyslot file {self.path} already has a slot for this user")
        require_strong_password(password, (user,), user)
        self._seal(user, password, key)

    def set_password(self, user: str, new_password: str, key: bytes) -> None:
        """Rewrap only this user's slot, with a new salt and the current parameters."""
        self._require_key(key)
        user = normalise_user(user)
        if user not in self._slots:
            raise UserError(f"the keyslot file {self.path} has no slot for this user")
        require_strong_password(new_password, (user,), user)
        self._seal(user, new_password, key)

    def _seal(self, user: str, password: str, key: bytes) -> None:
        """Seal ``user``'s slot (and their signing box with it) under today's parameters."""
        self._slots[user], kek = PasswordSlot.seal_kek(user, password, key, current_params())
        self.signing.resealed(user, kek)

    def remove_user(self, user: str) -> None:
        """Drop a user's slot; the last way into the database can never be removed."""
        user = normalise_user(user)
        if user not in self._slots:
            raise UserError(f"the keyslot file {self.path} has no slot for this user")
        if len(self._slots) == 1 and self._recovery is None:
            raise UserError(
                "the last user's keyslot cannot be removed: nobody could unlock the data"
            )
        del self._slots[user]
        self.signing.removed(user)

    def add_recovery(self, public_key_pem: bytes | str, key: bytes) -> str:
        """Wrap the database key to IT's public key (replacing any earlier recovery slot)."""
        self._require_key(key)
        public_key = recovery.load_public_key(public_key_pem)
        fp = recovery.fingerprint(public_key)
        self._recovery = RecoverySlot(fingerprint=fp, wrapped=recovery.wrap_key(public_key, key))
        return fp

    def enrol_recovery(self, public_key_pem: bytes | str, key: bytes) -> str:
        """Enrol or replace IT's recovery slot on an existing database and save at once.

        A refused key or a failed save leaves both the file and this object with the earlier
        slot (or none), so a bad attempt never costs the recovery key IT already had.
        """
        previous = self._recovery
        fp = self.add_recovery(public_key_pem, key)
        try:
            self.save()
        except BaseException:
            self._recovery = previous
            raise
        return fp

    def _require_key(self, key: bytes) -> None:
        if not isinstance(key, bytes) or not hmac.compare_digest(key_check(key), self._check):
            raise ValueError("the key given is not this database's key")

    # -- saving --------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "key_check": self._check,
            "slots": [self._slots[u].to_json() for u in sorted(self._slots)],
            "recovery": self._recovery.to_json() if self._recovery else None,
        }
        signing = self.signing.to_json()
        if signing is not None:  # additive: older versions ignore the field
            data["signing"] = signing
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    def save(self) -> None:
        """Write the file atomically; refuse if another program changed it since it was read."""
        self._check_unchanged_on_disk()
        data = self.to_bytes()
        atomic_write_bytes(self.path, data)
        self._loaded_digest = hashlib.sha256(data).hexdigest()

    def _check_unchanged_on_disk(self) -> None:
        """Refuse to overwrite another program's change; read the file as it now is first, so
        that trying the same change again applies it to that (and does not fail until sign-out).
        """
        try:
            raw: bytes | None = self.path.read_bytes()
        except FileNotFoundError:
            raw = None
        found = hashlib.sha256(raw).hexdigest() if raw is not None else None
        if found == self._loaded_digest:
            return  # as read (or, for a new database, still not there)
        if raw is not None:
            self._adopt(raw)
        raise KeyslotConflict(
            f"the keyslot file {self.path} was changed or removed by another program since it "
            "was read; nothing was saved, please try again"
        )

    def _adopt(self, raw: bytes) -> None:
        """Take the file's slots as they now are, when it still belongs to this database (a
        file for another key, or a damaged one, is left for the next sign-in to refuse)."""
        with contextlib.suppress(UserError):
            check, slots, recovery_slot = _parse(self.path, raw)
            if hmac.compare_digest(check, self._check):
                self._slots, self._recovery = dict(slots), recovery_slot
                opened, self.signing = self.signing.opened, _signing(self.path, raw)
                self.signing.opened = {u: k for u, k in opened.items() if u in self._slots}
                self._loaded_digest = hashlib.sha256(raw).hexdigest()


def _signing(path: Path, raw: bytes) -> SigningSection:
    """The file's signing section (an empty one for files written before it existed)."""
    try:
        return SigningSection.from_json(json.loads(raw.decode("utf-8")).get("signing"))
    except (ValueError, UnicodeDecodeError):
        raise _damaged(path, "has a damaged signing section") from None


def _finish_restore(path: Path) -> None:
    """Complete a restore a kill interrupted, before anyone unlocks with a half-restored pair."""
    if path.name.endswith(SUFFIX):
        finish_interrupted_restore(path.with_name(path.name[: -len(SUFFIX)]), path)
