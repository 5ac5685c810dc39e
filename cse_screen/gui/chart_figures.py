"""A chart's figures as a table, one button press away: the alternative to reading bars.

A screen reader hears a chart's description, but cannot move through it; a magnifier user or a
keyboard user cannot read a bar's height as a number. Each dashboard chart therefore has a
"Show as a table" button that puts a table of exactly the numbers the chart draws in its place
(the same figures, from the chart itself), with column headings a screen reader reads with
every cell, and back again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from cse_screen.gui.a11y import announce
from cse_screen.gui.dashboard_charts import PaletteChartView

SHOW_TABLE = "Show as a table"
SHOW_CHART = "Show as a chart"


class ChartOrTable(QStackedWidget):
    """``chart``, or a read-only table of its figures; :attr:`toggle` switches between them."""

    def __init__(self, chart: PaletteChartView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        name = chart.objectName()
        self.setObjectName(name + "Stack")
        self.table = QTableWidget(self)
        self.table.setObjectName(name + "Table")
        self.table.setAccessibleName(f"{chart.accessibleName()}, as a table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # arrows move between cells, Tab moves on
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setAccessibleName("Column headings")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(chart.minimumHeight())
        self.addWidget(chart)
        self.addWidget(self.table)
        self.toggle = QPushButton(SHOW_TABLE, parent)
        self.toggle.setObjectName(name + "TableButton")
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName(f"Show {chart.accessibleName().lower()} as a table")
        self.toggle.toggled.connect(self.show_table)
        chart.figuresChanged.connect(self._fill)
        self._fill()

    def show_table(self, on: bool) -> None:
        """Put the table (or the chart again) in the chart's place; the button says which."""
        self.setCurrentWidget(self.table if on else self.chart)
        self.toggle.setText(SHOW_CHART if on else SHOW_TABLE)
        what = self.chart.accessibleName().lower()
        self.toggle.setAccessibleName(f"Show {what} as a {'chart' if on else 'table'}")
        if self.toggle.isChecked() != on:
            self.toggle.setChecked(on)
        announce(
            self.toggle, f"{self.chart.accessibleName()} shown as a {'table' if on else 'chart'}"
        )

    def _fill(self) -> None:
        headings, rows = self.chart.figures()
        self.table.clear()
        self.table.setColumnCount(len(headings))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(headings)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c:  # counts line up on the right, as numbers do
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
