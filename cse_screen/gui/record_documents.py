"""The child record's document buttons: the chosen screening as a PDF for the case file, and
(for leads and administrators) the subject access export. Kept apart from the record page so
the page stays about showing the record; the documents themselves are the core's."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QTableWidget

from cse_screen.storage.records import ScreeningSummary


class RecordDocuments:
    """Mixed into the record page, which provides ``ctx``, ``data``, ``history``, ``buttons``."""

    ctx: Any
    data: Any
    history: QTableWidget
    buttons: dict[str, QPushButton]

    def _build_documents(self, box: QGroupBox) -> QHBoxLayout:
        """Under the history: the selected screening as a PDF, and (leads) subject access."""
        row = QHBoxLayout()
        row.addStretch(1)
        for name, text, slot, tip in (
            (
                "screeningPdfButton",
                "Save as PD&F…",
                self.save_screening_pdf,
                "Save the selected screening (or the latest) as a PDF for the case file",
            ),
            (
                "subjectAccessButton",
                "S&ubject access export…",
                self.subject_access,
                "Everything held about this child, for a subject access request",
            ),
        ):
            button = QPushButton(text, box)
            button.setObjectName(name)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[name] = button
        from cse_screen.documents.service import SUBJECT_ACCESS_ROLES  # loaded when the page is

        store = self.ctx.store
        leading = store is not None and store.user.role in SUBJECT_ACCESS_ROLES
        self.buttons["subjectAccessButton"].setVisible(leading)
        return row

    def chosen_screening(self) -> ScreeningSummary | None:
        """The screening selected in the history, else the newest one."""
        if self.data is None or not self.data.history:
            return None
        row = self.history.currentRow()
        cell = self.history.item(row, 0) if row >= 0 else None
        if cell is not None:
            wanted = int(cell.data(Qt.ItemDataRole.UserRole))
            return next((s for s in self.data.history if s.id == wanted), None)
        return self.data.history[0]

    def save_screening_pdf(self) -> Any:
        from cse_screen.gui.document_dialog import ScreeningPdfDialog

        chosen = self.chosen_screening()
        if chosen is None:
            if self.ctx.nav is not None:
                self.ctx.nav.notify("This child has no screening to save yet.")
            return None
        dialog = ScreeningPdfDialog(self.ctx, chosen.id, chosen.child_ref, self)
        dialog.open()
        return dialog

    def subject_access(self) -> Any:
        from cse_screen.gui.document_dialog import SubjectAccessDialog

        if self.data is None:
            return None
        dialog = SubjectAccessDialog(self.ctx, self.data.child.case_ref, self)
        dialog.open()
        return dialog
