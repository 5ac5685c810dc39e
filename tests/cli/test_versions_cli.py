"""``questionnaire install|activate|versions`` and ``screen`` taking its version from the
database, through the real command line on a real encrypted file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from alembic import command
from cli_run import run

from cse_screen.cli import main
from cse_screen.core import registry
from cse_screen.storage.revisions import alembic_config
from cse_screen.vault import migrate
from cse_screen.vault.store import Store

PASSWORD = "versions tools passphrase 7"
CANDIDATE = registry.default_folder() / "lac-cse-screen-1.1.yaml"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSWORD", PASSWORD)  # the worker's, for brevity


@pytest.fixture
def db(tmp_path: Path, capsys) -> Path:
    path = tmp_path / "cse.db"
    assert main(["init", "--db", str(path), "--user", "ada"]) == 0
    assert (
        main(
            [
                "user",
                "add",
                "--db",
                str(path),
                "--user",
                "ada",
                "--new-user",
                "wes",
                "--role",
                "worker",
            ],
        )
        == 0
    )
    assert (
        main(
            [
                "child",
                "add",
                "--db",
                str(path),
                "--user",
                "ada",
                "--ref",
                "C1",
                "--name",
                "Test Child",
                "--dob",
                "2011-02-03",
                "--worker",
                "wes",
            ]
        )
        == 0
    )
    capsys.readouterr()
    return path


def versions(capsys, db: Path, user: str = "ada") -> list[dict]:
    code, out, err = run(
        capsys, "questionnaire", "versions", "--db", str(db), "--user", user, "--json"
    )
    assert code == 0, err
    return json.loads(out)["versions"]


def test_a_file_that_fails_validation_changes_nothing(db, tmp_path, capsys):
    before = versions(capsys, db)
    broken = tmp_path / "broken.yaml"
    text = CANDIDATE.read_text(encoding="utf-8").replace("tier: significant", "tier: sever", 1)
    broken.write_text(text, encoding="utf-8")
    code, out, err = run(
        capsys, "questionnaire", "install", "--db", str(db), "--user", "ada", str(broken)
    )
    assert code == 1 and out == ""
    assert err.startswith(f"cse-screen: error: {broken}:") and "unknown tier 'sever'" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert versions(capsys, db) == before


def test_the_shipped_candidate_installs_inactive_and_lists_its_changes(db, capsys):
    code, out, err = run(
        capsys,
        "questionnaire",
        "install",
        "--db",
        str(db),
        "--user",
        "ada",
        str(CANDIDATE),
        "--json",
    )
    assert code == 0, err
    installed = json.loads(out)
    assert installed["installed"] is True and installed["active_from"] is None
    listed = versions(capsys, db, "wes")  # anyone may read the list
    assert [v["version"] for v in listed] == ["1.0.0", "1.1.0"]
    assert listed[1]["installed_by"] == "ada" and listed[1]["content_hash"] == (
        registry.get_questionnaire(version="1.1.0").content_hash
    )
    changes = listed[1]["changes"]
    assert changes["from_version"] == "1.0.0"
    assert "A6" in changes["items_added"] and "A1" in changes["items_removed"]
    assert "O4" in changes["rules_added"]
    assert {c["id"] for c in changes["rules_changed"]} >= {"R2", "O3"}
    code, out, err = run(
        capsys, "questionnaire", "install", "--db", str(db), "--user", "ada", str(CANDIDATE)
    )
    assert code == 0 and "already installed" in out and "nothing changed" in out
    assert len(versions(capsys, db)) == 2


def test_a_worker_may_not_install_or_activate(db, capsys):
    code, _, err = run(
        capsys, "questionnaire", "install", "--db", str(db), "--user", "wes", str(CANDIDATE)
    )
    assert code == 3 and "only administrators" in err
    code, _, err = run(
        capsys,
        "questionnaire",
        "activate",
        "--db",
        str(db),
        "--user",
        "wes",
        "--version",
        "1.0.0",
        "--from",
        "2026-01-01",
    )
    assert code == 3


def test_screen_takes_the_version_active_on_its_date(db, tmp_path, capsys):
    assert (
        run(capsys, "questionnaire", "install", "--db", str(db), "--user", "ada", str(CANDIDATE))[0]
        == 0
    )
    today = dt.date.today()
    assert (
        run(
            capsys,
            "questionnaire",
            "activate",
            "--db",
            str(db),
            "--user",
            "ada",
            "--version",
            "1.0.0",
            "--from",
            str(today - dt.timedelta(days=90)),
        )[0]
        == 0
    )
    code, out, err = run(
        capsys,
        "questionnaire",
        "activate",
        "--db",
        str(db),
        "--user",
        "ada",
        "--version",
        "1.1.0",
        "--from",
        str(today - dt.timedelta(days=10)),
    )
    assert code == 0 and "active from" in out, err
    answers = tmp_path / "answers.json"
    for day, version in ((today - dt.timedelta(days=30), "1.0.0"), (today, "1.1.0")):
        answers.write_text(
            json.dumps(
                {
                    "questionnaire": "lac-cse-screen",
                    "context": {"screen_date": day.isoformat()},
                    "answers": {"B3": "current"},
                }
            )
        )
        code, out, err = run(
            capsys,
            "screen",
            "--db",
            str(db),
            "--user",
            "wes",
            "--child",
            "C1",
            "--answers",
            str(answers),
        )
        assert code == 0, err
        with Store.open(db, "wes", PASSWORD) as store:
            draft = store.screenings.get(store.screenings.find(json.loads(out)["id"]))
        assert draft.instrument_version == version


def test_the_upgrade_registers_the_version_old_screenings_use(tmp_path, capsys):
    db = tmp_path / "old.db"
    assert main(["init", "--db", str(db), "--user", "ada"]) == 0
    assert (
        main(
            [
                "child",
                "add",
                "--db",
                str(db),
                "--user",
                "ada",
                "--ref",
                "C1",
                "--name",
                "Test Child",
                "--dob",
                "2011-02-03",
            ]
        )
        == 0
    )
    day = dt.date.today() - dt.timedelta(days=200)
    with Store.open(db, "ada", PASSWORD) as store:
        q = registry.get_questionnaire()
        store.screenings.start_draft(store.children.by_ref("C1").id, q, screen_date=day)
        with store.engine.connect() as connection, connection.begin():
            command.downgrade(alembic_config(connection), "0013_care_codes")
        assert migrate.current_revision(store.engine) == "0013_care_codes"
    capsys.readouterr()
    listed = versions(capsys, db)
    assert [(v["version"], v["active_from"], v["installed_by"]) for v in listed] == [
        ("1.0.0", day.isoformat(), "upgrade")
    ]
