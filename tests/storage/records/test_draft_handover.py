"""A child moved to another worker takes its unfinished screening along: the new worker
continues it (answers and notes kept), never an empty one beside it that hides them."""

from __future__ import annotations

from records_fixtures import Council

from cse_screen.storage.services.audit import AuditQuery


def started_by_wes(council: Council, q) -> int:
    wes = council.open("wes")
    draft = wes.screenings.start_draft(council.ids["N1"], q)
    wes.screenings.save_answer(draft.id, "A1", "current", "Seen getting into a car at night")
    return draft.id


def test_a_reallocated_childs_draft_passes_to_the_new_worker(council: Council, q):
    sid = started_by_wes(council, q)
    council.open().children.update(council.ids["N1"], worker="wynn")
    assert [d.child_ref for d in council.open("wes").screenings.drafts()] == []
    wynn = council.open("wynn")
    taken = wynn.screenings.take_over(council.ids["N1"])
    assert taken is not None and taken.id == sid
    assert taken.answers["A1"].value == "current"
    assert taken.answers["A1"].note == "Seen getting into a car at night"
    assert [(d.id, d.child_ref) for d in wynn.screenings.drafts()] == [(sid, "N1")]
    entries = council.open().audit.page(AuditQuery(action="change")).entries
    handed = [e for e in entries if e.entity == "screening" and e.entity_id == str(sid)]
    assert handed and handed[0].detail["started_by"] == ["wes", "wynn"]
    assert "Seen" not in str(handed[0].detail)  # ids and user names, never the note
    assert wynn.screenings.take_over(council.ids["N1"]) is None  # already theirs


def test_a_draft_its_starter_can_still_open_is_left_to_them(council: Council, q):
    started_by_wes(council, q)
    # The team lead sees the child, but wes is still its worker and can finish the draft.
    assert council.open("lena").screenings.take_over(council.ids["N1"]) is None
    assert [d.child_ref for d in council.open("wes").screenings.drafts()] == ["N1"]
