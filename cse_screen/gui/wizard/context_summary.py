"""The "About this screening" answers as words, for showing a screening read-only.

Uses the same split as the wizard (fields the child's record holds are not the screening's own)
so an old screening shows exactly what its worker was asked, under its own definition version.
"""

from __future__ import annotations

import html
from datetime import date

from cse_screen.core.model import ContextField, Questionnaire
from cse_screen.storage.records import ScreeningRecord
from cse_screen.storage.services.drafts import CHILD_RECORD_FIELDS

NOT_GIVEN = "Not given"


def option_words(value: str) -> str:
    """A definition option id as a reader would write it (``case_file`` → "Case file")."""
    return value.replace("_", " ").capitalize()


def _words(field: ContextField, value: object) -> str:
    if value is None or value == "" or value == []:
        return NOT_GIVEN
    if field.type == "date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        return f"{day:%d %b %Y}"
    if field.type in ("choice", "multi_choice"):
        values = value if isinstance(value, list) else [value]
        return ", ".join(option_words(str(v)) for v in values)
    return str(value)


def context_rows(record: ScreeningRecord, q: Questionnaire) -> list[tuple[str, str]]:
    """(label, value in words) for each context field the screening itself answers."""
    rows = []
    for field in q.context_fields:
        if field.id in CHILD_RECORD_FIELDS and field.id not in record.context:
            continue  # the record's detail; kept here only when the screening had to ask it
        if field.id == "screen_date":
            value: object = record.screen_date
        else:
            value = record.context.get(field.id)
            if value is None and field.id == "trigger":
                value = record.trigger
        rows.append((field.label, _words(field, value)))
    return rows


def context_html(record: ScreeningRecord, q: Questionnaire) -> str:
    """A small HTML table of :func:`context_rows` (empty when the definition asks none)."""
    rows = context_rows(record, q)
    if not rows:
        return ""
    cells = "".join(
        f"<tr><td>{html.escape(label)}</td><td>{html.escape(value)}</td></tr>"
        for label, value in rows
    )
    return f"<h4>About this screening</h4><table cellpadding='3'>{cells}</table>"
