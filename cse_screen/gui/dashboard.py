"""The team dashboard: a lead's position at a glance, for leads and administrators.

Every number comes from :mod:`cse_screen.storage.services.dashboard` (which reuses the
``stats --json`` counts), loaded on the database thread, so this page holds no counting or
"overdue" rule of its own; outcome labels and colours come from the questionnaire definition.
The page is kept while the app runs and loads again each time it is shown, after any change of
children or screenings, and on Refresh. A child's name may show in the list (a lead needs it),
never in a title or the status area, which name the case reference only.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cse_screen.gui.a11y import mark_heading
from cse_screen.gui.chart_figures import ChartOrTable
from cse_screen.gui.context import AppContext
from cse_screen.gui.dashboard_charts import (
    MonthlyTrendChart,
    OutcomeDistributionChart,
    PaletteChartView,
    legend_html,
)
from cse_screen.gui.outcome_badge import OutcomeBadgeDelegate
from cse_screen.gui.register_model import OVERDUE_TINT, OutcomeRole
from cse_screen.storage.services import dashboard as dashboard_service
from cse_screen.storage.services.dashboard import DashboardData
from cse_screen.storage.services.outcome_words import standing_words

ChildIdRole = Qt.ItemDataRole.UserRole + 1
#: (key, caption, tooltip) of each tile, in reading order (two rows of four).
TILES: tuple[tuple[str, str, str], ...] = (
    ("children", "Children", "Children in your scope (your team; everyone for an administrator)"),
    ("in_interval", "Screened and current", "Screened within their review interval"),
    ("due_7d", "Due within 7 days", "Screening due in the next 7 days"),
    ("due_30d", "Due within 30 days", "Screening due in the next 30 days"),
    ("overdue", "Overdue", "Screening past its due date"),
    ("not_screened", "Never screened", "No completed screening yet"),
    # The figure counts lowered outcomes only (the review queue lists every submitted one):
    # the caption says so, or a lead reading "1" would take the queue for nearly empty.
    (
        "awaiting_signoff",
        "Lowered, awaiting sign-off",
        "Lowered outcomes a team lead has yet to agree to or return; until then the higher "
        "outcome stands",
    ),
    ("returned", "Returned for changes", "Screenings sent back to their worker"),
)
COLUMNS = ("Case reference", "Name", "Latest outcome", "Next due")
ATTENTION_TITLE = (
    "Children needing &attention (returned, lowering awaiting sign-off, moderate or "
    "significant, or overdue):"
)
WIDE_ENOUGH = 1000  # page width (px) from which the two charts sit side by side


def tile_values(data: DashboardData) -> dict[str, int]:
    """The tiles' numbers, each read from the storage figures (no counting here)."""
    stats = data.stats
    return {
        "children": stats["children"],
        "in_interval": data.screened_in_interval,
        "due_7d": data.due_within_7_days,
        "due_30d": stats["due_within_30_days"],
        "overdue": stats["overdue"],
        "not_screened": stats["not_screened"],
        "awaiting_signoff": stats["awaiting_signoff"],
        "returned": stats["screenings"]["by_status"]["returned"],
    }


class Tile(QFrame):
    """A number with its caption; focusable so a screen reader user can step through them."""

    def __init__(self, key: str, caption: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name = "tile" + "".join(p.capitalize() for p in key.split("_"))
        self.setObjectName(name)
        self.setProperty("dashboardTile", True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setToolTip(tooltip)
        self.caption = caption
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.value_label = QLabel("–", self)
        self.value_label.setObjectName(name + "Value")
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.value_label.setFont(font)
        self.caption_label = QLabel(caption, self)
        self.caption_label.setObjectName(name + "Caption")
        self.caption_label.setWordWrap(True)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)
        self.set_value(None)

    def set_value(self, value: int | None) -> None:
        shown = "–" if value is None else f"{value:,}"
        self.value_label.setText(shown)
        self.setAccessibleName(f"{self.caption}: {shown}")
        self.value_label.setAccessibleDescription(self.caption)  # its name stays the number

    def value(self) -> int | None:
        text = self.value_label.text().replace(",", "")
        return int(text) if text.isdigit() else None


class DashboardPage(QWidget):
    """Tiles, the two charts and the attention list; see the module docstring."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self.setAccessibleName("Dashboard")
        self.ctx = ctx
        self.data: DashboardData | None = None
        self._generation = 0
        self._loading = 0
        self._shown_before = False
        outcomes = ctx.outcomes()
        self._labels = {o.id: o.label for o in outcomes}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setObjectName("dashboardScroll")
        scroll.setAccessibleName("Dashboard")
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its tiles, charts and list take Tab
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        body.setObjectName("dashboardBody")
        scroll.setWidget(body)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.addLayout(self._build_header())
        layout.addLayout(self._build_tiles())
        self.chart_stacks: dict[str, ChartOrTable] = {}
        self.outcome_chart = OutcomeDistributionChart(outcomes, body)
        self.trend_chart = MonthlyTrendChart(outcomes, body)
        self._chart_boxes = (
            self._titled("Latest outcome of each child", self.outcome_chart),
            self._titled("Screenings per month, by outcome", self.trend_chart),
        )
        self._charts = QGridLayout()
        self._charts_side_by_side: bool | None = None
        self._arrange_charts(True)
        layout.addLayout(self._charts)
        layout.addLayout(self._build_list({o.id: o.colour for o in outcomes}), 1)
        # Reading order: each chart's table button, the chart (or its table), then the list.
        chain: list[QWidget] = [self.tiles[TILES[-1][0]]]
        for stack in self.chart_stacks.values():
            chain += [stack.toggle, stack.chart, stack.table]
        chain += [self.table, self.open_button]  # the list, then what acts on it
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)
        # Tiles take focus so a screen reader reads them; a sighted keyboard user must see it.
        self.setStyleSheet(
            'QFrame[dashboardTile="true"]:focus { border: 2px solid palette(highlight); }'
        )
        ctx.signals.dataChanged.connect(self._data_changed)
        self.refresh()

    # -- construction -------------------------------------------------------------------------
    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        title = QLabel("Team dashboard", self)
        title.setObjectName("dashboardTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        mark_heading(title)
        self.scope_label = QLabel(self)
        self.scope_label.setObjectName("dashboardScope")
        self.scope_label.setProperty("tone", "info")  # muted, never drawn as disabled
        self.refresh_button = QPushButton("Re&fresh", self)
        self.refresh_button.setObjectName("dashboardRefreshButton")
        self.refresh_button.setAccessibleName("Refresh the dashboard")
        self.refresh_button.setToolTip("Load the figures again (they also reload each visit)")
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(title)
        row.addWidget(self.scope_label, 1)
        row.addWidget(self.refresh_button)
        return row

    def _build_tiles(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(8)
        self.tiles: dict[str, Tile] = {}
        for index, (key, caption, tooltip) in enumerate(TILES):
            tile = Tile(key, caption, tooltip, self)
            grid.addWidget(tile, index // 4, index % 4)
            self.tiles[key] = tile
        return grid

    def _arrange_charts(self, side_by_side: bool) -> None:
        """Side by side on a wide window; one above the other on a narrow one, where twelve
        month labels and the definition's long outcome labels would not fit beside each other."""
        if side_by_side == self._charts_side_by_side:
            return
        self._charts_side_by_side = side_by_side
        first, second = self._chart_boxes
        self._charts.addWidget(first, 0, 0)
        row, column = (0, 1) if side_by_side else (1, 0)
        self._charts.addWidget(second, row, column)
        self._charts.setColumnStretch(0, 1)
        self._charts.setColumnStretch(1, 1 if side_by_side else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_charts(event.size().width() >= WIDE_ENOUGH)

    def _titled(self, text: str, widget: PaletteChartView) -> QWidget:
        """The chart under its title, with the button that shows its figures as a table."""
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(text, box)
        label.setObjectName(widget.objectName() + "Title")
        label.setWordWrap(True)  # a long title must not widen the page past a laptop screen
        stack = ChartOrTable(widget, box)
        self.chart_stacks[widget.objectName()] = stack
        top = QHBoxLayout()
        top.addWidget(label, 1)
        top.addWidget(stack.toggle, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)
        layout.addWidget(stack, 1)
        if widget is self.trend_chart:
            self.trend_title = label
            legend = QLabel(legend_html(self.ctx.outcomes()), box)
            legend.setObjectName("trendLegend")
            legend.setWordWrap(True)
            layout.addWidget(legend)
        return box

    def _build_list(self, colours: dict[str, str]) -> QVBoxLayout:
        column = QVBoxLayout()
        header = QHBoxLayout()
        label = QLabel(
            "Children needing &attention (returned, lowering awaiting sign-off, moderate or "
            "significant, or overdue):",
            self,
        )
        label.setObjectName("attentionTitle")
        label.setWordWrap(True)  # a long title must not widen the page at 200 %
        self.attention_count = QLabel(self)
        self.attention_count.setObjectName("attentionCount")
        self.open_button = QPushButton("&Open record", self)
        self.open_button.setObjectName("dashboardOpenButton")
        self.open_button.setAccessibleName("Open the selected child's record")
        self.open_button.clicked.connect(self.open_selected)
        header.addWidget(label)
        header.addWidget(self.attention_count, 1)
        header.addWidget(self.open_button)
        column.addLayout(header)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = QTableView(self)
        self.table.setObjectName("attentionTable")
        self.table.setAccessibleName("Children needing attention")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setAccessibleName("Column headings")
        self.table.setMinimumHeight(160)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for index, width in enumerate((150, 220, 320)):
            self.table.setColumnWidth(index, width)
        self.table.setItemDelegateForColumn(2, OutcomeBadgeDelegate(colours, self.table))
        self.table.activated.connect(self.open_selected)
        self.table.doubleClicked.connect(self.open_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        label.setBuddy(self.table)
        column.addWidget(self.table, 1)
        self._update_buttons()
        return column

    # -- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Load the figures on the database thread; only the newest answer is shown."""
        self._generation += 1
        generation = self._generation
        self.scope_label.setText("Loading…")
        self.ctx.run(
            lambda store, _op: dashboard_service.compute(store.context),
            on_success=lambda data: self._show(generation, data),
            on_failure=lambda exc: self._failed(generation, exc),
            parent=self,
        )

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.scope_label.setText("Could not load the figures.")
        self.ctx.show_error(self, exc)

    def _show(self, generation: int, data: DashboardData) -> None:
        if generation != self._generation:
            return
        self.data = data
        for key, value in tile_values(data).items():
            self.tiles[key].set_value(value)
        self.outcome_chart.set_counts(data.stats["screenings"]["by_outcome"])
        self.trend_chart.set_months([(m.month, m.by_outcome) for m in data.months])
        if data.months:
            first, last = data.months[0].month, data.months[-1].month
            self.trend_title.setText(
                f"Screenings completed per month, by outcome ({first:%b %Y} – {last:%b %Y})"
            )
        self._fill_list(data)
        store = self.ctx.store
        role = store.user.role if store is not None else ""
        team = store.user.team if store is not None else None
        scope = "every team" if role == "admin" else f"team {team}" if team else "no team"
        as_of = date.fromisoformat(data.stats["as_of"])
        self.scope_label.setText(f"  {scope}, as of {as_of:%d %b %Y}")

    def _fill_list(self, data: DashboardData) -> None:
        selected = self.selected_child()
        self.model.removeRows(0, self.model.rowCount())
        for row in data.attention:
            self.model.appendRow(self._list_row(row))
        shown, total = len(data.attention), data.attention_total
        more = f" (the first {shown} shown)" if total > shown else ""
        self.attention_count.setText(f"{total:,} {'child' if total == 1 else 'children'}{more}")
        for index in range(self.model.rowCount()):
            if self.model.item(index, 0).data(ChildIdRole) == selected:
                self.table.selectRow(index)
        self._update_buttons()

    def _list_row(self, row: dashboard_service.AttentionRow) -> list[QStandardItem]:
        ref = QStandardItem(row.case_ref)
        ref.setData(row.child_id, ChildIdRole)
        label = self._labels.get(row.latest_outcome or "")
        outcome = QStandardItem(standing_words(row.outcome_state, label))
        outcome.setData(row.latest_outcome, OutcomeRole)
        due_text = f"{row.next_due:%d %b %Y}" if row.next_due else ""
        due = QStandardItem(f"{due_text}  overdue" if row.overdue else due_text)
        if row.overdue:
            # A tint, as in the register: the palette's bright text was white on white.
            due.setData(OVERDUE_TINT, Qt.ItemDataRole.BackgroundRole)
        return [ref, QStandardItem(row.name), outcome, due]

    def changeEvent(self, event: QEvent) -> None:
        """The overdue dates are painted in the scheme's warning colour: repaint on a switch."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.data is not None:
            self._fill_list(self.data)

    def _data_changed(self, _what: str) -> None:
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Coming back (from a record, or another root page) shows what changed meanwhile."""
        super().showEvent(event)
        if self._shown_before and not event.spontaneous():
            self.refresh()
        self._shown_before = True

    # -- opening a child ------------------------------------------------------------------------
    def selected_child(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        child_id = self.model.item(rows[0].row(), 0).data(ChildIdRole)
        return int(child_id) if child_id is not None else None

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.selected_child() is not None)

    def open_selected(self, _index: QModelIndex | None = None) -> Any:
        child_id = self.selected_child()
        return self.open_child(child_id) if child_id is not None else None

    def open_child(self, child_id: int) -> Any:
        """Open the child's record page, as the register does."""
        from cse_screen.gui.child_record import ChildRecordPage

        page = ChildRecordPage(self.ctx, child_id)
        if self.ctx.nav is not None:
            self.ctx.nav.open_page(page)
        return page
