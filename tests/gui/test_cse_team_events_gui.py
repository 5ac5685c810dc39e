"""The event dialog offers a referral to, and a confirmation by, the CSE team in words, and the
wizard opened after one says that this is why the screening is due."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QLabel
from screens_fixtures import admin_ctx, known, known_template

__all__ = ["admin_ctx", "known", "known_template"]


def shots(tmp_path: Path) -> Path:
    """Where the screenshots go: $CSE_SCREEN_SHOTS to keep them, else the test's folder."""
    folder = Path(os.environ.get("CSE_SCREEN_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_dialog_lists_the_cse_team_events_in_words_and_saves_one(
    qtbot, admin_ctx, known, tmp_path
):
    from cse_screen.gui.event_dialog import EventDialog

    child_id = known.ids["LAC0001"]
    before = admin_ctx.read(lambda s: s.children.by_ref("LAC0001")).next_due
    assert before > date.today()
    dialog = EventDialog(admin_ctx, child_id, "LAC0001")
    qtbot.addWidget(dialog)
    kind = dialog.findChild(QComboBox, "eventKindCombo")
    offered = {kind.itemData(i): kind.itemText(i) for i in range(kind.count())}
    assert offered["cse_referral"] == "Referred to the CSE team"
    assert offered["cse_confirmed"] == "CSE confirmed by the CSE team"
    assert offered["missing_episode"] == "Missing episode"
    kind.setCurrentIndex(kind.findData("cse_referral"))
    dialog.show()
    qtbot.waitExposed(dialog)
    folder = shots(tmp_path)
    assert dialog.grab().save(str(folder / "event-dialog-cse-referral.png"))
    kind.showPopup()
    qtbot.waitUntil(lambda: kind.view().isVisible(), timeout=3000)
    assert kind.view().grab().save(str(folder / "event-dialog-kinds.png"))
    kind.hidePopup()
    dialog.save()
    assert dialog.saved_event is not None and dialog.saved_event.kind == "cse_referral"
    after = admin_ctx.read(lambda s: s.children.by_ref("LAC0001")).next_due
    assert after == date.today()


def test_the_wizard_after_a_referral_gives_new_information_as_the_reason(
    qtbot, admin_ctx, known, tmp_path
):
    from cse_screen.gui.wizard.page import open_screening

    store = admin_ctx.require_store()
    day = date.today() - timedelta(days=2)
    store.events.record(known.ids["LAC0001"], "cse_referral", day)
    wizard = open_screening(admin_ctx, known.ids["LAC0001"])
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.resize(1000, 760)
    wizard.show()
    qtbot.waitExposed(wizard)
    assert wizard.findChild(QComboBox, "context_trigger").currentData() == "new_information"
    note = wizard.findChild(QLabel, "triggerNote")
    assert note.isVisible()
    assert f"referral to the CSE team recorded on {day:%d %b %Y}" in note.text()
    saved = store.screenings.get(wizard.controller.screening_id)
    assert saved.trigger == "new_information"
    assert wizard.grab().save(str(shots(tmp_path) / "wizard-after-cse-referral.png"))
