"""``review list/show/signoff/return``: a lead's review from the command line, every role.

The rules are the screenings service's (who may review, four eyes, an acknowledged lowering, a
return's reason); these tests run the real commands on a real encrypted database and check both
what was printed and what the database holds afterwards.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from casework_council import as_user, build, one_line_error, open_as, submit

from cse_screen.storage.models import AuditRow


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build(tmp_path / "cse.db")


def status_of(db: Path, public_id: str) -> tuple[str, str | None, str | None]:
    with open_as(db, "admin") as store:
        record = store.screenings.get(store.screenings.find(public_id))
        return record.status, record.signed_off_by, record.returned_reason


def test_review_list_shows_each_reader_what_they_may_decide(db, capsys, monkeypatch):
    n1 = submit(db, "wendy", "N1")
    n2 = submit(db, "wendy", "N2", "low", "Carer reports the contact stopped in October.")
    s1 = submit(db, "sam", "S1")
    code, out, err = as_user(capsys, monkeypatch, db, "lena", "review", "list", "--json")
    assert code == 0, err
    queue = json.loads(out)
    assert [s["id"] for s in queue] == [n2, n1]  # the lowered one first
    first = queue[0]
    assert first["child_ref"] == "N2" and first["status"] == "submitted"
    assert (first["outcome"], first["computed_outcome"], first["lowered"]) == (
        "low",
        "moderate",
        True,
    )
    assert queue[1]["outcome"] == "moderate" and queue[1]["lowered"] is False
    code, out, _ = as_user(capsys, monkeypatch, db, "lars", "review", "list", "--json")
    assert code == 0 and [s["id"] for s in json.loads(out)] == [s1]
    code, out, _ = as_user(capsys, monkeypatch, db, "mary", "review", "list", "--json")
    assert code == 0 and [s["id"] for s in json.loads(out)] == [s1]  # a manager: own team
    code, out, _ = as_user(capsys, monkeypatch, db, "admin", "review", "list", "--json")
    assert code == 0 and {s["id"] for s in json.loads(out)} == {n1, n2, s1}
    code, out, _ = as_user(capsys, monkeypatch, db, "lena", "review", "list")
    assert code == 0 and n1 in out and "N2" in out and "2 awaiting sign-off" in out
    assert "Nina North" not in out  # the table names children by reference


@pytest.mark.parametrize("command", ["list", "signoff", "return"])
def test_a_worker_running_a_review_command_is_refused_with_exit_3(db, capsys, monkeypatch, command):
    n1 = submit(db, "wendy", "N1")
    extra = {"list": [], "signoff": ["--screening", n1], "return": ["--screening", n1]}[command]
    if command == "return":
        extra += ["--reason", "Please add the school's view."]
    code, out, err = as_user(capsys, monkeypatch, db, "wendy", "review", command, *extra)
    assert code == 3 and out == "" and one_line_error(err)
    assert "user 'wendy' (a social worker) may not" in err
    assert status_of(db, n1)[0] == "submitted"


def test_a_lead_signs_off_a_workers_screening_once(db, capsys, monkeypatch):
    n1 = submit(db, "wendy", "N1")
    code, out, err = as_user(
        capsys, monkeypatch, db, "lena", "review", "signoff", "--screening", n1
    )
    assert code == 0, err
    assert out == f"signed off screening {n1} for child N1\n"
    assert status_of(db, n1)[:2] == ("signed_off", "lena")
    code, out, err = as_user(capsys, monkeypatch, db, "lou", "review", "signoff", "--screening", n1)
    assert code == 1 and one_line_error(err) and "only a submitted screening" in err
    assert status_of(db, n1)[:2] == ("signed_off", "lena")


def test_four_eyes_a_lead_may_not_sign_off_what_they_submitted(db, capsys, monkeypatch):
    own = submit(db, "lena", "N3")
    code, out, err = as_user(
        capsys, monkeypatch, db, "lena", "review", "signoff", "--screening", own
    )
    assert code == 3 and out == "" and one_line_error(err)
    assert "user 'lena' (a team lead) submitted" in err and "another team lead must" in err
    assert status_of(db, own)[0] == "submitted"
    code, _, err = as_user(capsys, monkeypatch, db, "lou", "review", "signoff", "--screening", own)
    assert code == 0, err
    assert status_of(db, own)[:2] == ("signed_off", "lou")


def test_four_eyes_a_lead_who_changed_the_answers_may_not_sign_off(db, capsys, monkeypatch):
    n1 = submit(db, "wendy", "N1")
    with open_as(db, "lena") as store:  # the lead sends it back, then edits the worker's answers
        sid = store.screenings.find(n1)
        store.screenings.return_to_worker(sid, "Check B3 with the school.")
        store.screenings.save_answer(sid, "B3", "previous")
    with open_as(db, "wendy") as store:
        store.screenings.submit(sid)
    code, _, err = as_user(capsys, monkeypatch, db, "lena", "review", "signoff", "--screening", n1)
    assert code == 3 and one_line_error(err) and "changed the answers of" in err
    code, _, err = as_user(capsys, monkeypatch, db, "lou", "review", "signoff", "--screening", n1)
    assert code == 0, err


def test_a_lowering_is_signed_off_only_as_it_was_shown(db, capsys, monkeypatch):
    n2 = submit(db, "wendy", "N2", "low", "Carer reports the contact stopped in October.")
    code, out, err = as_user(
        capsys, monkeypatch, db, "lena", "review", "signoff", "--screening", n2
    )
    assert code == 3 and out == "" and one_line_error(err)
    assert "would lower from Moderate risk to Low risk / vulnerable" in err
    assert "--confirm-lowering" in err
    code, out, err = as_user(
        capsys, monkeypatch, db, "lena", "review", "show", "--screening", n2, "--json"
    )
    assert code == 0, err
    shown = json.loads(out)
    assert shown["confirm_lowering"] == "moderate:low"
    assert shown["lowering"].startswith("lower from Moderate risk to Low risk / vulnerable")
    assert shown["reason"] == "Carer reports the contact stopped in October."
    assert shown["answers"]["B3"]["value"] == "current" and shown["answers"]["B3"]["note"] is None
    order = list(shown["answers"])  # the questionnaire's order, not the alphabet's
    assert shown["answers"]["B3"]["question"] and order[:2] == ["A1", "A2"]
    assert order.index("L9") < order.index("L10")
    args = ("review", "signoff", "--screening", n2, "--confirm-lowering")
    code, _, err = as_user(capsys, monkeypatch, db, "lena", *args, "moderate:no_current_risk")
    assert code == 3 and one_line_error(err) and "has changed since it was shown" in err
    assert status_of(db, n2)[0] == "submitted"
    code, _, err = as_user(capsys, monkeypatch, db, "lena", *args, "moderate:low")
    assert code == 0, err
    assert status_of(db, n2)[:2] == ("signed_off", "lena")
    with open_as(db, "admin") as store, store.reading() as session:
        signed = [r for r in session.query(AuditRow).all() if r.action == "sign_off"]
    assert len(signed) == 1 and "moderate" in signed[0].detail and "low" in signed[0].detail


def test_confirming_a_lowering_that_is_not_there_is_a_usage_error(db, capsys, monkeypatch):
    n1 = submit(db, "wendy", "N1")
    code, _, err = as_user(
        capsys, monkeypatch, db, "lena", "review", "signoff", "--screening", n1,
        "--confirm-lowering", "moderate:low",
    )  # fmt: skip
    assert code == 2 and one_line_error(err) and "lowers nothing" in err
    assert status_of(db, n1)[0] == "submitted"


def test_a_lead_returns_a_screening_with_a_reason(db, capsys, monkeypatch):
    n3 = submit(db, "wes", "N3")
    args = ("review", "return", "--screening", n3, "--reason")
    code, out, err = as_user(capsys, monkeypatch, db, "lena", *args, "   ")
    assert code == 1 and out == "" and one_line_error(err) and "a reason is needed" in err
    assert status_of(db, n3)[0] == "submitted"
    code, out, err = as_user(capsys, monkeypatch, db, "lena", *args, "Add the school's view.")
    assert code == 0, err
    assert out == f"returned screening {n3} for child N3 to its worker\n"
    assert status_of(db, n3) == ("returned", None, "Add the school's view.")
    with open_as(db, "wes") as store:  # the worker sees it among their unfinished work
        assert [d.public_id for d in store.screenings.drafts()] == [n3]


def test_a_manager_reads_another_team_but_may_not_decide_for_it(db, capsys, monkeypatch):
    n1 = submit(db, "wendy", "N1")
    code, out, err = as_user(capsys, monkeypatch, db, "mary", "review", "show", "--screening", n1)
    assert code == 0 and "Child: N1" in out, err
    for command, extra in (("signoff", []), ("return", ["--reason", "Not mine to return."])):
        code, out, err = as_user(
            capsys, monkeypatch, db, "mary", "review", command, "--screening", n1, *extra
        )
        assert code == 3 and out == "" and one_line_error(err), err
        assert "their team's children" in err
    assert status_of(db, n1)[0] == "submitted"


def test_another_teams_screening_is_not_found_like_one_that_does_not_exist(db, capsys, monkeypatch):
    n1 = submit(db, "wendy", "N1")
    nobody = "0b0e0c0a-0000-4000-8000-000000000000"
    for screening in (n1, nobody):
        code, out, err = as_user(
            capsys, monkeypatch, db, "lars", "review", "signoff", "--screening", screening
        )
        assert code == 1 and out == "" and one_line_error(err)
        assert err == f"cse-screen: error: there is no screening with id {screening}\n"
    assert status_of(db, n1)[0] == "submitted"


def test_a_prefix_of_a_queued_screening_is_enough_and_a_bad_id_is_one_sentence(
    db, capsys, monkeypatch
):
    n1 = submit(db, "wendy", "N1")
    code, _, err = as_user(
        capsys, monkeypatch, db, "lena", "review", "signoff", "--screening", "12"
    )
    assert code == 1 and one_line_error(err) and "first 8 characters" in err
    code, _, err = as_user(
        capsys, monkeypatch, db, "lena", "review", "signoff", "--screening", n1[:8].upper()
    )
    assert code == 0, err
    assert status_of(db, n1)[:2] == ("signed_off", "lena")
    code, _, err = as_user(
        capsys, monkeypatch, db, "lena", "review", "signoff", "--screening", n1[:8]
    )
    assert code == 1 and "no screening awaiting your sign-off" in err  # signed off: not queued


def test_an_administrator_on_a_standalone_database_reviews_every_team(db, capsys, monkeypatch):
    s1 = submit(db, "sam", "S1")
    code, _, err = as_user(capsys, monkeypatch, db, "admin", "review", "signoff", "--screening", s1)
    assert code == 0, err
    assert status_of(db, s1)[:2] == ("signed_off", "admin")
