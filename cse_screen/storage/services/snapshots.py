"""A record as it travels between copies: plain JSON, named by public ids only.

The laptop freezes one into its outbox when it makes a change, and the server reads one when a
laptop pulls; both sides agree on these shapes, so one module makes them. Row ids never leave
the copy they belong to.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.storage.models import Answer, Child, Event, Screening

CHILD_FIELDS = (
    "case_ref",
    "name",
    "dob",
    "gender",
    "ethnicity",
    "disability",
    "placement_type",
    "legal_status",
    "worker",
    "team",
)
SCREENING_FIELDS = (
    "instrument_id",
    "instrument_version",
    "instrument_hash",
    "status",
    "trigger",
    "screen_date",
    "team",
    "context",
    "result",
    "computed_outcome",
    "final_outcome",
    "override_reason",
    "needs_signoff",
    "next_due",
    "created_by",
    "created_at",
    "submitted_at",
    "submitted_seq",
    "signed_off_by",
    "signed_off_at",
    "returned_reason",
    "returned_by",
    "returned_at",
)
EVENT_FIELDS = ("kind", "on_date", "note", "recorded_by", "recorded_at")


def plain(value: Any) -> Any:
    """Dates and times as ISO text (times are naive UTC in the database)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def child(row: Child) -> dict[str, Any]:
    return {"id": row.public_id, **{name: plain(getattr(row, name)) for name in CHILD_FIELDS}}


def child_fields(row: Child, names: list[str]) -> dict[str, Any]:
    """Only the named fields of a child (an edit travels as the fields it changed)."""
    return {name: plain(getattr(row, name)) for name in names if name in CHILD_FIELDS}


def screening(session: Session, row: Screening) -> dict[str, Any]:
    child_id = session.scalar(select(Child.public_id).where(Child.id == row.child_id))
    answers = session.execute(
        select(Answer.item_id, Answer.value, Answer.note).where(Answer.screening_id == row.id)
    )
    return {
        "id": row.public_id,
        "child": child_id,
        **{name: plain(getattr(row, name)) for name in SCREENING_FIELDS},
        "answers": {a.item_id: [a.value, a.note] for a in answers},
    }


def event(session: Session, row: Event) -> dict[str, Any]:
    child_id = session.scalar(select(Child.public_id).where(Child.id == row.child_id))
    return {
        "id": row.public_id,
        "child": child_id,
        **{name: plain(getattr(row, name)) for name in EVENT_FIELDS},
    }


def of(session: Session, entity: str, public_id: str) -> tuple[dict[str, Any], Child] | None:
    """The record as it stands and its child, or None if it is not there (or not visible)."""
    model: Any = {"child": Child, "screening": Screening, "event": Event}[entity]
    row = session.scalar(select(model).where(model.public_id == public_id))
    if row is None:
        return None
    if isinstance(row, Child):
        return child(row), row
    owner = session.get(Child, row.child_id)
    if owner is None:
        return None
    if isinstance(row, Screening):
        return screening(session, row), owner
    return event(session, row), owner


#: The tables a laptop's copy is checked against the server's, by the public ids they hold.
SCOPE_TABLES = ("child", "screening", "event")


def id_digest(ids: Iterable[str]) -> str:
    """One hash of a set of public ids, the same on both sides whatever order they are read
    in: a laptop and its server compare a whole table's ids without sending them."""
    text = "\n".join(sorted(set(ids)))
    return hashlib.sha256(text.encode("ascii")).hexdigest()
