"""A table model that holds one query's rows a page at a time.

The register and the audit log can both run to hundreds of thousands of rows. The view pulls
further pages through ``fetchMore`` as the user scrolls; every filter or sort goes back to the
query, whose first page the screen runs off the GUI thread and hands over with
:meth:`PagedTableModel.reset_with`. Subclasses say how a page holds its rows and how the next
page is asked for; everything else (counts, paging, re-entrancy) is here once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex

Index = QModelIndex | QPersistentModelIndex
Q = TypeVar("Q")  # the query dataclass (has ``offset`` and ``limit``)
R = TypeVar("R")  # one row record


class PagedTableModel(QAbstractTableModel, Generic[Q, R]):
    """Rows of ``fetch_page(query)``, fetched one page at a time."""

    def __init__(self, fetch_page: Callable[[Q], Any], query: Q, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch = fetch_page
        self._query = query
        self._rows: list[R] = []
        self._total = 0
        self._fetching = False

    # -- what a subclass says -----------------------------------------------------------------
    def page_rows(self, page: Any) -> Sequence[R]:
        """The rows a fetched page holds."""
        raise NotImplementedError

    def page_total(self, page: Any, rows: Sequence[R]) -> int:
        """How many rows match in all (a page may not say: then what it holds)."""
        total = getattr(page, "total", None)
        return len(rows) if total is None else int(total)

    def next_query(self) -> Q:
        """The query for the page after the rows held (by offset unless a subclass knows
        better, e.g. keyset paging on a sequence number)."""
        return dataclasses.replace(self._query, offset=len(self._rows))  # type: ignore[type-var]

    # -- what the screen drives ---------------------------------------------------------------
    @property
    def query(self) -> Q:
        return self._query

    @property
    def total(self) -> int:
        """How many rows match, of which only the fetched ones are held."""
        return self._total

    def refresh(self, **changes: Any) -> None:
        """Run the first page of a changed query here and now (tests, sorting, small data)."""
        query = dataclasses.replace(self._query, offset=0, **changes)  # type: ignore[type-var]
        self.reset_with(query, self._fetch(query))

    def reset_with(self, query: Q, page: Any) -> None:
        """Show the first page of ``query``, fetched elsewhere (off the GUI thread)."""
        self.beginResetModel()
        self._query = dataclasses.replace(query, offset=0)  # type: ignore[type-var]
        self._rows = list(self.page_rows(page))
        self._total = self.page_total(page, self._rows)
        self.endResetModel()

    def record_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # -- paging --------------------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """Append the next page. A view (or a model checker) listening to the insert signals
        may ask for more while rows are going in; that call is ignored, else the same page
        would be fetched twice from the same place."""
        if self._fetching or not self.canFetchMore(parent):
            return
        self._fetching = True
        try:
            self._fetch_next()
        finally:
            self._fetching = False

    def _fetch_next(self) -> None:
        rows = self.page_rows(self._fetch(self.next_query()))[: self._total - len(self._rows)]
        if not rows:
            self._total = len(self._rows)  # the data shrank underneath us: stop asking
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)
