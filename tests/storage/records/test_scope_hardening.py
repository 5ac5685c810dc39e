"""What a worker may see and do beyond their caseload (issue 17, item 7): users' details,
drafts of children moved away, whether a case reference exists, and other teams."""

from __future__ import annotations

import pytest
from records_fixtures import Council, complete_answers

from cse_screen.errors import NotFound, PermissionDenied
from cse_screen.storage.records import ChildInput


def test_a_worker_cannot_read_another_users_details(council: Council):
    wes = council.open("wes")
    assert wes.users.get("wes").name == "wes"
    with pytest.raises(NotFound) as hidden:
        wes.users.get("sam")
    with pytest.raises(NotFound) as missing:
        wes.users.get("nobody")
    assert str(hidden.value) == "there is no user named 'sam'"
    assert str(missing.value) == "there is no user named 'nobody'"
    lena = council.open("lena")
    assert lena.users.get("wes").team == "North"
    with pytest.raises(NotFound):
        lena.users.get("sue")
    assert council.open().users.get("sue").team == "South"
    denied = [e for e in council.open().audit.entries(limit=30) if e.action == "denied"]
    assert len(denied) == 2 and {e.entity for e in denied} == {"user"}


def test_not_found_is_the_same_for_a_missing_and_an_unseen_reference(council: Council):
    wes = council.open("wes")
    with pytest.raises(NotFound) as unseen:
        wes.children.by_ref("S1")  # exists, in the South team
    with pytest.raises(NotFound) as missing:
        wes.children.by_ref("Z9")  # does not exist
    assert type(unseen.value) is not PermissionDenied
    assert not isinstance(unseen.value, PermissionDenied)
    assert str(unseen.value).replace("S1", "REF") == str(missing.value).replace("Z9", "REF")
    assert unseen.value.exit_code == missing.value.exit_code
    assert wes.children.by_ref("N1").case_ref == "N1"
    denied = [e for e in council.open().audit.entries(limit=30) if e.action == "denied"]
    assert [e.entity for e in denied] == ["child"]


def test_a_draft_of_a_child_moved_to_another_worker_leaves_your_list(council: Council, q):
    wes = council.open("wes")
    draft = wes.screenings.start_draft(council.ids["N1"], q)
    wes.screenings.save_answers(draft.id, complete_answers(q))
    assert [d.id for d in wes.screenings.drafts()] == [draft.id]
    council.open("lena").children.update(council.ids["N1"], worker="wynn")
    assert wes.screenings.drafts() == []


def test_a_worker_cannot_add_a_child_to_another_team(council: Council):
    import datetime as dt

    wes = council.open("wes")
    other = ChildInput(case_ref="X1", name="Test Child", dob=dt.date(2012, 1, 1), team="South")
    with pytest.raises(PermissionDenied, match="outside their caseload or team"):
        wes.children.add(other)
    with pytest.raises(NotFound):
        council.open().children.by_ref("X1")
    mine = ChildInput(case_ref="X2", name="Test Child", dob=dt.date(2012, 1, 1))
    assert wes.children.add(mine).team == "North"
    with pytest.raises(PermissionDenied):
        wes.children.update(council.ids["N1"], team="South")
