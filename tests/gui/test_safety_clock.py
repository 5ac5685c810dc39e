"""A computer whose clock is behind the database is told so on signing in: every due date and
"overdue by" is counted from its today (docs/safety.md, H-18)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QMessageBox

from cse_screen.storage.services.context import utc_now


def _clock_boxes(shell) -> list[QMessageBox]:
    return [b for b in shell.main.findChildren(QMessageBox, "clockWarningBox") if b.isVisible()]


def test_a_clock_behind_the_database_is_shown_after_sign_in(shell, app_context, demo, qtbot):
    store = app_context.store
    real = store.context.now
    store.context.now = lambda: utc_now() + timedelta(days=2)  # work saved on a later clock
    try:
        child = store.children.by_ref(demo.known_children[0][0])
        store.children.get(child.id)  # viewing a record is written to the audit trail
    finally:
        store.context.now = real
    shell.check_clock()
    qtbot.waitUntil(lambda: bool(_clock_boxes(shell)), timeout=5000)
    (box,) = _clock_boxes(shell)
    assert box.icon() == QMessageBox.Icon.Warning and box.parent() is shell.main
    assert box.text().startswith("This computer's clock says ")
    assert "IT" in box.informativeText()
    assert not any(name in box.text() for _ref, name, _dob in demo.known_children)
    box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not _clock_boxes(shell), timeout=5000)


def test_a_clock_in_step_shows_no_warning(shell, qtbot):
    shell.check_clock()
    qtbot.wait(300)
    assert not _clock_boxes(shell)
