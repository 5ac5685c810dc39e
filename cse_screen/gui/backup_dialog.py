"""Backing up the open database (administrators), with progress and Cancel.

The backup is :meth:`cse_screen.vault.store.Store.backup`: an encrypted, self-checking copy of
the database and its keyslots, written completely or not at all (also on Cancel), and audited.
Restoring is deliberately not offered here: it replaces the database everyone is using, so it is
IT's job, done from the command line with the app closed, and the dialog says so.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QVBoxLayout,
    QWidget,
)

from cse_screen.gui.context import AppContext
from cse_screen.gui.export_dialog import default_folder
from cse_screen.gui.progress_dialog import OperationDialog, scaled

BACKUP_SUFFIX = ".backup"
HELP = (
    "The backup is one file holding an encrypted copy of the database and the users' password "
    "slots: it opens with the same passwords as the database. Keep it off this computer, "
    "somewhere IT looks after. Restoring a backup replaces the database for everyone, so it is "
    "done by IT from the command line with the app closed (cse-screen restore --backup FILE "
    "--db PATH), with the password of a user in the backup or IT's recovery key; it is not "
    "offered here."
)


def with_suffix(name: str) -> Path:
    path = Path(name)
    return path if path.suffix else path.with_name(path.name + BACKUP_SUFFIX)


def _size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB"):
        if size < 1024:
            return f"{n} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class BackupDialog(OperationDialog):
    """Choose the destination, back up with progress and Cancel, say where it went."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("backupDialog")
        self.setWindowTitle("Back up the database")
        self.setAccessibleName("Back up the database")
        self.setModal(True)
        self.written: Path | None = None
        self._destination: Path | None = None
        self._build()
        self.bind(self.backup_button, self.cancel_button, self.bar, self.status, [self.browse])
        self.browse.clicked.connect(self.choose_destination)
        self.backup_button.clicked.connect(self.back_up)
        self.resize(540, self.sizeHint().height())
        self.browse.setFocus()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.add_help(layout, HELP, "backupHelpLabel", "About backups and restoring")
        self.destination_edit, self.browse = self.add_file_row(
            layout, "Sa&ve as:", "destinationEdit", "Backup file", "Choose where to save the backup"
        )
        layout.addStretch(1)
        self.status, self.bar = self.add_status_area(layout, "Backup")
        row, self.backup_button, self.cancel_button = self.action_row(
            "&Back up", "backupButton", "Back up now"
        )
        layout.addLayout(row)

    def set_destination(self, path: Path | None) -> None:
        self._destination = path
        self.destination_edit.setText(str(path) if path else "")
        self.destination_edit.setToolTip(str(path) if path else "")

    def choose_destination(self) -> Path | None:
        start = self._destination or default_folder() / f"cse-screen-{date.today()}.backup"
        name, _filter = QFileDialog.getSaveFileName(
            self, "Save the backup as", str(start), "cse-screen backup (*.backup);;All files (*)"
        )
        if name:
            self.set_destination(with_suffix(name))
        return self._destination if name else None

    def back_up(self) -> None:
        if self.running:
            return
        out = self._destination or self.choose_destination()
        if out is None:
            self.show_problem("Choose where to save the backup first.", self.browse)
            return

        def work(store: Any, control: Any) -> tuple[Path, int]:
            written = store.backup(out, progress=scaled(control), cancel=control.cancelled)
            return written, written.stat().st_size

        self.start(work, f"Backing up to {out.name}…")

    def succeeded(self, result: Any) -> None:
        path, size = result
        self.written = path
        self.set_destination(None)  # another backup asks again rather than replace this one
        self.say(
            f"Backup written to {path} ({_size(size)}). Move it to where IT keeps backups.",
            "good",
        )
        if self.ctx.nav is not None:
            self.ctx.nav.notify(f"Backup written: {path.name}")
        self.cancel_button.setFocus()

    def failed_text(self) -> str:
        return "The backup did not finish; no backup file was written."
