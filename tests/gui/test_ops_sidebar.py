"""The sidebar offers each operation and admin page only to the roles that may use it, only when
the page is part of the installation, and from the keyboard as well as by mouse."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from screens_fixtures import known, known_template, make_context, open_store

from cse_screen.gui import main_window
from cse_screen.gui.main_window import MainWindow

__all__ = ["known", "known_template"]

ENTRIES = ("importButton", "exportButton", "backupButton", "usersButton", "auditButton")


@pytest.fixture
def window_for(qtbot, known, runner) -> Iterator[object]:
    """``window_for(user)``: the main window signed in as one of the known database's users."""
    stores = []

    def make(user: str) -> MainWindow:
        store = open_store(known, user)
        stores.append(store)
        window = MainWindow(make_context(store, runner, known.db))
        qtbot.addWidget(window)
        window.show()
        return window

    yield make
    runner.wait(10000)
    for store in stores:
        store.close()


def _shown(window: MainWindow) -> set[str]:
    return {n for n in ENTRIES if window.findChild(QPushButton, n).isVisible()}


def _exists(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_each_role_sees_its_own_entries(window_for) -> None:
    pages = {
        "usersButton": _exists("cse_screen.gui.users"),
        "auditButton": _exists("cse_screen.gui.audit_view"),
    }
    expected = {
        "sam": {"importButton"},
        "lee": {"importButton", "exportButton", "auditButton"},
        "admin": {"importButton", "exportButton", "backupButton", "usersButton", "auditButton"},
    }
    for user, wanted in expected.items():
        window = window_for(user)
        assert _shown(window) == {n for n in wanted if pages.get(n, True)}, user


def test_pages_that_are_not_installed_stay_hidden(
    window_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(main_window.ROOT_PAGES, "users", ("cse_screen.gui.no_such_users", "X"))
    monkeypatch.setitem(main_window.ROOT_PAGES, "audit", ("cse_screen.gui.no_such_audit", "X"))
    window = window_for("admin")
    assert not window.findChild(QPushButton, "usersButton").isVisible()
    assert not window.findChild(QPushButton, "auditButton").isVisible()
    assert not window.form.actionShowUsers.isEnabled()
    assert "users" not in window.root_names()


def test_ctrl_e_opens_the_export_dialog_for_a_lead(qtbot, window_for) -> None:
    window = window_for("lee")
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(window.root("register"), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(QWidget, "exportDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.focusWidget() is dialog.findChild(QWidget, "fromCheck")
