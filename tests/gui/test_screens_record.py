"""The child record (what changed, timeline, history), the review queue, and discretion:
no child's name in any window title while the screens are used inside the main window."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget, QWidget
from screens_fixtures import admin_ctx, known, known_template, make_context, open_store

__all__ = ["admin_ctx", "known", "known_template"]


def test_record_shows_what_changed_timeline_and_history(qtbot, admin_ctx, known):
    from cse_screen.gui.child_record import ChildRecordPage

    q = admin_ctx.questionnaire()
    page = ChildRecordPage(admin_ctx, known.ids["LAC0001"])
    qtbot.addWidget(page)
    changed = page.findChild(QLabel, "whatChanged").text()
    new_part, rest = changed.split("<b>Resolved", 1)
    resolved_part, still_part = rest.split("<b>Still present", 1)
    significant, moderate = q.item(known.significant_item), q.item(known.moderate_item)
    assert "New (1)" in new_part and significant.id in new_part
    assert significant.text.replace("'", "&#x27;") in new_part or significant.text in new_part
    assert "(1)" in resolved_part and moderate.id in resolved_part
    assert "(0)" in still_part
    assert page.timeline.points == [
        (page.data.history[1].screen_date, "low"),
        (page.data.history[0].screen_date, "significant"),
    ]
    history = page.findChild(QTableWidget, "historyTable")
    assert history.rowCount() == 2
    assert history.item(0, 2).text() == q.outcome("significant").label
    assert history.item(0, 4).text() == q.version  # each shown under its own version
    assert page.findChild(QLabel, "field_name").text() == "Amy Able"


def test_old_screening_opens_under_its_own_version(qtbot, admin_ctx, known):
    from cse_screen.gui.child_record import ChildRecordPage
    from cse_screen.gui.screening_view import ScreeningViewDialog

    page = ChildRecordPage(admin_ctx, known.ids["LAC0001"])
    qtbot.addWidget(page)
    page.open_screening_row(1)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ScreeningViewDialog))
    qtbot.addWidget(dialog)
    text = dialog.findChild(QWidget, "screeningText").toPlainText()
    assert "version 1.0.0" in text and "Low" in text
    assert dialog.windowTitle() == "Screening"


def test_lead_signs_off_and_a_return_needs_a_reason(qtbot, known, runner):
    from cse_screen.gui.review import ReturnDialog, ReviewPage

    store = open_store(known, "lee")
    try:
        ctx = make_context(store, runner, known.db)
        page = ReviewPage(ctx)
        qtbot.addWidget(page)
        table = page.findChild(QTableWidget, "reviewTable")
        assert sorted(table.item(r, 0).text() for r in range(table.rowCount())) == [
            "LAC0001",
            "LAC0001",
            "LAC0002",
            "LAC0003",
        ]
        first = page.rows[0]
        page.sign_off_selected()
        assert store.screenings.get(first.id).status == "signed_off"
        assert table.rowCount() == 3
        second = page.selected()
        page.return_selected()
        dialog = page.findChild(ReturnDialog)
        dialog.accept()  # no reason typed
        assert store.screenings.get(second.id).status == "submitted"
        assert dialog.error.text()  # storage's sentence shown in the dialog, which stays open
        qtbot.keyClicks(dialog.reason, "Please add the school's view of the absences")
        dialog.accept()
        returned = store.screenings.get(second.id)
        assert returned.status == "returned"
        assert returned.returned_reason == "Please add the school's view of the absences"
        from cse_screen.gui.wizard import DraftController, ScreeningWizard

        wizard = ScreeningWizard(DraftController.resume(store.screenings, second.id))
        qtbot.addWidget(wizard)
        shown = wizard.findChild(QLabel, "returnedReason").text()
        # Who returned it and why, never "draft recovered".
        assert shown.startswith(f"Screening for {second.child_ref} was returned to you by lee on ")
        assert shown.endswith(": Please add the school's view of the absences.")
        runner.wait(5000)
    finally:
        store.close()


@pytest.mark.parametrize("path", ["record", "wizard", "dialogs"])
def test_no_child_name_in_any_window_title(qtbot, admin_ctx, known, path):
    from cse_screen.gui.main_window import MainWindow

    window = MainWindow(admin_ctx)
    qtbot.addWidget(window)
    window.show()
    register = window.root("register")
    qtbot.waitUntil(lambda: register.model.total > 0, timeout=5000)
    assert register.select_child(known.ids["LAC0001"])
    if path == "record":
        page = register.open_child(known.ids["LAC0001"])
        assert "Amy Able" in page.findChild(QLabel, "recordTitle").text()
    elif path == "wizard":
        register.screen_selected()
        assert window.current_page().objectName() == "screeningWizard"
    else:
        register.edit_selected()
        register.record_event()
    names = ("Amy", "Able")
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            assert not any(n in widget.windowTitle() for n in names), widget.windowTitle()
    assert window.windowTitle() == "cse-screen – admin"


def _mnemonics(window) -> list[str]:
    """Alt+letter keys of the visible buttons and labelled fields in the window."""
    from PySide6.QtWidgets import QAbstractButton

    keys = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            found = re.search(r"&([^&\s])", widget.text())
            if found:
                keys.append(found.group(1).lower())
    return keys


def test_alt_keys_are_unique_on_every_screen(qtbot, admin_ctx, known):
    from cse_screen.gui.main_window import MainWindow

    window = MainWindow(admin_ctx)
    qtbot.addWidget(window)
    window.show()
    register = window.root("register")
    qtbot.waitUntil(lambda: register.model.total > 0, timeout=5000)
    screens = {"register": _mnemonics(window)}
    record = register.open_child(known.ids["LAC0001"])
    screens["record"] = _mnemonics(window)
    wizard = record.start_screening()
    screens["wizard"] = _mnemonics(window)
    wizard.show_result()
    screens["result"] = _mnemonics(window)
    window.show_root("review")
    screens["review"] = _mnemonics(window)
    assert len(screens["register"]) >= 8 and "u" in screens["result"]
    for name, keys in screens.items():
        assert len(keys) == len(set(keys)), (name, sorted(keys))


def test_register_to_record_by_keyboard(qtbot, admin_ctx, known):
    from PySide6.QtCore import Qt

    from cse_screen.gui.main_window import MainWindow

    window = MainWindow(admin_ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    register = window.root("register")
    qtbot.waitUntil(lambda: register.model.total > 0, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget().objectName() == "searchEdit"
    with qtbot.waitSignal(register.updated, timeout=5000):
        qtbot.keyClicks(QApplication.focusWidget(), "cara")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert QApplication.focusWidget().objectName() == "registerTable"
    assert register.selected_row().case_ref == "LAC0003"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    page = window.current_page()
    assert page.objectName() == "childRecordPage"
    assert page.child_id == known.ids["LAC0003"]
