"""Every status the accessibility review found silent reaches a screen reader (WCAG 4.1.3).

``test_accessibility.py`` covers a wrong password, a saved child, import refusals, sign-off,
section changes, the computed outcome and a refused submit; these cover the rest of the list:
settings saved, a refused override, an export written, a section changed from the keyboard, and
the visible sentence of each equals what is spoken.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from a11y_walk import Announcements
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QLabel, QPushButton
from screens_fixtures import admin_ctx, all_absent, known, known_template, shown_window

__all__ = ["admin_ctx", "known", "known_template"]


def test_settings_saved_is_announced(qtbot, shell) -> None:
    from cse_screen.gui.settings import SettingsDialog

    shell.main.form.actionSettings.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SettingsDialog))
    with Announcements() as spoken:
        dialog.accept()
    assert ("Settings saved.", False) in spoken.spoken
    shell.theme.set_choice("light")


def test_an_export_written_is_announced(
    qtbot, admin_ctx, known, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "board.xlsx"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(out), ""))
    )
    window = shown_window(qtbot, admin_ctx)
    dialog = window.open_operation("export")
    qtbot.waitExposed(dialog)
    with Announcements() as spoken:
        dialog.findChild(QPushButton, "exportButton").click()
        qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert out.exists()
    assert (dialog.status_text(), False) in spoken.spoken  # the dialog's own sentence
    assert spoken.heard(f"Export written: {out.name}")  # and the status bar's


def _answered(ctx, known, present: dict[str, str]):
    from cse_screen.gui.wizard.draft import DraftController

    store = ctx.require_store()
    child = store.children.get(known.ids["LAC0004"])
    controller = DraftController.start(store.screenings, child.id, ctx.questionnaire(), child=child)
    for item_id, value in {**all_absent(controller.questionnaire), **present}.items():
        controller.answer(item_id, value)
    for item_id in present:
        controller.set_note(item_id, "Disclosed to the school nurse")
    return controller


def test_a_refused_override_is_announced_at_once(qtbot, admin_ctx, known) -> None:
    from cse_screen.gui.wizard.page import open_screening

    _answered(admin_ctx, known, {known.significant_item: "current"})
    wizard = open_screening(admin_ctx, known.ids["LAC0004"])
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    assert wizard.on_result_page()
    combo = wizard.findChild(QComboBox, "overrideOutcome")
    combo.setCurrentIndex(combo.findData("low"))
    with Announcements() as spoken:
        wizard.findChild(QPushButton, "submitButton").click()
    error = wizard.findChild(QLabel, "overrideError").text()
    assert error and (error, True) in spoken.spoken


def test_a_section_changed_from_the_keyboard_is_announced(qtbot, admin_ctx, known) -> None:
    window = shown_window(qtbot, admin_ctx)
    window.resize(1200, 800)
    register = window.root("register")
    qtbot.waitUntil(lambda: register.model.total > 0, timeout=5000)
    page = register.open_child(known.ids["LAC0001"])
    wizard = page.start_screening()
    wizard.show_section(wizard.visible_section_ids()[0])
    QApplication.processEvents()
    sections = wizard.visible_section_ids()
    with Announcements() as spoken:
        qtbot.keyClick(QApplication.focusWidget() or wizard, Qt.Key.Key_PageDown)
    assert wizard.current_section_id() == sections[1]
    assert spoken.heard(f"Section 2 of {len(sections)}")
