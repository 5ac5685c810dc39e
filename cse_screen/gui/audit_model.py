"""The audit trail as a Qt table model that pages through the audit query, newest first.

The trail grows with every sign-in and every record opened, so after a few years it holds far
more entries than anyone scrolls through: the model holds one page at a time and the view pulls
further pages through ``fetchMore``, as the children register does. Entries hold ids, field names
and outcomes only (the services keep names and dates of birth out of them); what is shown is in
the words a reader knows: the child's case reference rather than a row id, and UK dates in
local time rather than ISO timestamps in UTC.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from cse_screen.gui.paged_model import Index, PagedTableModel
from cse_screen.storage.records import AuditEntry
from cse_screen.storage.services.audit import AuditPage, AuditQuery

FetchPage = Callable[[AuditQuery], AuditPage]

#: The row record itself, for the page (e.g. to copy an entry's hash).
EntryRole = Qt.ItemDataRole.UserRole + 1

COLUMNS = ("When", "Who", "Action", "Record", "Case reference", "Detail")
DETAIL_COLUMN = 5
SUMMARY_LENGTH = 140

#: Detail keys the "Case reference" column already says in words (a row id says nothing).
SHOWN_AS_CASE_REF = frozenset({"child_id", "case_ref"})

#: Actions in the words people use; anything else is shown with underscores as spaces.
ACTION_WORDS = {
    "create": "created",
    "change": "changed",
    "view": "viewed",
    "submit": "submitted",
    "override": "overrode outcome",
    "sign_off": "signed off",
    "return": "returned",
    "discard": "discarded",
    "export": "exported",
    "backup": "backed up",
    "restore": "restored",
    "recover": "recovered",
    "login": "signed in",
    "login_failed": "failed sign-in",
    "denied": "refused",
    "import": "imported",
    "rollback_suspected": "older copy suspected",
}


def action_words(action: str) -> str:
    return ACTION_WORDS.get(action, action.replace("_", " "))


def local_time(at: str) -> str:
    """The entry's UTC time shown in the computer's time zone, as people read the clock."""
    try:
        moment = datetime.fromisoformat(at.removesuffix("Z")).replace(tzinfo=UTC)
    except ValueError:
        return at
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")


def _value(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + detail_summary(value, limit=None) + "}"
    if isinstance(value, list | tuple) and len(value) == 2:
        return f"{_value(value[0])} → {_value(value[1])}"
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value)
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def detail_summary(detail: Mapping[str, Any], limit: int | None = SUMMARY_LENGTH) -> str:
    """``key: value`` pairs, with old → new for changes, cut to ``limit`` characters."""
    text = "; ".join(f"{key.replace('_', ' ')}: {_value(v)}" for key, v in detail.items())
    if limit is not None and len(text) > limit:
        return text[: limit - 1] + "…"
    return text


class AuditModel(PagedTableModel[AuditQuery, AuditEntry]):
    """Rows of the audit query, one page at a time (``fetch_page`` runs the query).

    Like the register model it is passive about filtering: the page runs the first page off the
    GUI thread and hands it over with :meth:`reset_with`; only further pages are fetched here.
    """

    def __init__(self, fetch_page: FetchPage, page_size: int = 200, parent: Any = None) -> None:
        self._case_refs: dict[int, str] = {}
        super().__init__(fetch_page, AuditQuery(limit=page_size), parent)

    def page_rows(self, page: AuditPage) -> Sequence[AuditEntry]:
        self._case_refs.update(page.case_refs)
        return page.entries

    def case_ref(self, entry: AuditEntry) -> str | None:
        """The case reference of the child the entry is about, as storage looked it up."""
        return self._case_refs.get(entry.seq)

    def next_query(self) -> AuditQuery:
        """Keyset paging from the last entry held: entries appended while the user scrolls do
        not shift the pages, and a deep page costs what the first one does."""
        last = self._rows[-1].seq if self._rows else None
        return dataclasses.replace(self._query, below_seq=last, with_total=False)

    def entry_at(self, row: int) -> AuditEntry | None:
        return self.record_at(row)

    # -- the table ----------------------------------------------------------------------------
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return self._rows[section].seq
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry_at(index.row()) if index.isValid() else None
        if entry is None or not 0 <= index.column() < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, index.column())
        if role == Qt.ItemDataRole.AccessibleTextRole:  # "→" would be read as "right arrow"
            return self._text(entry, index.column()).replace(" → ", " changed to ")
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == DETAIL_COLUMN:
                return detail_summary(self._detail(entry), limit=None) or None
            if index.column() == 0:
                return f"Entry {entry.seq} of the audit trail"
            if index.column() in (3, 4) and entry.entity_id:
                return f"Record number {entry.entity_id} in the database"
            return None
        if role == EntryRole:
            return entry
        return None

    def _detail(self, entry: AuditEntry) -> Mapping[str, Any]:
        if self.case_ref(entry) is None:
            return entry.detail
        return {k: v for k, v in entry.detail.items() if k not in SHOWN_AS_CASE_REF}

    def _text(self, entry: AuditEntry, column: int) -> str:
        values = (
            local_time(entry.at),
            entry.actor,
            action_words(entry.action),
            entry.entity.replace("_", " "),
            self.case_ref(entry) or "—",
            detail_summary(self._detail(entry)),
        )
        return values[column]
