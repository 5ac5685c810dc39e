"""After another program changed the keyslot file, "please try again" works on the next try.

The conflict check refuses to overwrite the other program's change; before, the open store kept
the file as first read, so every retry failed the same way until the user signed out.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from records_fixtures import ADMIN, PASSWORD

from cse_screen import errors
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path

OTHER_PROGRAM = textwrap.dedent(
    """
    import sys
    from cse_screen.vault.store import Store

    db, password = sys.argv[1], sys.argv[2]
    with Store.open(db, "ada", password) as store:
        store.users.add("olly", "harbour lantern 27 own", "worker", team="North")
    """
)


def test_the_retry_after_a_keyslot_conflict_succeeds_and_keeps_the_other_change(
    file_council, monkeypatch: pytest.MonkeyPatch
):
    store = file_council.open(ADMIN)
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    subprocess.run(
        [sys.executable, "-c", OTHER_PROGRAM, str(file_council.path), PASSWORD],
        check=True,
        timeout=60,
    )
    with pytest.raises(errors.KeyslotConflict, match="please try again"):
        store.users.add("pat", "copper kettle 19 first", "worker", team="North")
    assert "pat" not in {u.name for u in store.users.roster()}  # nothing was saved

    store.users.add(
        "pat", "copper kettle 19 first", "worker", team="North"
    )  # the worker tries again

    on_disk = KeyslotFile.load(keyslot_path(file_council.path))
    assert {"olly", "pat"} <= set(on_disk.users())  # neither change overwrote the other
    on_disk.unlock("olly", "harbour lantern 27 own")
    on_disk.unlock("pat", "copper kettle 19 first")
    store.users.set_password("pat", "quiet meadow 41 second")  # and later saves still work
    KeyslotFile.load(keyslot_path(file_council.path)).unlock("pat", "quiet meadow 41 second")
