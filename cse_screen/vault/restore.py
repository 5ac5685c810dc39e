"""Restore a backup over a database without ever leaving a half-replaced pair of files.

A database and its keyslot file are two files, and no file system can replace two files in one
step. So the restore is a small journalled procedure:

1. the backup is checked completely (structure, checksum, encryption, keyslots, known schema);
   a password or the recovery key opens one of the backup's own keyslots, and the key it yields
   must verify the backup's MAC before anything else is done (a wrong password is exit 3, an
   altered or mismatched backup exit 4);
2. its database and keyslot parts are written beside the originals under fixed ``.restore-new``
   names and flushed to disk (the MAC is checked again over the bytes copied, so a file changed
   after the first check is refused too); the extracted database, still encrypted, is checked as
   ``verify`` would (pages, structure, schema, audit chain, :mod:`restore_check`); a failure or
   a crash here leaves the originals untouched and the next attempt (or the next open) deletes
   the leftovers;
3. a journal file is written atomically: from this moment the restore is decided;
4. the old database (with its WAL) and keyslots are moved aside as
   ``.before-restore-<UTC time stamp>`` (one generation per restore, never overwritten), stale
   ``-shm`` files removed (an old WAL applied to the new database would corrupt it), and the new
   files are renamed into place; the restore's audit note goes to the pending-audit file;
5. the journal (and, unless they are kept, the set-aside files) are removed.

A crash after step 3 is finished by :func:`finish_interrupted_restore`, which the keyslot loader
runs before every unlock, so whoever opens the database next completes the restore first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import uuid
from pathlib import Path
from typing import BinaryIO

from cse_screen.errors import BackupFailed, DatabaseTooNew, UserError, WrongPassword
from cse_screen.fileowner import keep_owner_and_mode, stat_or_none
from cse_screen.storage.revisions import known_revisions
from cse_screen.vault import backup_mac
from cse_screen.vault.atomic import atomic_write_bytes, fsync_dir, is_disk_full, storage_full
from cse_screen.vault.backup import BackupInfo, check_backup, tampered, verify_authentication
from cse_screen.vault.backup_unlock import Credential, backup_key
from cse_screen.vault.journal import Files, unlink
from cse_screen.vault.journal import finish_interrupted_restore as _finish_interrupted
from cse_screen.vault.journal import roll_forward as _roll_forward
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path
from cse_screen.vault.oslock import exclusive
from cse_screen.vault.restore_check import check_extracted

_CHUNK = 1024 * 1024


def _copy_part(
    source: BinaryIO, offset: int, length: int, target: Path, mac: hmac.HMAC | None
) -> None:
    """Write ``length`` bytes of the backup at ``offset`` to a new owner-only file, flushed,
    feeding them to ``mac`` on the way."""
    source.seek(offset)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as sink:
        remaining = length
        while remaining > 0:
            chunk = source.read(min(_CHUNK, remaining))
            if not chunk:
                raise BackupFailed("the backup file changed while it was being restored")
            sink.write(chunk)
            if mac is not None:
                mac.update(chunk)
            remaining -= len(chunk)
        sink.flush()
        os.fsync(sink.fileno())


def _extract(info: BackupInfo, files: Files, key: bytes) -> None:
    """Step 2: the new files beside the old ones; on any failure, nothing is left behind."""
    for path in files.leftovers():
        unlink(path)
    slots_at = info.header_bytes + info.manifest_bytes
    try:
        with open(info.path, "rb") as source:
            mac = backup_mac.new_mac(key) if info.authenticated else None
            if mac is not None:
                mac.update(source.read(slots_at))
            _copy_part(source, slots_at, info.keyslot_bytes, files.new_keys, mac)
            db_at = slots_at + info.keyslot_bytes
            _copy_part(source, db_at, info.database_bytes, files.new_db, mac)
            if mac is not None:
                source.seek(info.mac_offset)
                if not backup_mac.same(source.read(backup_mac.MAC_BYTES), mac.digest()):
                    raise tampered(info.path)
        # Root restoring a user's database must leave it the user's, as it was.
        keep_owner_and_mode(files.new_keys, stat_or_none(files.keys))
        keep_owner_and_mode(files.new_db, stat_or_none(files.db))
    except BaseException as exc:
        for path in files.leftovers():
            unlink(path)
        if is_disk_full(exc):
            raise storage_full(files.db) from None
        if isinstance(exc, OSError):
            raise BackupFailed(f"the backup could not be restored to {files.db}") from exc
        raise
    fsync_dir(files.db.parent)


def finish_interrupted_restore(db_path: Path | str) -> bool:
    """Complete a restore of ``db_path`` that was killed after it was decided; discard one
    killed before. Returns True when an interrupted restore was completed."""
    return _finish_interrupted(db_path, keyslot_path(db_path))


def _require_known_schema(info: BackupInfo, script_location: Path | str | None) -> None:
    revision = info.schema_revision
    if revision is not None and revision not in known_revisions(script_location):
        raise DatabaseTooNew(
            f"the backup {info.path} was made by a newer version of cse-screen; "
            "install that version or newer to restore it (nothing was changed)"
        )


def open_backup(
    backup: Path | str, credential: Credential, *, allow_unauthenticated: bool = False
) -> tuple[BackupInfo, bytes]:
    """Check a backup and authenticate it with ``credential``; returns it and its key.

    Order matters: the keyless checks first (damage is exit 1 before any password is tried),
    then the backup's own keyslots (a wrong password is exit 3), then the MAC (exit 4). A
    format 1 backup has no MAC and is refused unless ``allow_unauthenticated``.
    """
    info = check_backup(backup)
    try:
        key = backup_key(info, credential)
    except WrongPassword as exc:
        raise WrongPassword(f"{exc.message}; nothing was changed") from None
    if info.authenticated:
        verify_authentication(info, key)
    elif not allow_unauthenticated:
        raise BackupFailed(
            f"the backup {info.path} was written before backups were authenticated, so nothing "
            "proves it was not altered; to restore it anyway, after checking where it came "
            "from, add --allow-unauthenticated (nothing was changed)"
        )
    return info, key


def restore_backup(
    backup: Path | str,
    db_path: Path | str,
    credential: Credential,
    *,
    keep_previous: bool = False,
    script_location: Path | str | None = None,
    audit: bool = False,
    allow_unauthenticated: bool = False,
) -> BackupInfo:
    """Replace the database at ``db_path`` and its keyslots with the backup's, checked first.

    ``credential`` must open one of the backup's own keyslots (see :func:`open_backup`). The
    database must not be open anywhere while this runs. With ``keep_previous`` the old
    files stay beside the new ones as ``.before-restore-<stamp>``; with ``audit`` the restore
    is noted for the next open's audit trail, with its journal. A target that exists without a
    valid keyslot file beside it is refused: it is not a cse-screen database, and overwriting
    it could destroy someone's unrelated file.
    """
    db_path = Path(db_path)
    info, key = open_backup(backup, credential, allow_unauthenticated=allow_unauthenticated)
    _require_known_schema(info, script_location)
    if not db_path.parent.is_dir():
        raise BackupFailed(f"the folder for the database {db_path} does not exist")
    with exclusive(db_path):
        finish_interrupted_restore(db_path)
        _require_cse_screen_target(db_path)
        files = Files(db_path, keyslot_path(db_path), _free_stamp(db_path))
        _extract(info, files, key)
        try:
            check_extracted(files.new_db, key, info.path, script_location)
        except BaseException:
            for path in files.leftovers():
                unlink(path)
            raise
        note = _audit_note(info, files, key) if audit else None
        journal: dict[str, object] = {"restore": 1, "keep_previous": keep_previous}
        journal.update(stamp=files.stamp, note=note)
        atomic_write_bytes(files.journal, json.dumps(journal).encode("utf-8"))
        _roll_forward(files, keep_previous, note)
    return info


def _require_cse_screen_target(db_path: Path) -> None:
    """Refuse to replace a file that is not a cse-screen database with its keyslots."""
    if not db_path.exists():
        return
    keys = keyslot_path(db_path)
    try:
        KeyslotFile.from_bytes(keys, keys.read_bytes())
    except (OSError, UserError):
        raise BackupFailed(
            f"{db_path} exists but has no valid keyslot file beside it ({keys.name}), so it is "
            "not a cse-screen database; the restore would overwrite it, so nothing was changed"
        ) from None


def _free_stamp(db_path: Path) -> str:
    """A UTC time stamp no earlier generation of set-aside files uses."""
    base = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    stamp, n = base, 1
    while any(p.exists() for p in Files(db_path, keyslot_path(db_path), stamp).aside()):
        n += 1
        stamp = f"{base}-{n}"
    return stamp


def _audit_note(info: BackupInfo, files: Files, key: bytes) -> dict[str, object]:
    """What the next open writes to the trail about this restore. ``keys_sha256`` ties the
    note to the keyslot file it put in place, and ``mac`` (under the restored database's key)
    to a restore by someone who opened the backup: only then does the open accept that the
    database went back in time on purpose."""
    digest = hashlib.sha256(files.new_keys.read_bytes()).hexdigest()
    note: dict[str, object] = {
        "backup": info.path.name[:255],
        "created": info.created,
        "restore_id": uuid.uuid4().hex,
        "keys_sha256": digest,
    }
    return {**note, "mac": backup_mac.note_mac(key, note)}
