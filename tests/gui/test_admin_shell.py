"""The admin pages as the main window builds them (``cls(ctx)``) for the signed-in demo
administrator, reached from the sidebar and from the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cse_screen.vault.store import Store


def test_the_sidebar_opens_both_pages_for_an_administrator(qtbot, shell, demo):
    from cse_screen.gui.audit_view import AuditPage
    from cse_screen.gui.users import UsersPage

    window = shell.main
    assert {"users", "audit"} <= set(window.root_names())
    window.show_root("users")
    users = window.current_page()
    assert isinstance(users, UsersPage)
    qtbot.waitUntil(lambda: users.model.row_of(demo.user) >= 0, timeout=5000)
    window.show_root("audit")
    audit = window.current_page()
    assert isinstance(audit, AuditPage)
    qtbot.waitUntil(lambda: audit.model.total > 0, timeout=5000)
    assert not audit.grab().isNull() and not users.grab().isNull()


def test_the_audit_page_shows_new_entries_when_it_is_opened_again(qtbot, shell, demo):
    window = shell.main
    window.show_root("audit")
    audit = window.current_page()
    qtbot.waitUntil(lambda: audit.model.total > 0, timeout=5000)
    before = audit.model.total
    window.show_root("register")
    Store.open(shell.main.ctx.db_path, demo.user, demo.password).close()  # a new sign-in
    window.show_root("audit")
    qtbot.waitUntil(lambda: audit.model.total > before, timeout=5000)
    assert audit.model.entry_at(0).action == "login"


def test_the_users_page_is_usable_from_the_keyboard(qtbot, shell, demo):
    window = shell.main
    window.show_root("users")
    users = window.current_page()
    qtbot.waitUntil(lambda: users.model.rowCount() > 0, timeout=5000)
    window.activateWindow()
    users.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is users.table, timeout=2000)
    qtbot.keyClick(users.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(users.table, Qt.Key.Key_Space)
    assert users.selected_user() is not None
    tabbed = []
    for _ in range(4):  # Tab from the table walks the action buttons
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        tabbed.append(QApplication.focusWidget().objectName())
    # the selected user is active, so Reactivate is disabled and skipped
    assert tabbed[:4] == [
        "addUserButton",
        "editUserButton",
        "resetPasswordButton",
        "deactivateButton",
    ]
    qtbot.keyClick(users.buttons["addUserButton"], Qt.Key.Key_Space)
    dialog = QApplication.activeModalWidget() or users.findChild(object, "userDialog")
    assert dialog is not None and dialog.objectName() == "userDialog"
    assert dialog.focusWidget() is None or dialog.focusWidget().objectName() == "nameEdit"
    dialog.reject()


def _mnemonics(widgets) -> dict[str, str]:
    """Alt+letter → object name, from the texts of buttons and labels (``&&`` is a literal)."""
    found: dict[str, str] = {}
    for widget in widgets:
        text = widget.text().replace("&&", "") if hasattr(widget, "text") else ""
        if "&" in text and widget.isVisibleTo(widget.window()):
            found[text[text.index("&") + 1].lower()] = widget.objectName() or text
    return found


def test_page_mnemonics_do_not_collide_with_the_windows(qtbot, shell):
    from PySide6.QtWidgets import QAbstractButton, QLabel

    window = shell.main
    stack = window.form.pageStack
    outside = [
        w
        for kind in (QAbstractButton, QLabel)
        for w in window.findChildren(kind)
        if not stack.isAncestorOf(w)
    ]
    taken = _mnemonics(outside)
    for name in ("users", "audit"):
        window.show_root(name)
        page = window.current_page()
        mine = _mnemonics(w for kind in (QAbstractButton, QLabel) for w in page.findChildren(kind))
        assert mine, name
        clashes = {k: (taken[k], v) for k, v in mine.items() if k in taken}
        assert clashes == {}, name
