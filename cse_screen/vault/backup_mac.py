"""The authentication code of a backup file: HMAC-SHA256 under a key derived from the database key.

Why: a backup's SHA-256 only catches damage, since anyone can recompute it after changing a byte
or swapping in another database's keyslots. The MAC needs the database key, which only a valid
password (through the backup's own keyslots) or IT's recovery key yields, so a restore that
checks it knows the whole file, header, manifest, keyslots and database, was written by a
holder of that key and belongs together.

The MAC key is not the database key itself but HKDF-SHA256 of it under a fixed context label, so
the key that encrypts the pages is never used for a second purpose. The code is computed while
the file is streamed, in chunks, so neither writing nor checking needs a second copy on disk.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, BinaryIO

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

#: The HKDF context label: changing it (or the construction) needs a new backup format version.
MAC_LABEL = b"cse-screen backup authentication v1"
#: A second, separate key from the same database key, for the restore's side-file note.
NOTE_LABEL = b"cse-screen restore note v1"
MAC_BYTES = 32
_CHUNK = 1024 * 1024


def mac_key(database_key: bytes, label: bytes = MAC_LABEL) -> bytes:
    """The backup authentication key: HKDF-SHA256 of the database key, no salt, fixed label."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label)
    return hkdf.derive(bytes(database_key))


#: The fields of a restore's note that its MAC covers (the side file adds times and a count).
NOTE_FIELDS = ("backup", "created", "restore_id", "keys_sha256")


def note_mac(database_key: bytes, note: dict[str, Any]) -> str:
    """The MAC of a restore's side-file note (its :data:`NOTE_FIELDS`), as hex.

    The side file is writable without any password; with this only a holder of the restored
    database's key can write a note that excuses the database going back in time."""
    body = {k: note.get(k) for k in NOTE_FIELDS}
    text = json.dumps(body, sort_keys=True, ensure_ascii=True).encode("ascii")
    return hmac.new(mac_key(database_key, NOTE_LABEL), text, hashlib.sha256).hexdigest()


def note_is_genuine(database_key: bytes, note: dict[str, Any]) -> bool:
    found = note.get("mac")
    return isinstance(found, str) and hmac.compare_digest(found, note_mac(database_key, note))


def new_mac(database_key: bytes) -> hmac.HMAC:
    """A fresh HMAC-SHA256 to feed a backup's bytes into, in order."""
    return hmac.new(mac_key(database_key), digestmod=hashlib.sha256)


def mac_of_stream(handle: BinaryIO, length: int, database_key: bytes) -> bytes | None:
    """The MAC of the next ``length`` bytes of ``handle`` (None if the file ends early)."""
    mac = new_mac(database_key)
    remaining = length
    while remaining > 0:
        chunk = handle.read(min(_CHUNK, remaining))
        if not chunk:
            return None
        mac.update(chunk)
        remaining -= len(chunk)
    return mac.digest()


def same(expected: bytes, found: bytes | None) -> bool:
    """Constant-time comparison of two codes (a missing one never matches)."""
    return found is not None and hmac.compare_digest(expected, found)
