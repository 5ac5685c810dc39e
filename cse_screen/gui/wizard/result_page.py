"""The last wizard page: the outcome in plain words, the override, and submitting.

Everything shown comes from core (the score result's explanations, the outcome's actions, the
next due date, the judgement rules) or from storage (what it refuses on submit). The page only
arranges it, and keeps the user's override reason when something is refused.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cse_screen.core import contrast, dates
from cse_screen.core.model import Questionnaire
from cse_screen.core.scoring import ScoreResult
from cse_screen.errors import UserError
from cse_screen.gui.a11y import announce
from cse_screen.gui.theme import set_tone
from cse_screen.gui.wizard.draft import DraftController


def badge_style(colour: str) -> str:
    """A filled badge in the outcome's colour with the text colour of higher contrast on it."""
    text = contrast.text_colour_on(colour)
    return (
        f"QLabel {{ background: {colour}; color: {text}; border-radius: 6px;"
        " padding: 8px 14px; font-weight: bold; }"
    )


def _bullets(lines: list[str]) -> str:
    if not lines:
        return "<i>None</i>"
    return "<ul style='margin:0'>" + "".join(f"<li>{html.escape(s)}</li>" for s in lines) + "</ul>"


def _label(parent: QWidget, name: str, rich: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ResultPage(QScrollArea):
    """Outcome, reasons, actions, next due date, professional judgement and Submit."""

    submit_requested = Signal(str, str)  # final outcome id ('' = computed stands), reason

    def __init__(self, questionnaire: Questionnaire, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPage")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._q = questionnaire
        self._result: ScoreResult | None = None
        self._controller: DraftController | None = None
        self._screen_date = date.today()
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self._build_outcome(body, layout)
        self._build_override(body, layout)
        self._build_submit(body, layout)
        layout.addStretch(1)
        self.setWidget(body)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its controls take Tab, not the page

    def _build_outcome(self, body: QWidget, layout: QVBoxLayout) -> None:
        row = QHBoxLayout()
        self.badge = _label(body, "outcomeBadge")
        self.badge.setWordWrap(False)
        row.addWidget(self.badge)
        row.addStretch(1)
        layout.addLayout(row)
        self.computed = _label(body, "computedNote")
        layout.addWidget(self.computed)
        self.why = _label(body, "explanations", rich=True)
        layout.addWidget(self.why)
        self.present = _label(body, "presentIndicators", rich=True)
        layout.addWidget(self.present)
        self.quality = _label(body, "dataQuality", rich=True)
        layout.addWidget(self.quality)
        self.actions = _label(body, "actions", rich=True)
        layout.addWidget(self.actions)
        self.next_due = _label(body, "nextDue")
        layout.addWidget(self.next_due)

    def _build_override(self, body: QWidget, layout: QVBoxLayout) -> None:
        group = QGroupBox("Professional judgement", body)
        form = QFormLayout(group)
        self.override = QComboBox(group)
        self.override.setObjectName("overrideOutcome")
        self.override.setAccessibleName("Final outcome")
        self.override.addItem("Agree with the computed outcome", "")
        for outcome in self._q.outcomes:
            self.override.addItem(f"Change to: {outcome.label}", outcome.id)
        self.override.currentIndexChanged.connect(self._override_changed)
        outcome_label = QLabel("&Final outcome:", group)
        outcome_label.setBuddy(self.override)
        form.addRow(outcome_label, self.override)
        self.reason = QPlainTextEdit(group)
        self.reason.setObjectName("overrideReason")
        self.reason.setAccessibleName("Reason for the professional judgement")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("Why your professional judgement differs (required)")
        self.reason.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        reason_label = QLabel("Reas&on:", group)
        reason_label.setBuddy(self.reason)
        form.addRow(reason_label, self.reason)
        self.signoff = _label(group, "signoffNote")
        self.signoff.setText(
            "Lowering the outcome below the computed one needs a team lead's sign-off."
        )
        form.addRow(self.signoff)
        self.override_error = _label(group, "overrideError")
        form.addRow(self.override_error)
        layout.addWidget(group)

    def _build_submit(self, body: QWidget, layout: QVBoxLayout) -> None:
        self.submit_error = _label(body, "submitError")
        layout.addWidget(self.submit_error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.submit = QPushButton("S&ubmit screening", body)
        self.submit.setObjectName("submitButton")
        self.submit.setAutoDefault(True)
        self.submit.clicked.connect(self._submit_clicked)
        row.addWidget(self.submit)
        layout.addLayout(row)
        self._override_changed()

    # -- filling in ---------------------------------------------------------------------------
    def show_result(self, controller: DraftController) -> None:
        """Re-read the score (answers may have changed since the page was last shown)."""
        self._controller = controller
        self._result = result = controller.result()
        self._screen_date = controller.screen_date
        self.why.setText("<b>Why:</b>" + _bullets([f.explanation for f in result.fired]))
        present = [f"{i} {self._q.item(i).text}" for i in result.present if self._q.has_item(i)]
        self.present.setText("<b>Indicators present:</b>" + _bullets(present))
        counts = ", ".join(f"{tier} {n}" for tier, n in result.counts.items() if n) or "none"
        lines = [f"Present by tier: {counts}."]
        if result.unknown:
            lines.append(
                "Answered “don't know” (counted as absent): " + ", ".join(result.unknown) + "."
            )
        if result.unanswered:
            lines.append("Not answered yet: " + ", ".join(result.unanswered) + ".")
        missing_notes = controller.evidence_missing()
        if missing_notes:
            lines.append("Evidence notes still needed for: " + ", ".join(missing_notes) + ".")
        self.quality.setText("<b>Completeness:</b>" + _bullets(lines))
        self.clear_errors()
        self._override_changed()
        self._announce_outcome()

    def _announce_outcome(self) -> None:
        """Read the outcome and why before focus lands in the judgement box below it."""
        parts = [f"Result: {self.badge.text()}.", self.computed.text(), self.next_due.text()]
        announce(self.badge, " ".join(parts))

    def final_outcome(self) -> str:
        chosen = str(self.override.currentData() or "")
        return chosen or (self._result.outcome if self._result else "")

    def _override_changed(self) -> None:
        if self._result is None:
            return
        computed = self._q.outcome(self._result.outcome)
        final = self._q.outcome(self.final_outcome())
        self.badge.setText(final.label)
        self.badge.setStyleSheet(badge_style(final.colour))
        self.badge.setAccessibleDescription("Outcome")
        self.override.setAccessibleDescription(
            f"The scoring rules computed {computed.label}; final outcome {final.label}."
        )
        if final.id == computed.id:
            self.computed.setText(f"Computed by the scoring rules of {self._q.label}.")
        else:
            self.computed.setText(
                f"Professional judgement; the scoring rules computed “{computed.label}”."
            )
        needs = self._controller is not None and self._controller.signoff_needed(final.id)
        self.signoff.setVisible(needs)
        self.actions.setText("<b>Recommended actions:</b>" + _bullets(list(final.actions)))
        due = dates.next_due(self._q, final.id, self._screen_date)
        self.next_due.setText(f"Next screening due: {due:%d %B %Y}.")

    def _submit_clicked(self) -> None:
        self.clear_errors()
        self.submit_requested.emit(
            str(self.override.currentData() or ""), self.reason.toPlainText().strip()
        )

    def clear_errors(self) -> None:
        set_tone(self.override_error, "")
        set_tone(self.submit_error, "")

    def show_override_error(self, error: UserError) -> None:
        set_tone(self.override_error, str(error), "error")
        self.reason.setFocus()
        self.ensureWidgetVisible(self.reason, 40, 80)

    def show_submit_error(self, error: UserError) -> None:
        set_tone(self.submit_error, str(error), "error")
        self.submit.setFocus()
        self.ensureWidgetVisible(self.submit_error, 40, 80)
