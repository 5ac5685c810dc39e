"""The children register as a Qt table model that pages through the register query.

A council may hold tens of thousands of children. The model never asks for more than one page of
rows at a time: the view pulls further pages through ``fetchMore`` as the user scrolls, and every
search, filter or sort goes back to the query (sorting is done by the database, not by Qt), so the
widgets only ever hold what has been scrolled past.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from cse_screen.core import codes
from cse_screen.gui.paged_model import Index, PagedTableModel
from cse_screen.storage.records import RegisterPage, RegisterQuery, RegisterRow
from cse_screen.storage.services.outcome_words import standing_words

FetchPage = Callable[[RegisterQuery], RegisterPage]

#: Custom roles: the row record itself and the outcome id the badge delegate paints.
RowRole = Qt.ItemDataRole.UserRole + 1
OutcomeRole = Qt.ItemDataRole.UserRole + 2

#: (header, sort key of the register query, sort direction flipped?)  Age sorts by date of
#: birth, so an ascending age is a descending date of birth.
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("Case ref", "ref", False),
    ("Name", "name", False),
    ("Age", "dob", True),
    ("Worker", "worker", False),
    ("Team", "team", False),
    ("Outcome", "outcome", False),
    ("Last screened", "last_screened", False),
    ("Next due", "next_due", False),
    ("Placement", "placement", False),
    ("Why due", "attention", False),
)
OUTCOME_COLUMN = 5
LAST_COLUMN = 6
DUE_COLUMN = 7
PLACEMENT_COLUMN = 8
REASON_COLUMN = 9
NAME_COLUMN = 1
#: The narrow layout (a laptop at 200 %) shows these columns; each of the others is folded into
#: one of them as a further line, so nothing is hidden and nothing needs sideways scrolling.
COMPACT_COLUMNS = (NAME_COLUMN, OUTCOME_COLUMN, LAST_COLUMN, DUE_COLUMN)
COMPACT_HEADERS = {NAME_COLUMN: "Child", DUE_COLUMN: "Next due, and why"}
COMPACT_LINES = 3

#: Translucent tints read on light and dark palettes alike.
OVERDUE_TINT = QColor(214, 40, 40, 70)
DUE_SOON_TINT = QColor(230, 160, 0, 70)


def _when(day: date | None) -> str:
    return day.strftime("%d %b %Y") if day else "—"


def due_text(row: RegisterRow) -> str:
    """The next-due cell in words, so overdue is not shown by colour alone."""
    if row.left_care_on is not None:
        return f"Left care {_when(row.left_care_on)}"
    if row.next_due is None:
        return "Due now" if row.latest_outcome is None else "—"
    if row.overdue:
        return f"{_when(row.next_due)} · overdue"
    if row.next_due == date.today():
        return "Due today"
    if row.due_soon:
        return f"{_when(row.next_due)} · due soon"
    return _when(row.next_due)


def _ref_text(row: RegisterRow) -> str:
    return row.case_ref + (" · draft" if row.has_draft else "")


def stacked_text(row: RegisterRow, column: int) -> str:
    """A compact cell's lines: the child's name over reference, age, worker and team; or the
    next due date over why it is due."""
    if column == NAME_COLUMN:
        placement = codes.label("placement_type", row.placement_type)
        who = " · ".join(part for part in (row.worker, row.team, placement) if part) or "—"
        return f"{row.name}\n{_ref_text(row)} · age {row.age}\n{who}"
    return f"{due_text(row)}\n{row.due_reason}" if row.due_reason else due_text(row)


class RegisterModel(PagedTableModel[RegisterQuery, RegisterRow]):
    """Rows of the register query, one page at a time.

    ``fetch_page`` runs the register query; ``outcome_labels`` maps outcome id to the label users
    read. The model is deliberately passive about searching: the page runs the first page off the
    GUI thread and hands it over with :meth:`reset_with`.
    """

    def __init__(
        self,
        fetch_page: FetchPage,
        outcome_labels: Mapping[str, str] | None = None,
        page_size: int = 200,
        parent: Any = None,
    ) -> None:
        super().__init__(fetch_page, RegisterQuery(limit=page_size), parent)
        self._labels = dict(outcome_labels or {})
        self._compact = False
        #: When set, sorting hands the new query to this (the page runs it off the GUI thread).
        self.requery: Callable[[RegisterQuery], None] | None = None

    def outcome_labels(self) -> list[str]:
        return list(self._labels.values())

    @property
    def compact(self) -> bool:
        return self._compact

    def set_compact(self, compact: bool) -> None:
        """Fold the case reference, age, worker and team into the child's cell, and the reason
        into the due cell (the narrow layout); the view hides the columns folded away."""
        if compact == self._compact:
            return
        self._compact = compact
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rowCount():
            last = self.index(self.rowCount() - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def page_rows(self, page: RegisterPage) -> Sequence[RegisterRow]:
        return page.rows

    def row_at(self, row: int) -> RegisterRow | None:
        return self.record_at(row)

    def row_of_child(self, child_id: int) -> int:
        for number, record in enumerate(self._rows):
            if record.child_id == child_id:
                return number
        return -1

    # -- the table ----------------------------------------------------------------------------
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                if self._compact and section in COMPACT_HEADERS:
                    return COMPACT_HEADERS[section]
                return COLUMNS[section][0]
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or not 0 <= index.column() < len(COLUMNS):
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (DUE_COLUMN, REASON_COLUMN):
            return row.due_reason or due_text(row)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.overdue:
                return OVERDUE_TINT
            if row.due_soon:
                return DUE_SOON_TINT
            return None
        if role == RowRole:
            return row
        if role == OutcomeRole and column == OUTCOME_COLUMN:
            return row.latest_outcome or ""
        return None

    def _text(self, row: RegisterRow, column: int) -> str:
        if self._compact and column in (NAME_COLUMN, DUE_COLUMN):
            return stacked_text(row, column)
        if column == 0:
            return _ref_text(row)
        values = (
            None,
            row.name,
            str(row.age),
            row.worker or "—",
            row.team or "—",
            standing_words(row.outcome_state, self._labels.get(row.latest_outcome or "")),
            _when(row.last_screened),
            due_text(row),
            codes.label("placement_type", row.placement_type) or "—",
            row.due_reason or "—",
        )
        return values[column] or ""

    def use_sort(self, key: str) -> None:
        """Sort the next query by ``key`` without running it (the page runs it off the GUI
        thread): the view a lead opens on."""
        self._query = dataclasses.replace(self._query, sort=key, descending=False)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by asking the query again: the held rows are only a window on the whole list."""
        if not 0 <= column < len(COLUMNS):
            return
        _, key, flipped = COLUMNS[column]
        descending = (order == Qt.SortOrder.DescendingOrder) != flipped
        if key == self._query.sort and descending == self._query.descending and self._rows:
            return
        if self.requery is not None:
            self.requery(dataclasses.replace(self._query, sort=key, descending=descending))
        else:
            self.refresh(sort=key, descending=descending)
