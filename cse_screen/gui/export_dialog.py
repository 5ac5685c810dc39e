"""The Excel export for team leads and administrators (layout from ui/export_dialog.ui).

Pseudonymising is ticked when the dialog opens: most exports go to boards and managers who do
not need to know who the children are, so naming them has to be a choice, not a default. The
password is checked as the export service checks it, while it is typed, so a refusal never comes
after a long wait. The export itself is :func:`cse_screen.export.export_workbook` run on the
database thread; it writes the whole file or nothing (also on Cancel), which this dialog relies on
rather than cleaning up after it. Only a killed process leaves a hidden temporary file behind;
opening the dialog clears those from the default export folder, as each export does in its own.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths
from PySide6.QtWidgets import QComboBox, QFileDialog, QWidget

from cse_screen.errors import UsageError
from cse_screen.export.options import (
    ExportOptions,
    ExportSummary,
    check_export_password,
    encrypt_by_default,
)
from cse_screen.gui.a11y import one_tab_stop
from cse_screen.gui.context import AppContext
from cse_screen.gui.errors import as_sentence
from cse_screen.gui.forms.ui_export_dialog import Ui_ExportDialogForm
from cse_screen.gui.progress_dialog import OperationDialog
from cse_screen.gui.theme import set_tone

#: Most reports cover a year; the dates only apply once their box is ticked.
DEFAULT_SPAN_DAYS = 365


def default_folder() -> Path:
    """Documents if the system has one: an export is meant to be found and sent on."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def with_xlsx(name: str) -> Path:
    """The chosen name, with .xlsx added when the save dialog left it off."""
    path = Path(name)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def summary_sentence(summary: ExportSummary) -> str:
    """What the user needs to know to find and hand on the file."""
    how = [
        w
        for w, on in (("pseudonymised", summary.pseudonymised), ("encrypted", summary.encrypted))
        if on
    ]
    protection = f" It is {' and '.join(how)}." if how else " It names the children."
    return (
        f"Written to {summary.path}: {summary.children} children and "
        f"{summary.screenings} screenings.{protection}"
    )


def _fill(combo: QComboBox, all_text: str, values: list[str]) -> None:
    combo.clear()
    combo.addItem(all_text, None)
    for value in values:
        combo.addItem(value, value)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ExportDialog(OperationDialog):
    """Choose filters and protection, pick the file, export with progress and Cancel."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.form = Ui_ExportDialogForm()
        self.form.setupUi(self)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export to Excel")
        self.summary: ExportSummary | None = None
        self._destination: Path | None = None
        self._sweep_default_folder()
        f = self.form
        self.bind(
            f.exportButton,
            f.cancelButton,
            f.progressBar,
            f.statusLabel,
            [
                f.fromCheck,
                f.fromDateEdit,
                f.toCheck,
                f.toDateEdit,
                f.teamCombo,
                f.workerCombo,
                f.pseudonymiseCheck,
                f.encryptCheck,
                f.passwordEdit,
                f.confirmEdit,
                f.browseButton,
            ],
        )
        self._set_up_dates()
        teams, workers = ctx.read(lambda s: (s.children.teams(), s.children.workers()))
        _fill(f.teamCombo, "All teams you may see", teams)
        _fill(f.workerCombo, "All workers", workers)
        f.fromCheck.toggled.connect(self._update_enabled)
        f.toCheck.toggled.connect(self._update_enabled)
        f.encryptCheck.toggled.connect(self._update_enabled)
        f.encryptCheck.setChecked(encrypt_by_default(f.pseudonymiseCheck.isChecked()))
        f.pseudonymiseCheck.toggled.connect(self._pseudonymise_changed)
        f.passwordEdit.textChanged.connect(self._update_strength)
        f.confirmEdit.textChanged.connect(self._update_strength)
        f.browseButton.clicked.connect(self.choose_destination)
        f.exportButton.clicked.connect(self.export)
        self._update_enabled()
        self.resize(self.width(), self.sizeHint().height())  # no gap while nothing runs
        f.fromCheck.setFocus()

    @staticmethod
    def _sweep_default_folder() -> None:
        """A partial workbook from an app killed mid-export must not wait for an export to
        that very name: most exports go to the default folder, so it is cleared on opening."""
        from cse_screen.export.service import sweep_export_temps  # the writer loads on use

        sweep_export_temps(default_folder())

    def _set_up_dates(self) -> None:
        today = QDate.currentDate()
        for edit in (self.form.fromDateEdit, self.form.toDateEdit):
            edit.setMaximumDate(today)
        one_tab_stop(self.form.fromDateEdit, self.form.toDateEdit)
        self.form.fromDateEdit.setDate(today.addDays(-DEFAULT_SPAN_DAYS))
        self.form.toDateEdit.setDate(today)

    def _update_enabled(self) -> None:
        """Date and password fields only take input when their box is ticked (and not busy)."""
        f = self.form
        idle = not self.running
        f.fromDateEdit.setEnabled(idle and f.fromCheck.isChecked())
        f.toDateEdit.setEnabled(idle and f.toCheck.isChecked())
        encrypt = idle and f.encryptCheck.isChecked()
        f.passwordEdit.setEnabled(encrypt)
        f.confirmEdit.setEnabled(encrypt)
        self._update_strength()

    def _pseudonymise_changed(self, pseudonymise: bool) -> None:
        """An export with names turns encryption on (it may still be turned off by hand)."""
        if encrypt_by_default(pseudonymise):
            self.form.encryptCheck.setChecked(True)

    def _set_busy(self, busy: bool) -> None:
        super()._set_busy(busy)
        if not busy:
            self._update_enabled()

    def _update_strength(self) -> None:
        text, tone = self._password_verdict()
        set_tone(self.form.strengthLabel, text, tone)
        self.fit()

    def _password_verdict(self) -> tuple[str, str]:
        """The service's own password rule, applied while typing (and whether both agree)."""
        f = self.form
        password = f.passwordEdit.text()
        if not f.encryptCheck.isChecked() or not password:
            return "", "info"
        try:
            check_export_password(password)
        except UsageError as exc:
            return as_sentence(exc.message), "warn"
        if f.confirmEdit.text() and f.confirmEdit.text() != password:
            return "The two passwords are not the same yet.", "warn"
        return "Strong enough for an export.", "good"

    # -- the destination ---------------------------------------------------------------------

    def destination(self) -> Path | None:
        return self._destination

    def set_destination(self, path: Path | None) -> None:
        self._destination = path
        self.form.destinationEdit.setText(str(path) if path else "")
        self.form.destinationEdit.setToolTip(str(path) if path else "")

    def choose_destination(self) -> Path | None:
        """The system save dialog (it asks before replacing a file); None when dismissed."""
        start = self._destination or default_folder() / f"cse-screen-export-{date.today()}.xlsx"
        name, _filter = QFileDialog.getSaveFileName(
            self, "Save the export as", str(start), "Excel workbook (*.xlsx)"
        )
        if name:
            self.set_destination(with_xlsx(name))
        return self._destination if name else None

    # -- exporting ---------------------------------------------------------------------------

    def options(self) -> ExportOptions:
        """The options as typed; raises UsageError for dates or a password the service refuses."""
        f = self.form
        options = ExportOptions(
            date_from=_pydate(f.fromDateEdit.date()) if f.fromCheck.isChecked() else None,
            date_to=_pydate(f.toDateEdit.date()) if f.toCheck.isChecked() else None,
            team=f.teamCombo.currentData(),
            worker=f.workerCombo.currentData(),
            pseudonymise=f.pseudonymiseCheck.isChecked(),
        )
        if f.encryptCheck.isChecked():
            if f.passwordEdit.text() != f.confirmEdit.text():
                raise UsageError("the two export passwords are not the same; type them again")
            options = replace(options, password=f.passwordEdit.text())
        options.validate()
        return options

    def export(self) -> None:
        if self.running:
            return
        try:
            options = self.options()
        except UsageError as exc:
            focus = self.form.passwordEdit if "password" in exc.message else None
            self.show_problem(as_sentence(exc.message), focus)
            return
        out = self._destination or self.choose_destination()
        if out is None:
            self.show_problem("Choose where to save the export first.", self.form.browseButton)
            return

        def work(store: Any, control: Any) -> ExportSummary:
            from cse_screen.export.service import export_workbook

            return export_workbook(
                store, out, options, progress=control.progress, cancel=control.cancelled
            )

        self.start(work, f"Exporting to {out.name}…")

    def succeeded(self, result: Any) -> None:
        self.summary = result
        self.say(summary_sentence(result), "good")
        self.form.passwordEdit.clear()
        self.form.confirmEdit.clear()
        self.set_destination(None)  # another export asks again rather than replace this one
        if self.ctx.nav is not None:
            self.ctx.nav.notify(f"Export written: {result.path.name}")
        self.form.cancelButton.setFocus()

    def failed_text(self) -> str:
        return "The export did not finish; no file was written."
