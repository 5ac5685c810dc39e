"""A re-key SIGKILLed at each of its steps: the next open finds the old pair or the new pair.

"Old pair" is the old key with the old keyslot file, "new pair" the new key with the new file;
one of each would lock everyone out. Every step of the procedure is a named point
(``rekey._reached``), and each rename of the swap is a point of its own.
"""

from __future__ import annotations

import json
import signal

import pytest

from cse_screen.vault.keyslots import keyslot_path
from cse_screen.vault.rekey import INNER_STEPS, STEPS
from cse_screen.vault.store import Store

PASSWORD = "the administrator's long passphrase"
WORKER_PW = "a worker's own long passphrase"
KILL = "import os, signal\ndef die(*_a, **_k):\n    os.kill(os.getpid(), signal.SIGKILL)\n"

POINTS = {
    step: f"from cse_screen.vault import rekey\nrekey._reached = lambda s: die() if s == {step!r} "
    "else None\n"
    for step in (*STEPS, *INNER_STEPS)
}
for _name, (_source, _target) in {
    "rename_db": ("cse.db.restore-new", "cse.db"),
    "rename_old_keys_aside": ("cse.db.keys", "cse.db.keys.before-restore"),
    "rename_keys": ("cse.db.keys.restore-new", "cse.db.keys"),
}.items():
    POINTS[_name] = (
        "import pathlib\n_real = pathlib.Path.replace\n"
        "def _replace(self, target):\n"
        f"    if self.name == {_source!r} and pathlib.Path(target).name == {_target!r}: die()\n"
        "    return _real(self, target)\n"
        "pathlib.Path.replace = _replace\n"
    )
#: Points at which the re-key is already decided (its journal written): the next open finishes.
DECIDED = {"decided", "swapped", "rename_db", "rename_old_keys_aside", "rename_keys"}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cse.db"
    with Store.create(path, "ada", PASSWORD) as store:
        store.users.add("wes", WORKER_PW, "worker")
    return path


def _check(db):
    return json.loads(keyslot_path(db).read_text())["key_check"]


@pytest.mark.parametrize("point", sorted(POINTS))
def test_kill_during_rekey_leaves_the_old_pair_or_the_new_pair(db, run_child, point):
    old_check = _check(db)
    code = (
        KILL
        + POINTS[point]
        + f"""
from cse_screen.vault.store import Store
with Store.open({str(db)!r}, "ada", {PASSWORD!r}) as store:
    store.rekey()
raise SystemExit("the re-key finished without reaching the point")
"""
    )
    result = run_child(code)
    assert result.returncode == -signal.SIGKILL, result.stderr
    with Store.open(db, "wes", WORKER_PW) as store:  # every slot opens the pair in place
        assert store.verify().ok
    with Store.open(db, "ada", PASSWORD) as store:
        actions = [e.action for e in store.audit.entries()]
    rekeyed = _check(db) != old_check
    assert rekeyed == (point in DECIDED)
    assert ("rekey" in actions) == rekeyed
    names = sorted(p.name for p in db.parent.iterdir() if p.name != "child-tmp")
    assert names == ["cse.db", "cse.db.keys"]
    assert list(run_child.private_tmp.iterdir()) == []
