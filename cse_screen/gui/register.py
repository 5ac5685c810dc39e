"""The children register: the home page. Search as you type, filters, sortable paged table.

Every search or filter change is debounced and then runs the register query on the database
thread; only the newest answer is shown (older ones that arrive late are dropped). Scrolling
pulls further pages through the model's ``fetchMore``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cse_screen.gui.a11y import keyboard_sort
from cse_screen.gui.context import AppContext
from cse_screen.gui.flow_layout import FlowLayout
from cse_screen.gui.outcome_badge import OutcomeBadgeDelegate
from cse_screen.gui.register_model import OUTCOME_COLUMN, REASON_COLUMN, RegisterModel
from cse_screen.gui.register_reflow import RegisterReflow
from cse_screen.storage.records import RegisterPage as QueryPage
from cse_screen.storage.records import RegisterQuery, RegisterRow
from cse_screen.storage.services.outcome_words import standing_words
from cse_screen.storage.services.register import opening_view

SEARCH_DELAY_MS = 150
LEGEND = (
    "Next due says overdue or due soon in words; those rows are also tinted (red overdue, "
    "amber due within 7 days). “draft” after a case reference: a screening is in progress."
)
SCOPES = (("My caseload", "mine"), ("My team", "team"), ("Everyone I can see", "all"))
DUES = (
    ("Any due date", None),
    ("Overdue", "overdue"),
    ("Due within 7 days", "7d"),
    ("Due within 30 days", "30d"),
)
#: "All children" are those looked after: children who have left care (from the SSDA903
#: return) are out of every view but their own.
SHOWS = (
    ("All children", None),
    ("Needing attention", "attention"),
    ("Returned to me", "returned_to_me"),
    ("Left care", "left_care"),
)
EMPTY_NONE = (
    "No children yet. Add a child with “Add child…”, or import your caseload from the case "
    "system (Import in the sidebar); each child is then due for a first screening."
)
EMPTY_FILTERED = (
    "No child matches the search and filters. Clear the search, or choose “All children”, "
    "“Any outcome” and “Any due date” (or “Left care” for children no longer looked after)."
)


def _combo(parent: QWidget, name: str, accessible: str, entries: Any) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    for text, data in entries:
        combo.addItem(text, data)
    return combo


class RegisterPage(QWidget):
    """The register table with its search box, filters and actions."""

    updated = Signal(int)  # the number of matching children, after each fresh first page

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registerPage")
        self.ctx = ctx
        self._generation = 0
        q = ctx.questionnaire()
        self.model = RegisterModel(
            lambda query: ctx.read(lambda store: store.children.register(query)),
            {o.id: o.label for o in q.outcomes},
            parent=self,
        )
        self.model.requery = self._run_query
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_filters(q))
        self.table = self._build_table({o.id: o.colour for o in q.outcomes})
        self.empty = QLabel(self)
        self.empty.setObjectName("registerEmpty")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("QLabel { padding: 12px; font-size: 11pt; }")
        self.empty.hide()
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._build_actions())
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.setTimerType(Qt.TimerType.PreciseTimer)  # coarse may add 5 %
        self._search_timer.timeout.connect(self.requery)
        ctx.signals.dataChanged.connect(self._data_changed)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self._focus_search)
        self._update_buttons()
        self.requery()

    # -- construction -------------------------------------------------------------------------
    def _build_filters(self, q: Any) -> QVBoxLayout:
        """The search box and the four filters: one row, or (narrow, as at 200 %) the search
        box on a row of its own above the filters, so the box is wide enough to read."""
        filters = QVBoxLayout()
        row = QHBoxLayout()
        self._filter_row = row
        self._combo_row = QHBoxLayout()
        self._narrow_filters: bool | None = None
        filters.addLayout(row)
        filters.addLayout(self._combo_row)
        search_label = QLabel("Searc&h:", self)
        self.search = QLineEdit(self)
        self.search.setObjectName("searchEdit")
        self.search.setAccessibleName("Search children")
        self.search.setPlaceholderText("Case reference or name  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._open_first)
        search_label.setBuddy(self.search)
        row.addWidget(search_label)
        row.addWidget(self.search, 2)
        store = self.ctx.store
        role = store.user.role if store is not None else "worker"
        team = store.user.team if store is not None else None
        preferred = self.ctx.settings.register_filter
        default_scope, self._opening_sort = opening_view(role, team, preferred)
        self.scope = _combo(self, "scopeFilter", "Whose children", SCOPES)
        self.scope.setCurrentIndex(self.scope.findData(default_scope))
        outcomes = [("Any outcome", None), ("Not screened", "none")]
        outcomes += [(o.label, o.id) for o in q.outcomes]
        self.outcome = _combo(self, "outcomeFilter", "Outcome filter", outcomes)
        self.due = _combo(self, "dueFilter", "Due filter", DUES)
        self.show_filter = _combo(self, "showFilter", "Which children to show", SHOWS)
        self._filter_combos = (self.scope, self.show_filter, self.outcome, self.due)
        for combo in self._filter_combos:
            combo.currentIndexChanged.connect(lambda _i: self.requery())
        self._arrange_filters(False)
        self.count = QLabel(self)  # shown under the table, beside the legend (room at 200 %)
        self.count.setObjectName("countLabel")
        return filters

    def _arrange_filters(self, narrow: bool) -> None:
        if narrow == self._narrow_filters:
            return
        self._narrow_filters = narrow
        target = self._combo_row if narrow else self._filter_row
        for combo in self._filter_combos:
            self._filter_row.removeWidget(combo)
            self._combo_row.removeWidget(combo)
            target.addWidget(combo)

    def _filters_width(self) -> int:
        """The width one row of search box and filters needs with the placeholder unclipped."""
        search = self.fontMetrics().horizontalAdvance(self.search.placeholderText()) + 60
        combos = sum(c.sizeHint().width() + 6 for c in self._filter_combos)
        return search + combos + 80  # the "Search:" label and the margins

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_filters(event.size().width() < self._filters_width())

    def _build_table(self, colours: dict[str, str]) -> QTableView:
        table = QTableView(self)
        table.setObjectName("registerTable")
        table.setAccessibleName("Children register")
        table.setModel(self.model)
        if self._opening_sort == "attention":
            self.model.use_sort("attention")
            table.horizontalHeader().setSortIndicator(REASON_COLUMN, Qt.SortOrder.AscendingOrder)
        else:
            table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        keyboard_sort(table)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(False)
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        table.horizontalHeader().setAccessibleName("Column headings")
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        widths = self._column_widths(colours)
        for column, width in enumerate(widths):
            table.setColumnWidth(column, width)
        self.reflow = RegisterReflow(table, self.model, [*widths, 100], self._badge_labels())
        table.setItemDelegateForColumn(OUTCOME_COLUMN, OutcomeBadgeDelegate(colours, table))
        table.doubleClicked.connect(lambda _index: self.open_selected())
        table.activated.connect(lambda _index: self.open_selected())
        table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        return table

    def _column_widths(self, colours: dict[str, str]) -> list[int]:
        """Widths that fit the words they hold, at any scale: an outcome is never elided."""
        metrics = self.fontMetrics()
        badge = max(metrics.horizontalAdvance(text) for text in self._badge_labels()) + 40
        ref = metrics.horizontalAdvance("LAC0000000 · draft") + 16
        date_width = metrics.horizontalAdvance("00 Sep 0000") + 16
        due_width = metrics.horizontalAdvance("00 Sep 0000 · overdue") + 16
        age = metrics.horizontalAdvance("Age") + 24
        return [ref, 160, age, 100, 100, badge, date_width, due_width, 200]

    def _badge_labels(self) -> list[str]:
        """Every wording an outcome cell can hold; the effective-outcome ones are the longest."""
        labels = [*self.model.outcome_labels(), "Not screened"]
        labels += [standing_words("lowered", t) for t in self.model.outcome_labels()]
        labels += [standing_words("returned", t) for t in self.model.outcome_labels()]
        return labels

    def _build_actions(self) -> QVBoxLayout:
        """The legend above a row of actions that wraps rather than leave the screen."""
        column = QVBoxLayout()
        legend = QLabel(LEGEND, self)
        legend.setObjectName("registerLegend")
        legend.setWordWrap(True)
        legend.setProperty("tone", "info")  # muted, never drawn as disabled
        under = QHBoxLayout()
        under.addWidget(self.count, 0, Qt.AlignmentFlag.AlignTop)
        under.addWidget(legend, 1)
        column.addLayout(under)
        row = FlowLayout(align_right=True)
        column.addLayout(row)
        self.buttons: dict[str, QPushButton] = {}
        for name, text, slot in (
            ("addChildButton", "&Add child…", self.add_child),
            ("editChildButton", "&Edit…", self.edit_selected),
            ("eventButton", "Record e&vent…", self.record_event),
            ("screenButton", "Scree&n now", self.screen_selected),
            ("openButton", "&Open record", self.open_selected),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[name] = button
        return column

    # -- querying -----------------------------------------------------------------------------
    def current_query(self) -> RegisterQuery:
        """The query the search box and filters describe (sort kept from the model)."""
        scope = self.scope.currentData()
        user = self.ctx.require_store().user
        return dataclasses.replace(
            self.model.query,
            search=self.search.text().strip(),
            mine_only=scope == "mine",
            team=user.team if scope == "team" else None,
            outcome=self.outcome.currentData(),
            due=self.due.currentData(),
            attention=self.show_filter.currentData() == "attention",
            returned_to_me=self.show_filter.currentData() == "returned_to_me",
            care="left_care" if self.show_filter.currentData() == "left_care" else "looked_after",
            offset=0,
        )

    def _data_changed(self, _what: str) -> None:
        self.requery()

    def requery(self) -> None:
        self._search_timer.stop()
        self._run_query(self.current_query())

    def _run_query(self, query: RegisterQuery) -> None:
        """Run the first page off the GUI thread; only the newest request's answer is shown."""
        self._generation += 1
        generation = self._generation
        self.ctx.run(
            lambda store, _op: store.children.register(query),
            on_success=lambda page: self._show(generation, query, page),
            parent=self,
        )

    def _show(self, generation: int, query: RegisterQuery, page: QueryPage) -> None:
        if generation != self._generation:
            return
        selected = self.selected_row()
        self.model.reset_with(query, page)
        self.count.setText(f"{page.total:,} {'child' if page.total == 1 else 'children'}")
        self._show_empty(query, page.total)
        if selected is not None:
            row = self.model.row_of_child(selected.child_id)
            if row >= 0:
                self.table.selectRow(row)
        self._update_buttons()
        self.updated.emit(page.total)

    def _show_empty(self, query: RegisterQuery, total: int) -> None:
        """Nothing to list: say what to do next instead of showing a blank table."""
        if total:
            self.empty.hide()
            return
        filtered = bool(
            query.search
            or query.outcome
            or query.due
            or query.attention
            or query.returned_to_me
            or query.mine_only
            or query.team
        )
        self.empty.setText(EMPTY_FILTERED if filtered else EMPTY_NONE)
        self.empty.show()

    # -- actions ------------------------------------------------------------------------------
    def selected_row(self) -> RegisterRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def select_child(self, child_id: int) -> bool:
        row = self.model.row_of_child(child_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        return row >= 0

    def _update_buttons(self) -> None:
        chosen = self.selected_row() is not None
        for name in ("editChildButton", "eventButton", "screenButton", "openButton"):
            self.buttons[name].setEnabled(chosen)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _open_first(self) -> None:
        if self.model.rowCount() and self.selected_row() is None:
            self.table.selectRow(0)
        self.table.setFocus()

    def add_child(self) -> None:
        from cse_screen.gui.child_dialog import ChildDialog

        dialog = ChildDialog(self.ctx, None, self)
        dialog.finished.connect(lambda result: self._child_saved(dialog, result))
        dialog.open()

    def edit_selected(self) -> None:
        from cse_screen.gui.child_dialog import ChildDialog

        row = self.selected_row()
        if row is None:
            return
        child = self.ctx.read(lambda store: store.children.get(row.child_id))
        dialog = ChildDialog(self.ctx, child, self)
        dialog.finished.connect(lambda result: self._child_saved(dialog, result))
        dialog.open()

    def _child_saved(self, dialog: Any, result: int) -> None:
        record = dialog.saved_record
        if not result or record is None:
            return
        self.ctx.signals.dataChanged.emit("children")
        if self.ctx.nav is not None:
            self.ctx.nav.notify(f"Child {record.case_ref} saved")

    def record_event(self) -> None:
        from cse_screen.gui.event_dialog import EventDialog

        row = self.selected_row()
        if row is not None:
            EventDialog(self.ctx, row.child_id, row.case_ref, self).open()

    def open_selected(self, _index: QModelIndex | None = None) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_child(row.child_id)

    def open_child(self, child_id: int) -> Any:
        """Open a child's record page (also used by the screenshot script)."""
        from cse_screen.gui.child_record import ChildRecordPage

        page = ChildRecordPage(self.ctx, child_id)
        if self.ctx.nav is not None:
            self.ctx.nav.open_page(page)
        return page

    def screen_selected(self) -> None:
        from cse_screen.gui.wizard.page import open_screening

        row = self.selected_row()
        if row is not None:
            open_screening(self.ctx, row.child_id)
