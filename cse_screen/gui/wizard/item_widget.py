"""One questionnaire item drawn from its definition: question, answers, guidance, evidence note.

Keyboard: Tab reaches each item once (a "roving" tab stop on its current answer), the number keys
1–9 pick an answer, the arrow keys move between answers, F1 or "?" opens the guidance. All the
widget knows of the rules is what the controller tells it: visible or not, evidence box or not.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cse_screen.core.model import Item, Windows
from cse_screen.gui.a11y import announce

_WORDS = {
    "none": "Not present",
    "current": "Current",
    "previous": "Previous",
    "both": "Current and previous",
    "unknown": "Don't know",
    "yes": "Yes",
    "no": "No",
    "possible": "Possible",
}

_TIER_WORDS = {
    "significant": "Significant-tier indicator",
    "moderate": "Moderate-tier indicator",
    "low": "Low-tier indicator",
    "vulnerability": "Vulnerability",
    "harm": "Harm indicator",
}


def answer_words(value: str) -> str:
    return _WORDS.get(value, value.replace("_", " ").capitalize())


def answer_tooltip(value: str, windows: Windows) -> str:
    if value == "current":
        return f"Within the last {windows.current_days} days"
    if value == "previous":
        return f"Between {windows.current_days} and {windows.previous_days} days ago"
    if value == "both":
        return "Both within the current window and before it"
    if value == "unknown":
        return "Not known: counted as absent, and reported as unknown"
    return ""


class ItemWidget(QFrame):
    """A question with one radio button per allowed answer."""

    answered = Signal(str, str)  # item id, value
    note_edited = Signal(str, str)  # item id, text

    def __init__(self, item: Item, windows: Windows, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName(f"item_{item.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Question {item.id}")
        self.setAccessibleDescription(item.guidance or "")
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_question())
        layout.addLayout(self._build_answers(windows))
        self.guidance = QLabel(item.guidance or "No guidance is given for this item.", self)
        self.guidance.setObjectName(f"guidance_{item.id}")
        self.guidance.setWordWrap(True)
        self.guidance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.guidance.setStyleSheet(
            "QLabel { padding: 6px; border-left: 3px solid palette(highlight); }"
        )
        self.guidance.hide()
        layout.addWidget(self.guidance)
        self._build_evidence(layout)
        self.unsaved = QLabel(self)
        self.unsaved.setObjectName(f"unsaved_{item.id}")
        self.unsaved.setWordWrap(True)
        self.unsaved.setTextFormat(Qt.TextFormat.PlainText)
        self.unsaved.setContentsMargins(34, 0, 0, 0)
        self.unsaved.setProperty("tone", "error")  # the theme's error words, in either theme
        self.unsaved.hide()
        layout.addWidget(self.unsaved)
        self._update_tab_stop()

    # -- construction -------------------------------------------------------------------------
    def _build_question(self) -> QHBoxLayout:
        row = QHBoxLayout()
        number = QLabel(f"<b>{self.item.id}</b>", self)
        number.setMinimumWidth(34)
        row.addWidget(number, 0, Qt.AlignmentFlag.AlignTop)
        text = QLabel(self.item.text, self)
        text.setWordWrap(True)
        text.setObjectName(f"text_{self.item.id}")
        text.setToolTip(_TIER_WORDS.get(self.item.tier, self.item.tier))
        row.addWidget(text, 1)
        self.help_button = QToolButton(self)
        self.help_button.setObjectName(f"guidanceButton_{self.item.id}")
        self.help_button.setText("?")
        self.help_button.setCheckable(True)
        self.help_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # F1 reaches it by keyboard
        self.help_button.setToolTip("Guidance for this question (F1)")
        self.help_button.setAccessibleName(f"Guidance for {self.item.id}")
        self.help_button.toggled.connect(self.show_guidance)
        row.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _build_answers(self, windows: Windows) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(34, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.radios: list[QRadioButton] = []
        for number, value in enumerate(self.item.values, start=1):
            radio = QRadioButton(f"{number}  {answer_words(value)}", self)
            radio.setObjectName(f"answer_{self.item.id}_{value}")
            radio.setProperty("answerValue", value)
            radio.setAccessibleName(f"{number} {answer_words(value)}")  # the key that picks it
            radio.setAccessibleDescription(self._description())
            radio.setToolTip(answer_tooltip(value, windows))
            radio.installEventFilter(self)
            self.group.addButton(radio, number - 1)
            self.radios.append(radio)
            row.addWidget(radio)
        row.addStretch(1)
        self.group.idClicked.connect(self._clicked)
        return row

    def _description(self) -> str:
        """What a screen reader adds to each answer: the question and its guidance (F1)."""
        text = f"{self.item.id}: {self.item.text}"
        return f"{text} Guidance: {self.item.guidance}" if self.item.guidance else text

    def _build_evidence(self, layout: QVBoxLayout) -> None:
        self.evidence_box = QWidget(self)
        box = QVBoxLayout(self.evidence_box)
        box.setContentsMargins(34, 0, 0, 0)
        self.evidence_label = QLabel(self._evidence_words(False), self.evidence_box)
        self.evidence_label.setObjectName(f"evidenceLabel_{self.item.id}")
        box.addWidget(self.evidence_label)
        self.evidence = QPlainTextEdit(self.evidence_box)
        self.evidence.setObjectName(f"evidence_{self.item.id}")
        self.evidence.setAccessibleName(f"Evidence note for {self.item.id}")
        self.evidence.setTabChangesFocus(True)
        self.evidence.setPlaceholderText("What was seen or reported, by whom, and when")
        self.evidence.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.evidence.textChanged.connect(
            lambda: self.note_edited.emit(self.item.id, self.evidence.toPlainText())
        )
        self.evidence_label.setBuddy(self.evidence)
        box.addWidget(self.evidence)
        layout.addWidget(self.evidence_box)
        self.evidence_box.hide()

    # -- state the wizard sets ----------------------------------------------------------------
    def set_value(self, value: str | None) -> None:
        """Show a saved answer without emitting (restoring a draft)."""
        for radio in self.radios:
            radio.blockSignals(True)
            radio.setChecked(radio.property("answerValue") == value)
            radio.blockSignals(False)
        self._update_tab_stop()

    def set_note(self, text: str) -> None:
        self.evidence.blockSignals(True)
        self.evidence.setPlainText(text)
        self.evidence.blockSignals(False)

    def set_evidence_shown(self, shown: bool) -> None:
        self.evidence_box.setVisible(shown)

    def _evidence_words(self, missing: bool) -> str:
        """The evidence label says in words, not only in red, that a note is still needed."""
        if missing:
            return f"Evidence note needed for {self.item.id} before submitting (required):"
        required = self.item.evidence == "required_if_present"
        return f"Evidence or concern ({'required' if required else 'optional'}):"

    def set_evidence_missing(self, missing: bool) -> None:
        self.evidence_label.setText(self._evidence_words(missing))
        tone = "error" if missing else ""
        if self.evidence_label.property("tone") != tone:
            self.evidence_label.setProperty("tone", tone)
            self.evidence_label.style().unpolish(self.evidence_label)
            self.evidence_label.style().polish(self.evidence_label)

    def set_unsaved(self, why: str | None) -> None:
        """Mark an answer given but not committed, with a few words on why (None: it is)."""
        if why is None:
            self.unsaved.hide()
            self.unsaved.clear()
            return
        text = f"Not saved yet: {why}"
        self.unsaved.setText(text)
        self.unsaved.setAccessibleName(f"{self.item.id} {text}")
        self.unsaved.show()

    def value(self) -> str | None:
        checked = self.group.checkedButton()
        return None if checked is None else str(checked.property("answerValue"))

    def focus_answer(self) -> None:
        (self.group.checkedButton() or self.radios[0]).setFocus(Qt.FocusReason.TabFocusReason)

    def show_guidance(self, shown: bool) -> None:
        opening = shown and not self.guidance.isVisible()
        self.guidance.setVisible(shown)
        if opening:
            announce(self.guidance, f"Guidance for {self.item.id}: {self.guidance.text()}")
        if self.help_button.isChecked() != shown:
            self.help_button.setChecked(shown)

    # -- keys ---------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and watched in self.radios:
            return self._key(watched, event)  # type: ignore[arg-type]
        return super().eventFilter(watched, event)

    def _key(self, radio: QRadioButton, event: QKeyEvent) -> bool:
        key = event.key()
        if event.modifiers() & (
            Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier
        ):
            return False
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            index = key - Qt.Key.Key_1
            if index < len(self.radios):
                self._choose(index)
            return True
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Right, Qt.Key.Key_Down):
            step = -1 if key in (Qt.Key.Key_Left, Qt.Key.Key_Up) else 1
            self._choose((self.radios.index(radio) + step) % len(self.radios))
            return True
        if key in (Qt.Key.Key_F1, Qt.Key.Key_Question):
            self.show_guidance(not self.guidance.isVisible())
            return True
        return False

    def _choose(self, index: int) -> None:
        radio = self.radios[index]
        radio.setChecked(True)
        radio.setFocus(Qt.FocusReason.OtherFocusReason)
        self._clicked(index)

    def _clicked(self, index: int) -> None:
        self._update_tab_stop()
        self.answered.emit(self.item.id, str(self.radios[index].property("answerValue")))

    def _update_tab_stop(self) -> None:
        """Only one answer per question takes Tab, so Tab moves from question to question."""
        checked = self.group.checkedButton()
        current = checked or self.radios[0]
        for radio in self.radios:
            policy = Qt.FocusPolicy.StrongFocus if radio is current else Qt.FocusPolicy.ClickFocus
            radio.setFocusPolicy(policy)
            self._mark_chosen(radio, radio is checked)

    @staticmethod
    def _mark_chosen(radio: QRadioButton, chosen: bool) -> None:
        """The chosen answer reads at a glance in any theme: bold. Under the app's style sheet
        a font set in code is lost when the sheet polishes the button, so the sheet's
        ``[chosen="true"]`` rule (see theme.py) does it there; the font covers no sheet."""
        font = radio.font()
        font.setBold(chosen)
        radio.setFont(font)
        if radio.property("chosen") != chosen:
            radio.setProperty("chosen", chosen)
            radio.style().unpolish(radio)
            radio.style().polish(radio)
