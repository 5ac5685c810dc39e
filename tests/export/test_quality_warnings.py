"""The Summary's data-quality warnings, against a hand-counted set of rows and a real store."""

from __future__ import annotations

import io
import random
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from cse_screen.export import ExportOptions, export_workbook
from cse_screen.export.listsource import ListSource
from cse_screen.export.workbook import build_workbook
from tests.export import rowfactory as rf
from tests.export.helpers import block, load

CONTEXT = (("missing_episodes", "Missing episodes in the last 90 days"), ("sources", "Sources"))
RESIDENTIAL = "Placed in a residential home, L8 answered 'no'"
L8 = replace(rf.instrument().items[-1], id="L8", text="Residential care placement")


def _instruments():
    newest = replace(
        rf.instrument(),
        version="1.1",
        content_hash="new",
        items=(*rf.instrument().items, L8),
        context_fields=CONTEXT,
    )
    return [newest, replace(newest, version="1.0", content_hash="old")]


def _source() -> ListSource:
    """12 children: 3 in residential homes (two answered L8 'no'), one with no placement, two
    never screened; 10 completed screenings, 3 on the older version, 4 without missing
    episodes, 1 without sources, 2 with an 'unknown' answer."""
    rng = random.Random(3)
    kids = []
    for i in range(1, 13):
        placement = "residential_home" if i <= 3 else None if i == 4 else "foster_ifa"
        kid = replace(rf.child(i, outcome=None if i > 10 else "low"), placement_type=placement)
        kids.append(kid)
    rows = []
    for i, kid in enumerate(kids[:10], 1):
        answers = {f"A{n}": "none" for n in range(1, 9)} | {"L1": "no", "L2": "no", "L3": "no"}
        answers["L8"] = "no" if i in (1, 2) else "yes" if i == 3 else "no"
        if i in (5, 6):
            answers["A1"] = "unknown"
        present = {"dob", "screen_date", "missing_episodes", "sources"}
        if i in (1, 4, 7, 8):
            present.discard("missing_episodes")
        if i == 9:
            present.discard("sources")
        row = rf.screening(i, kid, rng, answers=answers, context_present=frozenset(present))
        old = i in (2, 5, 8)
        rows.append(
            replace(
                row,
                instrument_version="1.0" if old else "1.1",
                instrument_hash="old" if old else "new",
                placement_type=kid.placement_type,
                screen_date=date(2026, 10, i),
            )
        )
    return ListSource.from_lists(rf.meta(), _instruments(), kids, rows)


def _warnings(pseudonymise: bool = False) -> dict[str, dict]:
    built = build_workbook(_source(), ExportOptions(pseudonymise=pseudonymise))
    book = openpyxl.load_workbook(io.BytesIO(built.data.getvalue()))
    return _checks(book["Summary"])


def _checks(summary) -> dict[str, dict]:
    """The block's rows by check (the sentence under the table is not a check)."""
    rows = block(summary, "Data quality warnings")
    return {r["Check"]: r for r in rows if r.get("Out of") is not None}


def test_every_check_is_counted_over_its_base_and_marked_above_its_threshold():
    found = _warnings()
    expected = {
        "Screenings with an 'unknown' answer": (2, 10, "Warning"),
        "Not recorded: Missing episodes in the last 90 days": (4, 10, "Warning"),
        "Not recorded: Sources": (1, 10, "Within threshold"),
        RESIDENTIAL: (2, 3, "Warning"),
        "Screenings on an older questionnaire version": (3, 10, "Warning"),
        "Children never screened": (2, 12, "Warning"),
        "Children with no placement type recorded": (1, 12, "Warning"),
    }
    assert {k: (r["Count"], r["Out of"], r["Warning"]) for k, r in found.items()} == expected
    assert found[RESIDENTIAL]["%"] == pytest.approx(2 / 3)
    assert found["Children never screened"]["Base"].startswith("children in scope as at")


def test_the_summary_opens_with_the_warnings_and_says_how_many_are_raised():
    built = build_workbook(_source(), ExportOptions())
    summary = openpyxl.load_workbook(io.BytesIO(built.data.getvalue()))["Summary"]
    firsts = [r[0] for r in summary.iter_rows(values_only=True) if r and r[0]]
    assert firsts.index("Data quality warnings") < firsts.index("Children as at 29/11/2026")
    assert (
        "6 of 7 checks are above their threshold: read the figures below with them in mind."
        in firsts
    )


def test_a_board_file_marks_no_warning_on_a_withheld_count():
    for row in _warnings(pseudonymise=True).values():
        if not isinstance(row["Count"], int) or not isinstance(row["Out of"], int):
            assert row["Warning"] is None, row["Check"]


def test_a_residential_placement_answered_no_to_l8_is_found_in_the_store(admin_store, tmp_path):
    from cse_screen.core import registry
    from cse_screen.storage.records import ChildInput

    q = registry.get_questionnaire()
    answers = {i.id: ("none" if "none" in i.values else "no") for i in q.items}
    for n, (placement, context) in enumerate(
        (("residential_home", {}), ("foster_ifa", {"placement_type": "residential_home"}))
    ):
        child = admin_store.children.add(
            ChildInput(f"RES-{n}", f"Resident {n}", date(2011, 5, 1), placement_type=placement)
        )
        draft = admin_store.screenings.start_draft(child.id, q)
        admin_store.screenings.save_answers(draft.id, answers)
        if context:
            admin_store.screenings.save_context(draft.id, context)
        admin_store.screenings.submit(draft.id)
    out = tmp_path / "quality.xlsx"
    export_workbook(admin_store, out, ExportOptions())
    rows = _checks(load(out)["Summary"])
    # the first by its record, the second by its screening's own context (placed when screened)
    assert (rows[RESIDENTIAL]["Count"], rows[RESIDENTIAL]["Out of"]) == (2, 2)
    assert rows[RESIDENTIAL]["Warning"] == "Warning"
