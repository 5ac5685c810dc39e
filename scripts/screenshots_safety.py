"""The screens of the safety pass, for ``scripts/screenshots.py``: the states that must never
make a child look safer than the answers say (docs/safety.md), rendered from the demo database.

Saves: the context page asking for a child detail no choice matches, the result page
incomplete, lowered (both outcomes side by side) and returned, the review queue, the screening
view a lead signs off from and its confirmation, the new-child form with its errors listed,
the import's problems table and the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

# A child detail typed before choices were enforced, which no option of the instrument matches.
UNLISTED_DISABILITY = "Learning difficulties (recorded as typed)"
LOWERING_REASON = "Carer and school report no contact with the older group since September."
WORKER = "alex.worker"  # a worker enrolled for the screenshots, who lowers an outcome
EVIDENCE = "Told the school nurse she stays out overnight with a man in his twenties."
RETURN_REASON = "Please add the police report from Friday and check item B3 with the carer."
# An import with rows to correct (synthetic names; the problems table never repeats them).
BAD_IMPORT = (
    "Case reference,Name,Date of birth,Disability\n"
    "LAC9001,Rosa Sandiford,14/02/2012,none\n"
    "LAC9002,Seth Tolhurst,31/02/2010,none\n"
    ",Tia Upton,01/01/2012,none\n"
    "LAC9004,Uma Vance,03/05/2011,Learning difficulties\n"
)


def first_absent(q: Any) -> dict[str, str]:
    """Each item's "not present" answer (its first value that does not count as present)."""
    chosen = {}
    for item in q.items:
        present = q.answer_types[item.answer].present
        chosen[item.id] = next(v for v in item.values if v not in present)
    return chosen


def prepare(db: Path, password: str) -> dict[str, int]:
    """Put the demo database in the states to show; returns the children's ids by role."""
    from sqlalchemy import update

    from cse_screen.core import registry
    from cse_screen.storage.models import Child
    from cse_screen.storage.records import RegisterQuery
    from cse_screen.vault.store import Store

    q = registry.get_questionnaire()
    with Store.open(db, "demo", password) as store:
        rows = store.children.register(RegisterQuery(limit=500)).rows
        busy = {d.child_id for d in store.screenings.drafts()}
        free = [r for r in rows if r.child_id not in busy]
        unmapped, blank, returned = free[-1], free[-2], free[-3]
        queued = {s.child_id for s in store.screenings.review_queue()}
        young = next(r for r in free[:-3] if r.age < 13 and r.child_id not in queued)
        store.users.add(WORKER, password, "worker", team=young.team, full_name="Alex Worker")
        with store.context.transaction() as session:
            session.execute(
                update(Child)
                .where(Child.id == unmapped.child_id)
                .values(disability=UNLISTED_DISABILITY)
            )
            session.execute(update(Child).where(Child.id == young.child_id).values(worker=WORKER))
        draft = store.screenings.start_draft(returned.child_id, q)
        significant = next(i.id for i in q.items if i.tier == "significant")
        for item_id, value in {**first_absent(q), significant: "current"}.items():
            store.screenings.save_answer(draft.id, item_id, value, None)
        store.screenings.submit(draft.id)
        store.screenings.return_to_worker(draft.id, RETURN_REASON)
    with Store.open(db, WORKER, password) as worker:
        lowered = worker.screenings.start_draft(young.child_id, q)
        answers = {**first_absent(q), significant: "current"}
        worker.screenings.save_answers(lowered.id, answers)
        worker.screenings.save_answer(lowered.id, significant, "current", EVIDENCE)
        worker.screenings.submit(lowered.id, "low", LOWERING_REASON)
    return {
        "unmapped": int(unmapped.child_id),
        "blank": int(blank.child_id),
        "returned": int(draft.id),
    }


def shoot_results(shots: Any, shell: Any, ids: dict[str, int], draft_child: int) -> None:
    """The context page asking, then the result page incomplete, lowered and returned."""
    from PySide6.QtWidgets import QComboBox, QPlainTextEdit

    from cse_screen.gui.wizard.page import open_screening, resume_screening

    main, ctx = shell.main, shell.ctx
    wizard = open_screening(ctx, ids["unmapped"])
    wizard.show_context()
    shots.save(main, "wizard-context-asking")
    main.show_home()
    wizard = open_screening(ctx, ids["blank"])
    wizard.show_result()
    shots.save(main, "result-incomplete")
    main.show_home()
    wizard = open_screening(ctx, draft_child)
    controller = wizard.controller
    for item_id, value in first_absent(controller.questionnaire).items():
        if controller.value(item_id) is None:
            controller.answer(item_id, value)
    wizard.show_result()
    combo = wizard.findChild(QComboBox, "overrideOutcome")
    combo.setCurrentIndex(combo.findData("low"))
    wizard.findChild(QPlainTextEdit, "overrideReason").setPlainText(LOWERING_REASON)
    shots.save(main, "result-lowered")
    main.show_home()
    wizard = resume_screening(ctx, ids["returned"])
    wizard.show_result()
    shots.save(main, "result-returned")
    main.show_home()


def shoot_review(shots: Any, shell: Any, wait_until: Callable[..., None]) -> None:
    """The queue (lowered first), the screening view a lead signs off from, its confirmation."""
    from PySide6.QtWidgets import QPushButton

    from cse_screen.gui.screening_view import ScreeningViewDialog, SignOffConfirm

    main = shell.main
    main.show_root("review")
    page = main.root("review")
    wait_until(lambda: page.rows)
    shots.save(main, "review-queue")
    page.open_selected()
    view = page.findChild(ScreeningViewDialog)
    view.resize(min(main.width(), 900), min(main.height() - 40, 720))
    shots.save(view, "screening-view")
    view.findChild(QPushButton, "viewSignOffButton").click()
    confirm = view.findChild(SignOffConfirm)
    if confirm is not None:
        shots.save(confirm, "signoff-confirm")
        confirm.reject()
    view.reject()
    main.show_home()


def shoot_forms(shots: Any, shell: Any, folder: Path, wait_until: Callable[..., None]) -> None:
    """The new-child form with its errors listed, the import's problems, the audit log."""
    from PySide6.QtWidgets import QAbstractButton, QLineEdit

    from cse_screen.gui.child_dialog import ChildDialog
    from cse_screen.gui.import_dialog import ImportDialog

    main, ctx = shell.main, shell.ctx
    dialog = ChildDialog(ctx, None, main)
    dialog.show()
    dialog.findChild(QLineEdit, "dobEdit").setText("31/02/2012")
    dialog.findChild(QAbstractButton, "saveButton").click()
    shots.save(dialog, "child-form-errors")
    dialog.reject()
    source = folder / "children-to-import.csv"
    source.write_text(BAD_IMPORT, encoding="utf-8")
    importer = ImportDialog(ctx, main)
    importer.show()
    importer.set_source(source)
    importer.findChild(QAbstractButton, "importButton").click()
    wait_until(lambda: not importer.running)
    importer.file_edit.setText("~/Documents/children-to-import.csv")  # not this machine's path
    shots.save(importer, "import-problems")
    importer.reject()
    main.show_root("audit")
    page = main.root("audit")
    wait_until(lambda: page.isVisible())
    shots.save(main, "audit-log")
    main.show_home()
