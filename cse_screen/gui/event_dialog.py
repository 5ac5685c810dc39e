"""Recording an event (missing episode, placement move, new information, a referral to or a
confirmation by the CSE team) for a child.

Storage decides what an event means for the due date (it makes a screening due now); the dialog
only collects what happened and when, and says afterwards that a screening is due.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cse_screen.errors import PermissionDenied, ValidationFailed
from cse_screen.gui.a11y import one_tab_stop
from cse_screen.gui.context import AppContext
from cse_screen.gui.theme import set_tone
from cse_screen.storage.records import EVENT_KINDS, EventRecord

KIND_WORDS = {
    "missing_episode": "Missing episode",
    "away_from_placement": "Away from placement without authorisation",
    "placement_move": "Placement move",
    "new_information": "New information",
    "cse_referral": "Referred to the CSE team",
    "cse_confirmed": "CSE confirmed by the CSE team",
    "other": "Other",
}


def kind_words(kind: str) -> str:
    return KIND_WORDS.get(kind, kind.replace("_", " ").capitalize())


class EventDialog(QDialog):
    """What happened, when, and an optional note; saved through ``store.events.record``."""

    def __init__(
        self, ctx: AppContext, child_id: int, case_ref: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("eventDialog")
        self.setWindowTitle("Record an event")
        self.ctx = ctx
        self.child_id = child_id
        self.case_ref = case_ref
        self.saved_event: EventRecord | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(f"Record an event for {case_ref}. A screening becomes due now.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(self._build_form())
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("buttonBox")
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.kind.setFocus()

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        self.kind = QComboBox(self)
        self.kind.setObjectName("eventKindCombo")
        self.kind.setAccessibleName("What happened")
        for kind in EVENT_KINDS:
            self.kind.addItem(kind_words(kind), kind)
        self.day = QDateEdit(QDate.currentDate(), self)
        self.day.setObjectName("eventDateEdit")
        self.day.setAccessibleName("Date of the event")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setMaximumDate(QDate.currentDate())
        one_tab_stop(self.day)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("eventNoteEdit")
        self.note.setAccessibleName("Note about the event")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        for text, widget in (
            ("&What happened:", self.kind),
            ("&Date:", self.day),
            ("&Note:", self.note),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        return form

    def save(self) -> None:
        kind = str(self.kind.currentData())
        day = self.day.date().toPython()
        note = self.note.toPlainText().strip() or None
        try:
            event = self.ctx.read(lambda s: s.events.record(self.child_id, kind, day, note))
        except (ValidationFailed, PermissionDenied) as exc:
            sentence = str(exc)
            set_tone(self.error, sentence[:1].upper() + sentence[1:], "error")
            return
        except Exception as exc:
            self.ctx.show_error(self, exc)
            return
        self.saved_event = event
        self.ctx.signals.dataChanged.emit("events")
        if self.ctx.nav is not None:
            self.ctx.nav.notify(
                f"{kind_words(kind)} recorded for {self.case_ref}: screening due now"
            )
        self.accept()
