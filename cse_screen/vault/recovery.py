"""IT's recovery key: the database key wrapped to a public key whose private half IT keeps.

A forgotten password must not cost the children's records (there is no server copy). At set-up
the database key is encrypted to IT's RSA public key with OAEP (SHA-256); only the holder of the
private key, itself protected by a long passphrase through Argon2id (``recovery_file.py``), can
unwrap it and set a new password. RSA-OAEP
was chosen over X25519 because IT departments can create, inspect and escrow such keys with the
tools they already have (``openssl genpkey``), as well as with :func:`generate_recovery_keypair`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from cse_screen.core.passwords import require_strong_passphrase
from cse_screen.errors import UserError, WrongPassword
from cse_screen.vault import recovery_file
from cse_screen.vault.atomic import PRIVATE_FILE_MODE, PUBLIC_FILE_MODE, atomic_write_bytes

SCHEME = "rsa-oaep-sha256"
KEY_BITS = 3072
MIN_KEY_BITS = 3072
_LABEL = b"cse-screen recovery slot v1"


def _oaep() -> padding.OAEP:
    return padding.OAEP(
        mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=_LABEL
    )


def _as_bytes(pem: bytes | str) -> bytes:
    return pem.encode("ascii", "replace") if isinstance(pem, str) else bytes(pem)


def load_public_key(
    public_key_pem: bytes | str, what: str = "the recovery public key"
) -> rsa.RSAPublicKey:
    """IT's public key, refusing anything but an RSA key of at least 3072 bits.

    ``what`` names the key in the refusal (e.g. the file it came from), so the one sentence
    the user reads says where the problem is.
    """
    try:
        key = serialization.load_pem_public_key(_as_bytes(public_key_pem))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise UserError(f"{what} is not a PEM public key") from None
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < MIN_KEY_BITS:
        raise UserError(f"{what} must be an RSA key of at least {MIN_KEY_BITS} bits")
    return key


def fingerprint(public_key: rsa.RSAPublicKey) -> str:
    """SHA-256 of the public key (SubjectPublicKeyInfo DER), so a mismatched key is named early."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def public_pem(public_key: rsa.RSAPublicKey) -> str:
    """The public key as PEM text, kept in the recovery slot so a re-key can rewrap it."""
    pem = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode("ascii")


def wrap_key(public_key: rsa.RSAPublicKey, key: bytes) -> bytes:
    return public_key.encrypt(key, _oaep())


def load_private_key(private_key_pem: bytes | str, passphrase: str | None) -> rsa.RSAPrivateKey:
    """IT's private key; a wrong or missing passphrase is a WrongPassword, not a crash.

    Reads the Argon2id-sealed format written since 0.2.0 and, so that no escrowed key is
    stranded, the PKCS#8 PEM files written before it (``recovery upgrade-key`` reseals those).
    """
    if recovery_file.is_sealed(_as_bytes(private_key_pem)):
        return recovery_file.open_sealed(_as_bytes(private_key_pem), passphrase)
    secret = passphrase.encode("utf-8") if passphrase else None
    try:
        key = serialization.load_pem_private_key(_as_bytes(private_key_pem), password=secret)
    except TypeError:
        if secret is None:
            raise WrongPassword("the recovery key file needs its passphrase") from None
        raise UserError("the recovery key file is not protected by a passphrase") from None
    except ValueError as exc:
        if secret is not None and "password" in str(exc).lower():
            raise WrongPassword("the passphrase for the recovery key file is wrong") from None
        if secret is not None and "decrypt" in str(exc).lower():
            raise WrongPassword("the passphrase for the recovery key file is wrong") from None
        raise UserError("the recovery key file is not a PEM private key") from None
    except UnsupportedAlgorithm:
        raise UserError("the recovery key file is not a PEM private key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise UserError("the recovery key file does not hold an RSA private key")
    return key


def unwrap_key(private_key: rsa.RSAPrivateKey, wrapped: bytes) -> bytes:
    """The database key; ValueError when this private key did not wrap it."""
    return private_key.decrypt(wrapped, _oaep())


def generate_recovery_keypair(
    private_out: Path | str, public_out: Path | str, passphrase: str
) -> str:
    """Make IT's key pair: a passphrase-protected private key file and a public key file.

    Refuses to overwrite either file (losing an escrowed private key would be irreversible) and
    to write an unprotected private key. Returns the public key's fingerprint for IT's records.
    """
    private_out, public_out = Path(private_out), Path(public_out)
    require_strong_passphrase(passphrase)
    for path in (private_out, public_out):
        if path.exists():
            raise UserError(f"the file {path} already exists; it was not overwritten")
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    private_pem = recovery_file.seal(key, passphrase)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    atomic_write_bytes(private_out, private_pem, PRIVATE_FILE_MODE)
    # Readable by all: it is copied to a share for every user's 'recovery enrol' and 'init'.
    atomic_write_bytes(public_out, public_pem, PUBLIC_FILE_MODE)
    return fingerprint(key.public_key())


def upgrade_private_key(path: Path | str, passphrase: str, new_passphrase: str | None) -> str:
    """Reseal an older PKCS#8 recovery key file with Argon2id, in place and atomically.

    The passphrase may stay the same if it meets the recovery policy; otherwise (or when asked)
    ``new_passphrase`` replaces it. The key itself, and so every enrolled database's recovery
    slot, is unchanged. Returns the public key's fingerprint for IT to compare.
    """
    path = Path(path)
    try:
        pem = path.read_bytes()
    except OSError:
        raise UserError(f"the recovery key file {path} cannot be read") from None
    key = load_private_key(pem, passphrase)
    chosen = new_passphrase or passphrase
    require_strong_passphrase(chosen)
    atomic_write_bytes(path, recovery_file.seal(key, chosen), PRIVATE_FILE_MODE)
    return fingerprint(key.public_key())
