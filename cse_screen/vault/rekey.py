"""Re-key: re-encrypt the database to a new random key and reseal every remaining keyslot.

A password change rewraps the same key, and removing a slot leaves the key as it was: whoever
kept an old keyslot file (or a backup's) and its password still holds the key. Only a new key
revokes that. The database and its keyslot file are two files, so the re-key is the same
journalled procedure a restore is (see ``journal.py``), and a kill at any point leaves either the
old pair (old key, old keyslot file) or the new pair, never one of each:

1. with the database closed everywhere (the exclusive open lock) and its WAL folded in, the
   main file is copied beside it as ``.restore-new``;
2. the copy is re-encrypted in place with SQLCipher's ``PRAGMA rekey`` (every page rewritten
   under the new key), and the change that asked for the re-key (a user disabled), the new
   epoch and the audit entry are committed in it, in one transaction;
3. the resealed keyslot file is written beside the old one as ``.restore-new``;
4. the journal is written: from here the re-key is decided, and the next open finishes it
   (:func:`cse_screen.vault.journal.finish_interrupted_restore`, run before every unlock);
5. the new pair is renamed over the old one, which is deleted (keeping it would keep the old
   key's copy of the data), and the journal goes.

A kill before step 4 leaves the old pair and leftovers the next open deletes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cse_screen.errors import Cancelled, DatabaseInUse, StorageFull
from cse_screen.storage.records import UserRecord
from cse_screen.storage.services import audit, signatures
from cse_screen.storage.services.context import ServiceContext
from cse_screen.vault import engine as engines
from cse_screen.vault import epoch as epochs
from cse_screen.vault.atomic import (
    atomic_write_bytes,
    fsync_dir,
    fsync_file,
    is_disk_full,
    write_error,
)
from cse_screen.vault.context import local_context
from cse_screen.vault.journal import Files, roll_forward, unlink
from cse_screen.vault.keyslots import KeyslotFile
from cse_screen.vault.oslock import exclusive

REKEY = "rekey"
#: The procedure's named points, in order; fault tests stop a child process at each.
STEPS = ("copied", "reencrypted", "committed", "keys_written", "decided", "swapped")
#: A point inside the copy's transaction, with its WAL open (also tested).
INNER_STEPS = ("committing",)
_CHUNK = 1024 * 1024

#: What asked for the re-key, applied to the re-keyed copy inside its transaction; returns
#: details for the audit entry.
Change = Callable[[Session, ServiceContext], dict[str, Any]]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Rekeyed:
    """What a re-key did (no key material)."""

    epoch: int
    slots: int
    recovery: bool


def _reached(step: str) -> None:
    """A named point of the procedure: fault tests replace this to kill the process there."""


def rekey_closed(
    db_path: Path,
    old_key: bytes,
    new_keys: KeyslotFile,
    new_key: bytes,
    user: UserRecord,
    *,
    change: Change | None = None,
    reason: str = "on request",
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    signer: signatures.Signer | None = None,
) -> Rekeyed:
    """Run the procedure on a database no engine has open (the caller disposed its own).

    ``new_keys`` is the keyslot file for ``new_key`` (``KeyslotFile.rekeyed``), one epoch on.
    ``signer`` (the administrator's signing key) signs what ``change`` changed and the head
    after the re-key's audit entry, so the re-keyed copy is as verifiable as the original.
    Refuses with DatabaseInUse while any other store has the database open.
    """
    files = Files(db_path, new_keys.path)
    told = progress or (lambda _done, _total: None)

    decided = [False]

    def tell(done: int, total: int) -> None:
        told(done, total)
        if cancel is not None and not decided[0] and cancel():
            raise Cancelled("the re-key was cancelled; nothing was changed")

    try:
        with exclusive(db_path):
            _discard(files)
            _copy(db_path, files.new_db)
            tell(1, len(STEPS))
            _reached("copied")
            _reencrypt(files.new_db, old_key, new_key)
            tell(2, len(STEPS))
            _reached("reencrypted")
            done = _commit(files.new_db, db_path, new_key, new_keys, user, change, reason, signer)
            tell(3, len(STEPS))
            _reached("committed")
            atomic_write_bytes(files.new_keys, new_keys.to_bytes())
            _reached("keys_written")
            tell(4, len(STEPS))  # the last moment a cancel is still honoured
            decided[0] = True
            journal = {"keep_previous": False, "rekey_epoch": done.epoch}
            atomic_write_bytes(files.journal, json.dumps(journal).encode("utf-8"))
            _reached("decided")
            roll_forward(files, keep_previous=False)
            tell(5, len(STEPS))
            _reached("swapped")
    except OSError as exc:
        if files.journal.exists():
            raise  # decided: the next open finishes it
        _discard(files)
        if is_disk_full(exc):
            raise StorageFull(
                f"there is not enough disk space in {db_path.parent} for the re-key's copy of "
                "the database (it needs about the database's size free); nothing was changed"
            ) from None
        refused = write_error(exc, db_path.parent)
        if refused is None:
            raise
        raise refused from None
    except DatabaseInUse:
        raise DatabaseInUse(
            f"the database {db_path} is open in cse-screen elsewhere (the app or a command); "
            "close it everywhere, then re-key again (nothing was changed)"
        ) from None
    except BaseException:
        if not files.journal.exists():
            _discard(files)  # not decided: the old pair stays, the leftovers go
        raise
    tell(len(STEPS), len(STEPS))
    return done


def _discard(files: Files) -> None:
    """Leftovers of an undecided attempt, the copy's own WAL included."""
    for path in files.leftovers():
        unlink(path)


def _copy(source: Path, target: Path) -> None:
    """The closed database's main file (its WAL is folded in first) to a new owner-only file."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as sink, open(source, "rb") as origin:
        while chunk := origin.read(_CHUNK):
            sink.write(chunk)
        sink.flush()
        os.fsync(sink.fileno())


def _reencrypt(copy: Path, old_key: bytes, new_key: bytes) -> None:
    """Every page of the copy rewritten under ``new_key`` (SQLCipher's ``PRAGMA rekey``)."""
    connection = engines.DRIVER.connect(str(copy), isolation_level=None)
    try:
        with engines.db_errors(copy):
            connection.execute(engines.key_pragma(old_key))
            connection.execute("PRAGMA cipher_compatibility = 4")
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            engines.key_pragma(new_key)  # validates it: only hex digits reach the SQL text
            connection.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _commit(
    copy: Path,
    db_path: Path,
    new_key: bytes,
    new_keys: KeyslotFile,
    user: UserRecord,
    change: Change | None,
    reason: str,
    signer: signatures.Signer | None = None,
) -> Rekeyed:
    """The change, the new epoch, the audit entry and its signed head, in one transaction
    of the copy."""
    engine = engines.open_engine(copy, new_key)
    try:
        ctx = local_context(engine, db_path, user)
        ctx.signer = signer
        with ctx.transaction() as session:
            detail: dict[str, Any] = {"reason": reason}
            if change is not None:
                detail.update(change(session, ctx))
            epochs.record(session, new_keys.epoch)
            slots = len(new_keys.users())
            recovery = new_keys.has_recovery
            detail.update(epoch=new_keys.epoch, slots=slots, recovery_slot=recovery)
            audit.append(session, ctx, REKEY, "database", None, detail)
            signatures.sign_head(session, ctx, signatures.CHANGE)
            _reached("committing")
        engines.checkpoint(engine)
    finally:
        engine.dispose()
    for empty in engines.database_files(copy)[1:]:  # closing folded the WAL in; drop its husk
        if empty.exists() and (empty.name.endswith("-shm") or empty.stat().st_size == 0):
            unlink(empty)
    fsync_file(copy)
    fsync_dir(copy.parent)
    return Rekeyed(new_keys.epoch, slots, recovery)
