"""The store's command line (DESIGN section 8): every command, its errors and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_run import run

from cse_screen.cli import main
from cse_screen.core import registry
from cse_screen.vault.store import Store

PASSWORD = 'first "pass" @/:'
NEW = "second pässword"
SAMPLE = Path(__file__).resolve().parents[1] / "storage" / "records" / "children.csv"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSWORD", NEW)


@pytest.fixture
def db(tmp_path: Path, capsys) -> Path:
    path = tmp_path / "cse.db"
    code, out, _ = run(capsys, "init", "--db", str(path), "--user", "admin", "--full-name", "A")
    assert code == 0 and "created the encrypted database" in out
    return path


def answers_file(tmp_path: Path, **chosen: str) -> Path:
    q = registry.get_questionnaire()
    answers = {i.id: ("no" if "no" in i.values else "none") for i in q.items}
    answers.update(chosen)
    path = tmp_path / "answers.json"
    data = {"questionnaire": q.id, "context": {"screen_date": "2026-01-10"}, "answers": answers}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_init_refuses_to_overwrite_and_needs_a_user(db: Path, capsys):
    code, _, err = run(capsys, "init", "--db", str(db), "--user", "admin")
    assert code == 1 and "already exists" in err and "Traceback" not in err
    code, _, err = run(capsys, "init", "--db", str(db.with_name("x.db")))
    assert code == 2 and "no user name given" in err
    missing = db.with_name("nope.pub")
    code, _, err = run(
        capsys,
        "init",
        "--db",
        str(db.with_name("y.db")),
        "--user",
        "a",
        "--recovery-key",
        str(missing),
    )
    assert code == 1 and "does not exist" in err and not db.with_name("y.db").exists()


def test_user_add_passwd_and_wrong_passwords(db: Path, capsys, monkeypatch):
    base = ["--db", str(db)]
    code, out, _ = run(
        capsys,
        "user",
        "add",
        *base,
        "--user",
        "admin",
        "--new-user",
        "wes",
        "--role",
        "worker",
        "--team",
        "North",
    )
    assert code == 0 and "added worker 'wes' in team North" in out
    code, _, err = run(
        capsys, "user", "add", *base, "--user", "admin", "--new-user", "x", "--role", "boss"
    )
    assert code == 2 and "invalid choice" in err
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", NEW)
    code, _, err = run(
        capsys, "user", "add", *base, "--user", "wes", "--new-user", "y", "--role", "worker"
    )
    assert code == 1 and "may not add users" in err
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    code, _, err = run(capsys, "stats", *base, "--user", "wes")
    assert code == 3 and "wrong user name or password" in err
    code, _, err = run(capsys, "stats", *base, "--user", "nobody")
    assert code == 3
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSWORD", "third pässword")
    code, out, _ = run(capsys, "passwd", *base, "--user", "admin")
    assert code == 0 and "was changed" in out
    assert run(capsys, "stats", *base, "--user", "admin")[0] == 3
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", "third pässword")
    assert run(capsys, "stats", *base, "--user", "admin")[0] == 0


def test_child_add_and_import(db: Path, capsys, tmp_path: Path):
    base = ["--db", str(db), "--user", "admin"]
    code, out, _ = run(
        capsys,
        "child",
        "add",
        *base,
        "--ref",
        "R1",
        "--name",
        "Ann Other",
        "--dob",
        "2012-03-04",
        "--disability",
        "learning",
    )
    assert code == 0 and json.loads(out)["case_ref"] == "R1"
    code, _, err = run(
        capsys, "child", "add", *base, "--ref", "R1", "--name", "B", "--dob", "2012-03-04"
    )
    assert code == 1 and "already exists" in err
    code, _, err = run(
        capsys, "child", "add", *base, "--ref", "R2", "--name", "B", "--dob", "04/03/2012"
    )
    assert code == 2 and "YYYY-MM-DD" in err
    sample = tmp_path / "children.csv"
    shutil.copy(SAMPLE, sample)
    code, out, _ = run(capsys, "child", "import", *base, str(sample))
    assert code == 0 and "imported 25 children" in out
    broken = tmp_path / "broken.csv"
    lines = sample.read_text().splitlines()
    broken.write_text("\n".join([lines[0], lines[1].replace("LAC1000", "N9"), "N10,,01/01/2012"]))
    code, _, err = run(capsys, "child", "import", *base, str(broken))
    assert code == 1 and "row 3 (N10) has no name" in err and "Amelia" not in err
    assert json.loads(run(capsys, "stats", *base, "--json")[1])["children"] == 26
    code, _, err = run(capsys, "child", "import", *base, str(tmp_path / "none.csv"))
    assert code == 1 and "does not exist" in err


def test_screen_draft_submit_and_refusals(db: Path, capsys, tmp_path: Path):
    base = ["--db", str(db), "--user", "admin"]
    run(capsys, "child", "add", *base, "--ref", "R1", "--name", "Ann", "--dob", "2012-03-04")
    full = answers_file(tmp_path, A1="current")
    code, out, _ = run(capsys, "screen", *base, "--child", "R1", "--answers", str(full))
    assert code == 0 and json.loads(out)["status"] == "draft" and json.loads(out)["outcome"] is None
    code, out, _ = run(capsys, "screen", *base, "--child", "R1", "--answers", str(full), "--submit")
    result = json.loads(out)
    assert code == 0 and (result["status"], result["outcome"]) == ("submitted", "significant")
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps({"answers": {"A1": "none", "A2": "none"}}))
    code, _, err = run(
        capsys, "screen", *base, "--child", "R1", "--answers", str(partial), "--submit"
    )
    assert code == 1 and "required item(s) are unanswered: A3, A4" in err
    assert err.rstrip().endswith(", L15") and len(err.strip().splitlines()) == 1  # all named
    stats = json.loads(run(capsys, "stats", *base, "--json")[1])
    assert stats["screenings"]["by_status"] == {
        "draft": 1,
        "submitted": 1,
        "signed_off": 0,
        "returned": 0,
    }
    code, out, _ = run(
        capsys,
        "screen",
        *base,
        "--child",
        "R1",
        "--answers",
        str(full),
        "--submit",
        "--outcome",
        "low",
        "--reason",
        "known to CSE team",
    )
    lowered = json.loads(out)
    assert (lowered["outcome"], lowered["computed_outcome"], lowered["needs_signoff"]) == (
        "low",
        "significant",
        True,
    )
    assert run(capsys, "screen", *base, "--child", "NOPE", "--answers", str(full))[0] == 1
    bad = tmp_path / "bad.json"
    bad.write_text('{"answers": {"A1": "sometimes"}}')
    code, _, err = run(capsys, "screen", *base, "--child", "R1", "--answers", str(bad))
    assert code == 1 and "A1" in err


def test_stats_json_shape(db: Path, capsys):
    code, out, _ = run(capsys, "stats", "--db", str(db), "--user", "admin", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["children"] == 0 and data["overdue"] == 0
    assert set(data["screenings"]) == {"total", "by_status", "by_outcome"}
    assert set(data["screenings"]["by_outcome"]) == {
        "no_current_risk",
        "low",
        "moderate",
        "significant",
    }


def test_verify_ok_then_damage_exits_4(db: Path, capsys):
    base = ["--db", str(db), "--user", "admin"]
    code, out, _ = run(capsys, "verify", *base)
    assert code == 0 and "are intact" in out
    with Store.open(db, "admin", PASSWORD) as store, store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_no_update")
        connection.exec_driver_sql("UPDATE audit SET actor = 'mallory' WHERE seq = 2")
    code, _, err = run(capsys, "verify", *base)
    assert code == 4 and "audit entry 2" in err and "broken at entry 2" in err


def test_verify_flipped_byte_exits_4(db: Path, capsys):
    base = ["--db", str(db), "--user", "admin"]
    for n in range(20):
        run(capsys, "child", "add", *base, "--ref", f"R{n}", "--name", "X", "--dob", "2012-01-01")
    data = bytearray(db.read_bytes())
    data[9000] ^= 0xFF
    db.write_bytes(bytes(data))
    code, _, err = run(capsys, "verify", *base)
    assert code == 4 and "Traceback" not in err


def test_an_older_copy_copied_over_the_database_fails_verify(db: Path, capsys, tmp_path: Path):
    base = ["--db", str(db), "--user", "admin"]
    keys = db.with_name(db.name + ".keys")
    saved = [(p, p.read_bytes()) for p in (db, keys)]
    run(capsys, "child", "add", *base, "--ref", "R1", "--name", "Ann", "--dob", "2012-03-04")
    for path, data in saved:
        path.write_bytes(data)
    code, _, err = run(capsys, "stats", *base)
    assert code == 0 and "warning: this database's audit trail has" in err
    code, _, err = run(capsys, "verify", *base)
    assert code == 4 and "older than expected" in err


def test_backup_restore_and_garbage(db: Path, capsys, tmp_path: Path):
    base = ["--db", str(db), "--user", "admin"]
    run(capsys, "child", "add", *base, "--ref", "R1", "--name", "Ann", "--dob", "2012-03-04")
    out_file = tmp_path / "b.backup"
    code, out, _ = run(capsys, "backup", *base, "--out", str(out_file))
    assert code == 0 and out_file.exists()
    run(capsys, "child", "add", *base, "--ref", "R2", "--name", "Bob", "--dob", "2012-03-04")
    garbage = tmp_path / "g.backup"
    garbage.write_bytes(b"\0" * 5000)
    code, _, err = run(capsys, "restore", "--db", str(db), "--backup", str(garbage))
    assert code == 1 and "not a usable cse-screen backup" in err
    assert json.loads(run(capsys, "stats", *base, "--json")[1])["children"] == 2
    code, out, _ = run(capsys, "restore", "--db", str(db), "--backup", str(out_file))
    assert code == 0 and "restored" in out
    code, out, err = run(capsys, "stats", *base, "--json")
    assert json.loads(out)["children"] == 1 and err == ""  # a restore is expected to go back
    assert run(capsys, "verify", *base)[0] == 0
    with Store.open(db, "admin", PASSWORD) as store:
        assert any(e.action == "restore" for e in store.audit.entries(limit=10))


def test_recovery_keygen_init_and_recover(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("CSE_SCREEN_RECOVERY_PASSPHRASE", "it keeps this phrase in the key safe")
    private, public = tmp_path / "it.key", tmp_path / "it.pub"
    code, out, _ = run(
        capsys, "recovery", "keygen", "--private-out", str(private), "--public-out", str(public)
    )
    assert code == 0 and "fingerprint" in out
    db = tmp_path / "r.db"
    code, out, _ = run(
        capsys, "init", "--db", str(db), "--user", "admin", "--recovery-key", str(public)
    )
    assert code == 0 and "recovery slot" in out
    code, out, _ = run(
        capsys,
        "recovery",
        "recover",
        "--db",
        str(db),
        "--user",
        "admin",
        "--private-key",
        str(private),
    )
    assert code == 0 and "new password was set" in out
    assert run(capsys, "stats", "--db", str(db), "--user", "admin")[0] == 3
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", NEW)
    assert run(capsys, "stats", "--db", str(db), "--user", "admin")[0] == 0
    monkeypatch.setenv("CSE_SCREEN_RECOVERY_PASSPHRASE", "wrong")
    code, _, err = run(
        capsys,
        "recovery",
        "recover",
        "--db",
        str(db),
        "--user",
        "admin",
        "--private-key",
        str(private),
    )
    assert code == 3 and "Traceback" not in err


def test_demo_creates_or_fills_a_database(tmp_path: Path, capsys, monkeypatch):
    db = tmp_path / "demo.db"
    code, out, _ = run(capsys, "demo", "--db", str(db), "--children", "30", "--seed", "2")
    assert code == 0 and "30 children" in out
    code, out, _ = run(capsys, "demo", "--db", str(db), "--children", "10", "--seed", "3")
    assert code == 0
    stats = json.loads(run(capsys, "stats", "--db", str(db), "--user", "demo", "--json")[1])
    assert stats["children"] == 40
    monkeypatch.delenv("CSE_SCREEN_PASSWORD")
    code, _, err = run(capsys, "demo", "--db", str(tmp_path / "x.db"))
    assert code == 2 and "CSE_SCREEN_PASSWORD" in err


def test_help_documents_recovery(capsys):
    with pytest.raises(SystemExit) as done:
        main(["recovery", "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert "recovery recover --db PATH --user NAME --private-key" in out


def test_contract_walk_through_without_teams(tmp_path: Path, capsys, monkeypatch):
    """The command lines exactly as DESIGN section 8 writes them, in a council without teams."""
    db = str(tmp_path / "c.db")
    assert run(capsys, "init", "--db", db, "--user", "boss")[0] == 0
    for name, role in (("wes", "worker"), ("lena", "lead")):
        code, _, err = run(
            capsys, "user", "add", "--db", db, "--user", "boss", "--new-user", name, "--role", role
        )
        assert code == 0, err
    code, _, err = run(
        capsys,
        "child",
        "add",
        "--db",
        db,
        "--user",
        "boss",
        "--ref",
        "R1",
        "--name",
        "Ann Other",
        "--dob",
        "2013-04-02",
        "--worker",
        "wes",
    )
    assert code == 0, err
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", NEW)
    code, out, err = run(
        capsys,
        "screen",
        "--db",
        db,
        "--user",
        "wes",
        "--child",
        "R1",
        "--answers",
        str(answers_file(tmp_path, B3="current", B4="current", D1="current")),
        "--submit",
    )
    assert code == 0, err
    assert json.loads(out)["outcome"] == "moderate"
    code, out, _ = run(capsys, "stats", "--db", db, "--user", "lena", "--json")
    stats = json.loads(out)
    assert stats["children"] == 1 and stats["screenings"]["by_outcome"]["moderate"] == 1
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    assert run(capsys, "verify", "--db", db, "--user", "boss")[0] == 0
