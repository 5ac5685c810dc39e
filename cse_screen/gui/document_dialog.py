"""Saving a document: one screening as a PDF, a subject access export, the board report.

Each is a deliberate act like an export: the user picks the file (and, for the two that name a
child, whether to protect it with a password, checked as it is typed by the export's own rule),
then the document is made by :mod:`cse_screen.documents.service` on the database thread. The
service checks the role, builds the file in memory, writes it atomically and audits it; this
dialog only gathers the choices and says how it ended.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cse_screen.errors import UsageError
from cse_screen.export.options import check_export_password
from cse_screen.gui.context import AppContext
from cse_screen.gui.errors import as_sentence
from cse_screen.gui.export_dialog import default_folder
from cse_screen.gui.progress_dialog import OperationDialog
from cse_screen.gui.theme import set_tone


def with_suffix(name: str, suffix: str) -> Path:
    path = Path(name)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def last_quarter(today: date) -> tuple[date, date]:
    """The last complete calendar quarter: what a board usually asks about."""
    first_this = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_this - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class DocumentDialog(OperationDialog):
    """The shared dialog: help, the subclass's inputs, the file, the password, the status."""

    title = "Save a document"
    help_text = ""
    suffix = ".pdf"
    file_filter = "PDF document (*.pdf)"
    start_text = "&Save"
    offers_password = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setWindowTitle(self.title)
        self.setAccessibleName(self.title)
        self.saved: Any = None
        self._destination: Path | None = None
        layout = QVBoxLayout(self)
        self.add_help(layout, self.help_text, "documentHelpLabel", f"About the {self.title}")
        inputs = self.build_inputs(layout)
        self.destination_edit, self.browse = self.add_file_row(
            layout, "Sa&ve as:", "destinationEdit", "Document file", "Choose where to save it"
        )
        inputs.append(self.browse)
        if self.offers_password:
            inputs += self._build_password(layout)
        layout.addStretch(1)
        self.status, self.bar = self.add_status_area(layout, self.title)
        row, self.save_button, self.cancel_button = self.action_row(
            self.start_text, "saveDocumentButton", self.title
        )
        layout.addLayout(row)
        self.bind(self.save_button, self.cancel_button, self.bar, self.status, inputs)
        self.browse.clicked.connect(self.choose_destination)
        self.save_button.clicked.connect(self.save)
        self.resize(560, self.sizeHint().height())
        self.fit()  # the wrapped help needs its full height at this width
        self.browse.setFocus()

    # -- parts ------------------------------------------------------------------------------
    def build_inputs(self, layout: QVBoxLayout) -> list[QWidget]:
        """Extra inputs above the file row (none by default); returns them to freeze."""
        return []

    def _build_password(self, layout: QVBoxLayout) -> list[QWidget]:
        self.encrypt_check = QCheckBox("&Protect with a password (AES-256)", self)
        self.encrypt_check.setObjectName("encryptCheck")
        self.encrypt_check.setChecked(True)  # it names a child: protection is the default
        layout.addWidget(self.encrypt_check)
        form = QFormLayout()
        self.password_edit, self.confirm_edit = QLineEdit(self), QLineEdit(self)
        for edit, name, label in (
            (self.password_edit, "passwordEdit", "Pass&word:"),
            (self.confirm_edit, "confirmEdit", "Re&peat:"),
        ):
            edit.setObjectName(name)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(label.replace("&", "").rstrip(":"))
            caption = QLabel(label, self)
            caption.setBuddy(edit)
            form.addRow(caption, edit)
            edit.textChanged.connect(self._update_strength)
        layout.addLayout(form)
        self.strength = QLabel(self)
        self.strength.setObjectName("strengthLabel")
        self.strength.setWordWrap(True)
        layout.addWidget(self.strength)
        self.encrypt_check.toggled.connect(self._update_enabled)
        self._update_enabled()
        return [self.encrypt_check, self.password_edit, self.confirm_edit]

    def _update_enabled(self) -> None:
        on = not self.running and self.encrypt_check.isChecked()
        self.password_edit.setEnabled(on)
        self.confirm_edit.setEnabled(on)
        self._update_strength()

    def _update_strength(self) -> None:
        text, tone = self._verdict()
        set_tone(self.strength, text, tone)
        self.fit()

    def _verdict(self) -> tuple[str, str]:
        password = self.password_edit.text()
        if not self.encrypt_check.isChecked() or not password:
            return "", "info"
        try:
            check_export_password(password)
        except UsageError as exc:
            return as_sentence(exc.message), "warn"
        if self.confirm_edit.text() and self.confirm_edit.text() != password:
            return "The two passwords are not the same yet.", "warn"
        return "Strong enough to protect the file.", "good"

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.fit()  # the help wraps to the shown width; it must never be cut off

    def _set_busy(self, busy: bool) -> None:
        super()._set_busy(busy)
        if not busy and self.offers_password:
            self._update_enabled()

    # -- the file ---------------------------------------------------------------------------
    def default_name(self) -> str:
        return f"cse-screen-{date.today()}{self.suffix}"

    def set_destination(self, path: Path | None) -> None:
        self._destination = path
        self.destination_edit.setText(str(path) if path else "")

    def choose_destination(self) -> Path | None:
        start = self._destination or default_folder() / self.default_name()
        name, _ = QFileDialog.getSaveFileName(self, "Save as", str(start), self.file_filter)
        if name:
            self.set_destination(with_suffix(name, self.suffix))
        return self._destination if name else None

    def password(self) -> str | None:
        """The password as typed (None without one); UsageError when it cannot be used."""
        if not self.offers_password or not self.encrypt_check.isChecked():
            return None
        password = self.password_edit.text()
        if password != self.confirm_edit.text():
            raise UsageError("the two passwords are not the same; type them again")
        check_export_password(password)
        return password

    # -- saving -----------------------------------------------------------------------------
    def work(self, out: Path, password: str | None) -> Any:
        """``(store, control) -> SavedDocument`` for the database thread."""
        raise NotImplementedError

    def save(self) -> None:
        if self.running:
            return
        try:
            password = self.password()
        except UsageError as exc:
            self.show_problem(as_sentence(exc.message), self.password_edit)
            return
        out = self._destination or self.choose_destination()
        if out is None:
            self.show_problem("Choose where to save it first.", self.browse)
            return
        self.start(self.work(out, password), f"Writing {out.name}…")

    def succeeded(self, result: Any) -> None:
        self.saved = result
        protected = " It is protected with the password." if result.encrypted else ""
        self.say(f"Written to {result.path}: {result.what}.{protected}", "good")
        if self.offers_password:
            self.password_edit.clear()
            self.confirm_edit.clear()
        self.set_destination(None)
        if self.ctx.nav is not None:
            self.ctx.nav.notify(f"Saved: {result.path.name}")
        self.cancel_button.setFocus()

    def failed_text(self) -> str:
        return "The document was not written."


class ScreeningPdfDialog(DocumentDialog):
    title = "Save screening as PDF"
    help_text = (
        "The screening as a document for the child's case file: the answers with their "
        "evidence, the reasons for the outcome, and the sign-off. It names the child, so it is "
        "protected with a password unless you untick the box. Saving it is recorded in the "
        "audit trail."
    )

    def __init__(self, ctx: AppContext, screening_id: int, ref: str, parent: Any = None) -> None:
        self.screening_id, self.ref = screening_id, ref
        super().__init__(ctx, parent)
        self.setObjectName("screeningPdfDialog")

    def default_name(self) -> str:
        return f"screening-{self.screening_id}.pdf"  # never the child's name

    def work(self, out: Path, password: str | None) -> Any:
        sid = self.screening_id

        def run(store: Any, control: Any) -> Any:
            from cse_screen.documents.service import save_screening_pdf

            return save_screening_pdf(store, sid, out, password, control)

        return run


class SubjectAccessDialog(DocumentDialog):
    title = "Subject access export"
    suffix = ".zip"
    file_filter = "Zip file (*.zip)"
    help_text = (
        "Everything the database holds about this child (their details, every screening with "
        "its answers and notes, events, and who has seen or changed the record) as a PDF and "
        "the same as JSON, in one zip file, for a subject access request. Team leads and "
        "administrators only; recorded in the audit trail. Protect it with a password and send "
        "the password separately."
    )

    def __init__(self, ctx: AppContext, case_ref: str, parent: Any = None) -> None:
        self.case_ref = case_ref
        super().__init__(ctx, parent)
        self.setObjectName("subjectAccessDialog")

    def default_name(self) -> str:
        return f"subject-access-{date.today()}.zip"

    def work(self, out: Path, password: str | None) -> Any:
        ref = self.case_ref

        def run(store: Any, control: Any) -> Any:
            from cse_screen.documents.service import save_subject_access

            return save_subject_access(store, ref, out, password, control)

        return run


class BoardReportDialog(DocumentDialog):
    title = "Board report"
    offers_password = False
    help_text = (
        "A short PDF for Cabinet or the safeguarding board: children screened against those "
        "looked after, outcomes and how they moved, overdue screenings, the trend over 12 "
        "months and each team. It is pseudonymised (no names, references or dates of birth, "
        "small counts withheld) and its figures are those of the board workbook for the same "
        "period."
    )

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("boardReportDialog")

    def build_inputs(self, layout: QVBoxLayout) -> list[QWidget]:
        start, end = last_quarter(date.today())
        form = QFormLayout()
        self.from_edit, self.to_edit = QDateEdit(_qdate(start), self), QDateEdit(_qdate(end), self)
        for edit, name, label in (
            (self.from_edit, "fromDateEdit", "&From:"),
            (self.to_edit, "toDateEdit", "&To:"),
        ):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setMaximumDate(QDate.currentDate())
            edit.setAccessibleName(f"Period {label.replace('&', '').rstrip(':').lower()}")
            caption = QLabel(label, self)
            caption.setBuddy(edit)
            form.addRow(caption, edit)
        self.team_combo = QComboBox(self)
        self.team_combo.setObjectName("teamCombo")
        self.team_combo.setAccessibleName("Team")
        self.team_combo.addItem("All teams you may see", None)
        for team in self.ctx.read(lambda s: s.children.teams()):
            self.team_combo.addItem(team, team)
        caption = QLabel("T&eam:", self)
        caption.setBuddy(self.team_combo)
        form.addRow(caption, self.team_combo)
        layout.addLayout(form)
        return [self.from_edit, self.to_edit, self.team_combo]

    def default_name(self) -> str:
        return f"board-report-{_pydate(self.to_edit.date())}.pdf"

    def work(self, out: Path, password: str | None) -> Any:
        start, end = _pydate(self.from_edit.date()), _pydate(self.to_edit.date())
        team = self.team_combo.currentData()

        def run(store: Any, control: Any) -> Any:
            from cse_screen.documents.service import save_board_report

            return save_board_report(store, start, end, out, team, control)

        return run
