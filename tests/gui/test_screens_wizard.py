"""The screening wizard on a real encrypted database: keyboard only, overrides, refusals,
resuming a draft, and skip logic shown live."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)
from screens_fixtures import (
    absent_value,
    admin_ctx,
    all_absent,
    install_variant,
    known,
    known_template,
    open_store,
)

__all__ = ["admin_ctx", "known", "known_template"]


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def open_wizard(qtbot, admin_ctx, child_id: int):
    from cse_screen.gui.wizard.page import open_screening

    wizard = open_screening(admin_ctx, child_id)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.resize(1000, 760)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
    return wizard


def test_full_screening_by_keyboard_alone_reaches_the_predicted_outcome(qtbot, admin_ctx, known):
    from cse_screen.core.scoring import score

    child_id = known.ids["LAC0004"]
    wizard = open_wizard(qtbot, admin_ctx, child_id)
    q = wizard.controller.questionnaire
    wanted = all_absent(q)
    wanted[known.moderate_item] = "current"
    present = {known.moderate_item}
    assert wizard.on_context_page()  # a new screening opens on "About this screening"
    assert focused().objectName().startswith("context_"), focused().objectName()
    press(qtbot, Qt.Key.Key_PageDown)
    for section in wizard.controller.visible_sections():
        assert wizard.current_section_id() == section.id
        for number, item in enumerate(section.items):
            if number:
                press(qtbot, Qt.Key.Key_Tab)
            assert focused().objectName().startswith(f"answer_{item.id}_"), focused().objectName()
            digit = item.values.index(wanted[item.id]) + 1
            press(qtbot, getattr(Qt.Key, f"Key_{digit}"))
            if item.id in present:
                press(qtbot, Qt.Key.Key_Tab)
                assert focused().objectName() == f"evidence_{item.id}"
                qtbot.keyClicks(focused(), "Out past curfew three nights a week, carer reports")
        press(qtbot, Qt.Key.Key_PageDown)
    assert wizard.on_result_page()
    context = wizard.controller.context
    predicted = score(q, wanted, context).outcome
    assert predicted == "low"  # R3: one moderate indicator present, fewer than three
    badge = wizard.findChild(QLabel, "outcomeBadge")
    assert badge.text() == q.outcome(predicted).label
    assert "R3" in wizard.findChild(QLabel, "explanations").text()
    with qtbot.waitSignal(wizard.submitted, timeout=3000):  # a mnemonic clicks after 100 ms
        press(qtbot, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    record = admin_ctx.read(lambda s: s.screenings.get(wizard.controller.screening_id))
    assert record.status == "submitted"
    assert record.computed_outcome == record.final_outcome == predicted
    assert {k: a.value for k, a in record.answers.items()} == wanted
    assert record.answers[known.moderate_item].note.startswith("Out past curfew")
    assert record.next_due == record.screen_date + timedelta(
        days=q.outcome("low").review_after_days
    )
    assert admin_ctx.errors == []


def test_guidance_opens_with_f1_and_the_question_button(qtbot, admin_ctx, known):
    wizard = open_wizard(qtbot, admin_ctx, known.ids["LAC0004"])
    press(qtbot, Qt.Key.Key_PageDown)  # past "About this screening" to the first question
    first = wizard.controller.visible_sections()[0].items[0]
    guidance = wizard.findChild(QLabel, f"guidance_{first.id}")
    assert not guidance.isVisible()
    press(qtbot, Qt.Key.Key_F1)
    assert guidance.isVisible() and guidance.text() == first.guidance
    press(qtbot, Qt.Key.Key_F1)
    assert not guidance.isVisible()
    wizard.findChild(QWidget, f"guidanceButton_{first.id}").click()
    assert guidance.isVisible()


def _answered_draft(admin_ctx, known, child_ref: str, present: dict[str, str]):
    from cse_screen.storage.services.drafts import DraftController

    store = admin_ctx.require_store()
    child = store.children.get(known.ids[child_ref])
    controller = DraftController.start(
        store.screenings, child.id, admin_ctx.questionnaire(), child=child
    )
    for item_id, value in {**all_absent(controller.questionnaire), **present}.items():
        controller.answer(item_id, value)
    for item_id in present:
        controller.set_note(item_id, "Disclosed to the school nurse")
    return controller


def test_override_without_a_reason_is_refused_and_lowering_needs_sign_off(qtbot, admin_ctx, known):
    controller = _answered_draft(admin_ctx, known, "LAC0004", {known.significant_item: "current"})
    wizard = open_wizard(qtbot, admin_ctx, known.ids["LAC0004"])
    assert wizard.controller.screening_id == controller.screening_id  # resumed, not a second
    assert wizard.on_result_page()
    combo = wizard.findChild(QComboBox, "overrideOutcome")
    combo.setCurrentIndex(combo.findData("low"))
    assert wizard.findChild(QLabel, "signoffNote").isVisible()
    wizard.findChild(QWidget, "submitButton").click()
    error = wizard.findChild(QLabel, "overrideError").text()
    assert error == "A final outcome different from the computed one needs a written reason."
    record = admin_ctx.read(lambda s: s.screenings.get(controller.screening_id))
    assert record.status == "draft"
    reason = wizard.findChild(QPlainTextEdit, "overrideReason")
    qtbot.keyClicks(reason, "Disclosure was retracted and police found no contact")
    wizard.findChild(QWidget, "submitButton").click()
    record = admin_ctx.read(lambda s: s.screenings.get(controller.screening_id))
    assert record.status == "submitted"
    assert (record.computed_outcome, record.final_outcome) == ("significant", "low")
    assert record.needs_signoff


def test_submit_lists_unanswered_items_and_missing_evidence(qtbot, admin_ctx, known):
    from cse_screen.storage.services.drafts import DraftController

    store = admin_ctx.require_store()
    child = store.children.get(known.ids["LAC0005"])
    q = admin_ctx.questionnaire()
    controller = DraftController.start(store.screenings, child.id, q, child=child)
    controller.answer(q.items[0].id, absent_value(q, q.items[0]))
    wizard = open_wizard(qtbot, admin_ctx, child.id)
    wizard.show_result()
    wizard.findChild(QWidget, "submitButton").click()
    error = wizard.findChild(QLabel, "submitError").text()
    assert "cannot be submitted" in error and q.items[1].id in error
    for item in q.items[1:]:
        wizard.controller.answer(item.id, absent_value(q, item))
    wizard.controller.answer(known.significant_item, "current")  # present, but no note
    wizard.show_result()
    wizard.findChild(QWidget, "submitButton").click()
    error = wizard.findChild(QLabel, "submitError").text()
    assert (
        error == f"An evidence note is needed for each indicator present: {known.significant_item}."
    )
    assert admin_ctx.read(lambda s: s.screenings.get(controller.screening_id)).status == "draft"


def test_resuming_a_draft_restores_every_answer_and_note(qtbot, admin_ctx, known):
    from cse_screen.gui.wizard import DraftController, ScreeningWizard

    store = admin_ctx.require_store()
    child = store.children.get(known.ids["LAC0004"])
    q = admin_ctx.questionnaire()
    first = DraftController.start(store.screenings, child.id, q, child=child)
    given = {item.id: item.values[(n % len(item.values))] for n, item in enumerate(q.items[:12])}
    for item_id, value in given.items():
        first.answer(item_id, value)
    noted = next(i for i in given if first.is_present(q.item(i)))
    first.set_note(noted, "Seen at the bus station at 2am")
    resumed = DraftController.resume(store.screenings, first.screening_id, child=child)
    wizard = ScreeningWizard(resumed)
    qtbot.addWidget(wizard)
    for item_id, value in given.items():
        assert wizard.findChild(QRadioButton, f"answer_{item_id}_{value}").isChecked(), item_id
    note = wizard.findChild(QPlainTextEdit, f"evidence_{noted}")
    assert note.toPlainText() == "Seen at the bus station at 2am"
    assert wizard.current_section_id() == q.section_of(q.items[12].id).id


@pytest.fixture
def variant_folder(tmp_path, monkeypatch):
    """The shipped instrument plus a draft 1.0.1 in which A2 shows only when A1 is current."""

    def a2_follows_a1(text: str) -> str:
        return text.replace(
            "      - id: A2\n",
            "      - id: A2\n        show_if: \"A1 == 'current' or A1 == 'both'\"\n",
            1,
        )

    return install_variant(tmp_path, monkeypatch, "A2 asked only when A1 is current", a2_follows_a1)


def test_items_show_and_hide_live_by_show_if(qtbot, admin_ctx, known, variant_folder):
    from cse_screen.core import registry
    from cse_screen.gui.wizard import DraftController, ScreeningWizard

    q = registry.get_questionnaire(version="1.0.1")
    store = admin_ctx.require_store()
    child = store.children.get(known.ids["LAC0004"])
    controller = DraftController.start(store.screenings, child.id, q, child=child)
    wizard = ScreeningWizard(controller)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.show_section("missing")  # a new draft opens on "About this screening"
    a2 = wizard.findChild(QWidget, "item_A2")
    assert not a2.isVisible()
    wizard.findChild(QRadioButton, "answer_A1_current").click()
    assert a2.isVisible()
    _, total_shown = controller.progress()
    wizard.findChild(QRadioButton, "answer_A1_none").click()
    assert not a2.isVisible()
    assert controller.progress()[1] == total_shown - 1
    qtbot.waitUntil(wizard.all_saved, timeout=5000)  # saves are written off the GUI thread
    saved = store.screenings.get(controller.screening_id)
    assert saved.answers["A1"].value == "none"
    assert saved.instrument_version == "1.0.1"


def test_screen_date_is_shown_and_no_child_name_reaches_a_window_title(qtbot, admin_ctx, known):
    wizard = open_wizard(qtbot, admin_ctx, known.ids["LAC0001"])
    title = wizard.findChild(QLabel, "wizardTitle").text()
    assert "LAC0001" in title and f"{date.today():%d %b %Y}" in title
    for window in QApplication.topLevelWidgets():
        assert "Amy" not in window.windowTitle()
    store = open_store(known)
    store.close()


def test_edited_disability_reaches_the_preview_and_agrees_with_storage(qtbot, admin_ctx, known):
    from cse_screen.gui.child_dialog import ChildDialog
    from cse_screen.gui.wizard import ScreeningWizard

    store = admin_ctx.require_store()
    child = store.children.get(known.ids["LAC0005"])
    dialog = ChildDialog(admin_ctx, child)
    qtbot.addWidget(dialog)
    combo = dialog.findChild(QComboBox, "disabilityCombo")
    combo.setCurrentIndex(combo.findData("learning"))
    dialog.save()
    assert dialog.saved_record.disability == "learning"
    q = admin_ctx.questionnaire()
    low_item = next(i.id for i in q.items if i.tier == "low" and "current" in i.values)
    controller = _answered_draft(admin_ctx, known, "LAC0005", {low_item: "current"})
    wizard = ScreeningWizard(controller)
    qtbot.addWidget(wizard)
    assert wizard.on_result_page()
    assert wizard.findChild(QLabel, "outcomeBadge").text() == q.outcome("moderate").label
    assert "O3" in wizard.findChild(QLabel, "explanations").text()
    wizard.findChild(QWidget, "submitButton").click()
    record = store.screenings.get(controller.screening_id)
    assert record.computed_outcome == "moderate"
