"""Join a new laptop to the team server: the address, the CA file IT gave, the user's server
account; the encrypted database is made here and the caseload pulled into it.

Offered on the first-run screen, because a new laptop has no database yet and enrolment is what
makes it. Everything runs off the GUI thread (the certificate check, the sign-in, creating the
database, the first pull, whose pages the dialog counts). A refusal (a certificate that does
not chain to the CA, a server that does not answer, a wrong password) is one sentence in the
dialog, every field kept as typed, and nothing created.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cse_screen.errors import UserError
from cse_screen.gui.a11y import mark_heading
from cse_screen.gui.errors import as_sentence, show_error
from cse_screen.gui.theme import set_tone

if TYPE_CHECKING:
    from cse_screen.gui.worker import Op, OpControl, Runner

INTRO = (
    "Use the team server account your IT department made for you. This laptop keeps your "
    "caseload in an encrypted database, locked with the same password, and syncs it with the "
    "team whenever the server can be reached."
)


def _row(edit: QLineEdit, button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


class EnrolDialog(QDialog):
    """Emits ``enrolled(store)`` with the new, open database once the first pull is done (or
    stopped: the database is enrolled then, and the next sync carries on)."""

    enrolled = Signal(object)

    def __init__(self, runner: Runner, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrolDialog")
        self.setWindowTitle("Join a team server")
        self.setAccessibleName("Join a team server")
        self._runner = runner
        self._db_path = db_path
        self._op: Op | None = None
        self.first_sync_problem: str | None = None
        outer = QVBoxLayout(self)
        title = QLabel("Join a team server", self)
        title.setObjectName("enrolTitleLabel")
        mark_heading(title)
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        outer.addWidget(title)
        outer.addWidget(intro)
        form = QFormLayout()
        self.serverEdit = self._edit("serverEdit", "Team server address", "https://server:8443")
        self.caEdit = self._edit("caEdit", "CA certificate file", "The .pem file from IT")
        self.caBrowseButton = QPushButton("&Browse…", self)
        self.caBrowseButton.setObjectName("caBrowseButton")
        self.caBrowseButton.setAccessibleName("Choose the CA certificate file")
        self.caBrowseButton.setAutoDefault(False)
        self.caBrowseButton.clicked.connect(self._choose_ca)
        self.recoveryEdit = self._edit("recoveryEdit", "IT recovery public key", "Optional")
        self.recoveryBrowseButton = QPushButton("Bro&wse…", self)
        self.recoveryBrowseButton.setObjectName("recoveryBrowseButton")
        self.recoveryBrowseButton.setAccessibleName("Choose the IT recovery public key file")
        self.recoveryBrowseButton.setAutoDefault(False)
        self.recoveryBrowseButton.clicked.connect(self._choose_recovery)
        self.userEdit = self._edit("userEdit", "User name", "")
        self.passwordEdit = self._edit("passwordEdit", "Password", "")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passwordEdit.returnPressed.connect(self.submit)
        form.addRow(self._label("Team server &address:", self.serverEdit), self.serverEdit)
        form.addRow(
            self._label("&CA certificate:", self.caEdit), _row(self.caEdit, self.caBrowseButton)
        )
        form.addRow(
            self._label("IT &recovery key:", self.recoveryEdit),
            _row(self.recoveryEdit, self.recoveryBrowseButton),
        )
        form.addRow(self._label("&User name:", self.userEdit), self.userEdit)
        form.addRow(self._label("&Password:", self.passwordEdit), self.passwordEdit)
        outer.addLayout(form)
        self.busyBar = QProgressBar(self)
        self.busyBar.setObjectName("enrolBusyBar")
        self.busyBar.setAccessibleName("Joining the team server")
        self.busyBar.setRange(0, 0)
        self.busyBar.setTextVisible(False)
        self.busyBar.hide()
        self.messageLabel = QLabel(self)
        self.messageLabel.setObjectName("enrolMessageLabel")
        self.messageLabel.setWordWrap(True)
        set_tone(self.messageLabel, "")
        outer.addWidget(self.busyBar)
        outer.addWidget(self.messageLabel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancelButton = QPushButton("Cancel", self)
        self.cancelButton.setObjectName("enrolCancelButton")
        self.cancelButton.setAutoDefault(False)
        self.cancelButton.clicked.connect(self.reject)
        self.enrolButton = QPushButton("&Join", self)
        self.enrolButton.setObjectName("enrolButton")
        self.enrolButton.setAccessibleName("Join the team server")
        self.enrolButton.setDefault(True)
        self.enrolButton.clicked.connect(self.submit)
        buttons.addWidget(self.cancelButton)
        buttons.addWidget(self.enrolButton)
        outer.addLayout(buttons)
        self.resize(620, self.sizeHint().height())
        self.serverEdit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _edit(self, name: str, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        return edit

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _choose_ca(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "CA certificate", "", "Certificate (*.pem *.crt *.cer);;All files (*)"
        )
        if name:
            self.caEdit.setText(name)

    def _choose_recovery(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "IT recovery public key", "", "Public key (*.pem *.pub *.key);;All files (*)"
        )
        if name:
            self.recoveryEdit.setText(name)

    # -- running -----------------------------------------------------------------------------

    def _problem(self) -> tuple[str | None, QWidget | None]:
        if not self.serverEdit.text().strip():
            return "Type the team server's address, for example https://server:8443.", (
                self.serverEdit
            )
        if not self.serverEdit.text().strip().lower().startswith("https://"):
            return "The team server's address must start with https://.", self.serverEdit
        if not self.userEdit.text().strip():
            return "Type your user name on the team server.", self.userEdit
        if not self.passwordEdit.text():
            return "Type your password.", self.passwordEdit
        return None, None

    def submit(self) -> None:
        if self._op is not None:
            return
        problem, widget = self._problem()
        if problem:
            set_tone(self.messageLabel, problem, "error")
            if widget is not None:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        address = self.serverEdit.text().strip()
        ca_text, recovery_text = self.caEdit.text().strip(), self.recoveryEdit.text().strip()
        user, password, db = self.userEdit.text().strip(), self.passwordEdit.text(), self._db_path

        def work(control: OpControl) -> Any:
            from cse_screen.sync import desktop

            ca = desktop.read_ca_file(Path(ca_text).expanduser()) if ca_text else ""
            recovery = _read_recovery(Path(recovery_text).expanduser()) if recovery_text else None
            server = desktop.checked_server(address, ca)
            control.progress(0, 0)  # the certificate is good: signing in and creating
            return desktop.enrol_new(db, server, user, password, recovery, control.progress)

        self._set_busy(True)
        set_tone(self.messageLabel, "Checking the team server's certificate…", "info")
        self._op = self._runner.run(
            work,
            db=False,
            on_success=self._succeeded,
            on_failure=self._failed,
            on_progress=self._progressed,
        )

    def _progressed(self, pages: int, received: int) -> None:
        if pages == 0:
            text = "Signing in and creating the encrypted database…"
        else:
            plural = "s" if pages != 1 else ""
            text = f"Receiving your caseload: {received:,} records ({pages} page{plural})…"
        set_tone(self.messageLabel, text, "info")
        self.busyBar.setAccessibleDescription(text)

    def _set_busy(self, busy: bool) -> None:
        for widget in (
            self.serverEdit,
            self.caEdit,
            self.caBrowseButton,
            self.recoveryEdit,
            self.recoveryBrowseButton,
            self.userEdit,
            self.passwordEdit,
            self.enrolButton,
            self.cancelButton,
        ):
            widget.setEnabled(not busy)
        self.busyBar.setVisible(busy)

    def _succeeded(self, result: Any) -> None:
        self._op = None
        self._set_busy(False)
        self.passwordEdit.clear()
        self.first_sync_problem = result.problem
        self.enrolled.emit(result.store)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._op = None
        self._set_busy(False)
        if not isinstance(exc, UserError):
            set_tone(self.messageLabel, "This laptop could not join the team server.", "error")
            show_error(self, exc)
            return
        set_tone(self.messageLabel, as_sentence(exc.message), "error")
        from cse_screen.sync import desktop

        if desktop.is_refusal(exc):
            self.passwordEdit.selectAll()
            self.passwordEdit.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.serverEdit.setFocus(Qt.FocusReason.OtherFocusReason)

    def reject(self) -> None:
        if self._op is not None:
            return  # never left running behind a closed window
        super().reject()


def _read_recovery(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise UserError(f"the recovery key file {path} cannot be read") from None
