"""A password-protected zip in the WinZip AES format (AE-2, AES-256), written with the
``cryptography`` package the app already carries.

Why not a zip library: the one that writes this format (pyzipper) brings a second crypto
library (pycryptodomex) and, through it, the build tools cffi's compiler shim reaches for:
about 2 MiB of a laptop bundle that must stay under 150 MiB, for what is a short, fixed format.
The format is WinZip's published "AES Encryption Information" (the one 7-Zip and every current
archive tool read):

* per entry, a random 16-byte salt; PBKDF2-HMAC-SHA1 over the password, 1,000 rounds, gives a
  32-byte AES key, a 32-byte HMAC key and a 2-byte password check;
* the deflated data is encrypted with AES in counter mode, the counter a 128-bit little-endian
  number starting at 1; HMAC-SHA1 over the ciphertext, cut to 10 bytes, authenticates it;
* the entry's method is 99 with an extra field (0x9901) naming AE-2, AES-256 and the real
  method (deflate). AE-2 leaves the CRC at zero: the HMAC does its work, and a CRC of the
  plaintext would help anyone guessing it.

Everything is built in memory. The tests read these files back with pyzipper (a test
dependency only), with the right password and refuse them with a wrong one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
import zlib
from collections.abc import Iterable
from datetime import datetime

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

SALT_BYTES = 16  # AES-256
ROUNDS = 1000
AES_METHOD = 99
DEFLATE = 8
VERSION = 51  # "version needed to extract" for AES
FLAGS = 0x0001 | 0x0800  # encrypted; the names are UTF-8
AUTH_BYTES = 10
BLOCK = 16


def _keys(password: bytes, salt: bytes) -> tuple[bytes, bytes, bytes]:
    # SHA-1 and 1,000 rounds are fixed by the format; the password policy carries the rest.
    kdf = PBKDF2HMAC(hashes.SHA1(), length=66, salt=salt, iterations=ROUNDS)  # noqa: S303
    derived = kdf.derive(password)
    return derived[:32], derived[32:64], derived[64:]


def _ctr_little_endian(key: bytes, data: bytes) -> bytes:
    """AES-CTR with WinZip's counter: little-endian, from 1 (not the usual big-endian)."""
    blocks = (len(data) + BLOCK - 1) // BLOCK
    counters = b"".join(n.to_bytes(BLOCK, "little") for n in range(1, blocks + 1))
    # ECB over distinct counter blocks is the counter mode's keystream, made by hand only
    # because the counter runs little-endian.
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # noqa: S305
    stream = encryptor.update(counters) + encryptor.finalize()
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream[: len(data)], "big")
    return mixed.to_bytes(len(data), "big")


def _deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _dos_time(moment: datetime) -> tuple[int, int]:
    time = (moment.hour << 11) | (moment.minute << 5) | (moment.second // 2)
    date = ((moment.year - 1980) << 9) | (moment.month << 5) | moment.day
    return time, date


def _entry(password: bytes, data: bytes) -> bytes:
    """Salt, password check, ciphertext and authentication code of one entry."""
    salt = os.urandom(SALT_BYTES)
    aes_key, mac_key, check = _keys(password, salt)
    sealed = _ctr_little_endian(aes_key, _deflated(data))
    auth = hmac.new(mac_key, sealed, hashlib.sha1).digest()[:AUTH_BYTES]
    return salt + check + sealed + auth


def aes_zip(files: Iterable[tuple[str, bytes]], password: str) -> bytes:
    """The bytes of a zip holding ``files`` (name, content), each AES-256 encrypted."""
    if not password:
        raise ValueError("an encrypted zip needs a password")
    secret = password.encode("utf-8")
    extra = struct.pack("<HHH2sBH", 0x9901, 7, 2, b"AE", 3, DEFLATE)
    time, date = _dos_time(datetime.now())
    body, directory, count = bytearray(), bytearray(), 0
    for name, data in files:
        raw_name = name.encode("utf-8")
        stored = _entry(secret, data)
        sizes = (0, len(stored), len(data), len(raw_name), len(extra))  # CRC 0 under AE-2
        offset = len(body)
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", VERSION, FLAGS, AES_METHOD, time, date,
                            *sizes)  # fmt: skip
        body += raw_name + extra + stored
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", (3 << 8) | VERSION, VERSION, FLAGS, AES_METHOD,
            time, date, *sizes, 0, 0, 0, 0o100600 << 16, offset,
        )  # fmt: skip
        directory += raw_name + extra
        count += 1
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(body), 0)
    return bytes(body + directory + end)
