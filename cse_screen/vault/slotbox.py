"""Sealing a database key to a user's own public key, so a re-key needs nobody's password.

A re-key draws a new database key and must hand it to every remaining user. If a slot only
held the key wrapped under the user's password, an administrator could not rewrap it without
that password. So each slot (format 2) holds an X25519 key pair of its own: the private half is
wrapped under the password (Argon2id, AES-256-GCM, as before), and the database key is sealed
to the public half (an ephemeral X25519 exchange, HKDF-SHA256, AES-256-GCM). Sealing needs only
the public half, which is why an administrator can reseal every slot to a new key; opening needs
the private half, which only the password unwraps.

A leaver's old file holds only their own private key and the old database key: neither opens a
box sealed to someone else's public key, so they learn nothing about the new key.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PUBLIC_BYTES = 32
PRIVATE_BYTES = 32
NONCE_BYTES = 12
KEY_BYTES = 32
SEALED_BYTES = PUBLIC_BYTES + NONCE_BYTES + KEY_BYTES + 16
_INFO = b"cse-screen slot box v1\x00"
_RAW = serialization.Encoding.Raw


def new_identity() -> tuple[bytes, bytes]:
    """A fresh X25519 key pair as raw bytes: (private, public)."""
    private = X25519PrivateKey.generate()
    return private_bytes(private), public_of(private_bytes(private))


def private_bytes(private: X25519PrivateKey) -> bytes:
    return private.private_bytes(
        _RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def public_of(private: bytes) -> bytes:
    """The public half belonging to a raw private key."""
    key = X25519PrivateKey.from_private_bytes(private).public_key()
    return key.public_bytes(_RAW, serialization.PublicFormat.Raw)


def _box_key(shared: bytes, ephemeral: bytes, public: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO + ephemeral + public)
    return hkdf.derive(shared)


def seal(public: bytes, key: bytes, associated: bytes) -> bytes:
    """``key`` sealed to ``public``: ephemeral public key, nonce and AEAD box, concatenated."""
    ephemeral = X25519PrivateKey.generate()
    eph_public = public_of(private_bytes(ephemeral))
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    nonce = os.urandom(NONCE_BYTES)
    box = AESGCM(_box_key(shared, eph_public, public)).encrypt(nonce, key, associated)
    return eph_public + nonce + box


def open_sealed(private: bytes, sealed: bytes, associated: bytes) -> bytes | None:
    """The key sealed by :func:`seal`, or None when the box was not sealed to this key pair
    or was altered."""
    if len(sealed) != SEALED_BYTES or len(private) != PRIVATE_BYTES:
        return None
    eph_public, nonce = sealed[:PUBLIC_BYTES], sealed[PUBLIC_BYTES : PUBLIC_BYTES + NONCE_BYTES]
    box = sealed[PUBLIC_BYTES + NONCE_BYTES :]
    me = X25519PrivateKey.from_private_bytes(private)
    try:
        shared = me.exchange(X25519PublicKey.from_public_bytes(eph_public))
        return AESGCM(_box_key(shared, eph_public, public_of(private))).decrypt(
            nonce, box, associated
        )
    except (InvalidTag, ValueError):
        return None
