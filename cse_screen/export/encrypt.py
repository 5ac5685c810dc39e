"""Password protection of the whole file (ECMA-376 agile encryption, as Excel itself writes).

Sheet or workbook "protection" in openpyxl only hides content from polite software; it is never
offered here. The workbook is encrypted in memory, so the plaintext never reaches the disk.
"""

from __future__ import annotations

import secrets
from io import BytesIO

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from msoffcrypto.method.container.ecma376_encrypted import ECMA376Encrypted
from msoffcrypto.method.ecma376_agile import ECMA376Agile, blkKey_encryptedKeyValue

from cse_screen.errors import ExportFailed
from cse_screen.export.memory import ChunkedBuffer

#: Every encrypted Office file is an OLE compound file; a plain .xlsx is a zip ("PK").
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def encrypt_workbook(plain: ChunkedBuffer, password: str) -> ChunkedBuffer:
    """The encrypted file for ``plain`` (an in-memory .xlsx, released afterwards)."""
    out = BytesIO()
    try:
        plain.seek(0)
        out.write(_agile_encrypt(password, plain))
    except Exception as exc:  # msoffcrypto raises its own and plain errors alike
        raise ExportFailed(f"the workbook could not be encrypted ({type(exc).__name__})") from None
    finally:
        plain.release()
    if out.getbuffer()[: len(OLE_MAGIC)] != OLE_MAGIC:
        raise ExportFailed("the workbook could not be encrypted (unexpected result)")
    return ChunkedBuffer.of(out.getvalue())


def _agile_encrypt(password: str, plain: ChunkedBuffer) -> bytes:
    """ECMA-376 agile encryption with a file key drawn whole from the system's random source.

    msoffcrypto draws the AES-256 file key as 16 random bytes padded to 32 with a constant, so
    a "256-bit" export has 128 bits of key. Its parameters (salts, the password verifier) are
    kept; only the file key is replaced by 32 bytes from :mod:`secrets` and wrapped again under
    the password-derived key, exactly as the standard wraps it.
    """
    info, _weak_key = ECMA376Agile.generate_encryption_parameters(password)
    kek = info.encryptedKey
    digest = ECMA376Agile._derive_iterated_hash_from_password(
        password, kek.saltValue, kek.hashName, info.spinCount
    ).digest()
    wrap = ECMA376Agile._derive_encryption_key(
        digest, blkKey_encryptedKeyValue, kek.hashName, kek.keyBits
    )
    file_key = secrets.token_bytes(kek.keyBits // 8)
    encryptor = Cipher(algorithms.AES(bytes(wrap)), modes.CBC(bytes(kek.saltValue))).encryptor()
    info.encryptedKeyValue = encryptor.update(file_key) + encryptor.finalize()
    data = ECMA376Agile.encrypt_payload(plain, info.encryptedKey, file_key, info.keyData.saltValue)
    descriptor = ECMA376Agile.get_encryption_information(info, data, file_key)
    sink = BytesIO()
    ECMA376Encrypted(data, descriptor).write_to(sink)
    return sink.getvalue()
