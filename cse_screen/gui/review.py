"""The review queue for team leads: submitted screenings awaiting sign-off.

Storage orders the queue (lowered outcomes first) and enforces who may sign off (a lead, never
the screening's own submitter); returning a screening needs a reason the worker will read.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cse_screen.errors import UserError
from cse_screen.gui.a11y import announce, mark_heading
from cse_screen.gui.context import AppContext
from cse_screen.gui.screening_view import ScreeningViewDialog
from cse_screen.gui.theme import set_tone
from cse_screen.storage.records import ScreeningSummary

HEADERS = ["Case ref", "Screened", "Outcome", "Computed", "Sign-off", "By"]


class ReturnDialog(QDialog):
    """Asks for the reason a screening goes back to its worker; storage refuses a blank one."""

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


class ReviewPage(QWidget):
    """The queue with Open, Sign off and Return actions."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPage")
        self.ctx = ctx
        self.rows: list[ScreeningSummary] = []
        self.q = ctx.questionnaire()
        layout = QVBoxLayout(self)
        title = QLabel("<h2>Screenings awaiting sign-off</h2>", self)
        mark_heading(title)
        layout.addWidget(title)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("reviewTable")
        self.table.setAccessibleName("Screenings awaiting sign-off")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setAccessibleName("Column headings")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellActivated.connect(lambda _r, _c: self.open_selected())
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.open_selected())
        layout.addWidget(self.table, 1)
        self.message = QLabel(self)
        self.message.setObjectName("reviewMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        for name, text, slot in (
            ("openScreeningButton", "&Open", self.open_selected),
            ("signOffButton", "Sig&n off", self.sign_off_selected),
            ("returnScreeningButton", "Re&turn for changes…", self.return_selected),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
        layout.addLayout(row)
        ctx.signals.dataChanged.connect(self._data_changed)
        self.reload()

    def _data_changed(self, _what: str) -> None:
        self.reload()

    def reload(self) -> None:
        try:
            self.rows = self.ctx.read(lambda store: store.screenings.review_queue())
        except UserError as exc:
            self.rows = []
            self.message.setText(str(exc))
        self._fill()

    def _label(self, outcome: str | None) -> str:
        if not outcome:
            return "—"
        try:
            return self.q.outcome(outcome).label
        except KeyError:
            return outcome

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        for row, s in enumerate(self.rows):
            values = (
                s.child_ref,
                f"{s.screen_date:%d %b %Y}",
                self._label(s.final_outcome),
                self._label(s.computed_outcome),
                "Lowered: needs sign-off" if s.needs_signoff else "Routine",
                s.created_by,
            )
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.ItemDataRole.UserRole, s.id)
                self.table.setItem(row, column, cell)
        if self.rows:
            self.table.selectRow(0)
        elif not self.message.text():
            self.message.setText("Nothing is waiting for sign-off.")

    def selected(self) -> ScreeningSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def open_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            record = self.ctx.read(lambda store: store.screenings.get(chosen.id))
            ScreeningViewDialog(record, self).open()

    def sign_off_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        if self._decide(lambda store: store.screenings.sign_off(chosen.id)):
            self.message.setText(f"Screening for {chosen.child_ref} signed off.")
            announce(self.message, self.message.text())

    def return_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        dialog = ReturnDialog(chosen.child_ref, self)
        dialog.accepted.connect(lambda: self._returned(dialog, chosen))
        dialog.open()

    def _returned(self, dialog: ReturnDialog, chosen: ScreeningSummary) -> None:
        reason = dialog.reason.toPlainText().strip()
        done = self._decide(lambda store: store.screenings.return_to_worker(chosen.id, reason))
        if done:
            self.message.setText(f"Screening for {chosen.child_ref} returned to its worker.")
            announce(self.message, self.message.text())
        else:
            set_tone(dialog.error, self.message.text(), "error")
            dialog.open()

    def _decide(self, action: object) -> bool:
        try:
            self.ctx.read(action)  # type: ignore[arg-type]
        except UserError as exc:
            self.message.setText(str(exc)[:1].upper() + str(exc)[1:])
            announce(self.message, self.message.text(), assertive=True)
            return False
        except Exception as exc:
            self.ctx.show_error(self, exc)
            return False
        self.ctx.signals.dataChanged.emit("screenings")
        return True
