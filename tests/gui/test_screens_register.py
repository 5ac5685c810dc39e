"""The children register, the child dialog and events, on a real encrypted database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QTableView
from screens_fixtures import admin_ctx, known, known_template, make_context, open_store

__all__ = ["admin_ctx", "known", "known_template"]


def refs(page) -> list[str]:
    model = page.model
    return [model.row_at(r).case_ref for r in range(model.rowCount())]


def wait_for_query(qtbot, page, action) -> None:
    with qtbot.waitSignal(page.updated, timeout=5000):
        action()


@pytest.fixture
def register(qtbot, admin_ctx):
    from cse_screen.gui.register import RegisterPage

    page = RegisterPage(admin_ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.total > 0, timeout=5000)
    page.show()
    return page


def test_register_model_passes_qtmodeltester_while_paging(qtmodeltester, known):
    from cse_screen.gui.register_model import RegisterModel

    store = open_store(known)
    try:
        model = RegisterModel(store.children.register, {"low": "Low"}, page_size=2)
        model.refresh()
        assert model.rowCount() == 2 and model.total == 5
        qtmodeltester.check(model, force_py=True)
        while model.canFetchMore():
            model.fetchMore()
        assert model.rowCount() == 5
        qtmodeltester.check(model, force_py=True)
    finally:
        store.close()


def test_search_as_you_type_and_filters_match_known_children(qtbot, register):
    # An administrator opens on the team, sorted by what needs attention; then by reference.
    assert sorted(refs(register)) == ["LAC0001", "LAC0002", "LAC0003", "LAC0004"]
    assert register.model.query.sort == "attention"
    wait_for_query(
        qtbot, register, lambda: register.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    )
    assert refs(register) == ["LAC0001", "LAC0002", "LAC0003", "LAC0004"]
    scope = register.findChild(QComboBox, "scopeFilter")
    wait_for_query(qtbot, register, lambda: scope.setCurrentIndex(scope.findData("all")))
    assert refs(register) == ["LAC0001", "LAC0002", "LAC0003", "LAC0004", "LAC0005"]
    search = register.findChild(QLineEdit, "searchEdit")
    wait_for_query(qtbot, register, lambda: qtbot.keyClicks(search, "brook"))
    assert refs(register) == ["LAC0002"]
    wait_for_query(qtbot, register, search.clear)
    due = register.findChild(QComboBox, "dueFilter")
    wait_for_query(qtbot, register, lambda: due.setCurrentIndex(due.findData("overdue")))
    assert refs(register) == ["LAC0002"]
    wait_for_query(qtbot, register, lambda: due.setCurrentIndex(due.findData("7d")))
    assert refs(register) == ["LAC0003", "LAC0004", "LAC0005"]  # never screened: due today
    wait_for_query(qtbot, register, lambda: due.setCurrentIndex(due.findData("30d")))
    assert refs(register) == ["LAC0001", "LAC0003", "LAC0004", "LAC0005"]
    wait_for_query(qtbot, register, lambda: due.setCurrentIndex(0))
    outcome = register.findChild(QComboBox, "outcomeFilter")
    wait_for_query(
        qtbot, register, lambda: outcome.setCurrentIndex(outcome.findData("significant"))
    )
    assert refs(register) == ["LAC0001"]
    wait_for_query(qtbot, register, lambda: outcome.setCurrentIndex(outcome.findData("none")))
    assert refs(register) == ["LAC0004", "LAC0005"]
    wait_for_query(qtbot, register, lambda: outcome.setCurrentIndex(0))
    wait_for_query(qtbot, register, lambda: scope.setCurrentIndex(scope.findData("team")))
    assert refs(register) == ["LAC0001", "LAC0002", "LAC0003", "LAC0004"]
    assert register.findChild(QLabel, "countLabel").text() == "4 children"


def test_my_caseload_is_the_workers_own_children(qtbot, known, runner):
    from cse_screen.gui.register import RegisterPage

    store = open_store(known, "sam")
    try:
        page = RegisterPage(make_context(store, runner, known.db, register_filter="mine"))
        qtbot.addWidget(page)
        qtbot.waitUntil(lambda: page.model.total > 0, timeout=5000)
        assert refs(page) == ["LAC0001", "LAC0002", "LAC0003"]
        runner.wait(5000)
    finally:
        store.close()


def test_sorting_asks_the_query_and_highlights_due_rows(qtbot, register):
    scope = register.findChild(QComboBox, "scopeFilter")
    wait_for_query(qtbot, register, lambda: scope.setCurrentIndex(scope.findData("all")))
    table = register.findChild(QTableView, "registerTable")
    wait_for_query(qtbot, register, lambda: table.sortByColumn(7, Qt.SortOrder.AscendingOrder))
    assert register.model.query.sort == "next_due"
    assert refs(register) == ["LAC0002", "LAC0004", "LAC0005", "LAC0003", "LAC0001"]
    wait_for_query(qtbot, register, lambda: table.sortByColumn(0, Qt.SortOrder.DescendingOrder))
    assert refs(register) == ["LAC0005", "LAC0004", "LAC0003", "LAC0002", "LAC0001"]
    model = register.model
    overdue = model.index(refs(register).index("LAC0002"), 7)
    soon = model.index(refs(register).index("LAC0003"), 7)
    assert "overdue" in overdue.data()
    assert "due soon" in soon.data()
    assert overdue.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(0, 5).data() == "Not screened"


def test_add_child_shows_storage_refusal_inline_then_saves(qtbot, register, admin_ctx):
    from cse_screen.gui.child_dialog import ChildDialog

    dialog = ChildDialog(admin_ctx, None, register)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.findChild(QLineEdit, "caseRefEdit"), "LAC0001")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "nameEdit"), "Finn Ford")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "dobEdit"), "04/03/2012")  # starts blank
    dialog.findChild(type(dialog.form.buttonBox.buttons()[0]), "saveButton").click()
    error = dialog.findChild(QLabel, "errorLabel")
    assert error.isVisible()
    assert error.text() == "A child with case reference LAC0001 already exists."
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    ref = dialog.findChild(QLineEdit, "caseRefEdit")
    ref.selectAll()
    qtbot.keyClicks(ref, "LAC0099")
    qtbot.keyClick(dialog.findChild(QLineEdit, "nameEdit"), Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.saved_record.case_ref == "LAC0099"
    assert dialog.saved_record.name == "Finn Ford"
    search = register.findChild(QLineEdit, "searchEdit")
    wait_for_query(qtbot, register, lambda: qtbot.keyClicks(search, "finn"))
    assert refs(register) == ["LAC0099"]
    assert admin_ctx.errors == []


def test_empty_name_is_refused_with_storages_sentence(qtbot, admin_ctx):
    from cse_screen.gui.child_dialog import ChildDialog

    dialog = ChildDialog(admin_ctx, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.findChild(QLineEdit, "caseRefEdit"), "LAC0100")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "dobEdit"), "04/03/2012")  # starts blank
    dialog.save()
    assert dialog.findChild(QLabel, "errorLabel").text() == "Child LAC0100 has no name."
    assert admin_ctx.read(lambda s: s.children.register().total) == 5


def test_recording_an_event_makes_a_screening_due_now(qtbot, register, admin_ctx, known):
    from cse_screen.gui.event_dialog import EventDialog

    child_id = known.ids["LAC0001"]
    before = admin_ctx.read(lambda s: s.children.by_ref("LAC0001")).next_due
    assert before > date.today()
    dialog = EventDialog(admin_ctx, child_id, "LAC0001", register)
    qtbot.addWidget(dialog)
    kind = dialog.findChild(QComboBox, "eventKindCombo")
    kind.setCurrentIndex(kind.findData("missing_episode"))
    with qtbot.waitSignal(register.updated, timeout=5000):
        dialog.save()
    after = admin_ctx.read(lambda s: s.children.by_ref("LAC0001")).next_due
    assert after <= date.today()
    events = admin_ctx.read(lambda s: s.events.for_child(child_id))
    assert [e.kind for e in events] == ["missing_episode"]
