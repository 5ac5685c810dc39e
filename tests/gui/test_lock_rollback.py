"""The lock screen's password check and a keyslot file put back while the app was locked."""

from __future__ import annotations

from pathlib import Path

import pytest

from cse_screen.errors import DatabaseDamaged
from cse_screen.gui.app import verify_password
from cse_screen.vault.keyslots import keyslot_path
from cse_screen.vault.store import Store

NEW = "a different long passphrase 77"


def test_an_older_keyslot_file_does_not_unlock_a_locked_session(demo_db: Path, demo) -> None:
    keys = keyslot_path(demo_db)
    yesterday = keys.read_bytes()
    with Store.open(demo_db, demo.user, demo.password) as store:
        store.users.set_password(demo.user, NEW)
        attempt = verify_password(demo_db, store)
        attempt(demo.user, NEW)
        current = keys.read_bytes()
        keys.write_bytes(yesterday)  # put back while the session is locked
        with pytest.raises(DatabaseDamaged, match="older than the database"):
            attempt(demo.user, demo.password)
        keys.write_bytes(current)
        attempt(demo.user, NEW)


def test_a_keyslot_file_from_before_a_rekey_does_not_unlock_it(demo_db: Path, demo) -> None:
    keys = keyslot_path(demo_db)
    with Store.open(demo_db, demo.user, demo.password) as store:
        before = keys.read_bytes()
        store.rekey()
        attempt = verify_password(demo_db, store)
        keys.write_bytes(before)
        with pytest.raises(DatabaseDamaged):
            attempt(demo.user, demo.password)
