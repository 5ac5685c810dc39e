"""The screening lifecycle through the services: draft, answers, submit, judgement, sign-off."""

from __future__ import annotations

import datetime as dt

import pytest
from records_fixtures import Council, complete_answers

from cse_screen.core import dates, scoring
from cse_screen.errors import (
    AnswersInvalid,
    InvalidTransition,
    OverrideInvalid,
    PermissionDenied,
    ScreeningIncomplete,
    ValidationFailed,
)
from cse_screen.storage.records import RegisterQuery


def test_draft_records_the_instrument_and_each_answer_commits_at_once(council: Council, q):
    wes = council.open("wes")
    draft = wes.screenings.start_draft(council.ids["N1"], q)
    assert (draft.instrument_id, draft.instrument_version, draft.instrument_hash) == (
        q.id,
        q.version,
        q.content_hash,
    )
    assert draft.status == "draft" and draft.trigger == "initial"
    wes.screenings.save_answer(draft.id, "A1", "previous", "note typed by the worker")
    # A second, independent connection sees the answer: it was committed, not buffered.
    other = council.open("wes")
    seen = other.screenings.get(draft.id)
    assert seen.answers["A1"].value == "previous"
    assert seen.answers["A1"].note == "note typed by the worker"
    wes.screenings.save_answer(draft.id, "A1", None)
    assert "A1" not in other.screenings.get(draft.id).answers
    assert [d.id for d in wes.screenings.drafts()] == [draft.id]


def test_answers_outside_the_definition_are_refused(council: Council, q):
    wes = council.open("wes")
    draft = wes.screenings.start_draft(council.ids["N1"], q)
    with pytest.raises(AnswersInvalid, match="item A1 cannot be answered 'sometimes'"):
        wes.screenings.save_answer(draft.id, "A1", "sometimes")
    with pytest.raises(AnswersInvalid, match="has no item Z9"):
        wes.screenings.save_answer(draft.id, "Z9", "none")
    assert wes.screenings.get(draft.id).answers == {}


def test_submit_refuses_unanswered_required_items_and_names_them(council: Council, q):
    wes = council.open("wes")
    draft = wes.screenings.start_draft(council.ids["N1"], q)
    answers = complete_answers(q)
    del answers["B3"], answers["L11"]
    wes.screenings.save_answers(draft.id, answers)
    with pytest.raises(ScreeningIncomplete, match=r"2 required item\(s\) are unanswered: B3, L11"):
        wes.screenings.submit(draft.id)
    assert wes.screenings.get(draft.id).status == "draft"


def test_submit_scores_with_core_and_sets_next_due(council: Council, q):
    wes = council.open("wes")
    day = dt.date.today() - dt.timedelta(days=10)
    answers = complete_answers(q, B3="current", B4="current", D1="current")
    sid = council.screen("wes", "N1", q, answers, day=day)
    done = wes.screenings.get(sid)
    context = {"dob": "2012-05-01", "screen_date": day.isoformat()}
    expected = scoring.score(q, answers, context)
    assert expected.outcome == "moderate"
    assert (done.status, done.computed_outcome, done.final_outcome) == (
        "submitted",
        "moderate",
        "moderate",
    )
    assert done.next_due == dates.next_due(q, "moderate", day)
    assert done.result is not None and done.result["outcome"] == "moderate"
    row = wes.children.register(RegisterQuery(search="N1")).rows[0]
    assert (row.latest_outcome, row.last_screened, row.next_due) == ("moderate", day, done.next_due)
    with pytest.raises(InvalidTransition, match="can no longer be changed"):
        wes.screenings.save_answer(sid, "A1", "current")


@pytest.mark.standalone_admin
def test_learning_disability_on_the_child_record_reaches_the_scorer(council: Council, q):
    admin = council.open()
    admin.children.update(council.ids["N3"], disability="Learning")
    sid = council.screen("wynn", "N3", q, complete_answers(q, B6="previous"))
    done = council.open("wynn").screenings.get(sid)
    assert done.computed_outcome == "moderate"  # O3 floor: learning disability + low indicator
    assert "O3" in done.result["rules"]


def test_lowering_needs_a_reason_and_another_persons_sign_off(council: Council, q):
    wes = council.open("wes")
    draft = wes.screenings.start_draft(council.ids["N1"], q)
    wes.screenings.save_answers(draft.id, complete_answers(q, A1="current"))
    with pytest.raises(OverrideInvalid):
        wes.screenings.submit(draft.id, final_outcome="low")
    done = wes.screenings.submit(draft.id, final_outcome="low", reason="seen by CSE team")
    assert (done.computed_outcome, done.final_outcome, done.needs_signoff) == (
        "significant",
        "low",
        True,
    )
    assert done.override_reason == "seen by CSE team"
    with pytest.raises(PermissionDenied, match="only team leads, managers or administrators"):
        wes.screenings.sign_off(done.id)
    lena = council.open("lena")
    assert [s.id for s in lena.screenings.review_queue()] == [done.id]
    signed = lena.screenings.sign_off(done.id, lena.screenings.lowering(done.id))
    assert (signed.status, signed.signed_off_by) == ("signed_off", "lena")
    assert lena.screenings.review_queue() == []
    actions = [e.action for e in council.open().audit.entries(limit=20)]
    assert {"override", "sign_off", "submit"} <= set(actions)


@pytest.mark.standalone_admin
def test_a_lead_cannot_sign_off_their_own_screening(council: Council, q):
    sid = council.screen("lena", "N2", q, complete_answers(q))
    with pytest.raises(PermissionDenied, match="may not sign it off"):
        council.open("lena").screenings.sign_off(sid)
    assert council.open("ada").screenings.sign_off(sid).status == "signed_off"


def test_return_needs_a_reason_and_reopens_the_screening(council: Council, q):
    sid = council.screen("wes", "N1", q, complete_answers(q, A1="current"))
    lena = council.open("lena")
    with pytest.raises(ValidationFailed, match="a reason is needed"):
        lena.screenings.return_to_worker(sid, "   ")
    returned = lena.screenings.return_to_worker(sid, "check the missing episodes")
    assert (returned.status, returned.returned_reason) == ("returned", "check the missing episodes")
    wes = council.open("wes")
    row = wes.children.register(RegisterQuery(search="N1")).rows[0]
    # The returned screening's risk still counts, marked as not final, and it is being redone.
    assert (row.latest_outcome, row.outcome_state, row.has_draft) == (
        "significant",
        "returned",
        True,
    )
    wes.screenings.save_answer(sid, "A1", "previous")
    again = wes.screenings.submit(sid)
    assert (again.status, again.final_outcome) == ("submitted", "low")
    lena.screenings.sign_off(sid)
    with pytest.raises(InvalidTransition, match="only a submitted screening can be returned"):
        lena.screenings.return_to_worker(sid, "too late")


def test_events_make_the_child_due_now_until_screened(council: Council, q):
    day = dt.date.today() - dt.timedelta(days=20)
    council.screen("wes", "N1", q, complete_answers(q), day=day)
    wes = council.open("wes")
    before = wes.children.by_ref("N1").next_due
    assert before == dates.next_due(q, "no_current_risk", day)
    wes.events.record(council.ids["N1"], "placement_move", day - dt.timedelta(days=5))
    assert wes.children.by_ref("N1").next_due == before  # older than the screening: covered
    moved = dt.date.today() - dt.timedelta(days=2)
    wes.events.record(council.ids["N1"], "missing_episode", moved, "returned next morning")
    assert wes.children.by_ref("N1").next_due == moved
    assert wes.children.register(RegisterQuery(due="overdue")).total == 1
    assert [e.kind for e in wes.events.for_child(council.ids["N1"])] == [
        "missing_episode",
        "placement_move",
    ]
    council.screen("wes", "N1", q, complete_answers(q))
    assert wes.children.by_ref("N1").next_due > dt.date.today()
    with pytest.raises(ValidationFailed, match="unknown event kind"):
        wes.events.record(council.ids["N1"], "holiday", moved)


def test_discarding_a_draft_removes_it_but_never_a_submitted_screening(council: Council, q):
    wes = council.open("wes")
    draft = wes.screenings.start_draft(council.ids["N2"], q)
    wes.screenings.save_answer(draft.id, "A1", "none")
    wes.screenings.discard_draft(draft.id)
    assert wes.screenings.drafts() == []
    sid = council.screen("wes", "N2", q, complete_answers(q))
    with pytest.raises(InvalidTransition):
        wes.screenings.discard_draft(sid)
    assert [s.id for s in wes.screenings.history(council.ids["N2"])] == [sid]


def test_viewing_a_child_is_audited_with_ids_only(council: Council):
    wes = council.open("wes")
    record = wes.children.get(council.ids["N1"])
    assert record.name == "Amelia Ashdown"
    last = council.open().audit.entries(limit=5)
    views = [e for e in last if e.action == "view"]
    assert views and views[0].actor == "wes" and views[0].entity_id == str(record.id)
    assert "Amelia" not in str([e.detail for e in last])


@pytest.mark.standalone_admin
def test_changing_a_child_audits_allocation_values_but_personal_fields_by_name(council: Council):
    admin = council.open()
    admin.children.update(council.ids["N2"], worker="wynn", name="Tyler Brereton-Smith")
    change = next(e for e in admin.audit.entries(limit=5) if e.action == "change")
    assert change.detail["fields"] == {"worker": ["wes", "wynn"], "name": "changed"}
    with pytest.raises(ValidationFailed, match="unknown child field"):
        admin.children.update(council.ids["N2"], address="x")
