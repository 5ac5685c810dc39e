"""First run: create the encrypted database and its first (admin) user.

The password protects special-category data about children on a laptop that may be stolen, so a
weak one is refused with the reason, before the half-second key derivation is spent on it. The
rule is the core's (:mod:`cse_screen.core.passwords`): the keyslots refuse what this form refuses,
so the command line and recovery cannot set a password the app would not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from cse_screen.core.passwords import password_strength
from cse_screen.errors import UserError
from cse_screen.gui.errors import as_sentence, show_error
from cse_screen.gui.forms.ui_setup import Ui_SetupForm
from cse_screen.gui.theme import set_tone
from cse_screen.gui.worker import Op, Runner

USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")


# create(full_name, user, password, recovery_pem) runs off the GUI thread and returns the store.
Create = Callable[[str, str, str, bytes | None], object]


class SetupWidget(QWidget):
    """The first-run form; emits ``created(store)`` once the database exists, or
    ``joinRequested`` when the user's team works with a team server (enrolment makes the
    database instead)."""

    created = Signal(object)
    joinRequested = Signal()

    def __init__(
        self, runner: Runner, db_path: Path, create: Create, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.form = Ui_SetupForm()
        self.form.setupUi(self)
        self._runner = runner
        self._create = create
        self._op: Op | None = None
        self._recovery_path: Path | None = None
        self.form.databaseLabel.setText(f"The database will be created as {db_path}")
        self.form.busyBar.hide()
        set_tone(self.form.messageLabel, "")
        self.form.passwordEdit.textChanged.connect(self._update_strength)
        self.form.userEdit.textChanged.connect(self._update_strength)
        self.form.fullNameEdit.textChanged.connect(self._update_strength)
        self.form.recoveryBrowseButton.clicked.connect(self._choose_recovery)
        self.form.recoveryClearButton.clicked.connect(lambda: self.set_recovery_file(None))
        self.form.createButton.clicked.connect(self.submit)
        self.form.confirmEdit.returnPressed.connect(self.submit)
        self._add_join_row()
        self._update_strength()
        self.form.fullNameEdit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _add_join_row(self) -> None:
        """A laptop for a team with a server is set up by joining it, not by this form."""
        row = QHBoxLayout()
        hint = QLabel("Does your team use a team server?", self.form.setupPanel)
        hint.setObjectName("joinHintLabel")
        self.joinButton = QPushButton("&Join a team server…", self.form.setupPanel)
        self.joinButton.setObjectName("joinButton")
        self.joinButton.setAccessibleName("Join a team server")
        self.joinButton.setAccessibleDescription(
            "Set up this laptop with your team server account instead"
        )
        self.joinButton.setAutoDefault(False)
        self.joinButton.clicked.connect(self.joinRequested)
        row.addWidget(hint)
        row.addStretch(1)
        row.addWidget(self.joinButton)
        self.form.panelLayout.addLayout(row)
        QWidget.setTabOrder(self.form.createButton, self.joinButton)

    def _names(self) -> tuple[str, ...]:
        return (self.form.userEdit.text(), self.form.fullNameEdit.text())

    def _update_strength(self) -> None:
        password = self.form.passwordEdit.text()
        strength = password_strength(password, self._names())
        self.form.strengthBar.setValue(strength.score)
        if not password:
            set_tone(self.form.strengthLabel, "")
            return
        tone = "good" if strength.problem is None else "warn"
        set_tone(self.form.strengthLabel, strength.verdict, tone)
        self.form.strengthBar.setAccessibleDescription(f"Password strength: {strength.verdict}")

    def set_recovery_file(self, path: Path | None) -> None:
        self._recovery_path = path
        self.form.recoveryKeyEdit.setText(str(path) if path else "")

    def _choose_recovery(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "IT recovery public key", "", "Public key (*.pem *.pub *.key);;All files (*)"
        )
        if name:
            self.set_recovery_file(Path(name))

    def _problem(self) -> tuple[str | None, QWidget | None]:
        f = self.form
        if not f.fullNameEdit.text().strip():
            return "Type your full name.", f.fullNameEdit
        if not USER_NAME.match(f.userEdit.text().strip()):
            return (
                "Choose a user name of 2 to 64 letters, digits, dots, dashes or underscores "
                "(no spaces), for example jsmith.",
                f.userEdit,
            )
        strength = password_strength(f.passwordEdit.text(), self._names())
        if strength.problem:
            return f"The password is refused: {strength.problem}", f.passwordEdit
        if f.confirmEdit.text() != f.passwordEdit.text():
            return "The two passwords are not the same; type the password again.", f.confirmEdit
        return None, None

    def _read_recovery(self) -> bytes | None:
        if self._recovery_path is None:
            return None
        try:
            return self._recovery_path.read_bytes()
        except OSError:
            raise UserError(f"the recovery key file {self._recovery_path} cannot be read") from None

    def submit(self) -> None:
        if self._op is not None:
            return
        problem, widget = self._problem()
        if problem:
            set_tone(self.form.messageLabel, problem, "error")
            if widget is not None:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        try:
            recovery = self._read_recovery()
        except UserError as exc:
            set_tone(self.form.messageLabel, as_sentence(exc.message), "error")
            return
        f = self.form
        args = (f.fullNameEdit.text().strip(), f.userEdit.text().strip(), f.passwordEdit.text())
        create = self._create
        self._set_busy(True)
        self._op = self._runner.run(
            lambda control: create(*args, recovery),
            on_success=self._succeeded,
            on_failure=self._failed,
        )

    def _set_busy(self, busy: bool) -> None:
        f = self.form
        for w in (
            f.fullNameEdit,
            f.userEdit,
            f.passwordEdit,
            f.confirmEdit,
            f.recoveryBrowseButton,
            f.recoveryClearButton,
            f.createButton,
            self.joinButton,
        ):
            w.setEnabled(not busy)
        f.busyBar.setVisible(busy)
        if busy:
            set_tone(self.form.messageLabel, "Creating the encrypted database…", "info")

    def _succeeded(self, store: object) -> None:
        self._op = None
        self._set_busy(False)
        self.form.passwordEdit.clear()
        self.form.confirmEdit.clear()
        self.created.emit(store)

    def _failed(self, exc: BaseException) -> None:
        self._op = None
        self._set_busy(False)
        if isinstance(exc, UserError):
            set_tone(self.form.messageLabel, as_sentence(exc.message), "error")
        else:
            set_tone(self.form.messageLabel, "The database could not be created.", "error")
            show_error(self, exc)
