"""The subject access export: one readable PDF and the same content as JSON, in one zip.

Why an AES-256 zip (WinZip AE-2, :mod:`.aes_zip`) rather than an encrypted PDF beside a plain JSON
file: one password must protect both parts, and the JSON is as personal as the PDF. 7-Zip and
every current archive tool open AE-2 zips. The entry names are fixed and name no child, since a
zip's names stay readable without its password. The zip is built in memory.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from cse_screen.documents.aes_zip import aes_zip
from cse_screen.documents.labels import shown
from cse_screen.documents.pdf_base import Document, uk_date
from cse_screen.documents.screening import child_rows, questionnaire_for, write_screening
from cse_screen.documents.subject_access_data import as_json
from cse_screen.storage.records import ScreeningRecord

TITLE = "Subject access export"
PDF_NAME = "subject-access.pdf"
JSON_NAME = "subject-access.json"
_DETAIL_FIELDS = (
    ("Gender", "gender"),
    ("Ethnicity", "ethnicity"),
    ("Disability", "disability"),
    ("Placement type", "placement_type"),
    ("Legal status", "legal_status"),
)


def _details(doc: Document, child: dict[str, Any], first: ScreeningRecord | None) -> None:
    doc.heading("The child's details")
    rows = [
        ("Name", child.get("name") or "–"),
        ("Case reference", child.get("case_ref") or "–"),
        ("Date of birth", uk_date(_day(child.get("dob")))),
    ]
    if first is not None:
        rows = child_rows(first)
    rows += [(label, shown(key, child.get(key))) for label, key in _DETAIL_FIELDS]
    rows += [
        ("Allocated worker", child.get("worker") or "–"),
        ("Team", child.get("team") or "–"),
        ("Next screening due", uk_date(_day(child.get("next_due")))),
        ("Record created", uk_date(_day(child.get("created_at")))),
    ]
    doc.facts(rows)


def _day(text: Any) -> Any:
    from datetime import date

    return date.fromisoformat(text[:10]) if isinstance(text, str) and text else None


def _events(doc: Document, events: list[dict[str, Any]]) -> None:
    doc.heading("Events recorded")
    if not events:
        doc.note("No event has been recorded about the child.")
        return
    rows = [
        [
            uk_date(_day(e["on_date"])),
            shown("event", e["kind"]),
            e.get("note") or "",
            f"{e['recorded_by']}, {uk_date(_day(e['recorded_at']))}",
        ]
        for e in events
    ]
    doc.grid(["Date", "Event", "Note", "Recorded by"], rows, (22, 34, 80, 38))


#: Audit detail keys whose value is a list of things, never an [old, new] pair.
_LISTS = frozenset({"rules", "sheets", "unanswered", "unknown", "items", "indicators"})


def _words(value: Any, key: str = "") -> str:
    """A detail value as a reader writes it: old → new for a change, none for nothing."""
    if value is None:
        return "none"
    pair = isinstance(value, list) and len(value) == 2 and key not in _LISTS
    if pair and not any(isinstance(v, list | dict) for v in value):
        return f"{_words(value[0])} → {_words(value[1])}"
    if isinstance(value, list):
        return ", ".join(_words(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k} {_words(v, k)}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ")


def _audit_what(entry: dict[str, Any]) -> str:
    detail = entry.get("detail") or {}
    parts = [f"{entry['entity']} {entry.get('entity_id') or ''}".strip()]
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key != "child_id":
                parts.append(f"{key.replace('_', ' ')}: {_words(value, key)}")
    return "; ".join(parts)


def _audit(doc: Document, audit: list[dict[str, Any]]) -> None:
    doc.heading("Who has seen or changed the record")
    doc.note(
        "Every entry of the tool's audit trail about the child's record, their screenings and "
        "events, oldest first: when (UTC), which member of staff, what they did."
    )
    rows = [
        [str(e["seq"]), e["at"][:16].replace("T", " "), e["actor"], e["action"], _audit_what(e)]
        for e in audit
    ]
    doc.grid(["No.", "When", "Staff", "Action", "What"], rows, (12, 30, 30, 20, 82))


def _staff(doc: Document, staff: list[dict[str, Any]]) -> None:
    doc.heading("Staff named in this export")
    rows = [[s["user"], s.get("full_name") or "–", s.get("role") or "–"] for s in staff]
    doc.grid(["User name", "Full name", "Role"], rows, (50, 84, 40))


def subject_access_pdf(held: dict[str, Any]) -> bytes:
    records: list[ScreeningRecord] = held["_records"]["screenings"]
    child = held["child"]
    made = str(held["made_at"])
    subtitle = f"Everything cse-screen holds about one child, made {made[:16].replace('T', ' ')}"
    doc = Document(TITLE, subtitle)
    doc.title_block()
    _details(doc, child, records[0] if records else None)
    doc.heading(f"Screenings ({len(records)})")
    if not records:
        doc.note("The child has not been screened.")
    for n, record in enumerate(records, 1):
        if n > 1:
            doc.add_page()
        doc.para(f"Screening {n} of {len(records)} (id {record.id})", "B", 12)
        write_screening(doc, record, questionnaire_for(record))
    doc.add_page()
    _events(doc, held["events"])
    _audit(doc, held["audit"])
    _staff(doc, held["staff"])
    return doc.to_bytes()


def subject_access_zip(held: dict[str, Any], password: str | None = None) -> bytes:
    """The zip file's bytes: the PDF and the JSON, AES-256 encrypted when a password is given."""
    pdf, data = subject_access_pdf(held), as_json(held)
    if password:
        return aes_zip([(PDF_NAME, pdf), (JSON_NAME, data)], password)
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PDF_NAME, pdf)
        archive.writestr(JSON_NAME, data)
    return sink.getvalue()
