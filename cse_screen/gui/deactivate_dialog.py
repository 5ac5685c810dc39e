"""Deactivating a user: the database is re-encrypted to a new key without their keyslot.

The work is :meth:`cse_screen.vault.store.Store.disable_user` (the same call as
``cse-screen user disable``), run on the database thread with its progress shown: on a large
database the re-encryption takes some seconds. Cancel is honoured until the new key is decided;
after that the change completes. The dialog says plainly what the re-key means for backups.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from cse_screen.gui.context import AppContext
from cse_screen.gui.progress_dialog import OperationDialog
from cse_screen.storage.records import UserRecord

HELP = (
    "{name} will no longer be able to sign in; their work stays. The database is re-encrypted "
    "to a new key at the same time, so a copy of the password file they may have kept no "
    "longer opens it. Everyone else keeps their password."
)
DONE = (
    "{name} was deactivated and the database re-encrypted to a new key. Backups made before "
    "now still open with the old key and old passwords: make a new backup, then destroy the "
    "older ones or keep them locked away."
)


class DeactivateDialog(OperationDialog):
    """Deactivate and re-key with progress; ``on_done`` gets the deactivated user."""

    def __init__(
        self,
        ctx: AppContext,
        user: UserRecord,
        on_done: Callable[[UserRecord], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("deactivateDialog")
        self.setWindowTitle(f"Deactivate {user.name}")
        self.setAccessibleName(f"Deactivate {user.name}")
        self.setModal(True)
        self.user = user
        self.result_value: UserRecord | None = None
        self._on_done = on_done
        layout = QVBoxLayout(self)
        self.add_help(layout, HELP.format(name=user.name), "deactivateHelpLabel", "About this")
        layout.addStretch(1)
        self.status, self.bar = self.add_status_area(layout, "Deactivation")
        row, self.start_button, self.cancel_button = self.action_row(
            "Deacti&vate", "deactivateNowButton", f"Deactivate {user.name} now"
        )
        layout.addLayout(row)
        self.bind(self.start_button, self.cancel_button, self.bar, self.status, [])
        self.start_button.clicked.connect(self.deactivate)
        self.resize(520, self.sizeHint().height())

    def deactivate(self) -> None:
        name = self.user.name

        def work(store: Any, control: Any) -> UserRecord:
            return store.disable_user(name, progress=control.progress, cancel=control.cancelled)

        self.start(work, "Deactivating and re-encrypting the database…")

    def succeeded(self, result: Any) -> None:
        self.result_value = result
        self.start_button.setEnabled(False)
        self.say(DONE.format(name=self.user.name), "good")
        self._on_done(result)

    def cancelling_text(self) -> str:
        return "Cancelling… nothing changes unless the new key was already in place."
