"""The draft controller's two ways of saving agree on what is committed."""

from __future__ import annotations

import pytest

from cse_screen.errors import NotFound, UserError
from cse_screen.storage.services.draft_saves import CONTEXT_KEY, answer_key, unsaved_sentence
from cse_screen.storage.services.drafts import DraftController


@pytest.fixture
def store(council):
    return council.open()


@pytest.fixture
def controller(store, council, q):
    child_id = next(iter(council.ids.values()))
    drafts = [d for d in store.screenings.drafts() if d.child_id == child_id]
    for draft in drafts:
        store.screenings.discard_draft(draft.id)
    return DraftController.start(store.screenings, child_id, q)


def test_a_save_taken_before_a_change_does_not_mark_the_change_saved(controller, store) -> None:
    key = controller.give_answer("A1", "current")
    early = controller.save_for(key)
    controller.give_answer("A1", "none")
    early.write()  # lands after the worker changed the answer again
    assert not controller.save_done(early)
    assert controller.unsaved_items() == ["A1"]
    assert store.screenings.get(controller.screening_id).answers["A1"].value == "current"
    controller.commit(controller.save_for(key))
    assert controller.ledger.all_saved()
    assert store.screenings.get(controller.screening_id).answers["A1"].value == "none"


def test_a_refused_save_is_recorded_with_its_sentence_then_raised(controller, store) -> None:
    store.screenings.discard_draft(controller.screening_id)
    with pytest.raises(NotFound):
        controller.answer("A1", "none")
    (unsaved,) = controller.ledger.failing()
    assert unsaved.key == answer_key("A1") and unsaved.reason
    assert unsaved_sentence(controller.ledger.unsaved()).startswith("1 answer is not saved: ")


def test_context_changes_share_one_key_and_say_so(controller) -> None:
    key = controller.give_context("screen_date", controller.screen_date)
    assert key == CONTEXT_KEY
    controller.give_answer("A2", "none")
    text = unsaved_sentence(controller.ledger.unsaved())
    assert text == "1 answer and the details on “About this screening” are not saved yet."
    with pytest.raises(UserError):
        controller.give_context("screen_date", None)
