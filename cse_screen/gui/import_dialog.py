"""Importing a list of children from the council's case system (CSV or Excel).

The work is :func:`cse_screen.storage.importer.import_children`, unchanged, so the desktop app and
``cse-screen child import`` accept and refuse exactly the same files: every row is checked first
and then all rows are added in one transaction, or none. A refusal lists the rows to correct in
the importer's own words (row numbers and case references, never a name or a date of birth).

The importer takes no progress or cancel callbacks, but it works in three phases: read the file,
check the rows, add them. It is handed the store through :class:`_Checkpoints`, which reports a
step and honours Cancel at the start of the second and third phases; once the single adding
transaction has begun it finishes whole or adds nothing, so Cancel can no longer stop it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QVBoxLayout,
    QWidget,
)

from cse_screen.errors import Cancelled, ImportFailed
from cse_screen.gui.context import AppContext
from cse_screen.gui.import_problems import ImportProblemsPanel
from cse_screen.gui.progress_dialog import OperationDialog
from cse_screen.gui.worker import OpControl

HELP = (
    "Choose a .csv or .xlsx file whose first row names the columns. Case Ref, Name and Date of "
    "Birth (dd/mm/yyyy) are needed; Gender, Ethnicity, Disability, Placement Type, Legal Status, "
    "Allocated Worker and Team are used when present. Every row is checked first: if any row "
    "needs correcting, nothing is imported and the rows are listed here."
)
PHASES = 3  # read the file, check the rows, add the children


def _stop_if_cancelled(control: OpControl) -> None:
    if control.cancelled():
        raise Cancelled("the import was cancelled; no child was added")


class _ChildrenCheckpoints:
    """The children service with a progress step and a cancel check before each phase."""

    def __init__(self, children: Any, control: OpControl) -> None:
        self._children = children
        self._control = control

    def existing_refs(self, refs: Iterable[str]) -> set[str]:
        _stop_if_cancelled(self._control)  # the file has been read
        self._control.progress(1, PHASES)
        found: set[str] = self._children.existing_refs(refs)
        return found

    def add_many(self, *args: Any, **kwargs: Any) -> int:
        _stop_if_cancelled(self._control)  # every row is checked; the last moment to stop
        self._control.progress(2, PHASES)
        added: int = self._children.add_many(*args, **kwargs)
        return added

    def __getattr__(self, name: str) -> Any:
        return getattr(self._children, name)


class _Checkpoints:
    """The store as the importer sees it, with the children service wrapped."""

    def __init__(self, store: Any, control: OpControl) -> None:
        self._store = store
        self.children = _ChildrenCheckpoints(store.children, control)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def run_import(store: Any, control: OpControl, path: Path) -> Any:
    """The background work: the storage importer, with checkpoints between its phases."""
    from cse_screen.storage.importer import import_children

    _stop_if_cancelled(control)
    control.progress(0, PHASES)
    plan = import_children(_Checkpoints(store, control), path)
    control.progress(PHASES, PHASES)
    return plan


class ImportDialog(OperationDialog):
    """Choose the file, import it off the GUI thread, refresh the register on success."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import children")
        self.setAccessibleName("Import children")
        self.setModal(True)
        self.imported = 0
        self._source: Path | None = None
        self._build()
        self.bind(self.import_button, self.cancel_button, self.bar, self.status, [self.browse])
        self.browse.clicked.connect(self.choose_file)
        self.import_button.clicked.connect(self.start_import)
        self.resize(560, self.sizeHint().height())
        self.browse.setFocus()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.add_help(layout, HELP, "importHelpLabel", "What the file must hold")
        self.file_edit, self.browse = self.add_file_row(
            layout, "&File:", "fileEdit", "File to import", "Choose a .csv or .xlsx file"
        )
        self.status, self.bar = self.add_status_area(layout, "Import")
        self.problems = ImportProblemsPanel(self.ctx, self)
        layout.addWidget(self.problems, 1)
        layout.addStretch(0)
        row, self.import_button, self.cancel_button = self.action_row(
            "&Import", "importButton", "Import now"
        )
        layout.addLayout(row)

    def set_source(self, path: Path | None) -> None:
        self._source = path
        self.file_edit.setText(str(path) if path else "")
        self.file_edit.setToolTip(str(path) if path else "")

    def choose_file(self) -> Path | None:
        start = str(self._source.parent) if self._source else str(Path.home())
        name, _filter = QFileDialog.getOpenFileName(
            self,
            "Choose the list of children",
            start,
            "Lists of children (*.csv *.xlsx);;CSV (*.csv);;Excel workbook (*.xlsx)",
        )
        if name:
            self.set_source(Path(name))
        return self._source if name else None

    def start_import(self) -> None:
        if self.running:
            return
        path = self._source or self.choose_file()
        if path is None:
            self.show_problem("Choose the file to import first.", self.browse)
            return
        self.problems.clear()
        self.start(lambda store, control: run_import(store, control, path), "Importing…")

    def succeeded(self, result: Any) -> None:
        count = len(result.children)
        self.imported += count
        source = self._source.name if self._source else "the file"
        text = f"Imported {count} {'child' if count == 1 else 'children'} from {source}."
        if result.ignored_columns:
            text += f" Columns not used: {', '.join(result.ignored_columns)}."
        self.say(text, "good")
        self.set_source(None)  # importing the same file twice would only be refused
        self.ctx.signals.dataChanged.emit("children")
        if self.ctx.nav is not None:
            self.ctx.nav.notify(f"Imported {count} children from {source}")
        self.cancel_button.setFocus()

    def failed(self, exc: BaseException) -> None:
        """Rows to correct go in a table (row, case reference, problem) that can be saved."""
        rows = exc.problems if isinstance(exc, ImportFailed) else ()
        if not rows:
            super().failed(exc)
            return
        source = self._source.name if self._source else "the file"
        numbers = len({getattr(r, "row", None) for r in rows})
        count = f"{numbers} row{'s' if numbers != 1 else ''}"
        self.say(
            f"Nothing was imported from {source}: {count} need correcting, listed below. "
            "Correct them in the file (or save the list) and import it again.",
            "error",
        )
        self.problems.show_problems(rows, source)
        self.resize(max(self.width(), 720), max(self.height(), 460))
        self.problems.table.setFocus()

    def cancelling_text(self) -> str:
        return "Cancelling… an import already being saved finishes whole or adds nothing."

    def failed_text(self) -> str:
        return "The import did not finish; no child was added."
