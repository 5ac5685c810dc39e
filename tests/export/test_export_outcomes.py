"""An export never shows a child safer than the register does: a lowering still awaiting a
lead's sign-off, and a screening returned for changes, leave the child at the higher outcome
in the Children sheet, with the lowering flagged on the Screenings sheet."""

from __future__ import annotations

from datetime import date

from cse_screen.core import registry
from cse_screen.export import ExportOptions, export_workbook
from cse_screen.storage.records import ChildInput
from cse_screen.vault.store import Store
from tests.export.conftest import PASSWORD, TODAY
from tests.export.helpers import load, table


def screen_significant(db, child_id: int, final: str | None, reason: str | None) -> int:
    """worker1 screens the child with one significant indicator current and submits."""
    q = registry.get_questionnaire()
    with Store.open(db, "worker1", PASSWORD) as worker:
        draft = worker.screenings.start_draft(child_id, q)
        answers = {}
        for item in q.items:
            present = q.answer_types[item.answer].present
            answers[item.id] = next(v for v in item.values if v not in present)
        answers[next(i.id for i in q.items if i.tier == "significant")] = "current"
        worker.screenings.save_answers(draft.id, answers)
        worker.screenings.submit(draft.id, final, reason)
        return draft.id


def test_export_keeps_an_unsigned_lowering_and_a_return_at_the_higher_outcome(
    admin_store, export_db, tmp_path
):
    young = date(TODAY.year - 10, 1, 1)
    for ref, name in (("LOWER1", "Lowell Ouse"), ("RETURN1", "Rhona Tees")):
        admin_store.children.add(ChildInput(ref, name, young, worker="worker1", team="North"))
    ids = {ref: admin_store.children.by_ref(ref).id for ref in ("LOWER1", "RETURN1")}
    lowered = screen_significant(export_db, ids["LOWER1"], "low", "Carer says it has stopped")
    returned = screen_significant(export_db, ids["RETURN1"], None, None)
    with Store.open(export_db, "lead1", PASSWORD) as lead:
        lead.screenings.return_to_worker(returned, "Please add the police report")
    out = tmp_path / "report.xlsx"
    export_workbook(admin_store, out, ExportOptions())
    book = load(out)
    significant = registry.get_questionnaire().outcome("significant").label
    children = {c["Case reference"]: c for c in table(book["Children"])}
    assert children["LOWER1"]["Latest outcome"] == significant
    assert children["RETURN1"]["Latest outcome"] == significant
    screenings = {s["Screening ID"]: s for s in table(book["Screenings"])}
    assert screenings[lowered]["Awaiting sign-off"] == "Yes"  # still needs a lead
    assert screenings[lowered]["Computed outcome"] == significant
