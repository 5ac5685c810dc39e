"""``child list`` and ``child edit``: what each role may see and change, from the command line.

The register and the child details' rules are the children service's; these tests run the real
commands on a real encrypted database and read back what it holds.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from casework_council import as_user, build, one_line_error, open_as, submit

from cse_screen.commands import caseload
from cse_screen.storage.models import AuditRow


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build(tmp_path / "cse.db")


def listed(capsys, monkeypatch, db: Path, user: str, *extra: str) -> list[dict]:
    code, out, err = as_user(capsys, monkeypatch, db, user, "child", "list", "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def child(db: Path, ref: str):
    with open_as(db, "admin") as store:
        return store.children.by_ref(ref)


@pytest.mark.parametrize(
    ("user", "refs"),
    [
        ("wendy", ["N1", "N2"]),
        ("wes", ["N3"]),
        ("lena", ["N1", "N2", "N3"]),
        ("lars", ["S1"]),
        ("mary", ["N1", "N2", "N3", "S1"]),
        ("admin", ["N1", "N2", "N3", "S1"]),
    ],
)
def test_each_role_lists_what_it_may_see(db, capsys, monkeypatch, user, refs):
    rows = listed(capsys, monkeypatch, db, user)
    assert [r["ref"] for r in rows] == refs
    n = {"id", "ref", "name", "dob", "placement_type", "worker", "team"}
    assert all(n <= set(r) for r in rows)


def test_the_json_holds_the_public_id_and_the_details(db, capsys, monkeypatch):
    (first, _second) = listed(capsys, monkeypatch, db, "wendy")
    record = child(db, "N1")
    assert first["id"] == record.public_id and len(first["id"]) == 36
    assert (first["name"], first["dob"], first["worker"], first["team"]) == (
        "Nina North",
        "2012-05-06",
        "wendy",
        "north",
    )
    assert first["placement_type"] is None and first["outcome"] is None


def test_the_table_is_readable_and_filters_apply(db, capsys, monkeypatch):
    code, out, err = as_user(capsys, monkeypatch, db, "lena", "child", "list")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["Ref", "Name", "Born", "Placement"]
    assert lines[2].startswith("N1") and "Nina North" in lines[2] and "2012-05-06" in lines[2]
    assert lines[-1] == "3 children"
    assert [r["ref"] for r in listed(capsys, monkeypatch, db, "lena", "--search", "noah")] == ["N2"]
    assert [r["ref"] for r in listed(capsys, monkeypatch, db, "lena", "--worker", "wes")] == ["N3"]
    assert [r["ref"] for r in listed(capsys, monkeypatch, db, "mary", "--team", "south")] == ["S1"]


def test_every_page_of_the_register_is_listed(db, capsys, monkeypatch):
    monkeypatch.setattr(caseload, "MAX_LIMIT", 2)
    assert [r["ref"] for r in listed(capsys, monkeypatch, db, "admin")] == ["N1", "N2", "N3", "S1"]


def test_a_worker_changes_only_the_details_given(db, capsys, monkeypatch):
    before = child(db, "N1")
    code, out, err = as_user(
        capsys, monkeypatch, db, "wendy", "child", "edit", "--ref", "N1",
        "--placement-type", "foster_inhouse", "--legal-status", "S20", "--name", "Nina Norton",
    )  # fmt: skip
    assert code == 0, err
    assert out == "child N1: changed name, placement type, legal status\n"
    after = child(db, "N1")
    # care details are stored as their SSDA903 codes (core/codes.py), whatever spelling came in
    assert (after.placement_type, after.legal_status, after.name) == (
        "U6",
        "V2",
        "Nina Norton",
    )
    assert (after.dob, after.worker, after.team) == (before.dob, before.worker, before.team)
    with open_as(db, "admin") as store, store.reading() as session:
        changes = [r for r in session.query(AuditRow).all() if r.action == "change"]
    assert len(changes) == 1 and changes[0].actor == "wendy"
    assert "U6" in changes[0].detail and "Norton" not in changes[0].detail


def test_an_optional_detail_is_cleared_by_an_empty_value(db, capsys, monkeypatch):
    args = ("child", "edit", "--ref", "N2", "--gender")
    assert as_user(capsys, monkeypatch, db, "wendy", *args, "female")[0] == 0
    assert child(db, "N2").gender == "F"
    code, out, err = as_user(capsys, monkeypatch, db, "wendy", *args, "", "--json")
    assert code == 0, err
    assert json.loads(out) == {"id": child(db, "N2").public_id, "ref": "N2", "changed": ["gender"]}
    assert child(db, "N2").gender is None


def test_a_worker_may_not_reallocate_a_child(db, capsys, monkeypatch):
    code, out, err = as_user(
        capsys, monkeypatch, db, "wendy", "child", "edit", "--ref", "N1", "--worker", "wes"
    )
    assert code == 3 and out == "" and one_line_error(err)
    assert "may not allocate child N1 outside their caseload or team" in err
    assert child(db, "N1").worker == "wendy"


def test_a_lead_reallocates_within_the_team_and_not_beyond(db, capsys, monkeypatch):
    code, _, err = as_user(
        capsys, monkeypatch, db, "lena", "child", "edit", "--ref", "N1", "--worker", "wes"
    )
    assert code == 0, err
    assert child(db, "N1").worker == "wes"
    assert [r["ref"] for r in listed(capsys, monkeypatch, db, "wes")] == ["N1", "N3"]
    assert [r["ref"] for r in listed(capsys, monkeypatch, db, "wendy")] == ["N2"]
    code, out, err = as_user(
        capsys, monkeypatch, db, "lena", "child", "edit", "--ref", "N1", "--team", "south",
        "--worker", "sam",
    )  # fmt: skip
    assert code == 3 and out == "" and one_line_error(err)
    assert (child(db, "N1").worker, child(db, "N1").team) == ("wes", "north")


def test_an_administrator_reallocates_anywhere(db, capsys, monkeypatch):
    code, _, err = as_user(
        capsys, monkeypatch, db, "admin", "child", "edit", "--ref", "N1", "--team", "south",
        "--worker", "sam",
    )  # fmt: skip
    assert code == 0, err
    assert (child(db, "N1").worker, child(db, "N1").team) == ("sam", "south")
    assert [r["ref"] for r in listed(capsys, monkeypatch, db, "sam")] == ["N1", "S1"]


def test_a_manager_changes_their_own_team_only(db, capsys, monkeypatch):
    args = ("child", "edit", "--placement-type", "residential_home", "--ref")
    code, out, err = as_user(capsys, monkeypatch, db, "mary", *args, "N1")
    assert code == 3 and out == "" and one_line_error(err)
    assert child(db, "N1").placement_type is None
    assert as_user(capsys, monkeypatch, db, "mary", *args, "S1")[0] == 0
    assert child(db, "S1").placement_type == "K2"


def test_a_child_beyond_the_caseload_is_not_found_like_an_unknown_one(db, capsys, monkeypatch):
    errors = []
    for ref in ("N3", "Z9"):
        code, out, err = as_user(
            capsys, monkeypatch, db, "wendy", "child", "edit", "--ref", ref, "--gender", "male"
        )
        assert code == 1 and out == "" and one_line_error(err)
        errors.append(err.replace(ref, "REF"))
    assert (
        errors[0] == errors[1] == "cse-screen: error: there is no child with case reference REF\n"
    )
    assert child(db, "N3").gender is None


@pytest.mark.parametrize(
    ("extra", "code", "words"),
    [
        ((), 2, "nothing to change"),
        (("--dob", "06/05/2012"), 2, "expected a date as YYYY-MM-DD"),
        (("--dob", (dt.date.today() + dt.timedelta(days=2)).isoformat()), 1, "in the future"),
        (("--disability", "Learning disability"), 1, "not one of the listed choices"),
        (("--name", "  "), 1, "has no name"),
    ],
)
def test_bad_input_is_one_sentence_and_changes_nothing(db, capsys, monkeypatch, extra, code, words):
    before = child(db, "N1")
    got, out, err = as_user(
        capsys, monkeypatch, db, "wendy", "child", "edit", "--ref", "N1", *extra
    )
    assert got == code and out == "" and err.count("\n") == 1 and words in err, err
    assert "Traceback" not in err and "Learning disability" not in err
    after = child(db, "N1")
    assert (after.name, after.dob, after.disability) == (before.name, before.dob, before.disability)


def test_a_listing_is_audited_by_count_never_by_child(db, capsys, monkeypatch):
    listed(capsys, monkeypatch, db, "wendy")
    with open_as(db, "admin") as store, store.reading() as session:
        views = [r for r in session.query(AuditRow).all() if r.entity == "children"]
    assert len(views) == 1 and views[0].actor == "wendy" and views[0].action == "view"
    detail = json.loads(views[0].detail) if isinstance(views[0].detail, str) else views[0].detail
    assert detail == {"command": "child list", "children": 2, "json": True}


def test_the_table_never_shows_an_unsigned_lowering_as_the_outcome(db, capsys, monkeypatch):
    submit(db, "wendy", "N2", "low", "Carer reports the contact stopped in October.")
    code, out, err = as_user(capsys, monkeypatch, db, "lena", "child", "list")
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.startswith("N2"))
    assert "moderate (lowering awaits sign-off)" in row and " low " not in row
    (n2,) = [r for r in listed(capsys, monkeypatch, db, "lena") if r["ref"] == "N2"]
    assert (n2["outcome"], n2["outcome_state"]) == ("moderate", "lowered")
