"""The unlock screen, used at start-up (opens the store) and on the lock screen (re-checks the
signed-in user's password against the keyslots, the database stays open).

The password check costs about half a second of Argon2id, so it runs on the background runner
with a busy bar; the window keeps painting. A wrong password and a damaged database get different
sentences: the first is the user's to fix, the second is IT's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from cse_screen.errors import DatabaseDamaged, UserError, WrongPassword
from cse_screen.gui.errors import as_sentence, show_error
from cse_screen.gui.forms.ui_unlock import Ui_UnlockForm
from cse_screen.gui.theme import set_tone
from cse_screen.gui.worker import Op, Runner

WRONG_PASSWORD = "The user name or password is not right. Check both and try again."  # noqa: S105
# The reason names the file and, for a damaged database, what restoring a backup would lose: a
# restore is never advised on its own, and never for a full disk or a lock (those say how to fix).
DAMAGED = (
    "The database cannot be opened: {reason} This is not a problem with your password, and "
    "nothing was changed."
)

# attempt(user, password) runs off the GUI thread; its result is passed on by `unlocked`.
Attempt = Callable[[str, str], object]


class UnlockWidget(QWidget):
    """User name + password; emits ``unlocked(result of attempt)`` once the password is right."""

    unlocked = Signal(object)

    def __init__(
        self,
        runner: Runner,
        db_path: Path,
        attempt: Attempt,
        *,
        user: str = "",
        fixed_user: bool = False,
        db_lane: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = Ui_UnlockForm()
        self.form.setupUi(self)
        self._runner = runner
        self._attempt = attempt
        self._db_lane = db_lane  # opening the store must run on the store's own thread
        self._op: Op | None = None
        self.form.databaseLabel.setText(f"Database: {db_path.name}")
        self.form.databaseLabel.setToolTip(str(db_path))
        self.form.userEdit.setText(user)
        self.form.userEdit.setReadOnly(fixed_user)
        if fixed_user:
            self.form.introLabel.setText(
                "Nothing is shown while cse-screen is locked. Type your password to carry on "
                "where you left off; your answers so far are saved."
            )
        else:
            self.form.titleLabel.setText("Unlock cse-screen")
        self.form.busyBar.hide()
        set_tone(self.form.messageLabel, "")
        self.form.unlockButton.clicked.connect(self.submit)
        self.form.passwordEdit.returnPressed.connect(self.submit)
        self.form.userEdit.returnPressed.connect(self.form.passwordEdit.setFocus)
        self.focus_first_empty()

    def focus_first_empty(self) -> None:
        target = self.form.passwordEdit if self.form.userEdit.text() else self.form.userEdit
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def reset(self) -> None:
        """Clear the password and any message (the lock screen is reused)."""
        self.form.passwordEdit.clear()
        set_tone(self.form.messageLabel, "")
        self.focus_first_empty()

    def busy(self) -> bool:
        return self._op is not None

    def submit(self) -> None:
        if self._op is not None:
            return
        user = self.form.userEdit.text().strip()
        password = self.form.passwordEdit.text()
        if not user:
            set_tone(self.form.messageLabel, "Type your user name.", "error")
            self.form.userEdit.setFocus()
            return
        if not password:
            set_tone(self.form.messageLabel, "Type your password.", "error")
            self.form.passwordEdit.setFocus()
            return
        self._set_busy(True)
        attempt = self._attempt
        self._op = self._runner.run(
            lambda control: attempt(user, password),
            on_success=self._succeeded,
            on_failure=self._failed,
            db=self._db_lane,
        )

    def _set_busy(self, busy: bool) -> None:
        for w in (self.form.userEdit, self.form.passwordEdit, self.form.unlockButton):
            w.setEnabled(not busy)
        self.form.busyBar.setVisible(busy)
        if busy:
            set_tone(self.form.messageLabel, "Checking your password…", "info")

    def _succeeded(self, result: object) -> None:
        self._op = None
        self._set_busy(False)
        self.form.passwordEdit.clear()
        set_tone(self.form.messageLabel, "")
        self.unlocked.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._op = None
        self._set_busy(False)
        self.form.passwordEdit.clear()
        if isinstance(exc, WrongPassword):
            set_tone(self.form.messageLabel, WRONG_PASSWORD, "error")
        elif isinstance(exc, DatabaseDamaged):
            reason = as_sentence(exc.message)
            set_tone(self.form.messageLabel, DAMAGED.format(reason=reason), "damage")
        elif isinstance(exc, UserError):
            set_tone(self.form.messageLabel, as_sentence(exc.message), "error")
        else:
            set_tone(self.form.messageLabel, "The password could not be checked.", "error")
            show_error(self, exc)
        self.form.passwordEdit.setFocus(Qt.FocusReason.OtherFocusReason)
