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

from cse_screen.vault.atomic import fsync_dir

NEW_SUFFIX = ".restore-new"
ASIDE_SUFFIX = ".before-restore"
JOURNAL_SUFFIX = ".restore-journal"


def with_suffix(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


class Files:
    """Every name the procedure touches, derived from the database path."""

    def __init__(self, db_path: Path, keys_path: Path) -> None:
        self.db = db_path
        self.keys = keys_path
        self.new_db = with_suffix(self.db, NEW_SUFFIX)
        self.new_keys = with_suffix(self.keys, NEW_SUFFIX)
        self.aside_db = with_suffix(self.db, ASIDE_SUFFIX)
        self.aside_keys = with_suffix(self.keys, ASIDE_SUFFIX)
        self.journal = with_suffix(self.db, JOURNAL_SUFFIX)

    def leftovers(self) -> list[Path]:
        return [self.new_db, self.new_keys]

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


def roll_forward(files: Files, keep_previous: bool) -> None:
    """Steps 4 and 5; safe to run again from any point after the journal was written."""
    if files.new_db.exists():
        _set_aside_database(files)
        files.new_db.replace(files.db)
    if files.new_keys.exists():
        if files.keys.exists():
            files.keys.replace(files.aside_keys)
        files.new_keys.replace(files.keys)
    fsync_dir(files.db.parent)
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
        roll_forward(files, keep_previous=_journal_says_keep(files.journal))
        return True
    for path in files.leftovers():
        unlink(path)
    return False


def _journal_says_keep(journal: Path) -> bool:
    """Whether the interrupted restore was asked to keep the old files (yes, when unsure)."""
    try:
        return bool(json.loads(journal.read_text(encoding="utf-8")).get("keep_previous", True))
    except (OSError, ValueError, AttributeError):
        return True
