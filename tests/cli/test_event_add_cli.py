"""``event add``: every kind, including a referral to and a confirmation by the CSE team, makes
the child due for a screening from the event's date; refused and unseen cases, every role."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from casework_council import as_user, build, one_line_error, open_as, submit

from cse_screen.storage.models import AuditRow, Event
from cse_screen.storage.records import EVENT_KINDS


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build(tmp_path / "cse.db")


TODAY = dt.date.today()


def screened_and_signed_off(db: Path, ref: str, worker: str) -> dt.date:
    """The child screened ten days ago (moderate: next review in 42 days) and signed off;
    returns that review date."""
    sid = submit(db, worker, ref)
    with open_as(db, "lou") as store:
        store.screenings.sign_off(store.screenings.find(sid))
        return store.children.by_ref(ref).next_due


def events_of(db: Path, ref: str) -> list[tuple[str, dt.date, str | None, str]]:
    with open_as(db, "admin") as store, store.reading() as session:
        child = store.children.by_ref(ref)
        rows = session.query(Event).filter(Event.child_id == child.id).all()
        return [(e.kind, e.on_date, e.note, e.recorded_by) for e in rows]


def test_the_cse_team_kinds_are_known_beside_the_others():
    assert {"cse_referral", "cse_confirmed"} <= set(EVENT_KINDS)
    assert {"missing_episode", "placement_move", "new_information", "other"} <= set(EVENT_KINDS)


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("cse_referral", "referral to the CSE team"),
        ("cse_confirmed", "confirmation of CSE by the CSE team"),
        ("missing_episode", "missing episode"),
    ],
)
def test_an_event_makes_a_screened_child_due_from_its_date(db, capsys, monkeypatch, kind, words):
    review = screened_and_signed_off(db, "N1", "wendy")
    day = TODAY - dt.timedelta(days=3)
    assert review > day  # without the event, not due for weeks
    code, out, err = as_user(
        capsys, monkeypatch, db, "wendy", "event", "add", "--child", "N1", "--kind", kind,
        "--date", day.isoformat(), "--note", "Referral made by the school.", "--json",
    )  # fmt: skip
    assert code == 0, err
    shown = json.loads(out)
    assert (shown["child_ref"], shown["kind"], shown["date"]) == ("N1", kind, day.isoformat())
    assert shown["next_due"] == day.isoformat()
    assert events_of(db, "N1") == [(kind, day, "Referral made by the school.", "wendy")]
    with open_as(db, "wendy") as store:
        child = store.children.get(store.children.by_ref("N1").id)
    assert child.next_due == day and child.due_reason.startswith(words)
    assert "overdue by 3 days" in child.due_reason


def test_the_plain_output_says_what_the_event_changed(db, capsys, monkeypatch):
    screened_and_signed_off(db, "N3", "wes")
    code, out, err = as_user(
        capsys, monkeypatch, db, "lena", "event", "add", "--child", "N3", "--kind",
        "cse_referral", "--date", TODAY.isoformat(),
    )  # fmt: skip
    assert code == 0, err
    assert out == (
        f"recorded referral to the CSE team on {TODAY.isoformat()} for child N3; "
        f"next screening due {TODAY.isoformat()}\n"
    )
    with open_as(db, "admin") as store, store.reading() as session:
        audited = [r for r in session.query(AuditRow).all() if r.entity == "event"]
    assert len(audited) == 1 and audited[0].actor == "lena"
    assert "cse_referral" in audited[0].detail and "Nell" not in audited[0].detail


@pytest.mark.parametrize(("user", "ref"), [("lena", "N1"), ("mary", "S1"), ("admin", "S1")])
def test_leads_managers_and_administrators_record_events_they_may_change(
    db, capsys, monkeypatch, user, ref
):
    code, _, err = as_user(
        capsys, monkeypatch, db, user, "event", "add", "--child", ref, "--kind",
        "cse_confirmed", "--date", TODAY.isoformat(),
    )  # fmt: skip
    assert code == 0, err
    assert [e[0] for e in events_of(db, ref)] == ["cse_confirmed"]


def test_a_manager_may_not_record_an_event_for_another_teams_child(db, capsys, monkeypatch):
    code, out, err = as_user(
        capsys, monkeypatch, db, "mary", "event", "add", "--child", "N1", "--kind",
        "cse_referral", "--date", TODAY.isoformat(),
    )  # fmt: skip
    assert code == 3 and out == "" and one_line_error(err)
    assert "may only record events for their team's children" in err
    assert events_of(db, "N1") == []


def test_another_workers_child_is_not_found_like_an_unknown_one(db, capsys, monkeypatch):
    errors = []
    for ref in ("N3", "Z9"):
        code, out, err = as_user(
            capsys, monkeypatch, db, "wendy", "event", "add", "--child", ref, "--kind",
            "cse_referral", "--date", TODAY.isoformat(),
        )  # fmt: skip
        assert code == 1 and out == "" and one_line_error(err)
        errors.append(err.replace(ref, "REF"))
    assert (
        errors[0] == errors[1] == "cse-screen: error: there is no child with case reference REF\n"
    )
    assert events_of(db, "N3") == []


@pytest.mark.parametrize(
    ("kind", "day", "code", "words"),
    [
        ("cse_referal", TODAY.isoformat(), 2, "invalid choice"),
        ("cse_referral", "03/12/2026", 2, "expected a date as YYYY-MM-DD"),
        ("cse_referral", (TODAY + dt.timedelta(days=1)).isoformat(), 1, "in the future"),
    ],
)
def test_bad_input_is_one_sentence_and_records_nothing(
    db, capsys, monkeypatch, kind, day, code, words
):
    got, out, err = as_user(
        capsys, monkeypatch, db, "wendy", "event", "add", "--child", "N1", "--kind", kind,
        "--date", day,
    )  # fmt: skip
    assert got == code and out == "" and err.count("\n") == 1 and words in err
    assert "Traceback" not in err
    assert events_of(db, "N1") == []
