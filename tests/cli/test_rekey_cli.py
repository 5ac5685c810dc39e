"""`cse-screen rekey` and `cse-screen user disable`: their sentences and exit codes."""

from __future__ import annotations

import shutil

import pytest
from cli_run import run

from cse_screen.vault.keyslots import keyslot_path

ADMIN_PW = "the administrator's long passphrase"
WORKER_PW = "a worker's own long passphrase"
NEW_PW = "a brand new long passphrase 2026"


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch):
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")


@pytest.fixture
def db(tmp_path, capsys, monkeypatch):
    path = tmp_path / "cse.db"
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", ADMIN_PW)
    assert run(capsys, "init", "--db", str(path), "--user", "ada")[0] == 0
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSWORD", WORKER_PW)
    args = ("user", "add", "--db", str(path), "--user", "ada", "--new-user", "wes")
    assert run(capsys, *args, "--role", "worker")[0] == 0
    return path


def _as(monkeypatch, password):
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", password)


def test_rekey_prints_what_it_did_and_an_earlier_keyslot_file_stops_working(
    db, capsys, monkeypatch
):
    kept = db.with_name("kept.keys")
    shutil.copy2(keyslot_path(db), kept)
    code, out, err = run(capsys, "rekey", "--db", str(db), "--user", "ada")
    assert (code, err) == (0, "")
    assert (
        "resealed 2 keyslot(s)" in out and "backups made before now still hold the old key" in out
    )
    _as(monkeypatch, WORKER_PW)
    assert run(capsys, "stats", "--db", str(db), "--user", "wes")[0] == 0
    shutil.copy2(kept, keyslot_path(db))
    code, _out, err = run(capsys, "stats", "--db", str(db), "--user", "wes")
    assert code == 4 and "re-keyed" in err and "Traceback" not in err


def test_rekey_by_a_worker_is_refused_and_a_wrong_password_is_exit_3(db, capsys, monkeypatch):
    before = keyslot_path(db).read_bytes()
    _as(monkeypatch, WORKER_PW)
    code, _out, err = run(capsys, "rekey", "--db", str(db), "--user", "wes")
    assert code == 1 and "may not re-key the database" in err
    assert keyslot_path(db).read_bytes() == before
    _as(monkeypatch, "not the password at all, sorry")
    assert run(capsys, "rekey", "--db", str(db), "--user", "ada")[0] == 3
    assert keyslot_path(db).read_bytes() == before


def test_user_disable_deactivates_and_a_leavers_old_file_no_longer_opens(db, capsys, monkeypatch):
    took = db.with_name("leaver.keys")
    shutil.copy2(keyslot_path(db), took)
    args = ("user", "disable", "--db", str(db), "--user", "ada", "--target", "wes")
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert "disabled 'wes' and re-encrypted the database to a new key" in out
    _as(monkeypatch, WORKER_PW)
    code, _out, err = run(capsys, "stats", "--db", str(db), "--user", "wes")
    assert code == 3  # no slot any more
    shutil.copy2(took, keyslot_path(db))
    code, _out, err = run(capsys, "stats", "--db", str(db), "--user", "wes")
    assert code == 4 and "cannot be read" in err


def test_user_disable_of_an_unknown_user_changes_nothing(db, capsys):
    before = keyslot_path(db).read_bytes()
    args = ("user", "disable", "--db", str(db), "--user", "ada", "--target", "nobody")
    code, _out, err = run(capsys, *args)
    assert code == 1 and "there is no user named 'nobody'" in err
    assert keyslot_path(db).read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["cse.db", "cse.db.keys"]


def test_yesterdays_keyslot_file_after_a_password_change_is_exit_4(db, capsys, monkeypatch):
    yesterday = db.with_name("yesterday.keys")
    shutil.copy2(keyslot_path(db), yesterday)
    _as(monkeypatch, WORKER_PW)
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSWORD", NEW_PW)
    assert run(capsys, "passwd", "--db", str(db), "--user", "wes")[0] == 0
    shutil.copy2(yesterday, keyslot_path(db))
    code, _out, err = run(capsys, "stats", "--db", str(db), "--user", "wes")
    assert code == 4
    assert "is older than the database" in err and "an earlier copy was put back" in err
    assert err.count("\n") == 1
