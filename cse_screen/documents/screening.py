"""One screening as a document for the child's case file.

What a reader of the case file needs without the tool: who the child is, who screened them and
when, under which questionnaire version, every answer section by section in the wizard's own
words with its evidence note, the rules and floors that fired as sentences, the outcome the
rules computed and the one in force with the reason for any difference, and who signed it off
(or why it was returned). An old screening prints under its own definition version, as the
screen shows it: never re-scored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from cse_screen.core import registry
from cse_screen.core.model import Questionnaire
from cse_screen.core.wording import answer_words, rule_sentence
from cse_screen.documents.labels import shown
from cse_screen.documents.pdf_base import Document, uk_date, uk_moment
from cse_screen.storage.records import ScreeningRecord

TITLE = "CSE screening record"
STATUS_WORDS = {
    "draft": "Draft (not submitted)",
    "submitted": "Submitted, awaiting a team lead's sign-off",
    "signed_off": "Signed off",
    "returned": "Returned to the worker for changes",
}
#: Context fields the child's details already show (not repeated as the screening's own).
_CHILD_FIELDS = frozenset({"dob", "screen_date"})


def questionnaire_for(record: ScreeningRecord) -> Questionnaire:
    """The definition the screening was scored with (its content hash), never today's."""
    return registry.get_by_hash(
        record.instrument_id, record.instrument_version, record.instrument_hash
    )


def outcome_label(q: Questionnaire, outcome: str | None) -> str:
    if not outcome:
        return "None yet"
    try:
        return q.outcome(outcome).label
    except KeyError:
        return outcome


def reasons_in_words(record: ScreeningRecord, q: Questionnaire) -> list[str]:
    """Each rule and floor that fired, as a sentence (older results: their explanation)."""
    result: Mapping[str, Any] = record.result or {}
    fired = result.get("fired")
    if isinstance(fired, list) and fired:
        return [rule_sentence(q, f) for f in fired if isinstance(f, dict)]
    found = result.get("explanations") or []
    return [str(e) for e in found] if isinstance(found, list) else []


def _context_words(value: object) -> str:
    if value is None or value == "" or value == []:
        return "Not given"
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ").capitalize() for v in value)
    if isinstance(value, date):
        return uk_date(value)
    text = str(value)
    try:
        return uk_date(date.fromisoformat(text))
    except ValueError:
        return text.replace("_", " ").capitalize() if text.islower() else text


def context_rows(record: ScreeningRecord, q: Questionnaire) -> list[tuple[str, str]]:
    """(label, words) for the context the screening itself recorded."""
    rows = []
    for field in q.context_fields:
        if field.id in _CHILD_FIELDS:
            continue
        value = record.context.get(field.id)
        if value is None and field.id == "trigger":
            value = record.trigger
        if value is None and field.id not in record.context:
            continue
        rows.append((field.label, _context_words(value)))
    return rows


def _with_trigger(rows: list[tuple[str, str]], trigger: str) -> list[tuple[str, str]]:
    """The context rows, with the reason for screening when the definition does not ask it."""
    if any(label.lower().startswith("reason for") for label, _ in rows):
        return rows
    return [("Reason for screening", shown("event", trigger)), *rows]


def outcome_rows(record: ScreeningRecord, q: Questionnaire) -> list[tuple[str, str]]:
    rows = [
        ("Computed outcome", outcome_label(q, record.computed_outcome)),
        ("Final outcome", outcome_label(q, record.final_outcome)),
    ]
    if record.override_reason:
        rows.append(("Reason for the judgement", record.override_reason))
    if record.needs_signoff and record.status == "submitted":
        rows.append(("Sign-off", "Needed: the judgement lowers the computed outcome"))
    if record.next_due:
        rows.append(("Next screening due", uk_date(record.next_due)))
    return rows


def decision_rows(record: ScreeningRecord) -> list[tuple[str, str]]:
    """Submitted, signed off or returned: who and when."""
    rows = [("Status", STATUS_WORDS.get(record.status, record.status))]
    if record.submitted_at:
        rows.append(("Submitted", uk_moment(record.submitted_at)))
    if record.signed_off_by:
        rows.append(("Signed off by", f"{record.signed_off_by}, {uk_moment(record.signed_off_at)}"))
    if record.returned_reason or record.status == "returned":
        who = record.returned_by or "a team lead"
        rows.append(("Returned by", f"{who}, {uk_moment(record.returned_at)}"))
        rows.append(("Reason for return", record.returned_reason or "none recorded"))
    return rows


def answer_rows(record: ScreeningRecord, q: Questionnaire) -> list[tuple[str, list[list[str]]]]:
    """Per section: [id, indicator with its evidence note, answer in words] for each answer."""
    sections = []
    for section in q.sections:
        rows = []
        for item in section.items:
            answer = record.answers.get(item.id)
            if answer is None:
                continue
            text = item.text + (f"\nEvidence: {answer.note}" if answer.note else "")
            rows.append([item.id, text, answer_words(answer.value, q.windows)])
        if rows:
            sections.append((section.title, rows))
    return sections


def child_rows(record: ScreeningRecord) -> list[tuple[str, str]]:
    return [
        ("Child", record.child_name or "–"),
        ("Case reference", record.child_ref),
        ("Date of birth", uk_date(record.child_dob)),
    ]


def write_screening(doc: Document, record: ScreeningRecord, q: Questionnaire) -> None:
    """The screening's parts, in case-file reading order, onto ``doc``."""
    doc.heading("The screening")
    doc.facts(
        [
            ("Screening date", uk_date(record.screen_date)),
            ("Assessor", record.created_by),
            ("Questionnaire", f"{q.title}, version {q.version}"),
            *_with_trigger(context_rows(record, q), record.trigger),
        ]
    )
    doc.heading("Outcome")
    doc.facts(outcome_rows(record, q))
    doc.heading("Why: the rules and floors that applied", 2)
    reasons = reasons_in_words(record, q)
    if reasons:
        doc.bullets(reasons)
    else:
        doc.note("No rule or floor has been applied yet (the screening has no result).")
    doc.heading("Decision")
    doc.facts(decision_rows(record))
    doc.heading("Answers")
    sections = answer_rows(record, q)
    if not sections:
        doc.note("No item has been answered.")
    for title, rows in sections:
        doc.heading(title, 2)
        doc.grid(["Item", "Indicator and evidence", "Answer"], rows, (12, 108, 54))


def screening_document(record: ScreeningRecord, q: Questionnaire) -> Document:
    doc = Document(TITLE, f"{q.title} · printed from cse-screen")
    doc.title_block()
    doc.heading("Child")
    doc.facts(child_rows(record))
    write_screening(doc, record, q)
    return doc


def screening_pdf(record: ScreeningRecord, password: str | None = None) -> bytes:
    """The finished PDF of one screening (AES-256 encrypted when a password is given)."""
    return screening_document(record, questionnaire_for(record)).to_bytes(password)
