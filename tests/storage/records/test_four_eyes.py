"""Four eyes for real: nobody who shaped a screening may sign it off (issue 17, item 4)."""

from __future__ import annotations

import pytest
from records_fixtures import Council, complete_answers

from cse_screen.errors import PermissionDenied


@pytest.mark.standalone_admin
def test_a_lead_who_edited_lowered_and_submitted_a_workers_draft_cannot_sign_it_off(
    council: Council, q
):
    """The review's bypass: wes starts a draft, lena changes an answer, lowers the outcome,
    submits it and tries to sign it off alone."""
    wes = council.open("wes")
    draft = wes.screenings.start_draft(council.ids["N1"], q)
    wes.screenings.save_answers(draft.id, complete_answers(q))
    lena = council.open("lena")
    lena.screenings.save_answer(draft.id, "A1", "current")
    done = lena.screenings.submit(draft.id, final_outcome="low", reason="known to CSE team")
    assert done.needs_signoff
    with pytest.raises(PermissionDenied, match="submitted and set the judgement of"):
        lena.screenings.sign_off(done.id, lena.screenings.lowering(done.id))
    assert lena.screenings.get(done.id).status == "submitted"
    ada = council.open("ada")
    signed = ada.screenings.sign_off(done.id, ada.screenings.lowering(done.id))
    assert (signed.status, signed.signed_off_by) == ("signed_off", "ada")


def test_a_lead_who_only_changed_the_answers_cannot_sign_off(council: Council, q):
    wes = council.open("wes")
    draft = wes.screenings.start_draft(council.ids["N1"], q)
    wes.screenings.save_answers(draft.id, complete_answers(q))
    council.open("lena").screenings.save_answer(draft.id, "B3", "previous")
    wes.screenings.submit(draft.id)
    with pytest.raises(PermissionDenied, match="changed the answers of"):
        council.open("lena").screenings.sign_off(draft.id)


def test_a_lead_who_changed_the_context_cannot_sign_off(council: Council, q):
    wes = council.open("wes")
    draft = wes.screenings.start_draft(council.ids["N1"], q)
    wes.screenings.save_answers(draft.id, complete_answers(q))
    council.open("lena").screenings.save_context(draft.id, {"disability": "none"})
    wes.screenings.submit(draft.id)
    with pytest.raises(PermissionDenied, match="may not sign it off"):
        council.open("lena").screenings.sign_off(draft.id)


def test_a_lead_who_resubmitted_a_returned_screening_cannot_sign_it_off(council: Council, q):
    sid = council.screen("wes", "N1", q, complete_answers(q))
    lena = council.open("lena")
    lena.screenings.return_to_worker(sid, "check B3")
    # Returning alone is review, not authorship: lena could still sign off wes's resubmission,
    # but once she submits it herself she may not.
    lena.screenings.submit(sid)
    with pytest.raises(PermissionDenied, match="submitted screening"):
        lena.screenings.sign_off(sid)


def test_an_untouched_lead_may_sign_off_and_refusals_are_audited(council: Council, q):
    sid = council.screen("wes", "N1", q, complete_answers(q))
    wes = council.open("wes")
    wes.screenings.get(sid)  # viewing is not a hand in it
    assert council.open("lena").screenings.sign_off(sid).status == "signed_off"
    sid2 = council.screen("lena", "N2", q, complete_answers(q))
    with pytest.raises(PermissionDenied):
        council.open("lena").screenings.sign_off(sid2)
    denied = [e for e in council.open().audit.entries(limit=50) if e.action == "denied"]
    assert denied and denied[0].entity_id == str(sid2)


def test_discarding_a_draft_forgets_who_had_a_hand_in_it(council: Council, q):
    wes = council.open("wes")
    draft = wes.screenings.start_draft(council.ids["N1"], q)
    wes.screenings.save_answer(draft.id, "A1", "none")
    wes.screenings.discard_draft(draft.id)
    assert wes.screenings.drafts() == []
