"""The wizard's "About this screening" page on a real encrypted database: built from the
definition's context fields, every value committed at once and back on resume, the trigger taken
from the event that made the child due, and required context enforced on submit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)
from screens_fixtures import admin_ctx, all_absent, install_variant, known, known_template

__all__ = ["admin_ctx", "known", "known_template"]

#: What the child's record holds, so the wizard must not ask it again.
RECORD_FIELDS = {"dob", "gender", "ethnicity", "disability", "placement_type", "legal_status"}
CONTROL_TYPES = {"choice": QComboBox, "integer": QSpinBox, "date": QDateEdit, "text": QLineEdit}


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def press(qtbot, key) -> None:
    qtbot.keyClick(focused(), key)


def open_wizard(qtbot, ctx, child_id: int):
    from cse_screen.gui.wizard.page import open_screening

    wizard = open_screening(ctx, child_id)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.resize(1000, 760)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
    return wizard


def test_a_control_per_asked_field_and_none_for_what_the_record_holds(qtbot, admin_ctx, known):
    wizard = open_wizard(qtbot, admin_ctx, known.ids["LAC0004"])
    q = wizard.controller.questionnaire
    assert wizard.on_context_page()
    asked = [f for f in q.context_fields if f.id not in RECORD_FIELDS]
    assert {f.id for f in asked} == {"screen_date", "missing_episodes", "trigger", "sources"}
    for field in q.context_fields:
        control = wizard.findChild(QWidget, f"context_{field.id}")
        if field.id in RECORD_FIELDS:
            assert control is None, f"{field.id} comes from the child's record"
            continue
        assert control is not None, field.id
        assert control.accessibleName() == field.label
        label = wizard.findChild(QLabel, f"contextLabel_{field.id}").text()
        assert label == (f"{field.label} *" if field.required else field.label)
        if field.type == "multi_choice":
            for option in field.options:
                assert wizard.findChild(QCheckBox, f"context_{field.id}_{option}") is not None
        else:
            assert isinstance(control, CONTROL_TYPES[field.type]), field.id
    intro = wizard.findChild(QLabel, "contextIntro").text()
    assert "Date of birth" in intro and "Disability" in intro


def test_values_given_by_keyboard_are_saved_at_once_and_restored_on_resume(qtbot, admin_ctx, known):
    from cse_screen.gui.wizard import DraftController, ScreeningWizard

    store = admin_ctx.require_store()
    wizard = open_wizard(qtbot, admin_ctx, known.ids["LAC0004"])
    sid = wizard.controller.screening_id
    assert focused().objectName() == "context_screen_date"
    press(qtbot, Qt.Key.Key_Tab)
    assert focused().objectName() == "context_missing_episodes"
    qtbot.keyClicks(focused(), "3")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused().objectName() == "context_trigger"
    press(qtbot, Qt.Key.Key_Down)  # initial → scheduled review
    press(qtbot, Qt.Key.Key_Tab)
    assert focused().objectName() == "context_sources_child"
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused().objectName() == "context_sources_school"
    press(qtbot, Qt.Key.Key_Space)
    yesterday = date.today() - timedelta(days=1)
    wizard.findChild(QDateEdit, "context_screen_date").setDate(
        QDate(yesterday.year, yesterday.month, yesterday.day)
    )
    qtbot.waitUntil(wizard.all_saved, timeout=5000)  # saves are written off the GUI thread
    saved = store.screenings.get(sid)  # read back from the database, not the controller
    assert saved.context == {
        "trigger": "scheduled_review",
        "missing_episodes": 3,
        "sources": ["child", "school"],
    }
    assert saved.trigger == "scheduled_review" and saved.screen_date == yesterday
    assert f"{yesterday:%d %b %Y}" in wizard.findChild(QLabel, "wizardTitle").text()
    press(qtbot, Qt.Key.Key_PageDown)  # the keyboard leaves the page as from any section
    assert wizard.current_section_id() == wizard.controller.visible_sections()[0].id
    child = store.children.get(known.ids["LAC0004"])
    resumed = ScreeningWizard(DraftController.resume(store.screenings, sid, child=child))
    qtbot.addWidget(resumed)
    assert resumed.on_context_page()  # nothing answered yet: back to where it started
    assert resumed.findChild(QSpinBox, "context_missing_episodes").value() == 3
    assert resumed.findChild(QComboBox, "context_trigger").currentData() == "scheduled_review"
    ticked = {
        option
        for option in ("child", "carer", "school", "police", "health", "case_file", "other")
        if resumed.findChild(QCheckBox, f"context_sources_{option}").isChecked()
    }
    assert ticked == {"child", "school"}
    assert resumed.findChild(QDateEdit, "context_screen_date").date() == QDate(
        yesterday.year, yesterday.month, yesterday.day
    )
    assert admin_ctx.errors == []


def test_clearing_a_value_removes_it_from_the_draft(qtbot, admin_ctx, known):
    store = admin_ctx.require_store()
    wizard = open_wizard(qtbot, admin_ctx, known.ids["LAC0005"])
    spin = wizard.findChild(QSpinBox, "context_missing_episodes")
    spin.setValue(2)
    qtbot.waitUntil(wizard.all_saved, timeout=5000)  # saves are written off the GUI thread
    assert store.screenings.get(wizard.controller.screening_id).context["missing_episodes"] == 2
    spin.setValue(spin.minimum())
    assert spin.text() == "Not given"
    qtbot.waitUntil(wizard.all_saved, timeout=5000)  # saves are written off the GUI thread
    saved = store.screenings.get(wizard.controller.screening_id).context
    assert "missing_episodes" not in saved


def test_trigger_comes_from_the_event_that_made_the_child_due(qtbot, admin_ctx, known):
    store = admin_ctx.require_store()
    # LAC0001 was screened 10 days ago and is next due in 18: a missing episode brings it forward.
    store.events.record(known.ids["LAC0001"], "missing_episode", date.today() - timedelta(days=2))
    # LAC0002 was already overdue on review before its event: the review is the reason.
    store.events.record(known.ids["LAC0002"], "placement_move", date.today() - timedelta(days=2))
    wizard = open_wizard(qtbot, admin_ctx, known.ids["LAC0001"])
    assert wizard.findChild(QComboBox, "context_trigger").currentData() == "missing_episode"
    note = wizard.findChild(QLabel, "triggerNote")
    assert note.isVisible() and "missing episode recorded on" in note.text()
    saved = store.screenings.get(wizard.controller.screening_id)
    assert saved.trigger == "missing_episode" and saved.context["trigger"] == "missing_episode"
    overdue = open_wizard(qtbot, admin_ctx, known.ids["LAC0002"])
    assert overdue.findChild(QComboBox, "context_trigger").currentData() == "scheduled_review"
    assert not overdue.findChild(QLabel, "triggerNote").isVisible()


@pytest.fixture
def required_context(tmp_path, monkeypatch):
    """The shipped instrument plus a draft 1.0.1 that requires sources and missing episodes."""
    from cse_screen.core import registry

    def require_two(text: str) -> str:
        sources = '    label: "Sources consulted"\n'
        changed = text.replace(sources, sources + "    required: true\n", 1).replace(
            'label: "Missing episodes in the last 90 days", type: integer}',
            'label: "Missing episodes in the last 90 days", type: integer, required: true}',
            1,
        )
        assert changed.count("required: true") == text.count("required: true") + 2
        return changed

    install_variant(tmp_path, monkeypatch, "Sources and missing episodes required", require_two)
    return registry.get_questionnaire(version="1.0.1")


def test_required_context_missing_blocks_submit_with_a_sentence(
    qtbot, admin_ctx, known, required_context
):
    from cse_screen.gui.wizard import DraftController, ScreeningWizard

    q = required_context
    store = admin_ctx.require_store()
    child = store.children.get(known.ids["LAC0004"])
    controller = DraftController.start(store.screenings, child.id, q, child=child)
    for item_id, value in all_absent(q).items():
        controller.answer(item_id, value)
    wizard = ScreeningWizard(controller)
    qtbot.addWidget(wizard)
    assert wizard.on_context_page()  # answered, but required details are still owed
    label = wizard.findChild(QLabel, "contextLabel_sources").text()
    assert label == "Sources consulted *"
    wizard.show_result()
    wizard.findChild(QWidget, "submitButton").click()
    assert wizard.findChild(QLabel, "submitError").text() == (
        "This screening cannot be submitted until these details are given on the "
        "“About this screening” page: Missing episodes in the last 90 days, Sources consulted."
    )
    assert store.screenings.get(controller.screening_id).status == "draft"
    wizard.findChild(QSpinBox, "context_missing_episodes").setValue(0)  # none is an answer
    wizard.findChild(QCheckBox, "context_sources_carer").setChecked(True)
    wizard.findChild(QWidget, "submitButton").click()
    qtbot.waitUntil(lambda: not wizard.autosave.busy(), timeout=5000)
    record = store.screenings.get(controller.screening_id)
    assert record.status == "submitted"
    assert record.context["sources"] == ["carer"] and record.context["missing_episodes"] == 0


def test_a_finished_screening_shows_its_context_read_only(qtbot, admin_ctx, known):
    from cse_screen.gui.screening_view import ScreeningViewDialog
    from cse_screen.gui.wizard import DraftController

    store = admin_ctx.require_store()
    child = store.children.get(known.ids["LAC0005"])
    q = admin_ctx.questionnaire()
    controller = DraftController.start(store.screenings, child.id, q, child=child)
    controller.set_context("trigger", "new_disclosure")
    controller.set_context("sources", ["school", "case_file"])
    for item_id, value in all_absent(q).items():
        controller.answer(item_id, value)
    record = controller.submit(None, "")
    dialog = ScreeningViewDialog(record)
    qtbot.addWidget(dialog)
    text = dialog.findChild(QWidget, "screeningText").toPlainText()
    assert "About this screening" in text
    assert "Reason for this screening\tNew disclosure" in text.replace("\n", "\t")
    assert "Sources consulted\tSchool, Case file" in text.replace("\n", "\t")
    assert "Missing episodes in the last 90 days\tNot given" in text.replace("\n", "\t")
    assert "Date of birth" not in text  # the record's, not this screening's
