"""Faults in a child process: SIGKILL at named points, a full disk, a second process, temp files.

After each fault the parent checks what a user relies on: the database still unlocks and opens,
no half-written file sits where a complete one is expected, leftovers are cleaned up on the next
run, and nothing readable was written to the (private) temp folder.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

from cse_screen import errors
from cse_screen.vault.atomic import stale_temps
from cse_screen.vault.backup import check_backup, write_backup
from cse_screen.vault.engine import open_engine
from cse_screen.vault.integrity import check_integrity
from cse_screen.vault.keyslots import KeyslotFile

KILL = "import os, signal\ndef die(*_a, **_k):\n    os.kill(os.getpid(), signal.SIGKILL)\n"


def _killed(result):
    assert result.returncode == -signal.SIGKILL, result.stderr


def _open_with(vault, password):
    key = KeyslotFile.load(vault.keys_path).unlock("admin", password)
    engine = open_engine(vault.db_path, key)
    try:
        assert check_integrity(engine) == []
        with engine.connect() as connection:
            return [r[0] for r in connection.exec_driver_sql("SELECT text FROM notes ORDER BY id")]
    finally:
        engine.dispose()


def _private_tmp_is_empty(run_child):
    assert list(run_child.private_tmp.iterdir()) == []


# -- keyslot save ------------------------------------------------------------------------------

SAVE_POINTS = {
    "mid_write": "import os as _os\n_os.fsync = die",
    "before_rename": "import pathlib\npathlib.Path.replace = die",
    "after_rename": "from cse_screen.vault import atomic\natomic.fsync_dir = die",
}


@pytest.mark.parametrize("point", sorted(SAVE_POINTS))
def test_kill_during_keyslot_save_leaves_old_or_new_password_working(vault, h, run_child, point):
    vault.engine.dispose()
    result = run_child(
        KILL
        + SAVE_POINTS[point]
        + f"""
from cse_screen.vault.keyslots import KeyslotFile
slots = KeyslotFile.load({str(vault.keys_path)!r})
key = slots.unlock("admin", {h.password!r})
slots.set_password("admin", "the new password", key)
slots.save()
"""
    )
    _killed(result)
    works = []
    for password in (h.password, "the new password"):
        with contextlib.suppress(errors.WrongPassword):
            works.append(_open_with(vault, password))
    assert works == [[h.canary]]
    assert stale_temps(vault.keys_path) == []  # load removed what the killed writer left
    assert [p.name for p in vault.db_path.parent.iterdir() if p.name.endswith(".tmp")] == []
    _private_tmp_is_empty(run_child)


# -- backup writing ----------------------------------------------------------------------------

BACKUP_POINTS = {
    "after_snapshot": "from cse_screen.vault import backup\nbackup._pack = die",
    "mid_copy": "PROGRESS = die",
    "before_rename": "import pathlib\npathlib.Path.replace = die",
    "after_rename": "from cse_screen.vault import atomic\natomic.fsync_dir = die",
}


def _backup_child(vault, h, out, point):
    return (
        KILL
        + "PROGRESS = None\n"
        + BACKUP_POINTS[point]
        + f"""
from cse_screen.vault.backup import write_backup
from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile
key = KeyslotFile.load({str(vault.keys_path)!r}).unlock("admin", {h.password!r})
engine = open_engine({str(vault.db_path)!r}, key)
with engine.begin() as connection:
    connection.exec_driver_sql("INSERT INTO notes (text) VALUES ('second canary Xylophone-4410')")
write_backup(engine, {str(vault.db_path)!r}, {str(out)!r}, progress=PROGRESS)
"""
    )


@pytest.mark.parametrize("point", sorted(BACKUP_POINTS))
def test_kill_during_backup_leaves_previous_backup_or_complete_new_one(
    vault, h, run_child, tmp_path, point
):
    out = tmp_path / "nightly.backup"
    write_backup(vault.engine, vault.db_path, out)
    vault.engine.dispose()
    _killed(run_child(_backup_child(vault, h, out, point)))
    info = check_backup(out)  # never a half file at the destination
    assert info.users == ("admin",)
    leftovers = stale_temps(out)
    for leftover in leftovers:
        assert h.canary.encode() not in leftover.read_bytes()
        assert b"Xylophone-4410" not in leftover.read_bytes()
    assert _open_with(vault, h.password)[-1] == "second canary Xylophone-4410"
    engine = open_engine(vault.db_path, vault.key)
    write_backup(engine, vault.db_path, out)  # the next backup sweeps what the kill left
    engine.dispose()
    assert stale_temps(out) == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    _private_tmp_is_empty(run_child)


# -- restore -----------------------------------------------------------------------------------

RESTORE_POINTS = {
    "mid_extract": "from cse_screen.vault import restore\n"
    "_real = restore._copy_part\n_n = [0]\n"
    "def _part(*a):\n    _n[0] += 1\n    if _n[0] == 2: die()\n    return _real(*a)\n"
    "restore._copy_part = _part",
    "after_journal": "from cse_screen.vault import restore\nrestore._roll_forward = die",
}
for _n in range(2, 6):  # each rename of the roll-forward (the first rename is the journal's)
    RESTORE_POINTS[f"rename_{_n}"] = (
        "import pathlib\n_real = pathlib.Path.replace\n_n = [0]\n"
        "def _replace(self, target):\n    _n[0] += 1\n"
        f"    if _n[0] == {_n}: die()\n    return _real(self, target)\n"
        "pathlib.Path.replace = _replace"
    )


@pytest.mark.parametrize("keep", [False, True])
@pytest.mark.parametrize("point", sorted(RESTORE_POINTS))
def test_kill_during_restore_is_finished_or_undone_at_next_open(
    vault, h, run_child, tmp_path, point, keep
):
    out = tmp_path / "snap.backup"
    write_backup(vault.engine, vault.db_path, out)
    vault.add("after the backup")
    vault.engine.dispose()
    code = (
        KILL
        + RESTORE_POINTS[point]
        + f"""
from cse_screen.vault.backup_unlock import PasswordCredential
from cse_screen.vault.restore import restore_backup
restore_backup(
    {str(out)!r}, {str(vault.db_path)!r}, PasswordCredential({h.password!r}), keep_previous={keep}
)
"""
    )
    _killed(run_child(code))
    rows = _open_with(vault, h.password)
    expected = [h.canary, "after the backup"] if point == "mid_extract" else [h.canary]
    assert rows == expected
    names = sorted(p.name for p in tmp_path.iterdir() if p.name != "child-tmp")
    parked = [n for n in names if ".before-restore-" in n]
    if keep and point != "mid_extract":
        stamp = parked[0].split(".before-restore-")[1]
        assert parked == [f"cse.db.before-restore-{stamp}", f"cse.db.keys.before-restore-{stamp}"]
        engine = open_engine(tmp_path / parked[0], vault.key)  # the old data is still readable
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM notes").scalar() == 2
        engine.dispose()
        names = [n for n in names if n not in parked]
    names = [n for n in names if not n.endswith(".pending-audit")]  # the restore's audit note
    assert names == ["cse.db", "cse.db.keys", "snap.backup"]


# -- schema upgrade ----------------------------------------------------------------------------


def test_kill_during_schema_upgrade_leaves_old_schema_and_a_backup(tmp_path, run_child, h):
    scripts = tmp_path / "scripts"
    (scripts / "versions").mkdir(parents=True)
    from cse_screen.vault.migrate import MIGRATIONS_DIR

    for name in ("env.py", "script.py.mako"):
        (scripts / name).write_bytes((MIGRATIONS_DIR / name).read_bytes())
    header = "import sqlalchemy as sa\nfrom alembic import op\nbranch_labels = depends_on = None\n"
    (scripts / "versions" / "r1.py").write_text(
        header + "revision = 'r1'\ndown_revision = None\n"
        "def upgrade():\n    op.create_table('t', sa.Column('id', sa.Integer, primary_key=True))\n"
    )
    (scripts / "versions" / "r2.py").write_text(
        header + "revision = 'r2'\ndown_revision = 'r1'\nimport os, signal\n"
        "def upgrade():\n    op.create_table('half', sa.Column('id', sa.Integer))\n"
        "    op.execute('INSERT INTO t (id) VALUES (42)')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    made = h.make_vault(tmp_path / "db.sqlite")
    with made.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE notes")
    made.engine.dispose()
    code = f"""
from cse_screen.vault import migrate
from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile
key = KeyslotFile.load({str(made.keys_path)!r}).unlock("admin", {h.password!r})
engine = open_engine({str(made.db_path)!r}, key)
(__import__("pathlib").Path({str(scripts)!r}) / "versions" / "r2.py").rename(
    {str(scripts / "r2.hold")!r})
migrate.upgrade(engine, {str(made.db_path)!r}, script_location={str(scripts)!r})
(__import__("pathlib").Path({str(scripts / "r2.hold")!r})).rename(
    {str(scripts / "versions" / "r2.py")!r})
migrate.upgrade(engine, {str(made.db_path)!r}, script_location={str(scripts)!r})
"""
    _killed(run_child(code))
    from cse_screen.vault import migrate

    engine = open_engine(made.db_path, made.key)
    try:
        assert migrate.current_revision(engine) == "r1"
        with engine.connect() as connection:
            tables = {r[0] for r in connection.exec_driver_sql("SELECT name FROM sqlite_master")}
            assert connection.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
        assert "half" not in tables
        assert check_integrity(engine) == []
    finally:
        engine.dispose()
    backups = [p for p in tmp_path.iterdir() if ".before-upgrade-r1-" in p.name]
    assert len(backups) == 1 and check_backup(backups[0]).schema_revision == "r1"


# -- full disk ---------------------------------------------------------------------------------


def test_file_size_limit_during_keyslot_save(vault, h, run_child):
    before = vault.keys_path.read_bytes()
    result = run_child(
        f"""
from cse_screen.errors import StorageFull
from cse_screen.vault.keyslots import KeyslotFile
slots = KeyslotFile.load({str(vault.keys_path)!r})
key = slots.unlock("admin", {h.password!r})
slots.set_password("admin", "new lantern harbour", key)
try:
    slots.save()
except StorageFull as exc:
    print("FULL:", exc)
""",
        limit_file_bytes=100,
    )
    assert f"FULL: there is not enough disk space to write {vault.keys_path}" in result.stdout
    assert vault.keys_path.read_bytes() == before
    assert [p.name for p in vault.db_path.parent.iterdir() if p.name.endswith(".tmp")] == []


def _backup_under_limit(vault, h, run_child, out, limit):
    return run_child(
        f"""
from cse_screen.errors import BackupFailed, StorageFull
from cse_screen.vault.backup import write_backup
from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile
key = KeyslotFile.load({str(vault.keys_path)!r}).unlock("admin", {h.password!r})
engine = open_engine({str(vault.db_path)!r}, key)
try:
    write_backup(engine, {str(vault.db_path)!r}, {str(out)!r})
except (StorageFull, BackupFailed) as exc:
    print(type(exc).__name__ + ":", exc)
""",
        limit_file_bytes=limit,
    )


@pytest.mark.parametrize("phase", ["copying the database", "packing the backup file"])
def test_file_size_limit_during_backup(vault, h, run_child, tmp_path, phase):
    with vault.engine.begin() as connection:
        for i in range(200):
            connection.exec_driver_sql("INSERT INTO notes (text) VALUES (?)", ("x" * 300 + str(i),))
    probe = tmp_path / "probe.backup"
    snapshot_bytes = check_backup(write_backup(vault.engine, vault.db_path, probe)).database_bytes
    probe.unlink()
    vault.engine.dispose()
    out = tmp_path / "nightly.backup"
    limit = snapshot_bytes // 2 if phase == "copying the database" else snapshot_bytes + 64
    result = _backup_under_limit(vault, h, run_child, out, limit)
    if phase == "packing the backup file":
        assert f"StorageFull: there is not enough disk space to write {out}" in result.stdout
    else:
        assert f"BackupFailed: the backup {out} could not be written" in result.stdout, result
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert len(_open_with(vault, h.password)) == 201


def test_real_full_disk_during_backup_and_keyslot_save(vault, h, tiny_fs):
    small = tiny_fs(96 * 1024)
    with vault.engine.begin() as connection:
        for i in range(400):
            connection.exec_driver_sql("INSERT INTO notes (text) VALUES (?)", ("y" * 500 + str(i),))
    out = small / "nightly.backup"
    with pytest.raises(errors.StorageFull, match="not enough disk space"):
        write_backup(vault.engine, vault.db_path, out)
    assert list(small.iterdir()) == []
    assert check_integrity(vault.engine) == []
    # Keyslots on a full disk: the old file stays and still unlocks.
    keys = small / "cse.db.keys"
    keys.write_bytes(vault.keys_path.read_bytes())
    filler = small / "filler"
    with open(filler, "wb", buffering=0) as handle, pytest.raises(OSError):
        while True:
            handle.write(b"\0" * 4096)
    slots = KeyslotFile.load(keys)
    slots.set_password("admin", "new lantern harbour", vault.key)
    with pytest.raises(errors.StorageFull):
        slots.save()
    assert KeyslotFile.load(keys).unlock("admin", h.password) == vault.key
    assert sorted(p.name for p in small.iterdir()) == ["cse.db.keys", "filler"]


# -- a second process and the temp folder ------------------------------------------------------


def test_second_process_can_work_on_the_same_database(vault, h, run_child):
    connection = vault.engine.connect()  # hold a connection open in this process
    try:
        result = run_child(
            f"""
from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile
key = KeyslotFile.load({str(vault.keys_path)!r}).unlock("admin", {h.password!r})
engine = open_engine({str(vault.db_path)!r}, key)
with engine.begin() as connection:
    connection.exec_driver_sql("INSERT INTO notes (text) VALUES ('from the second process')")
print(engine.connect().exec_driver_sql("SELECT count(*) FROM notes").scalar())
"""
        )
        assert result.stdout.strip() == "2", result.stderr
    finally:
        connection.close()
    assert vault.rows() == [h.canary, "from the second process"]


def test_database_held_exclusively_elsewhere_is_reported_in_use(vault, h, tmp_path):
    vault.engine.dispose()
    code = f"""
import sys, time
from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile
key = KeyslotFile.load({str(vault.keys_path)!r}).unlock("admin", {h.password!r})
engine = open_engine({str(vault.db_path)!r}, key)
raw = engine.raw_connection().driver_connection
raw.execute("PRAGMA locking_mode = EXCLUSIVE")
raw.execute("BEGIN EXCLUSIVE")
raw.execute("INSERT INTO notes (text) VALUES ('held')")
print("holding", flush=True)
time.sleep(30)
"""
    env = dict(os.environ, CSE_SCREEN_KDF="test")
    holder = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        with pytest.raises(errors.DatabaseInUse, match="in use by another program"):
            open_engine(vault.db_path, vault.key, busy_timeout_ms=200)
        assert time.monotonic() - started < 10
    finally:
        holder.kill()
        holder.wait()
    assert _open_with(vault, h.password) == [h.canary]


def test_whole_cycle_writes_nothing_to_temp_and_no_plaintext_anywhere(tmp_path, h, run_child):
    work = tmp_path / "work"
    work.mkdir()
    result = run_child(
        f"""
from pathlib import Path
from cse_screen.vault import migrate
from cse_screen.vault.backup import check_backup, write_backup
from cse_screen.vault.restore import restore_backup
from cse_screen.vault.engine import open_engine
from cse_screen.vault.integrity import check_integrity
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path
db = Path({str(work)!r}) / "cse.db"
slots, key = KeyslotFile.create(keyslot_path(db), "admin", {h.password!r})
engine = open_engine(db, key, create=True)
slots.save()
migrate.upgrade(engine, db)
with engine.begin() as connection:
    connection.exec_driver_sql("CREATE TABLE scratch (text TEXT)")
    for i in range(500):
        connection.exec_driver_sql("INSERT INTO scratch VALUES (?)", ({h.canary!r} + str(i),))
    connection.exec_driver_sql("CREATE INDEX scratch_text ON scratch (text)")
    connection.exec_driver_sql("SELECT text FROM scratch ORDER BY text DESC").fetchall()
assert check_integrity(engine) == []
write_backup(engine, db, db.with_name("b.backup"))
check_backup(db.with_name("b.backup"))
engine.dispose()
from cse_screen.vault.backup_unlock import PasswordCredential
restore_backup(db.with_name("b.backup"), db, PasswordCredential({h.password!r}))
engine = open_engine(db, KeyslotFile.load(keyslot_path(db)).unlock("admin", {h.password!r}))
engine.connect().exec_driver_sql("SELECT count(*) FROM scratch").scalar()
import os, signal
os.kill(os.getpid(), signal.SIGKILL)  # leave -wal and -shm behind
"""
    )
    _killed(result)
    _private_tmp_is_empty(run_child)
    assert h.files_containing(work, h.canary) == []
    assert h.files_containing(work, h.password) == []
    assert h.canary not in result.stdout + result.stderr


def test_read_only_location_gives_sentences_and_creates_nothing(tmp_path, h, tiny_fs):
    folder = tiny_fs(4 * 1024 * 1024)
    made = h.make_vault(folder / "cse.db")
    made.engine.dispose()
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    before = h.file_bytes(folder)
    slots = KeyslotFile.load(made.keys_path)
    slots.set_password("admin", "new lantern harbour", made.key)
    with pytest.raises(errors.UserError, match="read-only"):
        slots.save()
    with pytest.raises(errors.UserError, match="read-only"):
        open_engine(folder / "other.db", made.key, create=True)
    try:
        engine = open_engine(made.db_path, made.key)
    except errors.UserError as exc:
        assert str(made.db_path) in str(exc)
    else:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT text FROM notes").scalar() == h.canary
        engine.dispose()
    assert h.file_bytes(folder) == before
