"""The review queue for team leads: submitted screenings awaiting sign-off.

Storage orders the queue (lowered outcomes first) and enforces who may sign off (a lead, never
the screening's own submitter, and a lowered screening only from its screening view, where the
lowering was shown); returning a screening needs a reason the worker will read. Each row says
whose screening it is, how far and below which floor an outcome was lowered, why, and how long
it has waited.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cse_screen.errors import UserError
from cse_screen.gui.a11y import announce, mark_heading
from cse_screen.gui.context import AppContext
from cse_screen.gui.return_dialog import ReturnDialog
from cse_screen.gui.screening_view import ScreeningViewDialog
from cse_screen.gui.theme import set_tone
from cse_screen.storage.records import ScreeningSummary
from cse_screen.storage.services.outcome_words import waited_words

__all__ = ["ReturnDialog", "ReviewPage"]

HEADERS = [
    "Case ref",
    "Child",
    "Age",
    "Screened",
    "Tool",
    "Worker's judgement",
    "Lowered",
    "Reason",
    "Waiting",
    "By",
]
REASON_CHARS = 60


def _short(text: str | None, limit: int = REASON_CHARS) -> str:
    """A reason on one line, cut to fit a table cell (the full text is the tooltip)."""
    line = " ".join((text or "").split())
    if not line:
        return "—"
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


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
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The reason takes what is left (elided, whole in its tooltip), so that on a 1366x768
        # laptop the wait and the submitter stay on screen instead of behind a scroll bar.
        header.setSectionResizeMode(HEADERS.index("Reason"), QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
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

    def _lowered(self, s: ScreeningSummary) -> str:
        """'2 levels down, below O2' for a lowering; '' otherwise."""
        if not (s.needs_signoff and s.computed_outcome and s.final_outcome):
            return ""
        try:
            steps = self.q.outcome_rank(s.computed_outcome) - self.q.outcome_rank(s.final_outcome)
        except KeyError:
            return "Lowered"
        text = f"{steps} level{'s' if steps != 1 else ''} down"
        if s.floors_below:
            text += ", below floor " + ", ".join(s.floors_below)
        return text

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        now = datetime.now(UTC).replace(tzinfo=None)
        for row, s in enumerate(self.rows):
            values = (
                s.child_ref,
                s.child_name,
                "" if s.child_age is None else str(s.child_age),
                f"{s.screen_date:%d %b %Y}",
                self._label(s.computed_outcome),
                self._label(s.final_outcome) if s.final_outcome != s.computed_outcome else "Agrees",
                self._lowered(s) or "—",
                _short(s.override_reason),
                waited_words(s.submitted_at, now),
                s.created_by,
            )
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.ItemDataRole.UserRole, s.id)
                if HEADERS[column] == "Reason" and s.override_reason:
                    cell.setToolTip(s.override_reason)
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
            ScreeningViewDialog(record, self, ctx=self.ctx).open()

    def sign_off_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        # No lowering is passed: storage refuses a lowered screening here, which must be opened.
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
