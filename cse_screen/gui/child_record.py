"""One child's record: details, events, screening history with a timeline, what changed.

The child's name appears inside this page (the worker needs it) but never in a window title.
"What changed" compares the latest two completed screenings through core's compare, listing
indicators by id and text; each screening is shown under its own instrument version.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cse_screen.core import codes
from cse_screen.core.codes import left_care_words
from cse_screen.core.compare import compare_answers
from cse_screen.core.model import Questionnaire
from cse_screen.gui.a11y import mark_heading
from cse_screen.gui.context import AppContext
from cse_screen.gui.event_dialog import kind_words
from cse_screen.gui.record_documents import RecordDocuments
from cse_screen.gui.screening_view import STATUS_WORDS, ScreeningViewDialog, questionnaire_for
from cse_screen.gui.timeline import OutcomeTimeline
from cse_screen.storage.records import (
    COMPLETED_STATUSES,
    ChildRecord,
    EventRecord,
    ScreeningRecord,
    ScreeningSummary,
)
from cse_screen.storage.services.latest import LOWERED, effective_outcome
from cse_screen.storage.services.outcome_words import standing_words


@dataclass(frozen=True)
class RecordData:
    """Everything the page shows, read in one go off the GUI thread."""

    child: ChildRecord
    events: list[EventRecord]
    history: list[ScreeningSummary]
    latest: ScreeningRecord | None
    previous: ScreeningRecord | None


def load_record(store: Any, child_id: int) -> RecordData:
    child = store.children.get(child_id)
    events = store.events.for_child(child_id)
    history = store.screenings.history(child_id)
    done = [s for s in history if s.status in COMPLETED_STATUSES]
    latest = store.screenings.get(done[0].id) if done else None
    previous = store.screenings.get(done[1].id) if len(done) > 1 else None
    return RecordData(child, events, history, latest, previous)


def _day(day: date | None) -> str:
    return f"{day:%d %b %Y}" if day else "—"


def _table(parent: QWidget, name: str, headers: list[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setAccessibleName("Column headings")
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def changes_html(data: RecordData) -> str:
    """New, resolved and still-present indicators between the latest two screenings."""
    if data.latest is None:
        return "No completed screening yet."
    if data.previous is None:
        return "Only one completed screening so far: nothing to compare with."
    q_latest = questionnaire_for(data.latest)
    q_previous = questionnaire_for(data.previous)
    previous = {k: a.value for k, a in data.previous.answers.items()}
    latest = {k: a.value for k, a in data.latest.answers.items()}
    changes = compare_answers(q_latest, previous, latest)

    def text(item_id: str) -> str:
        for q in (q_latest, q_previous):
            if q.has_item(item_id):
                return q.item(item_id).text
        return ""

    parts = [
        f"<p>Since the screening of {data.previous.screen_date:%d %b %Y} "
        f"(to {data.latest.screen_date:%d %b %Y}):</p>"
    ]
    for title, ids in (
        ("New", changes.new),
        ("Resolved", changes.resolved),
        ("Still present", changes.still_present),
    ):
        rows = "".join(f"<li><b>{i}</b> {html.escape(text(i))}</li>" for i in ids)
        parts.append(f"<p><b>{title} ({len(ids)})</b></p>" + (f"<ul>{rows}</ul>" if rows else ""))
    return "".join(parts)


class ChildRecordPage(RecordDocuments, QScrollArea):
    """The record page; ``reload()`` re-reads everything (after an edit, event or screening)."""

    def __init__(self, ctx: AppContext, child_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("childRecordPage")
        self.setAccessibleName("Child record")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its buttons and tables take Tab
        self.setWidgetResizable(True)
        self.ctx = ctx
        self.child_id = child_id
        self.data: RecordData | None = None
        self.q: Questionnaire = ctx.questionnaire()
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.addLayout(self._build_header(body))
        top = QHBoxLayout()
        top.addWidget(self._build_details(body), 1)
        top.addWidget(self._build_timeline(body), 2)
        layout.addLayout(top)
        middle = QHBoxLayout()
        middle.addWidget(self._build_changes(body), 1)
        middle.addWidget(self._build_history(body), 2)
        layout.addLayout(middle)
        layout.addWidget(self._build_events(body))
        self.setWidget(body)
        ctx.signals.dataChanged.connect(self._data_changed)
        self.reload()

    # -- construction -------------------------------------------------------------------------
    def _build_header(self, body: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        self.title = QLabel(body)
        self.title.setObjectName("recordTitle")
        mark_heading(self.title)
        row.addWidget(self.title, 1)
        self.buttons: dict[str, QPushButton] = {}
        for name, text, slot in (
            ("editChildButton", "&Edit details…", self.edit_child),
            ("eventButton", "Record e&vent…", self.record_event),
            ("screenButton", "Scree&n now", self.start_screening),
        ):
            button = QPushButton(text, body)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[name] = button
        return row

    def _build_timeline(self, body: QWidget) -> QGroupBox:
        box = QGroupBox("Outcome over time", body)
        self.timeline = OutcomeTimeline(self.q.outcomes, box)
        QVBoxLayout(box).addWidget(self.timeline)
        return box

    def _build_changes(self, body: QWidget) -> QGroupBox:
        box = QGroupBox("What changed since the previous screening", body)
        self.changes = QLabel(box)
        self.changes.setObjectName("whatChanged")
        self.changes.setWordWrap(True)
        self.changes.setTextFormat(Qt.TextFormat.RichText)
        self.changes.setAlignment(Qt.AlignmentFlag.AlignTop)
        QVBoxLayout(box).addWidget(self.changes)
        return box

    def _build_history(self, body: QWidget) -> QGroupBox:
        box = QGroupBox("Screenings", body)
        headers = ["Date", "Status", "Outcome", "Computed", "Version", "By"]
        self.history = _table(box, "historyTable", headers, stretch=2)
        self.history.cellActivated.connect(lambda row, _col: self.open_screening_row(row))
        self.history.cellDoubleClicked.connect(lambda row, _col: self.open_screening_row(row))
        inner = QVBoxLayout(box)
        inner.addWidget(self.history)
        inner.addLayout(self._build_documents(box))
        return box

    def _build_events(self, body: QWidget) -> QGroupBox:
        box = QGroupBox("Events", body)
        self.events = _table(box, "eventsTable", ["Date", "What happened", "Note", "By"], 2)
        QVBoxLayout(box).addWidget(self.events)
        return box

    def _build_details(self, body: QWidget) -> QGroupBox:
        box = QGroupBox("Details", body)
        form = QFormLayout(box)
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("case_ref", "Case reference"),
            ("name", "Name"),
            ("dob", "Date of birth"),
            ("gender", "Gender"),
            ("ethnicity", "Ethnicity"),
            ("disability", "Disability"),
            ("placement_type", "Placement"),
            ("legal_status", "Legal status"),
            ("worker", "Worker"),
            ("team", "Team"),
            ("latest_outcome", "Latest outcome"),
            ("last_screened", "Last screened"),
            ("next_due", "Next due"),
        ):
            value = QLabel(box)
            value.setObjectName(f"field_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)  # a code list's labels can be long: wrapped, never cut
            form.addRow(f"{label}:", value)
            self.fields[key] = value
        return box

    # -- filling ------------------------------------------------------------------------------
    def reload(self) -> None:
        try:
            data = self.ctx.read(lambda store: load_record(store, self.child_id))
        except Exception as exc:
            self.ctx.show_error(self, exc)
            return
        self.show_data(data)

    def show_data(self, data: RecordData) -> None:
        self.data = data
        child = data.child
        self.title.setText(f"<h2>{html.escape(child.name)} · {html.escape(child.case_ref)}</h2>")
        today = date.today()
        age = (
            today.year
            - child.dob.year
            - ((today.month, today.day) < (child.dob.month, child.dob.day))
        )
        values = {
            "case_ref": child.case_ref,
            "name": child.name,
            "dob": f"{_day(child.dob)} (age {age})",
            "gender": codes.label("gender", child.gender),
            "ethnicity": codes.label("ethnicity", child.ethnicity),
            "disability": child.disability,
            "placement_type": codes.label("placement_type", child.placement_type),
            "legal_status": codes.label("legal_status", child.legal_status),
            "worker": child.worker,
            "team": child.team,
            "latest_outcome": self._standing(data),
            "last_screened": _day(child.last_screened),
            "next_due": self._due_text(child.next_due),
        }
        if child.left_care_on is not None:
            values["next_due"] = left_care_words(child.left_care_on, child.left_care_reason)
        for key, value in values.items():
            coded = key in codes.RECORD_FIELDS
            text = (str(value) if coded else str(value).replace("_", " ")) if value else "—"
            self.fields[key].setText(text)
        self._fill_history(data.history)
        self._fill_events(data.events)
        self.timeline.set_points(
            [
                (s.screen_date, standing)
                for s in data.history
                if s.status in COMPLETED_STATUSES
                and (
                    standing := effective_outcome(
                        s.status, s.computed_outcome, s.final_outcome, s.needs_signoff
                    ).outcome
                )
            ]
        )
        self.changes.setText(changes_html(data))
        has_draft = any(s.status in ("draft", "returned") for s in data.history)
        self.buttons["screenButton"].setText("Resu&me screening" if has_draft else "Scree&n now")
        self.buttons["screeningPdfButton"].setEnabled(bool(data.history))

    def _standing(self, data: RecordData) -> str:
        """The effective outcome in the shared words (a lowering shows both outcomes)."""
        child = data.child
        judged = None
        if child.outcome_state == LOWERED:
            row = next((s for s in data.history if s.id == child.latest_screening_id), None)
            judged = self._outcome_label(row.final_outcome) if row else None
        return standing_words(
            child.outcome_state, self._outcome_label(child.latest_outcome), judged
        )

    def _outcome_label(self, outcome: str | None) -> str:
        if not outcome:
            return ""
        try:
            return self.q.outcome(outcome).label
        except KeyError:
            return outcome

    def _due_text(self, due: date | None) -> str:
        if due is None:
            return "Due now" if self.data and not self.data.child.last_screened else "—"
        reason = self.data.child.due_reason if self.data else ""
        if reason:
            return f"{_day(due)}: {reason}"
        if due < date.today():
            return f"{_day(due)} · overdue"
        return _day(due)

    def _fill_history(self, history: list[ScreeningSummary]) -> None:
        self.history.setRowCount(len(history))
        for row, s in enumerate(history):
            values = (
                _day(s.screen_date),
                STATUS_WORDS.get(s.status, s.status),
                self._outcome_label(s.final_outcome)
                + ("  (sign-off needed)" if s.needs_signoff else ""),
                self._outcome_label(s.computed_outcome),
                s.instrument_version,
                s.created_by,
            )
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.ItemDataRole.UserRole, s.id)
                self.history.setItem(row, column, cell)

    def _fill_events(self, events: list[EventRecord]) -> None:
        self.events.setRowCount(len(events))
        for row, e in enumerate(events):
            for column, value in enumerate(
                (_day(e.on_date), kind_words(e.kind), e.note or "", e.recorded_by)
            ):
                self.events.setItem(row, column, QTableWidgetItem(value))

    # -- actions ------------------------------------------------------------------------------
    def _data_changed(self, _what: str) -> None:
        if self.isVisible():
            self.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.data is not None:
            self.reload()

    def open_screening_row(self, row: int) -> None:
        cell = self.history.item(row, 0)
        if cell is None or self.data is None:
            return
        screening_id = int(cell.data(Qt.ItemDataRole.UserRole))
        summary = next(s for s in self.data.history if s.id == screening_id)
        if summary.status in ("draft", "returned"):
            self.start_screening()
            return
        record = self.ctx.read(lambda store: store.screenings.get(screening_id))
        ScreeningViewDialog(record, self, app=self.ctx).open()

    def edit_child(self) -> None:
        from cse_screen.gui.child_dialog import ChildDialog

        if self.data is None:
            return
        dialog = ChildDialog(self.ctx, self.data.child, self)
        dialog.accepted.connect(lambda: self.ctx.signals.dataChanged.emit("children"))
        dialog.open()

    def record_event(self) -> None:
        from cse_screen.gui.event_dialog import EventDialog

        if self.data is not None:
            EventDialog(self.ctx, self.child_id, self.data.child.case_ref, self).open()

    def start_screening(self) -> Any:
        """Start or resume this child's screening (also used by the screenshot script)."""
        from cse_screen.gui.wizard.page import open_screening

        return open_screening(self.ctx, self.child_id)

    def go_back(self) -> None:
        if self.ctx.nav is not None:
            self.ctx.nav.close_page(self)
