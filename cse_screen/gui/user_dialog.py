"""Dialogs of the users page: add a user, change a role or team, set a password.

Passwords are judged by the same checker as the first-run set-up (:func:`password_strength`),
so a password an administrator sets for someone else is held to the rule the first
administrator's was. Saving derives an Argon2id key (about half a second), so it runs on the
database thread while the dialog waits; a refusal from storage (a name taken, the last
administrator) is shown inline and everything typed stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cse_screen.core.passwords import password_strength
from cse_screen.errors import UserError
from cse_screen.gui.context import AppContext
from cse_screen.gui.errors import as_sentence
from cse_screen.gui.theme import set_tone
from cse_screen.storage.records import ROLES, UserRecord

ROLE_WORDS = {
    "worker": "Social worker",
    "lead": "Team lead",
    "manager": "Manager (reads every team)",
    "admin": "Administrator",
}

#: save(store) runs on the database thread and returns what the dialog keeps as ``result``.
Save = Callable[[Any], object]


def role_combo(parent: QWidget, current: str = "worker") -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName("roleCombo")
    combo.setAccessibleName("Role")
    for role in ROLES:
        combo.addItem(ROLE_WORDS[role], role)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


def team_combo(parent: QWidget, teams: Sequence[str], current: str | None) -> QComboBox:
    """Editable: pick a team already in use (no near-duplicate spellings) or type a new one."""
    combo = QComboBox(parent)
    combo.setObjectName("teamCombo")
    combo.setAccessibleName("Team")
    combo.setEditable(True)
    combo.lineEdit().setObjectName("teamEdit")
    combo.lineEdit().setAccessibleName("Team name")
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("")
    combo.addItems(sorted(set(teams)))
    combo.setCurrentText(current or "")
    return combo


class PasswordFields(QWidget):
    """A new password typed twice, with the set-up screen's strength meter and rules."""

    def __init__(self, names: Callable[[], tuple[str, ...]], parent: QWidget | None = None):
        super().__init__(parent)
        self._names = names
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.password = self._edit("passwordEdit", "New password")
        self.confirm = self._edit("confirmEdit", "New password again")
        self.meter = QProgressBar(self)
        self.meter.setObjectName("strengthBar")
        self.meter.setAccessibleName("Password strength")
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.verdict = QLabel(self)
        self.verdict.setObjectName("strengthLabel")
        form.addRow("&Password:", self.password)
        form.addRow("Pass&word again:", self.confirm)
        form.addRow("Strength:", self.meter)
        form.addRow("", self.verdict)
        self.password.textChanged.connect(self.update_strength)
        self.update_strength()

    def _edit(self, name: str, accessible: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def update_strength(self) -> None:
        text = self.password.text()
        strength = password_strength(text, self._names())
        self.meter.setValue(strength.score)
        self.meter.setAccessibleDescription(f"Password strength: {strength.verdict}")
        if not text:
            set_tone(self.verdict, "")
            return
        set_tone(self.verdict, strength.verdict, "good" if strength.problem is None else "warn")

    def problem(self) -> tuple[str | None, QWidget | None]:
        """Why the password is refused, and the field to fix; (None, None) when it is fine."""
        strength = password_strength(self.password.text(), self._names())
        if strength.problem:
            return f"The password is refused: {strength.problem}", self.password
        if self.confirm.text() != self.password.text():
            return "The two passwords are not the same; type the password again.", self.confirm
        return None, None

    def clear(self) -> None:
        self.password.clear()
        self.confirm.clear()


class _SavingDialog(QDialog):
    """OK/Cancel, an inline error line, and saving on the database thread."""

    def __init__(self, ctx: AppContext, name: str, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_value: object = None
        self._busy = False
        self.setObjectName(name)
        self.setAccessibleName(title)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)  # room for a refusal sentence on two lines, not five
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveButton")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelButton")
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self, save_text: str) -> None:
        self.save_button.setText(save_text)
        self.save_button.setAccessibleName(save_text.replace("&", ""))
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)

    def problem(self) -> tuple[str | None, QWidget | None]:
        return None, None

    def saver(self) -> Save:
        raise NotImplementedError

    def show_problem(self, text: str, widget: QWidget | None = None) -> None:
        set_tone(self.error, text, "error")
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        if self._busy:
            return
        text, widget = self.problem()
        if text:
            self.show_problem(text, widget)
            return
        self._set_busy(True)
        save = self.saver()
        self.ctx.run(
            lambda store, _op: save(store),
            on_success=self._saved,
            on_failure=self._failed,
            parent=self,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        if busy:
            set_tone(self.error, "Saving…", "info")

    def _saved(self, value: object) -> None:
        self._set_busy(False)
        self.result_value = value
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, UserError):
            self.show_problem(as_sentence(exc.message))
        else:
            self.error.hide()
            self.ctx.show_error(self, exc)


class AddUserDialog(_SavingDialog):
    """Enrol a user: their name, role, team and first password; ``result_value`` the record."""

    def __init__(self, ctx: AppContext, teams: Sequence[str], parent: QWidget | None = None):
        super().__init__(ctx, "userDialog", "Add a user", parent)
        self.name = QLineEdit(self)
        self.name.setObjectName("nameEdit")
        self.name.setAccessibleName("User name")
        self.name.setPlaceholderText("for example jsmith")
        self.full_name = QLineEdit(self)
        self.full_name.setObjectName("fullNameEdit")
        self.full_name.setAccessibleName("Full name")
        self.role = role_combo(self)
        self.team = team_combo(self, teams, None)
        self.passwords = PasswordFields(self._names, self)
        self.name.textChanged.connect(self.passwords.update_strength)
        self.full_name.textChanged.connect(self.passwords.update_strength)
        self.form.addRow("User &name:", self.name)
        self.form.addRow("F&ull name:", self.full_name)
        self.form.addRow("&Role:", self.role)
        self.form.addRow("&Team:", self.team)
        self.layout_.addWidget(self.passwords)
        self.finish_layout("&Add user")
        self.name.setFocus()

    def _names(self) -> tuple[str, ...]:
        return (self.name.text(), self.full_name.text())

    def problem(self) -> tuple[str | None, QWidget | None]:
        if not self.name.text().strip():
            return "Type a user name, for example jsmith.", self.name
        if not self.full_name.text().strip():
            return "Type the user's full name.", self.full_name
        return self.passwords.problem()

    def saver(self) -> Save:
        name, full_name = self.name.text().strip(), self.full_name.text().strip()
        role, team = self.role.currentData(), self.team.currentText().strip() or None
        password = self.passwords.password.text()
        return lambda store: store.users.add(name, password, role, team=team, full_name=full_name)

    def _saved(self, value: object) -> None:
        self.passwords.clear()
        super()._saved(value)


class EditUserDialog(_SavingDialog):
    """Change a user's role or team; storage refuses demoting the last administrator."""

    def __init__(
        self,
        ctx: AppContext,
        user: UserRecord,
        teams: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "editUserDialog", f"Change {user.name}", parent)
        self.user = user
        self.role = role_combo(self, user.role)
        self.team = team_combo(self, teams, user.team)
        self.form.addRow("&Role:", self.role)
        self.form.addRow("&Team:", self.team)
        note = QLabel("The change takes effect the next time they sign in.", self)
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        self.finish_layout("&Save")
        self.role.setFocus()

    def problem(self) -> tuple[str | None, QWidget | None]:
        if self.user.team and not self.team.currentText().strip():
            return "Choose a team; a team cannot be taken away here, only changed.", self.team
        return None, None

    def saver(self) -> Save:
        name, role = self.user.name, self.role.currentData()
        team = self.team.currentText().strip() or None
        return lambda store: store.users.update(name, role=role, team=team)


class PasswordDialog(_SavingDialog):
    """Set a new password for someone (a reset, or coming back from deactivation).

    ``save(store, password)`` does the work, so the same dialog serves both and the page
    decides which service call it is.
    """

    def __init__(
        self,
        ctx: AppContext,
        user: UserRecord,
        title: str,
        save: Callable[[Any, str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "passwordDialog", title, parent)
        self.user = user
        self._save = save
        intro = QLabel(
            f"Set a new password for {user.name}. Give it to them in person or by phone, "
            "never by email. Only their own password changes; nobody else's is touched.",
            self,
        )
        intro.setObjectName("passwordIntro")
        intro.setWordWrap(True)
        self.layout_.addWidget(intro)
        self.passwords = PasswordFields(lambda: (user.name, user.full_name or ""), self)
        self.layout_.addWidget(self.passwords)
        self.finish_layout("&Set password")
        self.passwords.password.setFocus()

    def problem(self) -> tuple[str | None, QWidget | None]:
        return self.passwords.problem()

    def saver(self) -> Save:
        password, save = self.passwords.password.text(), self._save
        return lambda store: save(store, password)

    def _saved(self, value: object) -> None:
        self.passwords.clear()
        super()._saved(value)
