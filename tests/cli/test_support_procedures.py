"""What IT does from docs/deploying.md: check a copy, hand out the recovery key, upgrade.

Each test drives the real command line over real encrypted databases in a temporary folder.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
from importlib.metadata import version
from pathlib import Path

import pytest
from alembic import command
from cli_run import run

from cse_screen.storage import revisions
from cse_screen.vault import migrate
from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path
from cse_screen.vault.store import Store

PASSWORD = "first pass"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    monkeypatch.setenv("CSE_SCREEN_RECOVERY_PASSPHRASE", "it keeps this phrase in the key safe")


def make_db(capsys, path: Path) -> Path:
    code, _, err = run(capsys, "init", "--db", str(path), "--user", "admin")
    assert code == 0, err
    return path


def copy_db(db: Path, folder: Path) -> Path:
    folder.mkdir()
    shutil.copy2(db, folder / db.name)
    shutil.copy2(keyslot_path(db), keyslot_path(folder / db.name))
    return folder / db.name


# --- copies ---------------------------------------------------------------------------------
def test_a_copy_opened_elsewhere_says_so_and_leaves_the_originals_verify_clean(tmp_path, capsys):
    db = make_db(capsys, tmp_path / "real" / "cse.db")
    copy = copy_db(db, tmp_path / "checking")
    code, out, err = run(capsys, "verify", "--db", str(copy), "--user", "admin")
    assert code == 0, err
    assert "is a copy of a database opened at another place" in err
    for _ in range(2):  # the copy is used, and moves on past the original
        assert run(capsys, "stats", "--db", str(copy), "--user", "admin")[0] == 0
    code, out, err = run(capsys, "verify", "--db", str(db), "--user", "admin")
    assert code == 0, err
    assert "ok:" in out and "warning" not in err and "copy" not in err


def test_anchor_reset_clears_a_false_alarm_and_keeps_the_check(tmp_path, capsys):
    db = make_db(capsys, tmp_path / "cse.db")
    kept = copy_db(db, tmp_path / "kept")
    assert run(capsys, "stats", "--db", str(db), "--user", "admin")[0] == 0
    shutil.copy2(kept, db)  # an older copy put back in place
    shutil.copy2(keyslot_path(kept), keyslot_path(db))
    code, _, err = run(capsys, "verify", "--db", str(db), "--user", "admin")
    assert code == 4 and "older copy put back" in err

    code, out, err = run(capsys, "anchor", "reset", "--db", str(db), "--user", "admin")
    assert code == 0, err
    assert "the warning was cleared" in out
    code, out, err = run(capsys, "verify", "--db", str(db), "--user", "admin")
    assert code == 0, err
    with Store.open(db, "admin", PASSWORD) as store, store.engine.connect() as connection:
        actions = [row[0] for row in connection.exec_driver_sql("SELECT action FROM audit")]
    assert "anchor_reset" in actions

    older = tmp_path / "older"
    older.mkdir()
    shutil.copy2(kept, older / "cse.db")  # the check still catches a rollback afterwards
    shutil.copy2(keyslot_path(kept), keyslot_path(older / "cse.db"))
    for _ in range(2):
        assert run(capsys, "stats", "--db", str(db), "--user", "admin")[0] == 0
    shutil.copy2(older / "cse.db", db)
    shutil.copy2(keyslot_path(older / "cse.db"), keyslot_path(db))
    assert run(capsys, "verify", "--db", str(db), "--user", "admin")[0] == 4


def test_anchor_reset_is_for_administrators(tmp_path, capsys, monkeypatch):
    db = make_db(capsys, tmp_path / "cse.db")
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSWORD", "worker pass")
    add = ("user", "add", "--db", str(db), "--user", "admin", "--new-user", "w", "--role", "worker")
    assert run(capsys, *add)[0] == 0
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", "worker pass")
    code, _, err = run(capsys, "anchor", "reset", "--db", str(db), "--user", "w")
    assert code == 1 and "reset the rollback check" in err


def test_the_anchor_file_keeps_no_path(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(tmp_path / "config"))
    db = make_db(capsys, tmp_path / "Named Folder" / "cse.db")
    text = (tmp_path / "config" / "database-anchors.json").read_text(encoding="utf-8")
    assert "Named" not in text and str(tmp_path) not in text
    assert all("place" in entry for entry in json.loads(text).values())
    assert db.exists()


def test_the_user_folders_and_crash_reports_are_private(tmp_path, capsys, monkeypatch):
    """The settings and log folders are the user's alone (0700), as the data folder is, and a
    crash report is 0600: it names no child, but nothing of this user's is world-readable."""
    from cse_screen.reports import write_crash_report

    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(tmp_path / "config"))
    make_db(capsys, tmp_path / "data" / "cse.db")
    assert stat.S_IMODE((tmp_path / "config").stat().st_mode) == 0o700
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        report = write_crash_report(exc, tmp_path / "logs")
    assert report is not None
    assert stat.S_IMODE((tmp_path / "logs").stat().st_mode) == 0o700
    assert stat.S_IMODE(report.stat().st_mode) == 0o600


# --- the recovery key -----------------------------------------------------------------------
def test_recovery_public_key_is_0644_private_0600_and_openssl_gives_the_fingerprint(
    tmp_path, capsys
):
    pub, private = tmp_path / "it-recovery.pub", tmp_path / "it-recovery.key"
    code, out, err = run(
        capsys, "recovery", "keygen", "--private-out", str(private), "--public-out", str(pub)
    )
    assert code == 0, err
    assert stat.S_IMODE(pub.stat().st_mode) == 0o644
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    printed = re.search(r"fingerprint ([0-9a-f]{64})", out)
    assert printed is not None
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    # The command docs/deploying.md gives IT, exactly.
    command = f"openssl pkey -pubin -in {pub} -outform DER | openssl dgst -sha256"
    shown = subprocess.run(command, shell=True, capture_output=True, text=True, check=True).stdout
    assert shown.strip().endswith(printed.group(1))
    db = tmp_path / "cse.db"
    code, _, err = run(capsys, "init", "--db", str(db), "--user", "a", "--recovery-key", str(pub))
    assert code == 0 and KeyslotFile.load(keyslot_path(db)).recovery_fingerprint == printed[1]


# --- versions and upgrades ------------------------------------------------------------------
def test_version_names_the_release_and_the_schema(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0
    head = revisions.head_revision()
    assert out.strip() == f"cse-screen {version('cse-screen')} (database schema {head})"


def test_every_revision_names_its_first_release():
    assert migrate.known_revisions() <= set(revisions.FIRST_RELEASE)


def previous_schema_database(tmp_path: Path, capsys, monkeypatch) -> Path:
    """A database as the previous release left it: made at head, then Alembic's downgrade to
    the revision before head (the models cannot write rows into an older schema)."""
    head = migrate.head_revision()
    previous = revisions._scripts(None).get_revision(head).down_revision
    assert isinstance(previous, str)
    db = make_db(capsys, tmp_path / "old.db")
    engine = open_engine(db, KeyslotFile.load(keyslot_path(db)).unlock("admin", PASSWORD))
    try:
        with engine.connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
            with connection.begin():
                command.downgrade(revisions.alembic_config(connection), previous)
        assert migrate.current_revision(engine) == previous
        with engine.connect() as connection:
            signed = connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'audit_heads'"
            ).first()
    finally:
        engine.dispose()
    if signed is None:  # a release before signing wrote no signing key into the keyslot file
        keys = json.loads(keyslot_path(db).read_text())
        keys.pop("signing", None)
        keyslot_path(db).write_text(json.dumps(keys))
    return db


def test_an_upgrade_says_what_it_did_and_where_the_backup_is(tmp_path, capsys, monkeypatch):
    db = previous_schema_database(tmp_path, capsys, monkeypatch)
    code, _, err = run(capsys, "stats", "--db", str(db), "--user", "admin")
    assert code == 0, err
    backups = list(tmp_path.glob("old.db.before-upgrade-*.backup"))
    assert len(backups) == 1
    line = next(x for x in err.splitlines() if "upgraded the database" in x)
    assert line.startswith("cse-screen: note: upgraded the database")
    assert str(backups[0]) in line and version("cse-screen") in line
    with Store.open(db, "admin", PASSWORD) as store, store.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT detail FROM audit WHERE action = 'upgrade'")
        details = [json.loads(row[0]) for row in rows]
        assert store.notices == ()  # said once, when it happened
    assert details and details[0]["backup"] == backups[0].name
    assert details[0]["to_schema"] == migrate.head_revision()


def test_a_too_new_database_names_the_release_it_needs(tmp_path, capsys):
    db = make_db(capsys, tmp_path / "cse.db")
    key = KeyslotFile.load(keyslot_path(db)).unlock("admin", PASSWORD)
    engine = open_engine(db, key)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
        connection.exec_driver_sql(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('requires_version', '0.9.0')"
        )
    engine.dispose()
    code, _, err = run(capsys, "stats", "--db", str(db), "--user", "admin")
    assert code == 1
    assert "install cse-screen 0.9.0 or newer" in err and "schema 0099" in err


def test_each_upgrade_stamps_the_release_it_needs(tmp_path, capsys):
    db = make_db(capsys, tmp_path / "cse.db")
    engine = open_engine(db, KeyslotFile.load(keyslot_path(db)).unlock("admin", PASSWORD))
    try:
        assert migrate.required_release(engine) == revisions.FIRST_RELEASE[migrate.head_revision()]
    finally:
        engine.dispose()
