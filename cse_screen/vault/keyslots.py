"""Keyslots: each user's password unwraps their own copy of the one random database key.

The database is encrypted with a random 256-bit key, never with a password. Each user has a slot
in a small JSON sidecar next to the database (``<db file name>.keys``): Argon2id turns the
password into a key-encryption key, which opens an AES-256-GCM box holding the database key. The
user's name is bound into the box as associated data, so slots cannot be swapped between users.
Consequences the rest of the application relies on:

* a wrong password fails here, before the database is touched, so it is never confused with
  damage (SQLCipher cannot tell the two apart);
* changing a password rewraps one slot and leaves the database and every other slot alone;
* each slot (format 2) seals the database key to a key pair of its own (``slotbox.py``), so a
  re-key (``rekey.py``) reseals every remaining slot to a new key without anyone's password;
* the file carries an epoch, raised by every save and recorded inside the database
  (``epoch.py``): a keyslot file older than its database (one copied back) is refused;
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
from sqlalchemy.orm import Session

from cse_screen.core.passwords import require_strong_password
from cse_screen.errors import DatabaseDamaged, KeyslotConflict, UserError, WrongPassword
from cse_screen.fileowner import permission_problem
from cse_screen.storage.usernames import normalise_user
from cse_screen.vault import epoch as epochs
from cse_screen.vault import recovery, slotbox
from cse_screen.vault.atomic import atomic_write_bytes, remove_stale_temps
from cse_screen.vault.journal import finish_interrupted_restore
from cse_screen.vault.kdf import SALT_BYTES, KdfParams, current_params, derive_key
from cse_screen.vault.signing import SigningSection

FORMAT_NAME = "cse-screen-keyslots"
FORMAT_VERSION = 2
#: Versions this code reads: 1 (no epoch, slots wrap the key itself) and 2 (epoch, sealed slots).
READABLE_VERSIONS = (1, 2)
KEY_BYTES = 32
NONCE_BYTES = 12
SUFFIX = ".keys"
WRONG_CREDENTIALS = "wrong user name or password"
_CHECK_LABEL = b"cse-screen database key check v1"
_AD_LABEL = b"cse-screen keyslot v1"
_BOX_LABEL = b"cse-screen sealed slot v2"
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
    """One user's wrapped copy of the database key.

    Format 1 (``public`` is None): ``wrapped`` is the database key under the password.
    Format 2: ``wrapped`` is the slot's own X25519 private key under the password, and
    ``sealed`` the database key sealed to its public half (see ``slotbox.py``), so a re-key
    can reseal it without the password.
    """

    user: str
    params: KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes
    public: bytes | None = None
    sealed: bytes | None = None

    def associated_data(self) -> bytes:
        """What the box is bound to: the user, the KDF settings (and the slot's public key),
        so none of them can be swapped."""
        params = json.dumps(self.params.to_json(), sort_keys=True).encode("utf-8")
        parts = [_AD_LABEL, self.user.encode("utf-8"), params, self.salt]
        if self.public is not None:
            parts.append(self.public)
        return b"\x00".join(parts)

    def box_data(self) -> bytes:
        """What the sealed database key is bound to: this user and this slot's public key."""
        return b"\x00".join((_BOX_LABEL, self.user.encode("utf-8"), self.public or b""))

    @classmethod
    def seal(cls, user: str, password: str, key: bytes, params: KdfParams) -> PasswordSlot:
        return cls.seal_kek(user, password, key, params)[0]

    @classmethod
    def seal_kek(
        cls, user: str, password: str, key: bytes, params: KdfParams
    ) -> tuple[PasswordSlot, bytes]:
        """A new slot and the key Argon2id derived for it (the slot's signing box is sealed
        under that key too, so signing never costs a second Argon2id)."""
        private, public = slotbox.new_identity()
        slot = cls(user, params, os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES), b"", public)
        kek = derive_key(password, slot.salt, params)
        wrapped = AESGCM(kek).encrypt(slot.nonce, private, slot.associated_data())
        return replace(slot, wrapped=wrapped).resealed(key), kek

    def resealed(self, key: bytes) -> PasswordSlot:
        """The same slot holding ``key`` instead (for a re-key): needs no password."""
        if self.public is None:
            raise ValueError("a format 1 slot cannot be resealed without its password")
        return replace(self, sealed=slotbox.seal(self.public, key, self.box_data()))

    @property
    def legacy(self) -> bool:
        """Whether this slot predates sealed slots (upgraded at its owner's next sign-in)."""
        return self.public is None

    def open(self, password: str) -> bytes | None:
        """The database key, or None when the password is wrong (SlotDamaged when the
        password is right but the sealed key does not open)."""
        return self.open_kek(password)[0]

    def open_kek(self, password: str) -> tuple[bytes | None, bytes]:
        """(the database key or None when the password is wrong, the derived key): the
        derived key also opens the slot's signing box (``signing.py``)."""
        kek = derive_key(password, self.salt, self.params)
        try:
            inner = AESGCM(kek).decrypt(self.nonce, self.wrapped, self.associated_data())
        except InvalidTag:
            return None, kek
        if self.public is None:
            return inner, kek
        if self.sealed is None or slotbox.public_of(inner) != self.public:
            raise SlotDamaged("a keyslot's key pair does not match")
        key = slotbox.open_sealed(inner, self.sealed, self.box_data())
        if key is None:
            raise SlotDamaged("a keyslot's sealed key does not open")
        return key, kek

    def to_json(self) -> dict[str, Any]:
        body = {
            "user": self.user,
            "kdf": self.params.to_json(),
            "salt": _b64(self.salt),
            "aead": "aes-256-gcm",
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }
        if self.public is not None and self.sealed is not None:
            body["public"] = _b64(self.public)
            body["sealed"] = _b64(self.sealed)
        return {**body, "sum": slot_sum(body)}

    def weaker_than(self, params: KdfParams) -> bool:
        """Whether this slot costs a guesser less than ``params``, or cannot be resealed by a
        re-key (then it is rehashed at its owner's sign-in)."""
        mine, wanted = self.params, params
        weaker = mine.memory_kib < wanted.memory_kib or mine.time_cost < wanted.time_cost
        return weaker or self.legacy

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
        sealed = "public" in data or "sealed" in data
        return cls(
            user=user,
            params=KdfParams.from_json(data.get("kdf")),
            salt=_unb64(data.get("salt"), SALT_BYTES),
            nonce=_unb64(data.get("nonce"), NONCE_BYTES),
            wrapped=_unb64(data.get("wrapped"), KEY_BYTES + 16),
            public=_unb64(data.get("public"), slotbox.PUBLIC_BYTES) if sealed else None,
            sealed=_unb64(data.get("sealed"), slotbox.SEALED_BYTES) if sealed else None,
        )


class SlotDamaged(ValueError):
    """A slot whose password was right but whose sealed key does not open: damage, not a
    wrong password."""


@dataclass(frozen=True)
class RecoverySlot:
    """The database key wrapped to IT's public key."""

    fingerprint: str
    wrapped: bytes
    scheme: str = recovery.SCHEME
    #: IT's public key (PEM), kept since format 2 so a re-key can rewrap the slot.
    public_pem: str | None = None

    def to_json(self) -> dict[str, Any]:
        found = {
            "scheme": self.scheme,
            "fingerprint": self.fingerprint,
            "wrapped": _b64(self.wrapped),
        }
        if self.public_pem is not None:
            found["public_key"] = self.public_pem
        return found

    @classmethod
    def from_json(cls, data: Any) -> RecoverySlot:
        if not isinstance(data, dict) or data.get("scheme") != recovery.SCHEME:
            raise ValueError("unknown recovery scheme")
        fp = data.get("fingerprint")
        if not isinstance(fp, str) or len(fp) != 64:
            raise ValueError("bad fingerprint")
        pem = data.get("public_key")
        if pem is not None and not isinstance(pem, str):
            raise ValueError("bad recovery public key")
        return cls(fingerprint=fp, wrapped=_unb64(data.get("wrapped")), public_pem=pem)


@dataclass(frozen=True)
class _Parsed:
    check: str
    slots: dict[str, PasswordSlot]
    recovery: RecoverySlot | None
    epoch: int
    epoch_mac: str | None


def _damaged(path: Path, what: str) -> DatabaseDamaged:
    return DatabaseDamaged(f"the keyslot file {path} {what}; the database cannot be unlocked")


def _parse_epoch(data: dict[str, Any]) -> tuple[int, str | None]:
    found, mac = data.get("epoch", 0), data.get("epoch_mac")
    if not isinstance(found, int) or isinstance(found, bool) or found < 0:
        raise ValueError("bad epoch")
    if mac is not None and (not isinstance(mac, str) or len(mac) != 64):
        raise ValueError("bad epoch mac")
    return found, mac


def _parse(path: Path, raw: bytes) -> _Parsed:
    """Validate the whole file first: damage must never be reported as a wrong password."""
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
            raise ValueError("not a keyslot file")
        if data.get("version") not in READABLE_VERSIONS:
            raise _damaged(path, "was written by a newer or unknown version of the application")
        epoch, mac = _parse_epoch(data)
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
    return _Parsed(check, by_user, recovery_slot, epoch, mac)


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
        epoch: int = 0,
        epoch_mac: str | None = None,
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
        #: Raised by every save; the database records it (see ``epoch.py``).
        self.epoch = epoch
        #: The epoch as read, before any save of this session (what the rollback check needs:
        #: saves made at sign-in, before the database is open, must not lift an old copy).
        self.loaded_epoch = epoch
        self._epoch_mac = epoch_mac
        self._key: bytes | None = None  # known once unlocked: saving binds the epoch to it

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
        made._key = key
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
        found = _parse(path, raw)
        digest = hashlib.sha256(raw).hexdigest()
        return cls(
            path,
            found.check,
            found.slots,
            found.recovery,
            digest,
            _signing(path, raw),
            found.epoch,
            found.epoch_mac,
        )

    # -- unlocking -----------------------------------------------------------------------

    def unlock(self, user: str, password: str) -> bytes:
        """The database key for this user and password, or WrongPassword (not saying which)."""
        slot = self._slots.get(normalise_user(user))
        if slot is None:
            # Spend the same time as a real attempt, so timing does not reveal valid user names.
            PasswordSlot.seal("", password or "-", new_database_key(), current_params())
            raise WrongPassword(WRONG_CREDENTIALS)
        try:
            key, kek = slot.open_kek(password)
        except SlotDamaged:
            raise _damaged(self.path, "is damaged (a keyslot's sealed key does not open)") from None
        if key is None:
            raise WrongPassword(WRONG_CREDENTIALS)
        if not hmac.compare_digest(key_check(key), self._check):
            raise _damaged(self.path, "is damaged (a keyslot does not match the key check)")
        key = self._unlocked(key)
        self.signing.unlocked(slot.user, kek)
        return key

    def _unlocked(self, key: bytes) -> bytes:
        """Check the epoch's binding to the key just opened, and keep the key for saving."""
        if not epochs.mac_matches(key, self.epoch, self._check, self._epoch_mac):
            raise _damaged(self.path, "is damaged (its epoch was altered)")
        self._key = key
        return key

    def legacy_users(self) -> list[str]:
        """Users whose slots predate sealed slots: a re-key cannot reseal them until each has
        signed in once (which upgrades the slot)."""
        return sorted(u for u, slot in self._slots.items() if slot.legacy)

    def needs_rehash(self, user: str) -> bool:
        """Whether the user's slot was made cheaper than today's parameters, or predates
        sealed slots (then it is resealed while the password is at hand)."""
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
        key = self._unlocked(key)
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
        pem = recovery.public_pem(public_key)
        wrapped = recovery.wrap_key(public_key, key)
        self._recovery = RecoverySlot(fingerprint=fp, wrapped=wrapped, public_pem=pem)
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

    def belongs_to(self, key: bytes) -> bool:
        """Whether ``key`` is the key this file's slots hold."""
        return isinstance(key, bytes) and hmac.compare_digest(key_check(key), self._check)

    def _require_key(self, key: bytes) -> None:
        if not isinstance(key, bytes) or not hmac.compare_digest(key_check(key), self._check):
            raise ValueError("the key given is not this database's key")
        self._key = key

    # -- re-keying -----------------------------------------------------------------------

    def rekeyed(
        self,
        old_key: bytes,
        new_key: bytes,
        without: tuple[str, ...] = (),
        recovery_public_key: bytes | str | None = None,
    ) -> KeyslotFile:
        """This file for ``new_key``, one epoch on: every slot but ``without`` resealed (no
        password needed) and the recovery slot rewrapped. Nothing is written.

        The signing section comes along (the signing key does not change with the database
        key, and a slot's box is sealed under its password, which a re-key leaves alone), less
        the boxes and grants of ``without``: a leaver loses the signing key with the slot.

        Refuses, naming them, when remaining slots predate sealed slots, and when the recovery
        slot predates kept public keys and IT's public key was not given: dropping either
        silently would lock someone out of the data.
        """
        self._require_key(old_key)
        gone = {normalise_user(name) for name in without}
        kept = {u: slot for u, slot in self._slots.items() if u not in gone}
        legacy = sorted(u for u, slot in kept.items() if slot.legacy)
        if legacy:
            raise UserError(
                "the keyslots of " + ", ".join(legacy) + " were made by an older version and "
                "can be resealed only after each of them signs in once; nothing was changed"
            )
        if not kept and self._recovery is None:
            raise UserError(
                "the last user's keyslot cannot be removed: nobody could unlock the data"
            )
        made = KeyslotFile(
            self.path,
            key_check(new_key),
            {u: slot.resealed(new_key) for u, slot in kept.items()},
            self._rewrapped_recovery(new_key, recovery_public_key),
            None,
            self.signing.without(gone),
            self.epoch + 1,
        )
        made._key = new_key
        made._epoch_mac = epochs.epoch_mac(new_key, made.epoch, made._check)
        made._loaded_digest = hashlib.sha256(made.to_bytes()).hexdigest()  # as it will be written
        return made

    def _rewrapped_recovery(
        self, new_key: bytes, public_key_pem: bytes | str | None
    ) -> RecoverySlot | None:
        if self._recovery is None:
            return None
        pem = self._recovery.public_pem if public_key_pem is None else public_key_pem
        if pem is None:
            raise UserError(
                "this database's recovery slot was enrolled before its public key was kept "
                "with it; give IT's recovery public key (--recovery-public-key FILE) so it can be "
                "rewrapped; nothing was changed"
            )
        public_key = recovery.load_public_key(pem)
        if recovery.fingerprint(public_key) != self._recovery.fingerprint:
            raise UserError(
                "the recovery public key given is not the one enrolled on this database; "
                "nothing was changed"
            )
        wrapped = recovery.wrap_key(public_key, new_key)
        found = recovery.public_pem(public_key)
        return RecoverySlot(self._recovery.fingerprint, wrapped, public_pem=found)

    # -- saving --------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The file as it stands, at its present epoch."""
        return self._serialise(self.epoch, self._epoch_mac)

    def _serialise(self, epoch: int, mac: str | None) -> bytes:
        data = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "epoch": epoch,
            "epoch_mac": mac,
            "key_check": self._check,
            "slots": [self._slots[u].to_json() for u in sorted(self._slots)],
            "recovery": self._recovery.to_json() if self._recovery else None,
        }
        signing = self.signing.to_json()
        if signing is not None:  # additive: older versions ignore the field
            data["signing"] = signing
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    def save(self) -> None:
        """Write the file atomically one epoch on; refuse if another program changed it since
        it was read. The caller records the new epoch in the database (``epoch.record``)."""
        if self._key is None:
            raise ValueError("a keyslot file is saved only after it was unlocked or created")
        self._check_unchanged_on_disk()
        epoch = self.epoch + 1
        mac = epochs.epoch_mac(self._key, epoch, self._check)
        data = self._serialise(epoch, mac)
        atomic_write_bytes(self.path, data)
        self.epoch, self._epoch_mac = epoch, mac
        self._loaded_digest = hashlib.sha256(data).hexdigest()

    def record_save(self, session: Session) -> None:
        """Record this file's epoch in the database, inside the caller's transaction."""
        epochs.record(session, self.epoch)

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
            found = _parse(self.path, raw)
            if hmac.compare_digest(found.check, self._check):
                self._slots, self._recovery = dict(found.slots), found.recovery
                self.epoch, self._epoch_mac = found.epoch, found.epoch_mac
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
