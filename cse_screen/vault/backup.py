"""Backups: one self-checking file holding an encrypted copy of the open database and its keyslots.

Why this shape:

* The copy is taken with ``VACUUM INTO`` on a keyed connection: SQLite reads one consistent
  snapshot (writers may carry on), and SQLCipher writes the copy encrypted under the same key,
  so no plaintext page ever reaches the disk. The copy is made in the destination folder, never
  in the system temp folder, and removed as soon as it has been packed.
* The keyslot file travels inside the backup: a database without the slots that unwrap its key
  is unreadable, and the slots alone are useless.
* One file with a small header and a SHA-256 over everything lets ``check_backup`` refuse a
  truncated or damaged file before a restore replaces anything, without any password.
* The SHA-256 authenticates nothing (anyone can recompute it), so format 2 adds an HMAC-SHA256
  over the same bytes under a key derived from the database key (:mod:`backup_mac`): only a
  holder of that key can write a backup a restore accepts. Format 1 files (before 0.2.0) have
  no MAC; a restore takes them only when asked to (see docs/security.md).
* The file is written through ``atomic.atomic_writer``: a kill, a cancel or a full disk leaves the
  previous backup (or nothing) at the destination, never half a file.

Layout (big-endian): ``CSESCRBK`` magic, format version (u16), reserved (u16), manifest length
(u32), keyslot length (u32), database length (u64); then the manifest JSON, the keyslot JSON and
the encrypted database; then the SHA-256 of all preceding bytes and (format 2) the HMAC-SHA256 of
the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Engine

from cse_screen.errors import BackupFailed, Cancelled, DatabaseDamaged, StorageFull
from cse_screen.storage.revisions import current_revision
from cse_screen.vault import backup_mac, keyslots
from cse_screen.vault.atomic import (
    atomic_writer,
    is_disk_full,
    remove_stale_temps,
    storage_full,
    temp_path_for,
)
from cse_screen.vault.engine import (
    PLAINTEXT_HEADER,
    db_errors,
    driver_connection,
    engine_key,
    translate_error,
)

MAGIC = b"CSESCRBK"
FORMAT_VERSION = 2
#: Format 1: no MAC (written before 0.2.0); still read, restored only when asked to.
UNAUTHENTICATED_VERSION = 1
_TRAILER_BYTES = {1: 32, 2: 32 + backup_mac.MAC_BYTES}
_HEADER = struct.Struct(">8sHHIIQ")
_DIGEST_BYTES = 32
_CHUNK = 1024 * 1024
_MAX_JSON_BYTES = 16 * 1024 * 1024

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True)
class BackupInfo:
    """What ``check_backup`` learnt about a sound backup file."""

    path: Path
    created: str
    schema_revision: str | None
    users: tuple[str, ...]
    has_recovery: bool
    database_bytes: int
    header_bytes: int
    manifest_bytes: int
    keyslot_bytes: int
    format_version: int = FORMAT_VERSION
    keyslots: keyslots.KeyslotFile | None = None

    @property
    def authenticated(self) -> bool:
        """Whether the file carries a MAC (format 2 on); older ones have only a checksum."""
        return self.format_version >= 2

    @property
    def signed_bytes(self) -> int:
        """How many bytes from the start the checksum and the MAC cover."""
        return self.header_bytes + self.manifest_bytes + self.keyslot_bytes + self.database_bytes

    @property
    def mac_offset(self) -> int:
        """Where the MAC starts (after the checksum)."""
        return self.signed_bytes + _DIGEST_BYTES


# -- writing ---------------------------------------------------------------------------------


def _snapshot(
    engine: Engine, target: Path, paths: tuple[Path, Path], cancel: Cancel | None
) -> None:
    """An encrypted, consistent copy of the open database at ``target`` (owner-only file).

    ``paths`` is (database, backup destination): a full disk is reported against the
    destination, any other failure against the database.
    """
    db_path, out = paths
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)  # VACUUM INTO accepts an existing empty file; this fixes its permissions
    with driver_connection(engine) as driver:
        if cancel is not None:
            driver.set_progress_handler(lambda: 1 if cancel() else 0, 10_000)
        try:
            _vacuum_into(driver, target, db_path, out, cancel)
        finally:
            if cancel is not None:
                driver.set_progress_handler(None, 0)


def _vacuum_into(
    driver: Any, target: Path, db_path: Path, out: Path, cancel: Cancel | None
) -> None:
    with db_errors(db_path):
        try:
            driver.execute("VACUUM INTO ?", (str(target),))
        except Exception as exc:
            if cancel is not None and "interrupt" in str(exc).lower():
                raise _cancelled() from None
            _raise_if_write_failure(exc, out)
            raise


def _raise_if_write_failure(exc: Exception, out: Path) -> None:
    """Map a failed ``VACUUM INTO`` to the backup: it only reads the database, writes the copy.

    Without extended result codes SQLite reports a failed write (including a file too large
    for a FAT32 stick) as a plain I/O error, so that is reported against the backup too.
    """
    name = str(getattr(exc, "sqlite_errorname", ""))
    if name == "SQLITE_FULL" or isinstance(translate_error(exc, out), StorageFull):
        raise storage_full(out) from None
    if name.startswith("SQLITE_IOERR"):
        raise BackupFailed(
            f"the backup {out} could not be written: a disk reported an error, or the backup "
            "is too large for its disk; nothing was changed"
        ) from None


def _cancelled() -> Cancelled:
    return Cancelled("the backup was cancelled; no backup file was written")


def _poll(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise _cancelled()


def _manifest(engine: Engine) -> bytes:
    data = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "schema_revision": current_revision(engine),
    }
    return json.dumps(data, sort_keys=True).encode("utf-8")


def _read_keyslots(db_path: Path) -> bytes:
    """The sidecar as it is now, validated, so a backup never carries a damaged one."""
    path = keyslots.keyslot_path(db_path)
    keyslots.KeyslotFile.load(path)
    return path.read_bytes()


def _pack(
    out: Path,
    parts: tuple[bytes, bytes, Path],
    key: bytes,
    checks: tuple[Progress | None, Cancel | None],
) -> None:
    """Header, manifest, keyslots and the snapshot into ``out``, with the digest and the MAC
    at the end.

    The snapshot is moved in from its end, giving up each chunk as soon as it is written, so
    the backup needs little more than its own size free, not twice it (one snapshot and one
    full copy); the digest and the MAC are taken from one read of the snapshot first.
    """
    manifest, slots, snapshot = parts
    progress, cancel = checks
    size = snapshot.stat().st_size
    header = _HEADER.pack(MAGIC, FORMAT_VERSION, 0, len(manifest), len(slots), size)
    prefix = header + manifest + slots
    digest = hashlib.sha256(prefix)
    mac = backup_mac.new_mac(key)
    mac.update(prefix)
    with open(snapshot, "rb") as source:
        while chunk := source.read(_CHUNK):
            _poll(cancel)
            digest.update(chunk)
            mac.update(chunk)
    with atomic_writer(out) as sink, open(snapshot, "r+b") as source:
        sink.write(prefix)
        _move_from_the_end(source, sink, len(prefix), size, (progress, cancel))
        sink.seek(len(prefix) + size)
        sink.write(digest.digest() + mac.digest())
        _poll(cancel)  # last chance: after this the new file replaces the old one


def _move_from_the_end(
    source: BinaryIO,
    sink: BinaryIO,
    offset: int,
    size: int,
    checks: tuple[Progress | None, Cancel | None],
) -> None:
    """Copy ``source`` to ``sink`` at ``offset``, last chunk first, truncating ``source`` behind
    each chunk once it has reached the disk."""
    progress, cancel = checks
    end = size
    while end > 0:
        _poll(cancel)
        start = max(0, end - _CHUNK)
        source.seek(start)
        chunk = source.read(end - start)
        sink.seek(offset + start)
        sink.write(chunk)
        sink.flush()
        os.fsync(sink.fileno())  # the copy is on the disk before the source gives it up
        source.truncate(start)
        end = start
        if progress is not None:
            progress(size - end, size)


def _check_destination(db_path: Path, out: Path) -> None:
    own = {p.resolve() for p in (db_path, keyslots.keyslot_path(db_path))}
    if out.resolve() in own or out.resolve().name.startswith(db_path.name + "-"):
        raise BackupFailed(f"a backup cannot be written over the database's own files ({out})")
    if not out.parent.is_dir():
        raise BackupFailed(f"the folder for the backup {out} does not exist")


def write_backup(
    engine: Engine,
    db_path: Path | str,
    out: Path | str,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Path:
    """Write a backup of the open database and its keyslots to ``out``; returns ``out``.

    ``progress(done, total)`` is called with byte counts while packing; ``cancel()`` is polled
    and, when true, stops with :class:`cse_screen.errors.Cancelled` leaving nothing behind.
    The MAC is keyed from the engine's own database key, so a backup always authenticates
    under the key of the database it copies.
    """
    db_path, out = Path(db_path), Path(out)
    key = engine_key(engine)
    _check_destination(db_path, out)
    remove_stale_temps(out)
    slots = _read_keyslots(db_path)
    snapshot = temp_path_for(out)
    try:
        _snapshot(engine, snapshot, (db_path, out), cancel)
        _pack(out, (_manifest(engine), slots, snapshot), key, (progress, cancel))
    except OSError as exc:
        if is_disk_full(exc):
            raise storage_full(out) from None
        raise BackupFailed(f"the backup {out} could not be written; nothing was changed") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            snapshot.unlink()
    return out


# -- checking --------------------------------------------------------------------------------


def _bad(path: Path, what: str) -> BackupFailed:
    return BackupFailed(f"the file {path} is not a usable cse-screen backup: {what}")


def _read_header(path: Path, handle: BinaryIO, size: int) -> tuple[int, int, int, int]:
    raw = handle.read(_HEADER.size)
    if len(raw) < _HEADER.size:
        raise _bad(path, "it is too short")
    magic, version, _reserved, manifest_len, slots_len, db_len = _HEADER.unpack(raw)
    if magic != MAGIC:
        raise _bad(path, "it is not a backup file")
    if version not in _TRAILER_BYTES:
        raise _bad(path, "it was written by an unknown version of the application")
    if _HEADER.size + manifest_len + slots_len + db_len + _TRAILER_BYTES[version] != size:
        raise _bad(path, "it is truncated or has extra data")
    if manifest_len > _MAX_JSON_BYTES or slots_len > _MAX_JSON_BYTES:
        raise _bad(path, "its header is damaged")
    return version, manifest_len, slots_len, db_len


def _verify_digest(path: Path, handle: BinaryIO, signed: int) -> None:
    """The keyless checksum: damage is found here, before any password is asked for."""
    handle.seek(0)
    digest = hashlib.sha256()
    remaining = signed
    while remaining > 0:
        chunk = handle.read(min(_CHUNK, remaining))
        if not chunk:
            raise _bad(path, "it is truncated")
        digest.update(chunk)
        remaining -= len(chunk)
    if handle.read(_DIGEST_BYTES) != digest.digest():
        raise _bad(path, "its checksum does not match (the file is damaged)")


def _parse_manifest(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _bad(path, "its description is damaged") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("created"), str):
        raise _bad(path, "its description is damaged")
    revision = manifest.get("schema_revision")
    if revision is not None and not isinstance(revision, str):
        raise _bad(path, "its description is damaged")
    return manifest


def _parse_slots(path: Path, raw: bytes) -> keyslots.KeyslotFile:
    try:
        return keyslots.KeyslotFile.from_bytes(path, raw)
    except DatabaseDamaged:
        raise _bad(path, "its keyslots are damaged") from None


def _check_database_part(path: Path, handle: BinaryIO, db_len: int) -> None:
    head = handle.read(len(PLAINTEXT_HEADER))
    if db_len == 0 or db_len % 512:
        raise _bad(path, "its database part has an impossible size")
    if head == PLAINTEXT_HEADER:
        raise _bad(path, "its database part is not encrypted")


def check_backup(path: Path | str) -> BackupInfo:
    """Validate a backup file completely without changing anything; BackupFailed if unusable."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            version, manifest_len, slots_len, db_len = _read_header(path, handle, size)
            _verify_digest(path, handle, size - _TRAILER_BYTES[version])
            handle.seek(_HEADER.size)
            manifest = _parse_manifest(path, handle.read(manifest_len))
            slots = _parse_slots(path, handle.read(slots_len))
            _check_database_part(path, handle, db_len)
    except FileNotFoundError:
        raise BackupFailed(f"the backup file {path} does not exist") from None
    except IsADirectoryError:
        raise BackupFailed(f"the backup {path} is a folder, not a file") from None
    except OSError:
        raise BackupFailed(f"the backup file {path} cannot be read") from None
    return BackupInfo(
        path=path,
        created=str(manifest["created"]),
        schema_revision=manifest.get("schema_revision"),
        users=tuple(slots.users()),
        has_recovery=slots.has_recovery,
        database_bytes=db_len,
        header_bytes=_HEADER.size,
        manifest_bytes=manifest_len,
        keyslot_bytes=slots_len,
        format_version=version,
        keyslots=slots,
    )


def verify_authentication(info: BackupInfo, key: bytes) -> None:
    """Refuse (exit 4) a format-2 backup whose MAC does not hold under ``key``: it was altered
    after it was written, or its parts come from different databases. Reads the file once."""
    if not info.authenticated:
        raise ValueError("a format 1 backup has no authentication code")
    try:
        with open(info.path, "rb") as handle:
            found = backup_mac.mac_of_stream(handle, info.signed_bytes, key)
            handle.seek(info.mac_offset)
            stored = handle.read(backup_mac.MAC_BYTES)
    except OSError:
        raise BackupFailed(f"the backup file {info.path} cannot be read") from None
    if not backup_mac.same(stored, found):
        raise tampered(info.path)


def tampered(path: Path) -> DatabaseDamaged:
    """The one sentence for a backup that fails its authentication."""
    return DatabaseDamaged(
        f"the backup {path} fails its authentication check: it was altered after it was "
        "written, or its keyslots belong to another database; nothing was changed"
    )
