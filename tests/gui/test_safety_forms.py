"""No screen may make a child look safer than the answers say: no silent values in the child
form, the right child in the wizard, plain words in the audit log and on each section, and an
import's rows to correct as a table that can be saved. Every test drives the real widgets (found
by objectName) over a real encrypted database."""

from __future__ import annotations

import csv
import re
import stat
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QWidget,
)
from screens_fixtures import admin_ctx, all_absent, known, known_template, open_store, out_dir
from sqlalchemy import update

from cse_screen.core.dates import age_on
from cse_screen.errors import PermissionDenied
from cse_screen.storage.models import Child
from cse_screen.storage.services.audit import AuditQuery

__all__ = ["admin_ctx", "known", "known_template", "out_dir"]

CHOICE_COMBOS = (
    "genderCombo",
    "ethnicityCombo",
    "disabilityCombo",
    "placementCombo",
    "legalStatusCombo",
)
LEGEND = "Current: now or in the last 6 months. Previous: 6 to 12 months ago."


def child_dialog(qtbot, ctx, child=None):
    from cse_screen.gui.child_dialog import ChildDialog

    dialog = ChildDialog(ctx, child)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def store_unlisted_disability(ctx, case_ref: str, value: str) -> None:
    """A detail typed before choices were enforced, as older databases hold them."""
    store = ctx.require_store()
    with store.context.transaction() as session:
        session.execute(update(Child).where(Child.case_ref == case_ref).values(disability=value))


def open_wizard(qtbot, ctx, child_id: int):
    from cse_screen.gui.wizard.page import open_screening

    wizard = open_screening(ctx, child_id)
    assert wizard is not None and ctx.errors == []
    qtbot.addWidget(wizard)
    wizard.resize(1366, 768)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def answer_all(wizard, present: dict[str, str]) -> None:
    """Answer through the item widgets, as clicks would (each commits at once)."""
    q = wizard.controller.questionnaire
    for page in wizard.pages.values():
        for item_id, widget in page.items.items():
            value = present.get(item_id, all_absent(q)[item_id])
            widget.answered.emit(item_id, value)
    for item_id in present:
        wizard.controller.set_note(item_id, "Seen by the carer")


# -- no silent values -------------------------------------------------------------------------
def test_typed_value_cannot_reach_choice(qtbot, admin_ctx):
    dialog = child_dialog(qtbot, admin_ctx)
    for name in CHOICE_COMBOS:
        combo = dialog.findChild(QComboBox, name)
        assert not combo.isEditable(), f"{name} accepts typing"
    disability = dialog.findChild(QComboBox, "disabilityCombo")
    options = {disability.itemData(i) for i in range(disability.count())}
    disability.setFocus()
    qtbot.keyClicks(disability, "Learning")  # keys pick from the list, never type
    assert disability.currentData() in options
    assert disability.currentText() != "Learning"
    dialog.reject()
    # A value stored before choices were enforced is shown as unlisted and cannot be saved.
    store_unlisted_disability(admin_ctx, "LAC0002", "Learning disability")
    child = admin_ctx.read(lambda s: s.children.by_ref("LAC0002"))
    edit = child_dialog(qtbot, admin_ctx, child)
    combo = edit.findChild(QComboBox, "disabilityCombo")
    assert combo.currentText() == "Learning disability (not a listed choice)"
    edit.findChild(QAbstractButton, "saveButton").click()
    assert edit.isVisible() and edit.saved_record is None
    error = edit.findChild(QLabel, "errorLabel").text()
    assert "disability that is not one of the listed choices" in error
    assert combo.property("invalid") is True and edit.focusWidget() is combo
    combo.setCurrentIndex(combo.findData("learning"))
    edit.findChild(QAbstractButton, "saveButton").click()
    assert edit.saved_record is not None and edit.saved_record.disability == "learning"
    assert admin_ctx.errors == []


def test_dob_starts_blank(qtbot, admin_ctx):
    dialog = child_dialog(qtbot, admin_ctx)
    dob = dialog.findChild(QLineEdit, "dobEdit")
    assert dob is not None and dob.text() == ""
    assert dob.placeholderText() == "dd/mm/yyyy"
    qtbot.keyClicks(dialog.findChild(QLineEdit, "caseRefEdit"), "LAC0200")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "nameEdit"), "Gus Grey")
    dialog.findChild(QAbstractButton, "saveButton").click()
    assert dialog.saved_record is None
    assert dialog.findChild(QLabel, "errorLabel").text() == (
        "Child LAC0200 has no valid date of birth."
    )
    assert dob.property("invalid") is True and dialog.focusWidget() is dob
    qtbot.keyClicks(dob, "04/03/2012")
    dialog.findChild(QAbstractButton, "saveButton").click()
    assert dialog.saved_record is not None and dialog.saved_record.dob == date(2012, 3, 4)


def test_form_errors_are_listed_together_each_field_marked_first_focused(qtbot, admin_ctx):
    dialog = child_dialog(qtbot, admin_ctx)
    dob = dialog.findChild(QLineEdit, "dobEdit")
    qtbot.keyClicks(dob, "31/02/2012")
    dialog.findChild(QAbstractButton, "saveButton").click()
    lines = dialog.findChild(QLabel, "errorLabel").text().splitlines()
    assert lines == [
        "The case reference is empty.",
        "The child has no name.",
        "The date of birth is not a date written as dd/mm/yyyy.",
    ]
    marked = [
        name
        for name in ("caseRefEdit", "nameEdit", "dobEdit", "disabilityCombo")
        if dialog.findChild(QWidget, name).property("invalid") is True
    ]
    assert marked == ["caseRefEdit", "nameEdit", "dobEdit"]
    assert dialog.focusWidget() is dialog.findChild(QLineEdit, "caseRefEdit")
    # Once corrected, a field is no longer marked; the duplicate reference is storage's finding.
    qtbot.keyClicks(dialog.findChild(QLineEdit, "caseRefEdit"), "LAC0001")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "nameEdit"), "Gus Grey")
    dob.clear()
    qtbot.keyClicks(dob, "28/02/2012")
    dialog.findChild(QAbstractButton, "saveButton").click()
    assert dialog.findChild(QLabel, "errorLabel").text() == (
        "A child with case reference LAC0001 already exists."
    )
    assert dialog.findChild(QWidget, "caseRefEdit").property("invalid") is True
    assert dob.property("invalid") is False and dialog.saved_record is None


def test_unmapped_child_detail_blocks_context_page(qtbot, admin_ctx, known):
    store_unlisted_disability(admin_ctx, "LAC0002", "Learning disability")
    wizard = open_wizard(qtbot, admin_ctx, known.ids["LAC0002"])
    assert wizard.on_context_page()
    combo = wizard.findChild(QComboBox, "context_disability")
    assert combo is not None and combo.isVisible()
    assert combo.currentData() is None and combo.currentText() == "Choose…"  # no default
    assert wizard.findChild(QLabel, "contextLabel_disability").text() == "Disability *"
    note = wizard.findChild(QLabel, "unmappedNote")
    assert note.isVisible() and "Learning disability" in note.text()
    q = wizard.controller.questionnaire
    low = next(i.id for i in q.items if i.tier == "low" and "current" in i.values)
    answer_all(wizard, {low: "current"})
    wizard.show_result()
    wizard.findChild(QPushButton, "submitButton").click()  # submits once the saves land
    qtbot.waitUntil(lambda: bool(wizard.findChild(QLabel, "submitError").text()), timeout=5000)
    refused = wizard.findChild(QLabel, "submitError").text()
    assert "Disability" in refused and "About this screening" in refused
    record = admin_ctx.read(lambda s: s.screenings.get(wizard.controller.screening_id))
    assert record.status == "draft"
    wizard.show_context()
    combo.setCurrentIndex(combo.findData("learning"))
    wizard.show_result()
    wizard.findChild(QPushButton, "submitButton").click()
    screening_id = wizard.controller.screening_id
    qtbot.waitUntil(
        lambda: admin_ctx.read(lambda s: s.screenings.get(screening_id)).status == "submitted",
        timeout=5000,
    )
    record = admin_ctx.read(lambda s: s.screenings.get(screening_id))
    assert record.status == "submitted" and record.computed_outcome == "moderate"
    assert "O3" in record.result["rules"]  # the learning-disability floor applied
    assert admin_ctx.errors == []


# -- the right child --------------------------------------------------------------------------
def test_wizard_header_names_child(qtbot, admin_ctx, known):
    wizard = open_wizard(qtbot, admin_ctx, known.ids["LAC0001"])
    child = admin_ctx.read(lambda s: s.children.by_ref("LAC0001"))
    age = age_on(child.dob, wizard.controller.screen_date)
    title = wizard.findChild(QLabel, "wizardTitle")
    seen = []

    def check() -> None:
        assert title.isVisible()
        assert f"Amy Able, {age}, LAC0001" in title.text()
        seen.append(wizard.stack.currentWidget().objectName())

    wizard.show_context()
    check()
    for section_id in wizard.visible_section_ids():
        wizard.show_section(section_id)
        check()
    wizard.show_result()
    check()
    assert len(seen) == len(wizard.visible_section_ids()) + 2
    for window in QApplication.topLevelWidgets():
        assert "Amy" not in window.windowTitle()


def _answer_box(qtbot, button_name: str, seen: list[str]) -> None:
    """Click ``button_name`` in the confirmation once it is open (it runs its own loop)."""

    def click() -> None:
        box = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.objectName() == "confirmDiscard"
            ),
            None,
        )
        if box is None or not box.isVisible():
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        box.findChild(QAbstractButton, button_name).click()

    QTimer.singleShot(0, click)


def test_discard_draft_confirms_and_audits(qtbot, admin_ctx, known):
    wizard = open_wizard(qtbot, admin_ctx, known.ids["LAC0002"])
    sid = wizard.controller.screening_id
    discard = wizard.findChild(QPushButton, "discardDraftButton")
    assert discard.isVisible()
    seen: list[str] = []
    _answer_box(qtbot, "keepDraftButton", seen)
    discard.click()
    assert seen == ["Discard the draft screening for LAC0002?"]
    assert [d.id for d in admin_ctx.read(lambda s: s.screenings.drafts())] == [sid]
    gone: list[int] = []
    wizard.discarded.connect(gone.append)
    _answer_box(qtbot, "confirmDiscardButton", seen)
    discard.click()
    assert gone == [sid] and len(seen) == 2
    assert admin_ctx.read(lambda s: s.screenings.drafts()) == []
    entries = admin_ctx.read(lambda s: s.audit.page(AuditQuery(action="discard")).entries)
    assert [(e.entity, e.entity_id, e.detail["case_ref"]) for e in entries] == [
        ("screening", str(sid), "LAC0002")
    ]
    assert admin_ctx.errors == []


def test_a_worker_cannot_discard_someone_elses_draft(known):
    from cse_screen.core import registry

    with open_store(known, "admin") as admin:
        draft = admin.screenings.start_draft(known.ids["LAC0002"], registry.get_questionnaire())
    refused = pytest.raises(PermissionDenied, match="may only discard drafts they started")
    with open_store(known, "sam") as sam, refused:
        sam.screenings.discard_draft(draft.id)
    with open_store(known, "admin") as admin:
        assert [d.id for d in admin.screenings.drafts()] == [draft.id]
        denied = admin.audit.page(AuditQuery(action="denied", actor="sam")).entries
    assert [e.detail["attempted"] for e in denied] == ["discard"]


# -- plain words ------------------------------------------------------------------------------
def test_audit_log_shows_case_references_and_uk_dates(qtbot, admin_ctx, known):
    from cse_screen.gui.audit_view import AuditPage

    admin_ctx.read(lambda s: s.children.get(known.ids["LAC0003"]))  # a view of one child
    page = AuditPage(admin_ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5000)
    model = page.model
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert headings[3:5] == ["Record", "Case reference"]
    rows = [[model.index(r, c).data() for c in range(6)] for r in range(model.rowCount())]
    assert rows[0][2:5] == ["viewed", "child", "LAC0003"]
    for row in rows:
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", row[0]), row[0]
        assert "child id" not in row[5]
    screening_rows = [r for r in rows if r[3] == "screening"]
    assert screening_rows and all(r[4].startswith("LAC000") for r in screening_rows)
    assert str(known.ids["LAC0003"]) not in {r[4] for r in rows}


def test_each_section_has_a_legend_of_current_and_previous(qtbot, admin_ctx, known):
    wizard = open_wizard(qtbot, admin_ctx, known.ids["LAC0003"])
    for section_id in wizard.visible_section_ids():
        wizard.show_section(section_id)
        legend = wizard.pages[section_id].findChild(QLabel, "windowsLegend")
        assert legend is not None and legend.isVisible()
        assert legend.text() == LEGEND


def test_legend_follows_the_definitions_windows():
    from cse_screen.core.dates import windows_legend
    from cse_screen.core.model import Windows

    assert windows_legend(Windows(90, 365)) == (
        "Current: now or in the last 3 months. Previous: 3 to 12 months ago."
    )
    assert windows_legend(Windows(100, 200)) == (
        "Current: now or in the last 100 days. Previous: 100 to 200 days ago."
    )


# -- import errors as a table -----------------------------------------------------------------
BAD_IMPORT = (
    "Case Ref,Name,Date of Birth,Disability\n"
    "LAC3001,Rosa Sandiford,14/02/2012,none\n"
    "LAC3002,Seth Tolhurst,31/02/2010,none\n"
    "=HYPERLINK(1),Tia Upton,01/01/2012,Learning difficulties\n"
)


def test_import_errors_are_a_table_that_saves_as_csv(qtbot, admin_ctx, out_dir, monkeypatch):
    from cse_screen.gui.import_dialog import ImportDialog

    source = out_dir / "children.csv"
    source.write_text(BAD_IMPORT, encoding="utf-8")
    dialog = ImportDialog(admin_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_source(source)
    dialog.findChild(QAbstractButton, "importButton").click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    table = dialog.findChild(QTableWidget, "importProblemsTable")
    assert table.isVisible()
    headings = [table.horizontalHeaderItem(c).text() for c in range(3)]
    assert headings == ["Row", "Case reference", "Problem"]
    cells = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    assert cells == [
        ["3", "LAC3002", "Has a date of birth that is not dd/mm/yyyy"],
        ["4", "=HYPERLINK(1)", cells[1][2]],
    ]
    assert cells[1][2].startswith("Has a disability that is not one of the listed choices")
    target = out_dir / "saved" / "rows.csv"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "CSV"))
    )
    dialog.findChild(QAbstractButton, "saveProblemsButton").click()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["rows.csv"]  # no temp left
    text = target.read_text(encoding="utf-8-sig")
    for private in ("Rosa", "Seth", "Tolhurst", "Tia", "31/02/2010", "difficulties"):
        assert private not in text
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == ["Row", "Case reference", "Problem"]
    assert rows[1][:2] == ["3", "LAC3002"] and rows[2][:2] == ["4", "'=HYPERLINK(1)"]
    assert dialog.findChild(QLabel, "problemsSavedLabel").text() == "Saved 2 rows to rows.csv."
    entries = admin_ctx.read(lambda s: s.audit.page(AuditQuery(action="export")).entries)
    assert [(e.entity, e.detail) for e in entries][:1] == [
        ("import_problems", {"rows": 2, "source": "csv"})
    ]
    assert admin_ctx.errors == []


def test_saved_list_is_not_left_when_it_cannot_be_audited(admin_ctx, out_dir: Path):
    from cse_screen.errors import DatabaseDamaged
    from cse_screen.export.import_problems import save_problems
    from cse_screen.storage.importer import RowProblem

    class Unaudited:
        class audit:
            @staticmethod
            def record(*_args, **_kwargs):
                raise DatabaseDamaged("the database could not be written")

    target = out_dir / "rows.csv"
    with pytest.raises(DatabaseDamaged):
        save_problems(Unaudited(), [RowProblem(3, "LAC1", "has no name")], target, "x.csv")
    assert not target.exists()
