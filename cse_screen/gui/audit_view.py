"""The audit viewer for team leads and administrators: who did what, and is the trail intact.

The trail is what a council shows an inspector or a court when asked who opened or changed a
child's record, so the page reads it as storage scopes it (a lead sees their team's part only;
workers are refused by the service, and the refusal is shown through the error funnel) and can
check the hash chain on demand. Every query and the verify run on the database thread: a
council's trail grows by every sign-in and every record opened.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cse_screen.errors import UserError
from cse_screen.gui.a11y import mark_heading, one_tab_stop
from cse_screen.gui.audit_model import AuditModel, action_words
from cse_screen.gui.context import AppContext
from cse_screen.gui.errors import as_sentence
from cse_screen.gui.theme import set_tone
from cse_screen.storage.services.audit import AuditPage as QueryPage
from cse_screen.storage.services.audit import AuditQuery

DATE_FORMAT = "dd/MM/yyyy"
COLUMN_WIDTHS = (140, 110, 130, 90, 120)


def local_midnight(day: QDate) -> datetime:
    """The start of ``day`` on this computer's clock (the service compares in UTC)."""
    return datetime.combine(date(day.year(), day.month(), day.day()), time()).astimezone()


def verify_sentence(report: object) -> tuple[str, bool]:
    """What ``store.verify()`` found, in one or two sentences, and whether all is well."""
    chain = report.chain  # type: ignore[attr-defined]
    problems = report.integrity_problems  # type: ignore[attr-defined]
    if chain.ok and not problems:
        return (
            f"The audit trail is intact: all {chain.entries:,} entries link correctly, "
            "and the database file checks out.",
            True,
        )
    parts = []
    if not chain.ok:
        parts.append(
            f"The audit trail is broken at entry {chain.first_bad_seq}: {chain.problem}; "
            "entries from there on cannot be trusted, so keep the database as it is and tell IT."
        )
    if problems:
        parts.append(as_sentence(f"the database file has problems: {problems[0]}"))
    return " ".join(parts), False


class AuditPage(QWidget):
    """Filters, the paged audit table and the chain check."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self.setAccessibleName("Audit trail")
        self.ctx = ctx
        self._shown_before = False
        self._generation = 0
        self._filling = False
        self.model = AuditModel(
            lambda query: ctx.read(lambda store: store.audit.page(query)), parent=self
        )
        layout = QVBoxLayout(self)
        heading = QLabel("<b>Audit trail</b>", self)
        heading.setObjectName("auditHeading")
        mark_heading(heading)
        layout.addWidget(heading)
        self.scope_label = QLabel(self._scope_text(), self)
        self.scope_label.setObjectName("auditScopeLabel")
        self.scope_label.setWordWrap(True)
        layout.addWidget(self.scope_label)
        layout.addLayout(self._build_filters())
        self.table = self._build_table()
        layout.addWidget(self.table, 1)
        self.message = QLabel(self)
        self.message.setObjectName("auditMessageLabel")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        actions = self._build_actions()
        layout.addWidget(self.verify_label)  # its own row: a broken-chain sentence is long
        layout.addLayout(actions)
        self._choices_loaded = False
        self.requery()

    def showEvent(self, event: QShowEvent) -> None:
        """Coming back to the page (it is kept while the app runs) shows what changed since:
        the trail grows with every sign-in and record opened."""
        super().showEvent(event)
        if self._shown_before and not event.spontaneous() and self.refresh_button.isEnabled():
            self.refresh()
        self._shown_before = True

    # -- construction -------------------------------------------------------------------------
    def _scope_text(self) -> str:
        store = self.ctx.store
        if store is not None and store.user.role == "lead":
            team = store.user.team or "children without a team"
            return (
                f"Newest first. As a team lead you see the part of the trail about {team}: "
                "its children, screenings and events, and what its members did."
            )
        return (
            "Newest first, in local time. Entries name a child by case reference and list "
            "field names, never a child's details."
        )

    def _build_filters(self) -> QHBoxLayout:
        """Mnemonics avoid the sidebar's (B, C, D, H, I, K, L, Q, R, S, X), which stay live."""
        row = QHBoxLayout()
        self.action_filter = self._combo("actionFilter", "Action filter", "Actio&n:", row)
        self.user_filter = self._combo("userFilter", "User filter", "&Who:", row)
        self.from_check, self.from_date = self._date_filter("from", "&From", row)
        self.to_check, self.to_date = self._date_filter("to", "Un&til", row)
        self.count = QLabel(self)
        self.count.setObjectName("auditCountLabel")
        row.addWidget(self.count, 1, Qt.AlignmentFlag.AlignRight)
        return row

    def _combo(self, name: str, accessible: str, text: str, row: QHBoxLayout) -> QComboBox:
        label = QLabel(text, self)
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.addItem("All", None)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.currentIndexChanged.connect(lambda _i: self._filters_changed())
        label.setBuddy(combo)
        row.addWidget(label)
        row.addWidget(combo)
        return combo

    def _date_filter(self, name: str, text: str, row: QHBoxLayout) -> tuple[QCheckBox, QDateEdit]:
        """A check box that turns the date limit on, beside the date (off: no limit)."""
        check = QCheckBox(text, self)
        check.setObjectName(f"{name}Check")
        check.setAccessibleName(f"Limit entries {text.strip('&').lower()} a date")
        edit = QDateEdit(QDate.currentDate(), self)
        edit.setObjectName(f"{name}Date")
        edit.setAccessibleName(f"{text.strip('&')} date")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(DATE_FORMAT)
        edit.setMaximumDate(QDate.currentDate())
        one_tab_stop(edit)
        edit.setEnabled(False)
        check.toggled.connect(edit.setEnabled)
        check.toggled.connect(lambda _on: self._filters_changed())
        edit.dateChanged.connect(lambda _d: self._filters_changed())
        row.addWidget(check)
        row.addWidget(edit)
        return check, edit

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("auditTable")
        table.setAccessibleName("Audit trail entries, newest first")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setObjectName("auditColumnHeader")
        header.setAccessibleName("Column headings")
        table.verticalHeader().setObjectName("auditRowHeader")
        table.verticalHeader().setAccessibleName("Entry numbers")
        corner = table.findChild(QAbstractButton, "qt_tableview_cornerbutton")
        if corner is not None:  # the square where the headers meet selects every entry
            corner.setAccessibleName("Select all entries")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            table.setColumnWidth(column, width)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        return table

    def _build_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.verify_label = QLabel(self)
        self.verify_label.setObjectName("verifyLabel")
        self.verify_label.setAccessibleDescription("Audit trail check result")
        self.verify_label.setWordWrap(True)
        # The damage tone draws a border; keep the sentence off it (style padding is lost on
        # a word-wrapped label re-polished after it was laid out).
        self.verify_label.setContentsMargins(8, 6, 8, 6)
        self.verify_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verify_label.hide()
        row.addStretch(1)
        self.refresh_button = QPushButton("R&efresh", self)
        self.refresh_button.setObjectName("refreshAuditButton")
        self.refresh_button.setAccessibleName("Refresh the audit trail")
        self.refresh_button.clicked.connect(self.refresh)
        self.verify_button = QPushButton("&Verify chain", self)
        self.verify_button.setObjectName("verifyChainButton")
        self.verify_button.setAccessibleName("Verify the audit chain")
        self.verify_button.setToolTip("Check every entry's link to the one before it")
        self.verify_button.clicked.connect(self.verify)
        row.addWidget(self.refresh_button)
        row.addWidget(self.verify_button)
        return row

    # -- querying -----------------------------------------------------------------------------
    def current_query(self) -> AuditQuery:
        """The query the filters describe, from the newest entry."""
        until = self.to_date.date().addDays(1) if self.to_check.isChecked() else None
        return AuditQuery(
            action=self.action_filter.currentData(),
            actor=self.user_filter.currentData(),
            since=local_midnight(self.from_date.date()) if self.from_check.isChecked() else None,
            before=local_midnight(until) if until is not None else None,
            limit=self.model.query.limit,
        )

    def _filters_changed(self) -> None:
        if not self._filling:
            self.requery()

    def refresh(self) -> None:
        """Fetch the filter choices and the first page again (new entries arrive all the time)."""
        self._load_choices()
        self.requery()

    def requery(self) -> None:
        """Run the first page off the GUI thread; only the newest request's answer is shown."""
        self._generation += 1
        generation = self._generation
        query = self.current_query()
        self.ctx.run(
            lambda store, _op: store.audit.page(query),
            on_success=lambda page: self._show(generation, query, page),
            on_failure=self._refused,
            parent=self,
        )

    def _show(self, generation: int, query: AuditQuery, page: QueryPage) -> None:
        if generation != self._generation:
            return
        self.model.reset_with(query, page)
        if not self._choices_loaded:  # only once the trail may be read: one refusal, not two
            self._load_choices()
        total = self.model.total
        self.count.setText(f"{total:,} {'entry' if total == 1 else 'entries'}")

    def _load_choices(self) -> None:
        self.ctx.run(
            lambda store, _op: store.audit.choices(),
            on_success=self._fill_choices,
            on_failure=self._refused,
            parent=self,
        )

    def _fill_choices(self, choices: tuple[list[str], list[str]]) -> None:
        """Refill the filters, keeping what is chosen (without a query per refill)."""
        self._choices_loaded = True
        actions, actors = choices
        self._filling = True
        try:
            for combo, values, words in (
                (self.action_filter, actions, action_words),
                (self.user_filter, actors, str),
            ):
                chosen = combo.currentData()
                combo.clear()
                combo.addItem("All", None)
                for value in values:
                    combo.addItem(words(value), value)
                combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
        finally:
            self._filling = False

    def _refused(self, exc: BaseException) -> None:
        """A refusal (a worker) leaves a page that says why, and the funnel shows it too."""
        if isinstance(exc, UserError):
            set_tone(self.message, as_sentence(exc.message), "error")
            for widget in (
                self.action_filter,
                self.user_filter,
                self.from_check,
                self.to_check,
                self.table,
                self.refresh_button,
                self.verify_button,
            ):
                widget.setEnabled(False)
        self.ctx.show_error(self, exc)

    # -- the chain ----------------------------------------------------------------------------
    def verify(self) -> None:
        """Walk the whole chain on the database thread; the button waits until it reports."""
        self.verify_button.setEnabled(False)
        set_tone(self.verify_label, "Checking the audit trail…", "info")
        self.ctx.run(
            lambda store, _op: store.verify(),
            on_success=self._verified,
            on_failure=self._verify_failed,
            parent=self,
        )

    def _verified(self, report: object) -> None:
        self.verify_button.setEnabled(True)
        text, ok = verify_sentence(report)
        set_tone(self.verify_label, text, "good" if ok else "damage")

    def _verify_failed(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        set_tone(self.verify_label, "The audit trail could not be checked.", "error")
        self.ctx.show_error(self, exc)
