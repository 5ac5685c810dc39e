"""Asks a team lead why a screening goes back to its worker; storage refuses a blank reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class ReturnDialog(QDialog):
    """The reason the worker will read, with the error storage gives for a blank one."""

    def __init__(self, case_ref: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returnDialog")
        self.setWindowTitle("Return for changes")
        layout = QVBoxLayout(self)
        label = QLabel(f"Why is the screening for {case_ref} going back? The worker reads this.")
        label.setWordWrap(True)
        layout.addWidget(label)
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("returnReason")
        self.reason.setAccessibleName("Reason for returning the screening")
        self.reason.setTabChangesFocus(True)
        label.setBuddy(self.reason)
        layout.addWidget(self.reason)
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setProperty("tone", "error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Return")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("returnButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
