"""A referral to the CSE team and its confirmation are events like the others: each makes a
screened child due for a screening from its date (a referral is new information about the
child's risk), the due reason names it, and the wizard offers "new information" as the trigger.
Also: finding a screening by the public id people type, on both engines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from records_fixtures import complete_answers

from cse_screen.errors import NotFound, ValidationFailed
from cse_screen.storage.services.due import day_words
from cse_screen.storage.services.events import trigger_for
from cse_screen.storage.services.screenings import TRIGGERS
from cse_screen.vault.store import Store

TODAY = dt.date.today()


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("cse_referral", "referral to the CSE team"),
        ("cse_confirmed", "confirmation of CSE by the CSE team"),
    ],
)
def test_a_cse_team_event_makes_a_screened_child_due_from_its_date(
    opener: Callable[[str], Store], council, q, kind, words
):
    sid = council.screen("wes", "N1", q, complete_answers(q), day=TODAY - dt.timedelta(days=20))
    opener("lena").screenings.sign_off(sid)
    wes = opener("wes")
    n1 = council.ids["N1"]
    review = wes.children.by_ref("N1").next_due
    day = TODAY - dt.timedelta(days=2)
    assert review > TODAY  # screened: not due again for months
    event = wes.events.record(n1, kind, day, "Referred after the school's concern.")
    child = wes.children.get(n1)
    assert child.next_due == day
    assert child.due_reason == f"{words} on {day_words(day, TODAY)}; overdue by 2 days"
    assert wes.events.due_event(n1) == event
    assert trigger_for(event.kind) == "new_information"


def test_every_event_kind_offers_a_trigger_the_questionnaire_lists():
    from cse_screen.storage.records import EVENT_KINDS

    assert all(trigger_for(kind) in TRIGGERS for kind in EVENT_KINDS)
    assert trigger_for("missing_episode") == "missing_episode"
    assert trigger_for("no_such_kind") is None


def test_a_screening_is_found_by_its_public_id_or_a_queued_prefix(
    opener: Callable[[str], Store], council, q
):
    sid = council.screen("wes", "N1", q, complete_answers(q))
    lena = opener("lena")
    public = lena.screenings.get(sid).public_id
    assert lena.screenings.find(public) == sid
    assert lena.screenings.find(public.upper()) == sid
    assert lena.screenings.find(public[:8]) == sid
    assert lena.screenings.find(public.replace("-", "")[:12]) == sid
    with pytest.raises(ValidationFailed, match="at least its first 8"):
        lena.screenings.find(public[:5])
    with pytest.raises(ValidationFailed, match="not a screening id"):
        lena.screenings.find("not-an-id!")
    lena.screenings.sign_off(sid)
    assert lena.screenings.find(public) == sid  # a full id finds any screening one may see
    with pytest.raises(NotFound, match="no screening awaiting your sign-off"):
        lena.screenings.find(public[:8])  # a prefix only what awaits sign-off


def test_a_prefix_two_queued_screenings_share_is_refused(
    opener: Callable[[str], Store], council, q
):
    wes = opener("wes")
    ids: list[int] = []
    for ref, public in (
        ("N1", "abcdef01-0000-4000-8000-000000000001"),
        ("N2", "abcdef01-0000-4000-8000-000000000002"),
    ):
        draft = wes.screenings.start_draft(council.ids[ref], q, public_id=public)
        wes.screenings.save_answers(draft.id, complete_answers(q))
        wes.screenings.submit(draft.id)
        ids.append(draft.id)
    lena = opener("lena")
    with pytest.raises(ValidationFailed, match="2 screenings awaiting sign-off"):
        lena.screenings.find("abcdef01")
    assert lena.screenings.find("abcdef01-0000-4000-8000-000000000002") == ids[1]


def test_another_teams_screening_is_answered_as_missing_and_audited(
    opener: Callable[[str], Store], council, q
):
    sid = council.screen("wes", "N1", q, complete_answers(q))
    public = opener("lena").screenings.get(sid).public_id
    sam = opener("sam")  # the South team's lead
    with pytest.raises(NotFound) as unseen:
        sam.screenings.find(public)
    nobody = "0b0e0c0a-0000-4000-8000-000000000000"
    with pytest.raises(NotFound) as missing:
        sam.screenings.find(nobody)
    assert str(unseen.value).replace(public, "X") == str(missing.value).replace(nobody, "X")
    denied = opener("ada").audit.entries(action="denied")
    assert [(e.actor, e.entity) for e in denied][:1] == [("sam", "screening")]
