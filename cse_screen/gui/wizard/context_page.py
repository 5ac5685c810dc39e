"""The wizard's first page, "About this screening": the definition's context fields.

Built at run time from ``context_fields``, so a new definition version that asks something new
needs no code. Fields the child's record already holds (date of birth, gender, disability, ...)
are listed, not asked: the record is where they are kept up to date. What is shown here and
what is required both come from the :class:`DraftController`; this module only draws controls
and reports each change at once, to be committed like an answer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cse_screen.core.model import ContextField
from cse_screen.gui.wizard.context_summary import NOT_GIVEN, option_words
from cse_screen.storage.services.drafts import COUNTED_FROM_EVENTS, DraftController
from cse_screen.storage.services.due import EVENT_WORDS
from cse_screen.storage.services.events import trigger_for

TEXT_DELAY_MS = 400
#: Where a cleared date edit sits; shown as "Not given" (Qt's special-value idiom).
NO_DATE = QDate(1900, 1, 1)
MAX_COUNT = 999


#: The empty first entry of a choice that must be made: no option is picked for the worker.
CHOOSE = "Choose…"


def field_label(field: ContextField, required: bool | None = None) -> str:
    return f"{field.label} *" if (field.required if required is None else required) else field.label


class DateField(QDateEdit):
    """A date edit that Tab leaves, as every other question in the wizard: Qt's own moves Tab
    through day, month and year first; here Left and Right do that."""

    def focusNextPrevChild(self, forward: bool) -> bool:
        return QWidget.focusNextPrevChild(self, forward)


class ContextPage(QScrollArea):
    """One control per asked context field, in definition order."""

    changed = Signal(str, object)  # field id, new value (None when cleared)

    def __init__(self, controller: DraftController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contextPage")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._controller = controller
        self._pending_text: dict[str, str] = {}
        self._text_timer = QTimer(self, singleShot=True, interval=TEXT_DELAY_MS)
        self._text_timer.timeout.connect(self.flush)
        self.controls: dict[str, QWidget] = {}
        self.checks: dict[str, dict[str, QCheckBox]] = {}
        self.count_notes: dict[str, QLabel] = {}
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self._build_intro(body, layout)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for field in controller.asked_context():
            control = self._build_control(field, body)
            label = QLabel(field_label(field, controller.must_ask(field)), body)
            label.setObjectName(f"contextLabel_{field.id}")
            label.setBuddy(self._focus_target(field.id, control))
            form.addRow(label, control)
            self.controls[field.id] = control
        layout.addLayout(form)
        layout.addStretch(1)
        self.setWidget(body)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its fields take Tab, not the page

    # -- construction -------------------------------------------------------------------------
    def _build_intro(self, body: QWidget, layout: QVBoxLayout) -> None:
        title = QLabel("About this screening", body)
        title.setObjectName("contextTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        from_record = ", ".join(f.label for f in self._controller.record_context())
        lines = []
        if any(self._controller.must_ask(f) for f in self._controller.asked_context()):
            lines.append("Fields marked * must be given before the screening is submitted.")
        if from_record:
            lines.append(f"Taken from the child's record, not asked again: {from_record}.")
        intro = QLabel(" ".join(lines), body)
        intro.setObjectName("contextIntro")
        intro.setWordWrap(True)
        intro.setProperty("tone", "info")
        intro.setVisible(bool(lines))
        layout.addWidget(intro)
        self._build_unmapped_note(body, layout)
        self.trigger_note = QLabel(body)
        self.trigger_note.setObjectName("triggerNote")
        self.trigger_note.setWordWrap(True)
        self.trigger_note.setTextFormat(Qt.TextFormat.PlainText)
        self.trigger_note.setProperty("tone", "info")
        self.trigger_note.hide()
        layout.addWidget(self.trigger_note)
        for field in self._controller.asked_context():
            if field.id in COUNTED_FROM_EVENTS:
                self.count_notes[field.id] = self._info_note(body, f"countNote_{field.id}")
                layout.addWidget(self.count_notes[field.id])
        self.changed.connect(self._show_count_note)

    def _build_unmapped_note(self, body: QWidget, layout: QVBoxLayout) -> None:
        """Say which record details matched none of the choices, so the worker chooses here
        (and knows to correct the record) rather than the screening guessing."""
        unmapped = self._controller.unmapped_record_context()
        self.unmapped_note = QLabel(body)
        self.unmapped_note.setObjectName("unmappedNote")
        self.unmapped_note.setWordWrap(True)
        self.unmapped_note.setTextFormat(Qt.TextFormat.PlainText)
        self.unmapped_note.setProperty("tone", "warn")
        lines = [
            f"The child's record gives the {f.label.lower()} as “"
            f"{self._controller.recorded_value(f.id)}”, which is none of this questionnaire's "
            f"choices. Choose the {f.label.lower()} below; it counts in the score, so the "
            "screening cannot be submitted until it is chosen. Correct the child's record too."
            for f in unmapped
        ]
        self.unmapped_note.setText("\n".join(lines))
        self.unmapped_note.setVisible(bool(lines))
        layout.addWidget(self.unmapped_note)

    def _info_note(self, body: QWidget, name: str) -> QLabel:
        note = QLabel(body)
        note.setObjectName(name)
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setProperty("tone", "info")
        note.hide()
        return note

    def _build_control(self, field: ContextField, parent: QWidget) -> QWidget:
        builders = {
            "choice": self._choice,
            "multi_choice": self._multi_choice,
            "integer": self._integer,
            "date": self._date,
        }
        control = builders.get(field.type, self._text)(field, parent)
        control.setObjectName(f"context_{field.id}")
        control.setAccessibleName(field.label)
        if self._controller.must_ask(field):
            control.setAccessibleDescription("Required before submitting")
        return control

    def _choice(self, field: ContextField, parent: QWidget) -> QWidget:
        combo = QComboBox(parent)
        unmapped = field in self._controller.unmapped_record_context()
        if unmapped:
            combo.addItem(CHOOSE, None)
        elif self._controller.context_clearable(field):
            combo.addItem(NOT_GIVEN, None)
        for option in field.options:
            combo.addItem(option_words(option), option)
        combo.currentIndexChanged.connect(
            lambda _i, f=field.id, c=combo: self.changed.emit(f, c.currentData())
        )
        return combo

    def _multi_choice(self, field: ContextField, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.checks[field.id] = {}
        for option in field.options:
            check = QCheckBox(option_words(option), box)
            check.setObjectName(f"context_{field.id}_{option}")
            check.setAccessibleName(f"{field.label}: {option_words(option)}")
            check.toggled.connect(lambda _on, f=field: self._multi_changed(f))
            self.checks[field.id][option] = check
            row.addWidget(check)
        row.addStretch(1)
        return box

    def _integer(self, field: ContextField, parent: QWidget) -> QWidget:
        spin = QSpinBox(parent)
        clearable = self._controller.context_clearable(field)
        spin.setRange(-1 if clearable else 0, MAX_COUNT)
        if clearable:
            spin.setSpecialValueText(NOT_GIVEN)
        spin.setMinimumWidth(120)
        spin.valueChanged.connect(
            lambda v, f=field.id: self.changed.emit(f, None if v < 0 else int(v))
        )
        return spin

    def _date(self, field: ContextField, parent: QWidget) -> QWidget:
        edit = DateField(parent)
        edit.setDisplayFormat("dd MMM yyyy")
        edit.setCalendarPopup(True)
        edit.setMaximumDate(_to_qdate(self._controller.today()))  # held if the clock is behind
        edit.setMinimumWidth(160)
        if self._controller.context_clearable(field):
            edit.setMinimumDate(NO_DATE)
            edit.setSpecialValueText(NOT_GIVEN)
        else:
            edit.setMinimumDate(QDate(2000, 1, 1))
        edit.dateChanged.connect(lambda d, f=field.id: self.changed.emit(f, _to_date(d)))
        return edit

    def _text(self, field: ContextField, parent: QWidget) -> QWidget:
        edit = QLineEdit(parent)
        edit.setMinimumWidth(320)
        edit.textEdited.connect(lambda text, f=field.id: self._text_edited(f, text))
        edit.editingFinished.connect(self.flush)
        return edit

    def _focus_target(self, field_id: str, control: QWidget) -> QWidget:
        checks = list(self.checks.get(field_id, {}).values())
        return checks[0] if checks else control

    # -- values -------------------------------------------------------------------------------
    def _multi_changed(self, field: ContextField) -> None:
        chosen = [o for o, check in self.checks[field.id].items() if check.isChecked()]
        self.changed.emit(field.id, chosen)

    def _text_edited(self, field_id: str, text: str) -> None:
        self._pending_text[field_id] = text
        self._text_timer.start()

    def flush(self) -> None:
        """Report typed text now (on a timer, on leaving the field or the page, and on lock)."""
        self._text_timer.stop()
        pending, self._pending_text = self._pending_text, {}
        for field_id, text in pending.items():
            self.changed.emit(field_id, text.strip() or None)

    def restore(self) -> None:
        """Show the saved values without reporting them back as changes."""
        for field in self._controller.asked_context():
            self._show_value(field, self._controller.context_value(field.id))
        self._show_trigger_note()
        for field_id in self.count_notes:
            self._show_count_note(field_id, self._controller.context_value(field_id))

    def _show_value(self, field: ContextField, value: Any) -> None:
        control = self.controls[field.id]
        widgets = [control, *self.checks.get(field.id, {}).values()]
        for widget in widgets:
            widget.blockSignals(True)
        try:
            if isinstance(control, QComboBox):
                control.setCurrentIndex(max(control.findData(value), 0))
            elif isinstance(control, QSpinBox):
                control.setValue(value if isinstance(value, int) else control.minimum())
            elif isinstance(control, QDateEdit):
                control.setDate(_to_qdate(value) if isinstance(value, date) else NO_DATE)
            elif isinstance(control, QLineEdit):
                control.setText(str(value or ""))
            else:
                for option, check in self.checks[field.id].items():
                    check.setChecked(option in (value or []))
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def _show_trigger_note(self) -> None:
        event = self._controller.trigger_event
        if event is None or self._controller.context_value("trigger") != trigger_for(event.kind):
            self.trigger_note.hide()
            return
        # A kind the questionnaire lists reads as its option; a CSE team event in its own words.
        listed = event.kind == trigger_for(event.kind)
        words = option_words(event.kind).lower() if listed else EVENT_WORDS.get(event.kind, "event")
        self.trigger_note.setText(
            f"Reason filled in from the {words} "
            f"recorded on {event.on_date:%d %b %Y}, which made this screening due."
        )
        self.trigger_note.show()

    def _show_count_note(self, field_id: str, value: Any) -> None:
        """Say which recorded events a number was counted from, only while it is unchanged."""
        note = self.count_notes.get(field_id)
        if note is None:
            return
        counted = self._controller.counted_from_events(field_id, value)
        if counted is None:
            note.hide()
            return
        what = option_words(counted.kind).lower() + ("" if counted.count == 1 else "s")
        note.setText(
            f"Number filled in from the {counted.count} {what} recorded for this child in the "
            f"{counted.days} days up to {counted.up_to:%d %b %Y}; change it if you know of others."
        )
        note.show()

    def focus_first(self) -> None:
        """Put the keyboard on the first field, so a worker can Tab through and PgDn on."""
        fields = self._controller.asked_context()
        if fields:
            target = self._focus_target(fields[0].id, self.controls[fields[0].id])
            target.setFocus(Qt.FocusReason.TabFocusReason)
        self.verticalScrollBar().setValue(0)


def _to_date(value: QDate) -> date | None:
    if not value.isValid() or value == NO_DATE:
        return None
    return date(value.year(), value.month(), value.day())


def _to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)
