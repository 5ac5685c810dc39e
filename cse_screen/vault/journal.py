"""The journalled end of a restore: what a kill after the decision leaves, and how to finish it.

:mod:`cse_screen.vault.restore` writes the new files beside the old ones, then the journal; from
then on the restore is decided and :func:`finish_interrupted_restore` completes it. The keyslot
loader runs that before every unlock, so whoever opens the database next finishes the restore
first. This module knows file names only: it imports nothing of the keyslots or backups.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from cse_screen.vault import pending
from cse_screen.vault.atomic import fsync_dir

NEW_SUFFIX = ".restore-new"
ASIDE_SUFFIX = ".before-restore"
JOURNAL_SUFFIX = ".restore-journal"


def with_suffix(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


class Files:
    """Every name the procedure touches, derived from the database path.

    Each restore sets the old pair aside under its own time stamp
    (``cse.db.before-restore-20261207T134000Z``): a second restore must never delete the only
    copy of what the first one replaced."""

    def __init__(self, db_path: Path, keys_path: Path, stamp: str | None = None) -> None:
        self.db = db_path
        self.keys = keys_path
        self.stamp = stamp
        aside = ASIDE_SUFFIX + (f"-{stamp}" if stamp else "")
        self.new_db = with_suffix(self.db, NEW_SUFFIX)
        self.new_keys = with_suffix(self.keys, NEW_SUFFIX)
        self.aside_db = with_suffix(self.db, aside)
        self.aside_keys = with_suffix(self.keys, aside)
        self.journal = with_suffix(self.db, JOURNAL_SUFFIX)

    def leftovers(self) -> list[Path]:
        """What an undecided restore or re-key may leave: the new pair, and the new database's
        WAL and shared memory (a stale WAL must never be replayed into a later attempt's file)."""
        return [*_sqlite_family(self.new_db), self.new_keys]

    def aside(self) -> list[Path]:
        return [self.aside_keys, *_sqlite_family(self.aside_db)]


def _sqlite_family(db: Path) -> list[Path]:
    return [db, with_suffix(db, "-wal"), with_suffix(db, "-shm"), with_suffix(db, "-journal")]


def unlink(path: Path) -> None:
    # Check first: on a read-only file system unlink fails even for a name that is absent.
    if path.exists() or path.is_symlink():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _set_aside_database(files: Files) -> None:
    """Move the old database aside, then its WAL; drop its shared-memory index.

    The database moves first: if a kill comes in between, a rerun sees no database at the
    original name and only moves the WAL after it, keeping the parked pair together.
    """
    family, aside = _sqlite_family(files.db), _sqlite_family(files.aside_db)
    if files.db.exists():
        for stale in aside:  # a pair parked by an earlier restore that kept it
            unlink(stale)
        files.db.replace(files.aside_db)
    for current, parked in ((family[1], aside[1]), (family[3], aside[3])):
        if current.exists():
            current.replace(parked)
    unlink(family[2])


def roll_forward(files: Files, keep_previous: bool, note: dict[str, Any] | None = None) -> None:
    """Steps 4 and 5; safe to run again from any point after the journal was written.

    ``note`` (the restore's audit note) is written to the pending-audit file before the
    journal goes, so a restore killed after its journal is still audited (once: a rerun
    finds the note already there by its ``restore_id``)."""
    if files.new_db.exists():
        _set_aside_database(files)
        files.new_db.replace(files.db)
    if files.new_keys.exists():
        if files.keys.exists():
            files.keys.replace(files.aside_keys)
        files.new_keys.replace(files.keys)
    fsync_dir(files.db.parent)
    if note:
        pending.note_once(files.db, pending.RESTORE, note)
    unlink(files.journal)
    fsync_dir(files.db.parent)
    if not keep_previous:
        for path in files.aside():
            unlink(path)


def finish_interrupted_restore(db_path: Path | str, keys_path: Path | str) -> bool:
    """Complete a restore that was killed after it was decided; discard one killed before.

    Returns True when an interrupted restore was completed.
    """
    files = Files(Path(db_path), Path(keys_path))
    if files.journal.exists():
        decided = _read_journal(files.journal)
        stamp = decided.get("stamp")
        files = Files(files.db, files.keys, stamp if isinstance(stamp, str) else None)
        note = decided.get("note")
        keep = bool(decided.get("keep_previous", True))
        roll_forward(files, keep, note if isinstance(note, dict) else None)
        return True
    for path in files.leftovers():
        unlink(path)
    return False


def _read_journal(journal: Path) -> dict[str, Any]:
    """What the interrupted restore decided; unreadable means keep the old files, no stamp."""
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"keep_previous": True}
    return data if isinstance(data, dict) else {"keep_previous": True}
