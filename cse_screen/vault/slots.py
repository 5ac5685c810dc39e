"""The keyslot file's format: its slots, its recovery slot, and reading them from JSON.

A password slot (``PasswordSlot``) holds, under the key Argon2id derives from its owner's
password, either the database key itself (format 1, files from 0.1) or the slot's own X25519
private key (format 2), to whose public half the database key is sealed (``slotbox.py``), so a
re-key can reseal it without the password. The same Argon2id result also opens the slot's
signing box (``signing.py``). ``keyslots.py`` holds the file these live in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cse_screen.errors import DatabaseDamaged
from cse_screen.vault import recovery, slotbox
from cse_screen.vault.kdf import SALT_BYTES, KdfParams, derive_key

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
