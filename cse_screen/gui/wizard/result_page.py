"""The last wizard page: the outcome in plain words, the override, and submitting.

Everything shown comes from core (the score result's explanations, the outcome display rules:
incomplete, lowered awaiting sign-off, in force; the next due date) or from storage (what it
refuses on submit). The page only arranges it, and keeps the user's override reason when
something is refused. Submit and "Go to the first unanswered item" sit in a footer outside the
scrolled area, so they stay on screen on a 1366x768 laptop.
"""

from __future__ import annotations

import html
from dataclasses import asdict
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

from cse_screen.core import contrast
from cse_screen.core.model import Questionnaire
from cse_screen.core.outcome_display import OutcomeDisplay, result_display
from cse_screen.core.scoring import ScoreResult
from cse_screen.core.wording import rule_sentence
from cse_screen.errors import UserError
from cse_screen.gui.a11y import announce
from cse_screen.gui.theme import set_tone
from cse_screen.storage.services.drafts import DraftController


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


class ResultPage(QWidget):
    """Outcome, reasons, actions, next due date, professional judgement and Submit."""

    submit_requested = Signal(str, str)  # final outcome id ('' = computed stands), reason
    first_unanswered_requested = Signal()

    def __init__(self, questionnaire: Questionnaire, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPage")
        self._q = questionnaire
        self._result: ScoreResult | None = None
        self._controller: DraftController | None = None
        self._screen_date = date.today()
        self.display: OutcomeDisplay | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("resultScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self.scroll)
        layout = QVBoxLayout(body)
        self._build_outcome(body, layout)
        self._build_override(body, layout)
        layout.addStretch(1)
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll, 1)
        self._build_submit(outer)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its controls take Tab

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
        self.judgement_group = group
        layout.addWidget(group)

    def _build_submit(self, layout: QVBoxLayout) -> None:
        footer = QFrame(self)
        footer.setObjectName("resultFooter")
        footer.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(footer)
        box.setContentsMargins(8, 6, 8, 6)
        self.submit_error = _label(footer, "submitError")
        self.submit_error.hide()  # shown only with a message: the footer stays one row high
        box.addWidget(self.submit_error)
        row = QHBoxLayout()
        self.first_unanswered = QPushButton("Go to the first unanswered item", footer)
        self.first_unanswered.setObjectName("firstUnansweredButton")
        self.first_unanswered.clicked.connect(self.first_unanswered_requested)
        row.addWidget(self.first_unanswered)
        row.addStretch(1)
        self.submit = QPushButton("S&ubmit screening", footer)
        self.submit.setObjectName("submitButton")
        self.submit.setAutoDefault(True)
        self.submit.clicked.connect(self._submit_clicked)
        row.addWidget(self.submit)
        box.addLayout(row)
        layout.addWidget(footer)
        self._override_changed()

    # -- filling in ---------------------------------------------------------------------------
    def show_result(self, controller: DraftController) -> None:
        """Re-read the score (answers may have changed since the page was last shown)."""
        self._controller = controller
        self._result = result = controller.result()
        self._screen_date = controller.screen_date
        reasons = [rule_sentence(self._q, asdict(f)) for f in result.fired]
        self.why.setText("<b>Why:</b>" + _bullets(reasons))
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
        missing = len(self._controller.missing_required()) if self._controller else 0
        chosen = str(self.override.currentData() or "") or None
        shown = result_display(self._q, self._result.outcome, chosen, missing, self._screen_date)
        self.display = shown
        self.badge.setText(shown.badge)
        self.badge.setStyleSheet(badge_style(shown.colour))
        self.badge.setAccessibleDescription("Outcome")
        self.override.setAccessibleDescription(
            f"The scoring rules computed {self._q.outcome(self._result.outcome).label}; "
            f"shown: {shown.badge}."
        )
        self.computed.setText(shown.note)
        for widget in (self.why, self.present):
            widget.setVisible(shown.complete)
        needs = shown.lowered and self._controller is not None
        self.signoff.setVisible(needs)
        self.actions.setVisible(shown.complete)
        self.actions.setText("<b>Recommended actions:</b>" + _bullets(list(shown.actions)))
        self.next_due.setVisible(shown.next_due is not None)
        if shown.next_due is not None:
            self.next_due.setText(f"Next screening due: {shown.next_due:%d %B %Y}.")
        else:
            self.next_due.clear()
        self.first_unanswered.setVisible(missing > 0)
        # A judgement needs an outcome to differ from: none is chosen before there is one.
        self.judgement_group.setEnabled(shown.complete)

    def _submit_clicked(self) -> None:
        self.clear_errors()
        self.submit_requested.emit(
            str(self.override.currentData() or ""), self.reason.toPlainText().strip()
        )

    def clear_errors(self) -> None:
        set_tone(self.override_error, "")
        set_tone(self.submit_error, "")
        self.submit_error.hide()

    def show_override_error(self, error: UserError) -> None:
        set_tone(self.override_error, str(error), "error")
        self.reason.setFocus()
        self.scroll.ensureWidgetVisible(self.reason, 40, 80)

    def show_submit_error(self, error: UserError) -> None:
        set_tone(self.submit_error, str(error), "error")
        self.submit_error.show()
        self.submit.setFocus()
        self.scroll.ensureWidgetVisible(self.submit_error, 40, 80)
