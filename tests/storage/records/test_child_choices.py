"""A child's listed details are the questionnaire's choices, never free text scoring misreads.

A disability typed as "Learning disability" where the questionnaire lists ``learning`` would
silently not count for the learning-disability floor (O3); storage refuses it, stores a loose
spelling of a listed option as the option itself, and a screening of a child whose stored
detail (from before choices were enforced) matches no option cannot be submitted until the
screening chooses one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from records_fixtures import Council, complete_answers
from sqlalchemy import update

from cse_screen.errors import (
    ChildDetailsInvalid,
    ImportFailed,
    NotFound,
    ScreeningIncomplete,
)
from cse_screen.storage.importer import import_children
from cse_screen.storage.models import Child
from cse_screen.storage.records import ChildInput

DOB = dt.date(2012, 3, 4)


def test_a_typed_disability_is_refused_without_repeating_it(council: Council):
    store = council.open()
    with pytest.raises(ChildDetailsInvalid) as refused:
        store.children.add(ChildInput("R1", "Ann Other", DOB, disability="Learning disability"))
    message = str(refused.value)
    assert "child R1 has a disability that is not one of the listed choices" in message
    assert "Learning disability" not in message and "learning" in message  # lists the choices
    assert refused.value.problems[0][0] == "disability"
    with pytest.raises(NotFound):
        store.children.by_ref("R1")


def test_a_loose_spelling_is_stored_as_the_option(council: Council):
    store = council.open()
    added = store.children.add(
        ChildInput("R2", "Ann Other", DOB, gender="Female", disability="ASD", legal_status="S20")
    )
    # gender and legal status are held as codes of the code lists (see test_care_codes.py)
    assert (added.gender, added.disability, added.legal_status) == ("F", "asd", "V2")
    changed = store.children.update(added.id, disability=" Learning ")
    assert changed.disability == "learning"
    with pytest.raises(ChildDetailsInvalid, match="disability that is not one of the listed"):
        store.children.update(added.id, disability="dyslexia and more")
    assert store.children.by_ref("R2").disability == "learning"


def test_every_problem_is_listed_with_its_field(council: Council):
    store = council.open()
    with pytest.raises(ChildDetailsInvalid) as refused:
        store.children.add(ChildInput("", "", None, disability="typed"))  # type: ignore[arg-type]
    fields = [field for field, _sentence in refused.value.problems]
    assert fields == ["case_ref", "name", "dob", "disability"]


def test_an_import_row_with_a_typed_disability_is_named(council: Council, tmp_path):
    source = tmp_path / "children.csv"
    source.write_text(
        "Case Ref,Name,Date of Birth,Disability\n"
        "X1,Ann Other,04/03/2012,Learning\n"
        "X2,Bea Other,04/03/2012,Learning difficulties\n"
        "X3,,04/03/2012,typed\n",
        encoding="utf-8",
    )
    store = council.open()
    with pytest.raises(ImportFailed) as refused:
        import_children(store, source)
    message = str(refused.value)
    assert "row 3 (X2) has a disability that is not one of the listed choices" in message
    assert "difficulties" not in message and "2 rows need correcting" in message
    listed = [(p.row, p.case_ref, p.problem.split(" that ")[0]) for p in refused.value.problems]
    assert listed == [
        (3, "X2", "has a disability"),
        (4, "X3", "has no name"),  # every problem of a row is listed, not the first only
        (4, "X3", "has a disability"),
    ]
    assert "X1" not in store.children.existing_refs(["X1"])  # all rows or none


def test_a_stored_unlisted_disability_blocks_submit_until_chosen(council: Council, q):
    admin = council.open()
    with admin.context.transaction() as session:  # stored before choices were enforced
        session.execute(
            update(Child).where(Child.case_ref == "N1").values(disability="Learning disability")
        )
    draft = admin.screenings.start_draft(council.ids["N1"], q)
    admin.screenings.save_answers(draft.id, complete_answers(q, E1="current"))
    with pytest.raises(ScreeningIncomplete, match="recorded disability is none of the"):
        admin.screenings.submit(draft.id)
    admin.screenings.save_context(draft.id, {"disability": "learning"})
    done = admin.screenings.submit(draft.id)
    assert "O3" in done.result["rules"]
