"""The users page, driven by object names on a real encrypted database (admin, sam, lee)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLabel, QLineEdit, QMessageBox
from screens_fixtures import PASSWORD, admin_ctx, known, known_template, make_context, open_store

from cse_screen.errors import DatabaseDamaged, PermissionDenied, ValidationFailed, WrongPassword
from cse_screen.vault.store import Store

__all__ = ["admin_ctx", "known", "known_template"]

STRONG = "Quartz-meadow-19-harbour"


@pytest.fixture
def page(qtbot, admin_ctx):
    from cse_screen.gui.users import UsersPage

    made = UsersPage(admin_ctx)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitUntil(lambda: made.model.rowCount() == 3, timeout=5000)
    return made


def names(page) -> list[str]:
    return [page.model.user_at(r).name for r in range(page.model.rowCount())]


def open_dialog(qtbot, page, button: str, name: str) -> QDialog:
    qtbot.mouseClick(page.findChild(object, button), Qt.MouseButton.LeftButton)
    dialog = page.findChild(QDialog, name)
    assert dialog is not None and dialog.isVisible()
    return dialog


def type_passwords(dialog: QDialog, password: str, again: str | None = None) -> None:
    dialog.findChild(QLineEdit, "passwordEdit").setText(password)
    dialog.findChild(QLineEdit, "confirmEdit").setText(password if again is None else again)


def save(qtbot, dialog: QDialog) -> None:
    qtbot.mouseClick(dialog.findChild(object, "saveButton"), Qt.MouseButton.LeftButton)


def error_boxes() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "errorBox" and w.isVisible()
    ]


def test_every_control_has_an_object_and_accessible_name(page):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView

    controls = page.findChildren(QAbstractButton) + page.findChildren(QAbstractItemView)
    controls = [c for c in controls if not c.objectName().startswith("qt_")]  # Qt's own parts
    assert len(controls) == 8  # five buttons, the table and its two headers
    for control in controls:
        assert control.objectName() and control.accessibleName(), control


def test_every_dialog_control_has_an_object_and_accessible_name(qtbot, page):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLineEdit, QProgressBar

    assert page.select_user("sam")
    for button, name in (
        ("addUserButton", "userDialog"),
        ("editUserButton", "editUserDialog"),
        ("resetPasswordButton", "passwordDialog"),
    ):
        dialog = open_dialog(qtbot, page, button, name)
        kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QProgressBar)
        controls = [c for kind in kinds for c in dialog.findChildren(kind)]
        controls = [c for c in controls if c.window() is dialog and c.isVisibleTo(dialog)]
        controls = [c for c in controls if not c.objectName().startswith("qt_")]
        assert len(controls) >= 3, name
        for control in controls:
            assert control.objectName() and control.accessibleName(), (name, control)
        dialog.reject()


def test_admin_adds_a_user_who_can_then_open_the_store(qtbot, page, admin_ctx, known):
    dialog = open_dialog(qtbot, page, "addUserButton", "userDialog")
    dialog.findChild(QLineEdit, "nameEdit").setText("nina")
    dialog.findChild(QLineEdit, "fullNameEdit").setText("Nina Newcome")
    role = dialog.findChild(QComboBox, "roleCombo")
    role.setCurrentIndex(role.findData("lead"))
    dialog.findChild(QComboBox, "teamCombo").setCurrentText("North")
    type_passwords(dialog, STRONG)
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: "nina" in names(page), timeout=5000)
    assert dialog.findChild(QLineEdit, "passwordEdit").text() == ""
    with Store.open(known.db, "nina", STRONG) as nina:
        assert (nina.user.role, nina.user.team, nina.user.full_name) == (
            "lead",
            "North",
            "Nina Newcome",
        )
    assert admin_ctx.errors == []


@pytest.mark.parametrize(
    ("password", "again", "says"),
    [
        ("password123", None, "The password is refused: This is one of the passwords"),
        ("short1!", None, "The password is refused: Use at least 10 characters"),
        ("nina-newcome-2026", None, "The password is refused: Do not use your name"),
        (STRONG, STRONG + "x", "The two passwords are not the same"),
    ],
)
def test_a_weak_or_mistyped_password_is_refused_in_the_dialog(
    qtbot, page, admin_ctx, known, password, again, says
):
    dialog = open_dialog(qtbot, page, "addUserButton", "userDialog")
    dialog.findChild(QLineEdit, "nameEdit").setText("nina")
    dialog.findChild(QLineEdit, "fullNameEdit").setText("Nina Newcome")
    type_passwords(dialog, password, again)
    save(qtbot, dialog)
    error = dialog.findChild(QLabel, "errorLabel")
    assert error.isVisible() and error.text().startswith(says)
    assert dialog.isVisible() and dialog.findChild(QLineEdit, "nameEdit").text() == "nina"
    admin_ctx.runner.wait(5000)
    with pytest.raises(WrongPassword):
        Store.open(known.db, "nina", password)
    assert "nina" not in names(page)


def test_a_name_already_taken_is_refused_inline_by_storage(qtbot, page, admin_ctx):
    dialog = open_dialog(qtbot, page, "addUserButton", "userDialog")
    dialog.findChild(QLineEdit, "nameEdit").setText("sam")
    dialog.findChild(QLineEdit, "fullNameEdit").setText("Another Sam")
    type_passwords(dialog, STRONG)
    save(qtbot, dialog)
    error = dialog.findChild(QLabel, "errorLabel")
    qtbot.waitUntil(lambda: "already exists" in error.text(), timeout=5000)
    assert error.text() == "A user named 'sam' already exists."
    assert dialog.isVisible() and admin_ctx.errors == []


def test_self_deactivation_is_refused_with_a_sentence(qtbot, page, admin_ctx, known):
    assert page.select_user("admin")
    qtbot.mouseClick(page.buttons["deactivateButton"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(admin_ctx.errors), timeout=5000)
    assert isinstance(admin_ctx.errors[0], ValidationFailed)
    boxes = error_boxes()
    assert [b.text() for b in boxes] == [
        "You cannot deactivate the account you are signed in with."
    ]
    for box in boxes:
        box.close()
    Store.open(known.db, "admin", PASSWORD).close()


def test_deactivate_then_reactivate_with_a_new_password(qtbot, page, admin_ctx, known):
    import shutil

    from cse_screen.vault.keyslots import keyslot_path

    took = known.db.with_name("sam-took.keys")
    shutil.copy2(keyslot_path(known.db), took)
    assert page.select_user("sam")
    qtbot.mouseClick(page.buttons["deactivateButton"], Qt.MouseButton.LeftButton)
    box = page.findChild(QMessageBox, "confirmDeactivateBox")
    assert box is not None and "sam" in box.text() and "re-encrypted" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    dialog = page.findChild(QDialog, "deactivateDialog")
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: not page.model.user_at(page.model.row_of("sam")).active, timeout=10000)
    status = dialog.findChild(QLabel, "statusLabel")
    assert "re-encrypted to a new key" in status.text()
    assert "Backups made before now" in status.text()
    dialog.close()
    with pytest.raises(WrongPassword):
        Store.open(known.db, "sam", PASSWORD)
    shutil.copy2(keyslot_path(known.db), known.db.with_name("current.keys"))
    shutil.copy2(took, keyslot_path(known.db))  # sam's own copy, from before: opens nothing
    with pytest.raises(DatabaseDamaged):
        Store.open(known.db, "sam", PASSWORD)
    shutil.copy2(known.db.with_name("current.keys"), keyslot_path(known.db))
    assert page.selected_user().name == "sam"
    assert not page.buttons["deactivateButton"].isEnabled()
    dialog = open_dialog(qtbot, page, "reactivateButton", "passwordDialog")
    type_passwords(dialog, STRONG)
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: page.model.user_at(page.model.row_of("sam")).active, timeout=5000)
    Store.open(known.db, "sam", STRONG).close()
    assert admin_ctx.errors == []


def test_reset_password_changes_only_that_user(qtbot, page, admin_ctx, known):
    assert page.select_user("lee")
    dialog = open_dialog(qtbot, page, "resetPasswordButton", "passwordDialog")
    type_passwords(dialog, STRONG)
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    with pytest.raises(WrongPassword):
        Store.open(known.db, "lee", PASSWORD)
    Store.open(known.db, "lee", STRONG).close()
    Store.open(known.db, "sam", PASSWORD).close()
    assert admin_ctx.errors == []


def test_change_role_and_team(qtbot, page, admin_ctx):
    assert page.select_user("sam")
    dialog = open_dialog(qtbot, page, "editUserButton", "editUserDialog")
    role = dialog.findChild(QComboBox, "roleCombo")
    role.setCurrentIndex(role.findData("lead"))
    dialog.findChild(QComboBox, "teamCombo").setCurrentText("South")
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    qtbot.waitUntil(
        lambda: page.model.user_at(page.model.row_of("sam")).role == "lead", timeout=5000
    )
    assert page.model.user_at(page.model.row_of("sam")).team == "South"
    assert admin_ctx.errors == []


def test_demoting_the_last_administrator_is_refused_inline(qtbot, page, admin_ctx):
    assert page.select_user("admin")
    dialog = open_dialog(qtbot, page, "editUserButton", "editUserDialog")
    role = dialog.findChild(QComboBox, "roleCombo")
    role.setCurrentIndex(role.findData("lead"))
    save(qtbot, dialog)
    error = dialog.findChild(QLabel, "errorLabel")
    qtbot.waitUntil(lambda: "last active administrator" in error.text(), timeout=5000)
    assert dialog.isVisible()


def test_a_worker_opening_the_users_page_is_refused_through_the_funnel(qtbot, known, runner):
    from cse_screen.gui.users import UsersPage

    store = open_store(known, "sam")
    try:
        ctx = make_context(store, runner, known.db)
        made = UsersPage(ctx)
        qtbot.addWidget(made)
        qtbot.waitUntil(lambda: bool(ctx.errors), timeout=5000)
        assert isinstance(ctx.errors[0], PermissionDenied)
        message = made.findChild(QLabel, "usersMessageLabel")
        assert "may not manage users" in message.text()
        assert made.model.rowCount() == 0
        assert not any(b.isEnabled() for b in made.buttons.values())
        for box in error_boxes():
            assert "may not manage users" in box.text()
            box.close()
    finally:
        runner.wait(10000)
        store.close()
