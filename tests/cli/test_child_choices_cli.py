"""``child add`` keeps its options but refuses a disability scoring would misread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run

from cse_screen.vault.store import Store

PASSWORD = "cli pässword"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)


def test_child_add_refuses_a_typed_disability_and_stores_a_listed_one(tmp_path: Path, capsys):
    db = tmp_path / "cse.db"
    assert run(capsys, "init", "--db", str(db), "--user", "admin")[0] == 0
    base = ["child", "add", "--db", str(db), "--user", "admin", "--name", "Ann Other"]
    code, out, err = run(
        capsys, *base, "--ref", "R1", "--dob", "2012-03-04", "--disability", "Learning disability"
    )
    assert code == 1 and out == ""
    assert err.startswith("cse-screen: error: ") and err.count("\n") == 1
    assert "disability that is not one of the listed choices" in err
    assert "Learning disability" not in err and "Traceback" not in err
    code, out, _ = run(capsys, *base, "--ref", "R1", "--dob", "2012-03-04", "--disability", "ASD")
    assert code == 0 and json.loads(out)["case_ref"] == "R1"
    with Store.open(db, "admin", PASSWORD) as store:
        assert store.children.by_ref("R1").disability == "asd"
