"""Locking hides every sign of the data, keeps what was typed, and needs the same password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from cse_screen.gui.unlock import WRONG_PASSWORD


def _lock_form(shell) -> QWidget:
    return shell.lock.screen.findChild(QWidget, "lockUnlockForm")


def _unlock(qtbot, shell, password: str) -> None:
    form = _lock_form(shell)
    edit = form.findChild(QLineEdit, "passwordEdit")
    qtbot.keyClicks(edit, password)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def _data_hidden(shell) -> bool:
    main = shell.main
    pages = main.pages()
    return not main.isVisible() and pages and not any(p.isVisible() for p in pages)


def test_idle_lock_fires_and_hides_the_data(qtbot, shell, demo) -> None:
    register = shell.main.root("register")
    assert register.isVisible()
    shell.lock.set_idle_minutes(0.3 / 60)  # 0.3 seconds
    qtbot.waitUntil(lambda: shell.lock.locked, timeout=5000)
    assert _data_hidden(shell)
    assert shell.lock.screen.isVisible()
    form = _lock_form(shell)
    assert form.findChild(QLineEdit, "userEdit").text() == demo.user
    assert form.findChild(QLineEdit, "userEdit").isReadOnly()


def test_ctrl_l_locks_and_only_the_right_password_unlocks(qtbot, shell, demo) -> None:
    qtbot.keyClick(shell.main.root("register"), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert shell.lock.locked
    assert _data_hidden(shell)

    _unlock(qtbot, shell, "wrong password")
    message = _lock_form(shell).findChild(QLabel, "messageLabel")
    qtbot.waitUntil(lambda: message.text() == WRONG_PASSWORD, timeout=10000)
    assert shell.lock.locked and not shell.main.isVisible()

    _unlock(qtbot, shell, demo.password)
    qtbot.waitUntil(lambda: not shell.lock.locked, timeout=10000)
    assert shell.main.isVisible()
    assert shell.main.root("register").isVisible()
    assert not shell.lock.screen.isVisible()


def test_lock_button_locks(qtbot, shell) -> None:
    qtbot.mouseClick(shell.main.form.lockButton, Qt.MouseButton.LeftButton)
    assert shell.lock.locked and _data_hidden(shell)


def _open_modal_dialog(parent: QWidget) -> tuple[QDialog, QLineEdit]:
    dialog = QDialog(parent)
    dialog.setWindowTitle("Child details")
    edit = QLineEdit(dialog)
    edit.setObjectName("typedEdit")
    QVBoxLayout(dialog).addWidget(edit)
    dialog.setModal(True)
    dialog.open()
    return dialog, edit


def test_a_modal_dialog_open_at_lock_time_is_covered_and_keeps_its_text(qtbot, shell, demo):
    dialog, edit = _open_modal_dialog(shell.main)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(edit, "half-typed placement note")
    # The main window is blocked by the modal dialog: the shortcut must still lock.
    qtbot.keyClick(edit, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert shell.lock.locked
    cover = dialog.findChild(QWidget, "lockCover")
    assert cover is not None and cover.isVisible()
    assert cover.geometry().contains(edit.geometry())
    assert not shell.main.isVisible()
    assert edit.text() == "half-typed placement note"  # nothing typed into the dialog

    _unlock(qtbot, shell, demo.password)
    qtbot.waitUntil(lambda: not shell.lock.locked, timeout=10000)
    assert dialog.isVisible()
    assert dialog.findChild(QWidget, "lockCover") is None or not cover.isVisible()
    assert edit.text() == "half-typed placement note"
    dialog.reject()


def test_non_modal_windows_are_hidden_and_come_back(qtbot, shell, demo) -> None:
    extra = QWidget(None, Qt.WindowType.Window)
    extra.setWindowTitle("Notes")
    qtbot.addWidget(extra)
    extra.show()
    qtbot.waitExposed(extra)
    shell.lock.lock()
    assert not extra.isVisible()
    _unlock(qtbot, shell, demo.password)
    qtbot.waitUntil(lambda: not shell.lock.locked, timeout=10000)
    assert extra.isVisible()


def test_quick_hide_locks_and_minimises_at_once(qtbot, shell) -> None:
    qtbot.keyClick(
        shell.main.root("register"),
        Qt.Key.Key_H,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert shell.lock.locked
    assert _data_hidden(shell)
    assert shell.lock.screen.isMinimized()


def test_input_after_a_long_sleep_locks_before_reaching_the_page(qtbot, shell) -> None:
    lock = shell.lock
    lock.set_idle_minutes(60)
    lock._last_wall -= 2 * 3600  # the laptop lid was closed for two hours
    search = shell.main.root("register").findChild(QLineEdit)
    before = search.text() if search is not None else ""
    target = search or shell.main.root("register")
    qtbot.keyClick(target, Qt.Key.Key_X)
    assert lock.locked
    if search is not None:
        assert search.text() == before


def test_a_window_that_opens_while_locked_is_concealed_until_unlock(qtbot, shell, demo) -> None:
    shell.lock.lock()
    late = QWidget(None, Qt.WindowType.Window)
    late.setWindowTitle("Export finished")
    qtbot.addWidget(late)
    late.show()
    qtbot.waitUntil(lambda: not late.isVisible(), timeout=2000)
    late_modal, _edit = _open_modal_dialog(None)
    qtbot.addWidget(late_modal)
    qtbot.waitUntil(lambda: late_modal.findChild(QWidget, "lockCover") is not None, timeout=2000)
    _unlock(qtbot, shell, demo.password)
    qtbot.waitUntil(lambda: not shell.lock.locked, timeout=10000)
    assert late.isVisible()
    assert late_modal.isVisible()
    late_modal.reject()


def test_the_lock_screen_own_messages_stay_visible(qtbot, shell) -> None:
    from cse_screen.gui.errors import show_error

    shell.lock.lock()
    box = show_error(_lock_form(shell), RuntimeError("unexpected"))
    qtbot.wait(50)
    assert box.isVisible()
    assert box.findChild(QWidget, "lockCover") is None
    box.close()


def test_the_lock_screen_takes_the_main_window_place_and_menus_do_not_come_back(
    qtbot, shell, demo
) -> None:
    from PySide6.QtWidgets import QMenu

    shell.main.resize(1100, 700)
    menu = QMenu(shell.main)
    menu.addAction("Copy case reference")
    menu.popup(shell.main.geometry().center())
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    shell.lock.lock()
    assert not menu.isVisible()
    assert shell.lock.screen.size() == shell.main.size()
    _unlock(qtbot, shell, demo.password)
    qtbot.waitUntil(lambda: not shell.lock.locked, timeout=10000)
    assert shell.main.isVisible() and not menu.isVisible()
