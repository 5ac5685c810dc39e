"""IT's recovery private key on disk, sealed with Argon2id like the keyslots.

The recovery private key opens every database it is enrolled in, so its file must cost a
guesser as much as a keyslot does. PKCS#8's encrypted PEM (what ``cryptography`` writes by
default) derives its key with 2,048 rounds of PBKDF2: cheap to guess on a graphics card. This
format seals the unencrypted PKCS#8 DER in AES-256-GCM under an Argon2id key of the passphrase,
with the parameters and salt bound in as associated data:

    -----BEGIN CSE-SCREEN RECOVERY PRIVATE KEY-----
    base64 of {"format", "version", "kdf", "salt", "nonce", "sealed"}
    -----END CSE-SCREEN RECOVERY PRIVATE KEY-----

Older PKCS#8 files are still read (:func:`cse_screen.vault.recovery.load_private_key`);
``cse-screen recovery upgrade-key`` rewrites one in this format.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cse_screen.errors import UserError, WrongPassword
from cse_screen.vault.kdf import SALT_BYTES, KdfParams, derive_key, recovery_params

BEGIN = b"-----BEGIN CSE-SCREEN RECOVERY PRIVATE KEY-----"
END = b"-----END CSE-SCREEN RECOVERY PRIVATE KEY-----"
FORMAT_NAME = "cse-screen-recovery-key"
FORMAT_VERSION = 1
NONCE_BYTES = 12
_AD_LABEL = b"cse-screen recovery private key v1"


def is_sealed(pem: bytes) -> bool:
    """Whether ``pem`` is in this format (else it may be an older PKCS#8 file)."""
    return pem.lstrip().startswith(BEGIN)


def _associated(params: KdfParams, salt: bytes) -> bytes:
    text = json.dumps(params.to_json(), sort_keys=True).encode("utf-8")
    return b"\x00".join((_AD_LABEL, text, salt))


def seal(key: rsa.RSAPrivateKey, passphrase: str) -> bytes:
    """The private key as a sealed file's bytes."""
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    params = recovery_params()
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    kek = derive_key(passphrase, salt, params)
    sealed = AESGCM(kek).encrypt(nonce, der, _associated(params, salt))
    body = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "kdf": params.to_json(),
        "salt": base64.b64encode(salt).decode("ascii"),
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "sealed": base64.b64encode(sealed).decode("ascii"),
    }
    encoded = base64.encodebytes(json.dumps(body, sort_keys=True).encode("utf-8"))
    return BEGIN + b"\n" + encoded + END + b"\n"


def _parse(pem: bytes) -> tuple[KdfParams, bytes, bytes, bytes]:
    try:
        inner = pem.strip()[len(BEGIN) :]
        if not inner.rstrip().endswith(END):
            raise ValueError("no end line")
        inner = inner.rstrip()[: -len(END)]
        data: Any = json.loads(base64.decodebytes(inner).decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
            raise ValueError("not a recovery key")
        if data.get("version") != FORMAT_VERSION:
            raise UserError("the recovery key file was written by a newer version of cse-screen")
        params = KdfParams.from_json(data.get("kdf"))
        fields = [base64.b64decode(str(data.get(k)), validate=True) for k in ("salt", "nonce")]
        sealed = base64.b64decode(str(data.get("sealed")), validate=True)
    except (ValueError, binascii.Error, UnicodeDecodeError, TypeError) as exc:
        raise UserError("the recovery key file is damaged or not a recovery key") from exc
    if len(fields[0]) != SALT_BYTES or len(fields[1]) != NONCE_BYTES:
        raise UserError("the recovery key file is damaged or not a recovery key")
    return params, fields[0], fields[1], sealed


def open_sealed(pem: bytes, passphrase: str | None) -> rsa.RSAPrivateKey:
    """The private key from a sealed file; a wrong passphrase is WrongPassword (exit 3)."""
    params, salt, nonce, sealed = _parse(pem)
    if not passphrase:
        raise WrongPassword("the recovery key file needs its passphrase")
    kek = derive_key(passphrase, salt, params)
    try:
        der = AESGCM(kek).decrypt(nonce, sealed, _associated(params, salt))
    except InvalidTag:
        raise WrongPassword("the passphrase for the recovery key file is wrong") from None
    key = serialization.load_der_private_key(der, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise UserError("the recovery key file does not hold an RSA private key")
    return key
