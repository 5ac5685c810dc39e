"""The administrator signing key in the keyslot file: only administrators (and IT) can sign.

Anyone with a keyslot holds the database key, so nothing inside the database can tell an
administrator's change from a worker's edit of the raw file. An Ed25519 key does: its public half
is kept in the database and here, its private half is wrapped only for administrators and for
IT's recovery key, and it signs user records and the audit chain's head
(``storage/services/signatures.py``).

A grant to a user who is not signed in needs no password: each slot has a *box*, an X25519 key
pair whose private half is sealed (AES-256-GCM) under a key derived from the slot's own
Argon2id result, and a grant is the signing key encrypted to the box's public half (X25519,
HKDF-SHA-256, AES-256-GCM). Unlocking opens the box with the key Argon2id has just derived, so
signing costs two AES-GCM opens and one X25519, never another Argon2id.

The section is an additive ``"signing"`` field of the keyslot file; files without it still load,
and older versions that ignore it still open the database.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_BYTES = 12
RAW_BYTES = 32
_BOX_LABEL = b"cse-screen signing box v1"
_GRANT_LABEL = b"cse-screen signing grant v1"
_RECOVERY_LABEL = b"cse-screen signing recovery v1"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, length: int | None = None) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    data = base64.b64decode(text.encode("ascii"), validate=True)
    if length is not None and len(data) != length:
        raise ValueError("wrong length")
    return data


def _hkdf(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _raw_private(key: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    """The raw 32-byte public half, as the database and the keyslot file keep it."""
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _oaep() -> padding.OAEP:
    return padding.OAEP(
        mgf=padding.MGF1(algorithm=hashes.SHA256()),
        algorithm=hashes.SHA256(),
        label=_RECOVERY_LABEL,
    )


@dataclass(frozen=True)
class Box:
    """One slot's X25519 key pair, its private half sealed under the slot's Argon2id key."""

    public: bytes
    nonce: bytes
    wrapped: bytes

    @classmethod
    def seal(cls, user: str, kek: bytes, private: X25519PrivateKey | None = None) -> Box:
        private = private or X25519PrivateKey.generate()
        nonce = os.urandom(NONCE_BYTES)
        ad = _BOX_LABEL + b"\x00" + user.encode("utf-8")
        wrapped = AESGCM(_hkdf(kek, ad)).encrypt(nonce, _raw_private(private), ad)
        return cls(_raw_public(private.public_key()), nonce, wrapped)

    def open(self, user: str, kek: bytes) -> X25519PrivateKey | None:
        ad = _BOX_LABEL + b"\x00" + user.encode("utf-8")
        try:
            raw = AESGCM(_hkdf(kek, ad)).decrypt(self.nonce, self.wrapped, ad)
        except InvalidTag:
            return None
        private = X25519PrivateKey.from_private_bytes(raw)
        return private if _raw_public(private.public_key()) == self.public else None

    def to_json(self) -> dict[str, str]:
        return {
            "public": _b64(self.public),
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }

    @classmethod
    def from_json(cls, data: Any) -> Box:
        if not isinstance(data, dict):
            raise ValueError("bad box")
        return cls(
            _unb64(data.get("public"), RAW_BYTES),
            _unb64(data.get("nonce"), NONCE_BYTES),
            _unb64(data.get("wrapped"), RAW_BYTES + 16),
        )


@dataclass(frozen=True)
class Grant:
    """The signing key encrypted to one user's box, bound to the user and the public key."""

    ephemeral: bytes
    nonce: bytes
    wrapped: bytes

    @staticmethod
    def _key(shared: bytes, user: str, signing_public: bytes) -> tuple[bytes, bytes]:
        ad = b"\x00".join((_GRANT_LABEL, user.encode("utf-8"), signing_public))
        return _hkdf(shared, ad), ad

    @classmethod
    def make(cls, user: str, box_public: bytes, seed: bytes, signing_public: bytes) -> Grant:
        ephemeral = X25519PrivateKey.generate()
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(box_public))
        key, ad = cls._key(shared, user, signing_public)
        nonce = os.urandom(NONCE_BYTES)
        wrapped = AESGCM(key).encrypt(nonce, seed, ad)
        return cls(_raw_public(ephemeral.public_key()), nonce, wrapped)

    def open(self, user: str, box: X25519PrivateKey, signing_public: bytes) -> bytes | None:
        shared = box.exchange(X25519PublicKey.from_public_bytes(self.ephemeral))
        key, ad = self._key(shared, user, signing_public)
        try:
            return AESGCM(key).decrypt(self.nonce, self.wrapped, ad)
        except InvalidTag:
            return None

    def to_json(self) -> dict[str, str]:
        return {
            "ephemeral": _b64(self.ephemeral),
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }

    @classmethod
    def from_json(cls, data: Any) -> Grant:
        if not isinstance(data, dict):
            raise ValueError("bad grant")
        return cls(
            _unb64(data.get("ephemeral"), RAW_BYTES),
            _unb64(data.get("nonce"), NONCE_BYTES),
            _unb64(data.get("wrapped"), RAW_BYTES + 16),
        )


@dataclass
class SigningSection:
    """The keyslot file's ``"signing"`` field, and what this session has unwrapped of it."""

    public: bytes | None = None
    boxes: dict[str, Box] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    #: The signing key wrapped to IT's recovery public key (RSA-OAEP), when enrolled after it.
    recovery: bytes | None = None
    #: Box private halves opened at this session's unlock (never written).
    opened: dict[str, X25519PrivateKey] = field(default_factory=dict, repr=False)
    #: Whether a box was added at unlock and the file is worth saving.
    changed: bool = False

    # -- reading and writing -------------------------------------------------------------
    @classmethod
    def from_json(cls, data: Any) -> SigningSection:
        """Parse the field; ValueError on anything malformed (the caller reports damage)."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ValueError("bad signing section")
        try:
            public = _unb64(data["public"], RAW_BYTES) if data.get("public") else None
            boxes = {str(u): Box.from_json(b) for u, b in (data.get("boxes") or {}).items()}
            grants = {str(u): Grant.from_json(g) for u, g in (data.get("grants") or {}).items()}
            recovery = _unb64(data["recovery"]) if data.get("recovery") else None
        except (binascii.Error, AttributeError, TypeError) as exc:
            raise ValueError("bad signing section") from exc
        return cls(public, boxes, grants, recovery)

    def to_json(self) -> dict[str, Any] | None:
        if self.public is None and not self.boxes:
            return None
        return {
            "public": _b64(self.public) if self.public else None,
            "boxes": {u: self.boxes[u].to_json() for u in sorted(self.boxes)},
            "grants": {u: self.grants[u].to_json() for u in sorted(self.grants)},
            "recovery": _b64(self.recovery) if self.recovery else None,
        }

    # -- boxes follow the slots ----------------------------------------------------------
    def unlocked(self, user: str, kek: bytes) -> None:
        """Open ``user``'s box with the key just derived; a slot without one gets one."""
        box = self.boxes.get(user)
        private = box.open(user, kek) if box is not None else None
        if private is None:
            private = X25519PrivateKey.generate()
            self.boxes[user] = Box.seal(user, kek, private)
            self.grants.pop(user, None)  # a grant to a box nobody can open is worthless
            self.changed = True
        self.opened[user] = private

    def resealed(self, user: str, kek: bytes) -> None:
        """A slot sealed again (new password or salt): keep its box if this session holds it
        (the user's own change), else give it a new one, losing any grant to the old."""
        private = self.opened.get(user)
        if private is None:
            private = X25519PrivateKey.generate()
            self.grants.pop(user, None)
            self.opened[user] = private
        self.boxes[user] = Box.seal(user, kek, private)

    def without(self, users: set[str] | frozenset[str]) -> SigningSection:
        """A copy for a re-keyed file: the same signing key, boxes and grants (and the boxes
        this session opened), less those of ``users``."""
        return SigningSection(
            self.public,
            {u: b for u, b in self.boxes.items() if u not in users},
            {u: g for u, g in self.grants.items() if u not in users},
            self.recovery,
            {u: k for u, k in self.opened.items() if u not in users},
            self.changed,
        )

    def removed(self, user: str) -> None:
        self.boxes.pop(user, None)
        self.grants.pop(user, None)
        self.opened.pop(user, None)

    # -- the signing key -----------------------------------------------------------------
    def signing_key(self, user: str) -> Ed25519PrivateKey | None:
        """The private key for ``user`` if they hold a grant and unlocked this session."""
        grant, box = self.grants.get(user), self.opened.get(user)
        if grant is None or box is None or self.public is None:
            return None
        seed = grant.open(user, box, self.public)
        if seed is None:
            return None
        key = Ed25519PrivateKey.from_private_bytes(seed)
        return key if public_bytes(key) == self.public else None

    def create(self, user: str) -> Ed25519PrivateKey:
        """A new signing key, granted to ``user`` (whose box this session opened)."""
        key = Ed25519PrivateKey.generate()
        self.public = public_bytes(key)
        self.grants.clear()
        self.recovery = None
        self.grant(user, key)
        return key

    def grant(self, user: str, key: Ed25519PrivateKey) -> bool:
        """Wrap the key to ``user``'s box; False when they have none yet (never signed in
        with this version: the next administrator session after theirs grants it)."""
        box = self.boxes.get(user)
        if box is None or self.public is None:
            return False
        self.grants[user] = Grant.make(user, box.public, _raw_private(key), self.public)
        return True

    def revoke(self, user: str) -> None:
        self.grants.pop(user, None)

    def wrap_for_recovery(self, public_key: rsa.RSAPublicKey, key: Ed25519PrivateKey) -> None:
        self.recovery = public_key.encrypt(_raw_private(key), _oaep())

    def recover(self, private_key: rsa.RSAPrivateKey) -> Ed25519PrivateKey | None:
        """The signing key through IT's recovery key (None if not wrapped for it)."""
        if self.recovery is None or self.public is None:
            return None
        try:
            key = Ed25519PrivateKey.from_private_bytes(private_key.decrypt(self.recovery, _oaep()))
        except ValueError:
            return None
        return key if public_bytes(key) == self.public else None
