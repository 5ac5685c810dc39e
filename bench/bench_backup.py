"""Backup and restore benchmarks: what authenticating and checking costs.

On the demo council at 10,000 children (its screenings, answers and audit chain):

1. Backup (snapshot, SHA-256 and HMAC-SHA256 in one streaming read, packing) against a plain
   file copy of the database, measured in the same run.
2. Restore, which now reads the file for its checksum, unlocks the backup's own keyslot, checks
   the MAC, extracts (checking the MAC again) and checks the extracted database (SQLCipher page
   HMACs, ``integrity_check``, references, audit chain) before the swap, against a plain copy of
   the backup file, with the time of each check printed beside it.

No target is set by the issue; the ratios show where the time goes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from bench.bench_store import timed
from cse_screen.demo.demo import DEMO_USER, populate
from cse_screen.vault import backup
from cse_screen.vault.backup_unlock import PasswordCredential, backup_key
from cse_screen.vault.engine import open_engine
from cse_screen.vault.integrity import check_integrity
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path
from cse_screen.vault.restore import restore_backup
from cse_screen.vault.store import Store

PASSWORD = "a timing passphrase long enough"


def _database(folder: Path) -> tuple[Path, bytes, str]:
    """The demo council (real screenings, answers and a real audit chain) at 10,000 children."""
    path = folder / "cse.db"
    with Store.create(path, DEMO_USER, PASSWORD) as store:
        made = populate(store, children=10_000, seed=1)
    slots = KeyslotFile.load(keyslot_path(path))
    key = slots.unlock(DEMO_USER, PASSWORD)
    return path, key, f"{made.children:,} children / {made.screenings:,} screenings"


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    try:
        path, key, what = _database(folder)
        size = path.stat().st_size / 1e6
        copy = timed(lambda: shutil.copyfile(path, folder / "plain-copy.db"))
        engine = open_engine(path, key)
        out = folder / "b.backup"
        made = timed(lambda: backup.write_backup(engine, path, out))
        engine.dispose()
        print(
            f"backup of {what} ({size:.0f} MB): {made:.2f} s "
            f"({made / copy:.1f}x vs a plain copy of the database {copy:.2f} s)"
        )
        info = backup.check_backup(out)
        credential = PasswordCredential(PASSWORD)
        checksum = timed(lambda: backup.check_backup(out))
        unlock = timed(lambda: backup_key(info, credential))
        mac = timed(lambda: backup.verify_authentication(info, key))
        engine = open_engine(path, key)
        pages = timed(lambda: check_integrity(engine))
        engine.dispose()
        target = folder / "restored"
        target.mkdir()
        copy_backup = timed(lambda: shutil.copyfile(out, folder / "plain-copy.backup"))
        restored = timed(lambda: restore_backup(out, target / "cse.db", credential))
        print(
            f"restore with authentication and checks: {restored:.2f} s "
            f"({restored / copy_backup:.1f}x vs a plain copy of the backup {copy_backup:.2f} s)"
        )
        print(
            f"   of which: checksum {checksum:.2f} s, unlocking the backup's slot "
            f"(Argon2id, {os.environ.get('CSE_SCREEN_KDF') or 'production'} parameters) "
            f"{unlock:.2f} s, MAC {mac:.2f} s, page and structure checks {pages:.2f} s"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
