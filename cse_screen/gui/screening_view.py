"""A finished screening shown read-only, under the instrument version it was scored with, and
the place a team lead signs it off or returns it.

Old screenings are never re-scored: the items' wording, the outcome labels and the reasons come
from the definition whose content hash the screening records, and the result stored at submit.
Answers read as the wizard's words and rules as sentences (core.wording). A lowered screening
shows both outcomes, the reason and every floor it goes below *before* its answers, and signing
it off asks for a confirmation naming exactly that; the lowering shown is passed back to the
service, which refuses a sign-off that did not carry it.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cse_screen.core import registry
from cse_screen.core.model import Questionnaire
from cse_screen.core.wording import answer_words, rule_sentence
from cse_screen.errors import UserError
from cse_screen.gui.return_dialog import ReturnDialog
from cse_screen.gui.theme import set_tone
from cse_screen.gui.wizard.context_summary import context_html
from cse_screen.storage.records import ScreeningRecord
from cse_screen.storage.services.lowering import Lowering
from cse_screen.storage.services.outcome_words import returned_sentence

STATUS_WORDS = {
    "draft": "Draft",
    "submitted": "Awaiting sign-off",
    "signed_off": "Signed off",
    "returned": "Returned for changes",
}


def questionnaire_for(record: ScreeningRecord) -> Questionnaire:
    return registry.get_by_hash(
        record.instrument_id, record.instrument_version, record.instrument_hash
    )


def reasons_in_words(record: ScreeningRecord, q: Questionnaire) -> list[str]:
    """Each rule and floor that fired, as a sentence (older results: their explanation)."""
    if not record.result:
        return []
    fired = record.result.get("fired")
    if isinstance(fired, list) and fired:
        return [rule_sentence(q, f) for f in fired if isinstance(f, dict)]
    found = record.result.get("explanations") or []
    return [str(e) for e in found] if isinstance(found, list) else []


def _label(q: Questionnaire, outcome: str) -> str:
    try:
        return q.outcome(outcome).label
    except KeyError:
        return outcome


def _outcome_html(record: ScreeningRecord, q: Questionnaire, lowering: Lowering | None) -> str:
    esc = html.escape
    computed, final = record.computed_outcome, record.final_outcome
    if record.status == "returned" and computed:
        shown = computed if not final else max(computed, final, key=q.outcome_rank)
        return f"<br>Outcome: <b>Returned: {esc(_label(q, shown))} (not final)</b>"
    if lowering is not None:
        return (
            f"<br>Outcome: <b>Tool: {esc(_label(q, lowering.from_outcome))}; worker's judgement: "
            f"{esc(_label(q, lowering.to_outcome))}, awaiting sign-off</b>"
        )
    if not final:
        return ""
    text = f"<br>Outcome: <b>{esc(_label(q, final))}</b>"
    if computed and computed != final:
        text += f" (the scoring rules computed {esc(_label(q, computed))})"
    return text


def _lowering_html(lowering: Lowering, q: Questionnaire) -> str:
    """The part a lead must read before agreeing: the lowering, the reason, the floors."""
    esc = html.escape
    floors = "".join(
        f"<li><b>{esc(f.id)}</b>: {esc(f.description)} (at least {esc(_label(q, f.outcome))})</li>"
        for f in lowering.floors
    )
    below = f"<p>It goes below:</p><ul>{floors}</ul>" if floors else ""
    return (
        "<div style='border:2px solid #c62828; padding:6px'>"
        f"<p><b>The worker lowered this outcome.</b> Signing off agrees to "
        f"{esc(lowering.sentence(q))}.</p>"
        f"<p>Worker's reason: <i>{esc(lowering.reason or 'none given')}</i></p>{below}</div>"
    )


def _answers_html(record: ScreeningRecord, q: Questionnaire) -> list[str]:
    esc = html.escape
    parts = []
    for section in q.sections:
        rows = []
        for item in section.items:
            answer = record.answers.get(item.id)
            if answer is None:
                continue
            present = answer.value in q.answer_types[item.answer].present
            words = esc(answer_words(answer.value, q.windows))
            value = f"<b>{words}</b>" if present else words
            note = f"<br><i>{esc(answer.note)}</i>" if answer.note else ""
            rows.append(
                f"<tr><td>{item.id}</td><td>{esc(item.text)}{note}</td><td>{value}</td></tr>"
            )
        if rows:
            parts.append(
                f"<h4>{esc(section.title)}</h4><table cellpadding='3'>{''.join(rows)}</table>"
            )
    return parts


def screening_html(
    record: ScreeningRecord, q: Questionnaire, lowering: Lowering | None = None
) -> str:
    """The screening as a small HTML document (outcome, reasons, answers by section)."""
    esc = html.escape
    parts = [
        f"<h3>Screening of {record.screen_date:%d %B %Y} · {esc(q.title)} "
        f"version {esc(q.version)}</h3>"
    ]
    if record.child_name:
        parts.append(f"<p>Child: <b>{esc(record.child_name)}</b> · {esc(record.child_ref)}</p>")
    parts.append(f"<p>Status: {STATUS_WORDS.get(record.status, record.status)}")
    parts.append(_outcome_html(record, q, lowering))
    if record.returned_reason:
        sentence = returned_sentence(
            record.child_ref, record.returned_by, record.returned_at, record.returned_reason
        )
        parts.append(f"<br>{esc(sentence)}")
    parts.append("</p>")
    if lowering is not None:
        parts.append(_lowering_html(lowering, q))
    parts.append(context_html(record, q))
    reasons = reasons_in_words(record, q)
    if reasons:
        parts.append(
            "<p><b>Why:</b></p><ul>" + "".join(f"<li>{esc(r)}</li>" for r in reasons) + "</ul>"
        )
    parts.extend(_answers_html(record, q))
    return "".join(parts)


class SignOffConfirm(QDialog):
    """'Sign off and agree to lower from … to …, below …?' with the reason repeated."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signOffConfirm")
        self.setWindowTitle("Agree to the lowering")
        layout = QVBoxLayout(self)
        self.message = QLabel(text, self)
        self.message.setObjectName("signOffConfirmText")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        agree = buttons.addButton("&Agree and sign off", QDialogButtonBox.ButtonRole.AcceptRole)
        agree.setObjectName("confirmSignOffButton")
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelSignOffButton")
        cancel.setDefault(True)  # the safe choice is the default
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class ScreeningViewDialog(QDialog):
    """One screening read-only; with a context, a lead's Sign off and Return buttons."""

    decided = Signal(str)  # "signed_off" or "returned"

    def __init__(
        self,
        record: ScreeningRecord,
        parent: QWidget | None = None,
        ctx: Any = None,
        app: Any = None,
    ) -> None:
        """``ctx`` offers a lead's decisions; ``app`` (or ``ctx``) lets the screening be saved
        as a PDF."""
        super().__init__(parent)
        self._app_ctx = app
        self.setObjectName("screeningViewDialog")
        self.setWindowTitle("Screening")  # never the child's name
        self.resize(820, 660)
        self.record = record
        self.ctx = ctx
        self.q = questionnaire_for(record)
        self.lowering = self._lowering()
        layout = QVBoxLayout(self)
        view = QTextBrowser(self)
        view.setObjectName("screeningText")
        view.setAccessibleName("Screening answers and result")
        view.setHtml(screening_html(record, self.q, self.lowering))
        layout.addWidget(view)
        self.message = QLabel(self)
        self.message.setObjectName("screeningViewMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.pdf_button = self._button(row, "viewPdfButton", "Save as &PDF…", self.save_pdf)
        self.pdf_button.setVisible(self._app() is not None)
        row.addStretch(1)
        self.sign_off_button = self._button(row, "viewSignOffButton", "Sig&n off…", self.sign_off)
        self.return_button = self._button(
            row, "viewReturnButton", "Re&turn for changes…", self.return_for_changes
        )
        close = self._button(row, "viewCloseButton", "Close", self.reject)
        close.setDefault(True)
        layout.addLayout(row)
        deciding = self._may_decide()
        self.sign_off_button.setVisible(deciding)
        self.return_button.setVisible(deciding)

    def _button(self, row: QHBoxLayout, name: str, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def _app(self) -> Any:
        return self._app_ctx if self._app_ctx is not None else self.ctx

    def save_pdf(self) -> Any:
        from cse_screen.gui.document_dialog import ScreeningPdfDialog

        app = self._app()
        if app is None:
            return None
        dialog = ScreeningPdfDialog(app, self.record.id, self.record.child_ref, self)
        dialog.open()
        return dialog

    def _may_decide(self) -> bool:
        """Offer the decisions to a lead or administrator on a submitted screening (storage
        checks the rest: never the submitter, the team boundary)."""
        store = getattr(self.ctx, "store", None) if self.ctx is not None else None
        if store is None or self.record.status != "submitted":
            return False
        return store.user.role in ("lead", "manager", "admin")

    def _lowering(self) -> Lowering | None:
        if self.ctx is None or self.record.status != "submitted" or not self.record.needs_signoff:
            return None
        sid = self.record.id
        return self.ctx.read(lambda store: store.screenings.lowering(sid))  # type: ignore[no-any-return]

    # -- decisions ----------------------------------------------------------------------------
    def sign_off(self) -> None:
        if self.lowering is None:
            self._decide(lambda store: store.screenings.sign_off(self.record.id), "signed_off")
            return
        text = (
            f"Sign off the screening for {self.record.child_ref} and agree to "
            f"{self.lowering.sentence(self.q)}?\n\nWorker's reason: "
            f"{self.lowering.reason or 'none given'}"
        )
        confirm = SignOffConfirm(text, self)
        confirm.accepted.connect(self._agreed)
        confirm.open()

    def _agreed(self) -> None:
        shown = self.lowering
        self._decide(lambda store: store.screenings.sign_off(self.record.id, shown), "signed_off")

    def return_for_changes(self) -> None:
        dialog = ReturnDialog(self.record.child_ref, self)
        dialog.accepted.connect(lambda: self._returned(dialog))
        dialog.open()

    def _returned(self, dialog: ReturnDialog) -> None:
        reason = dialog.reason.toPlainText().strip()
        sid = self.record.id
        if not self._decide(
            lambda store: store.screenings.return_to_worker(sid, reason), "returned"
        ):
            dialog.error.setText(self.message.text())
            dialog.open()

    def _decide(self, action: Any, what: str) -> bool:
        try:
            self.ctx.read(action)
        except UserError as exc:
            text = str(exc)
            sentence = text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
            set_tone(self.message, sentence, "error")
            return False
        except Exception as exc:
            self.ctx.show_error(self, exc)
            return False
        self.ctx.signals.dataChanged.emit("screenings")
        self.decided.emit(what)
        self.accept()
        return True
