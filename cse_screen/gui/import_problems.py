"""The rows an import refused, as a table (row, case reference, problem) that can be saved.

A long file can have dozens of rows to correct; a sentence listing them cannot be worked
through, a table can, and a saved copy can be taken to the case system. Saving is the export's
(:func:`cse_screen.export.import_problems.save_problems`: case references only, written
atomically, readable by the owner only, audited); this panel only draws and asks where.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cse_screen.export.import_problems import HEADINGS, save_problems
from cse_screen.gui.context import AppContext
from cse_screen.gui.theme import set_tone
from cse_screen.storage.importer import RowProblem


class ImportProblemsPanel(QWidget):
    """Hidden until an import is refused for its rows."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importProblems")
        self.ctx = ctx
        self.rows: tuple[RowProblem, ...] = ()
        self._source = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(HEADINGS), self)
        self.table.setObjectName("importProblemsTable")
        self.table.setAccessibleName("Rows to correct")
        self.table.setHorizontalHeaderLabels(list(HEADINGS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        # Row heights follow the wrapped problem text once the columns have their widths.
        header.sectionResized.connect(lambda *_args: self.table.resizeRowsToContents())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.saved_label = QLabel(self)
        self.saved_label.setObjectName("problemsSavedLabel")
        self.saved_label.setWordWrap(True)
        self.saved_label.hide()
        row.addWidget(self.saved_label, 1)
        row.addStretch(0)
        self.save_button = QPushButton("&Save list as CSV…", self)
        self.save_button.setObjectName("saveProblemsButton")
        self.save_button.setAccessibleName("Save the rows to correct as a CSV file")
        self.save_button.setToolTip("Row numbers, case references and problems only, no names")
        self.save_button.clicked.connect(self.choose_and_save)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.hide()

    def clear(self) -> None:
        self.rows = ()
        self.table.setRowCount(0)
        self.saved_label.hide()
        self.hide()

    def show_problems(self, rows: Sequence[object], source: str) -> None:
        self.rows = tuple(r for r in rows if isinstance(r, RowProblem))
        self._source = source
        self.table.setRowCount(len(self.rows))
        for index, problem in enumerate(self.rows):
            cells = (str(problem.row), problem.case_ref or "—", problem.as_text())
            for column, text in enumerate(cells):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.saved_label.hide()
        self.show()

    def choose_and_save(self) -> Path | None:
        """Ask where, then save through storage (a deliberate, audited export)."""
        stem = Path(self._source).stem or "import"
        start = str(Path.home() / f"{stem}-rows-to-correct.csv")
        name, _filter = QFileDialog.getSaveFileName(
            self, "Save the rows to correct", start, "CSV (*.csv)"
        )
        if not name:
            return None
        target = Path(name) if name.lower().endswith(".csv") else Path(name + ".csv")
        return self.save_to(target)

    def save_to(self, target: Path) -> Path | None:
        try:
            rows, source = self.rows, self._source
            count = self.ctx.read(lambda store: save_problems(store, rows, target, source))
        except Exception as exc:
            self.ctx.show_error(self, exc)
            return None
        set_tone(self.saved_label, f"Saved {count} rows to {target.name}.", "good")
        return target
