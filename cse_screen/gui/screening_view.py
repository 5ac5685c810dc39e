"""A finished screening shown read-only, under the instrument version it was scored with.

Old screenings are never re-scored: the items' wording, the outcome labels and the reasons come
from the definition whose content hash the screening records, and the result stored at submit.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from cse_screen.core import registry
from cse_screen.core.model import Questionnaire
from cse_screen.gui.wizard.context_summary import context_html
from cse_screen.storage.records import ScreeningRecord

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


def _explanations(result: dict[str, Any] | None) -> list[str]:
    if not result:
        return []
    found = result.get("explanations") or []
    return [str(e) for e in found] if isinstance(found, list) else []


def screening_html(record: ScreeningRecord, q: Questionnaire) -> str:
    """The screening as a small HTML document (outcome, reasons, answers by section)."""
    esc = html.escape
    parts = [
        f"<h3>Screening of {record.screen_date:%d %B %Y} · {esc(q.title)} "
        f"version {esc(q.version)}</h3>"
    ]
    parts.append(f"<p>Status: {STATUS_WORDS.get(record.status, record.status)}")
    if record.final_outcome:
        parts.append(f"<br>Outcome: <b>{esc(q.outcome(record.final_outcome).label)}</b>")
    if record.computed_outcome and record.computed_outcome != record.final_outcome:
        parts.append(
            f" (computed: {esc(q.outcome(record.computed_outcome).label)}; professional "
            f"judgement: {esc(record.override_reason or '')})"
        )
    if record.returned_reason:
        parts.append(f"<br>Returned because: {esc(record.returned_reason)}")
    parts.append("</p>")
    parts.append(context_html(record, q))
    reasons = _explanations(record.result)
    if reasons:
        parts.append(
            "<p><b>Why:</b></p><ul>" + "".join(f"<li>{esc(r)}</li>" for r in reasons) + "</ul>"
        )
    for section in q.sections:
        rows = []
        for item in section.items:
            answer = record.answers.get(item.id)
            if answer is None:
                continue
            present = answer.value in q.answer_types[item.answer].present
            value = f"<b>{esc(answer.value)}</b>" if present else esc(answer.value)
            note = f"<br><i>{esc(answer.note)}</i>" if answer.note else ""
            rows.append(
                f"<tr><td>{item.id}</td><td>{esc(item.text)}{note}</td><td>{value}</td></tr>"
            )
        if rows:
            parts.append(
                f"<h4>{esc(section.title)}</h4><table cellpadding='3'>{''.join(rows)}</table>"
            )
    return "".join(parts)


class ScreeningViewDialog(QDialog):
    """Read-only view of one screening."""

    def __init__(self, record: ScreeningRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screeningViewDialog")
        self.setWindowTitle("Screening")  # never the child's name
        self.resize(760, 620)
        layout = QVBoxLayout(self)
        view = QTextBrowser(self)
        view.setObjectName("screeningText")
        view.setHtml(screening_html(record, questionnaire_for(record)))
        layout.addWidget(view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
