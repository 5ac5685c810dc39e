"""Designer forms: the committed compiled code matches the .ui files, and every control can be
found by assistive technology (an accessible name) and by keyboard (focusable, in tab order)."""

from __future__ import annotations

import importlib

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QSpinBox,
    QWidget,
)

from cse_screen.gui import forms_build

SHELL_FORMS = {
    "main_window": ("Ui_MainWindow", QMainWindow),
    "unlock": ("Ui_UnlockForm", QWidget),
    "setup": ("Ui_SetupForm", QWidget),
    "settings": ("Ui_SettingsDialog", QDialog),
}
CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QSpinBox, QProgressBar)


def test_every_ui_file_has_a_committed_compiled_form_without_drift() -> None:
    assert forms_build.ui_files(), "no .ui files found"
    assert forms_build.drifted() == []


@pytest.mark.parametrize("name", sorted(SHELL_FORMS))
def test_every_control_has_an_accessible_name_and_takes_focus(qtbot, name: str) -> None:
    class_name, base = SHELL_FORMS[name]
    module = importlib.import_module(f"cse_screen.gui.forms.ui_{name}")
    host = base()
    qtbot.addWidget(host)
    getattr(module, class_name)().setupUi(host)
    controls = [w for w in host.findChildren(QWidget) if isinstance(w, CONTROLS)]
    assert controls
    for w in controls:
        if w.objectName().startswith("qt_"):
            continue  # Qt's own parts of a compound control (a spin box's line edit)
        if w.parent() is not None and w.parent().metaObject().className() == "QDialogButtonBox":
            continue  # standard buttons are named by their text
        assert w.objectName(), f"{name}: a {type(w).__name__} without objectName"
        assert w.accessibleName(), f"{name}: {w.objectName()} has no accessible name"
        if not isinstance(w, QProgressBar):
            assert w.focusPolicy() & Qt.FocusPolicy.TabFocus, f"{name}: {w.objectName()}"


def test_unlock_tab_order_goes_user_password_button(qtbot) -> None:
    from cse_screen.gui.forms.ui_unlock import Ui_UnlockForm

    host = QWidget()
    qtbot.addWidget(host)
    form = Ui_UnlockForm()
    form.setupUi(host)
    assert _next_tab_stop(form.userEdit) is form.passwordEdit
    assert _next_tab_stop(form.passwordEdit) is form.unlockButton


def _next_tab_stop(w: QWidget) -> QWidget:
    nxt = w.nextInFocusChain()
    while not nxt.focusPolicy() & Qt.FocusPolicy.TabFocus:
        nxt = nxt.nextInFocusChain()
    return nxt
