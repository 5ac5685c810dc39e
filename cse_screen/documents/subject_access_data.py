"""Everything the database holds about one child, gathered for a subject access request.

UK GDPR gives the child (or their representative) the right to a copy of their personal data:
their details, every screening with its answers and notes, the events recorded about them, and
the audit entries about their record with the staff who made them. Reading goes through the
services, so the role checks (and the audit of each view) are the ones the screens use; only
the audit entries about the child are read here directly, since the trail is indexed by record.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select

from cse_screen.storage.models import AuditRow, Event, Screening
from cse_screen.storage.records import ScreeningRecord

#: Fields of the child's record that are about the tool, not the child.
_INTERNAL = ("latest_screening_id",)


def _plain(value: Any) -> Any:
    """Dates as ISO text, everything else as JSON holds it."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _screening(record: ScreeningRecord) -> dict[str, Any]:
    data: dict[str, Any] = _plain(asdict(record))
    data["answers"] = {k: {"value": a.value, "note": a.note} for k, a in record.answers.items()}
    for key in ("child_name", "child_dob", "child_ref", "instrument_hash"):
        data.pop(key, None)
    return data


def _about_child(store: Any, child_id: int) -> list[dict[str, Any]]:
    """Audit entries about the child's record, its screenings and its events, oldest first."""
    with store.context.reading() as session:
        ids = {
            "screening": {str(i) for i in session.scalars(_ids(Screening, child_id))},
            "event": {str(i) for i in session.scalars(_ids(Event, child_id))},
            "child": {str(child_id)},
        }
        about = or_(
            *(and_(AuditRow.entity == e, AuditRow.entity_id.in_(v)) for e, v in ids.items()),
            AuditRow.detail.like('%"child_id"%'),
        )
        found = []
        for row in session.scalars(select(AuditRow).where(about).order_by(AuditRow.seq)):
            detail = json.loads(row.detail)
            if row.entity_id in ids.get(row.entity, ()) or detail.get("child_id") == child_id:
                found.append(_entry(row, detail))
        return found


def _ids(model: Any, child_id: int) -> Any:
    return select(model.id).where(model.child_id == child_id)


def _entry(row: AuditRow, detail: dict[str, Any]) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at,
        "actor": row.actor,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "detail": detail,
    }


def _staff(store: Any, names: set[str]) -> list[dict[str, Any]]:
    """The staff named in the record: user name, full name and role, where the user exists."""
    known = {}
    try:
        known = {u.name: u for u in store.users.list()}
    except Exception:  # a lead may not list every user; names alone then
        known = {}
    staff = []
    for name in sorted(n for n in names if n):
        user = known.get(name)
        staff.append(
            {
                "user": name,
                "full_name": user.full_name if user else None,
                "role": user.role if user else None,
            }
        )
    return staff


def gather(store: Any, case_ref: str) -> dict[str, Any]:
    """The child's whole record as plain data (the JSON of the export, and the PDF's source)."""
    found = store.children.by_ref(case_ref)
    child = store.children.get(found.id)  # the view is audited, like opening the record
    screenings = [store.screenings.get(s.id) for s in reversed(store.screenings.history(child.id))]
    events = list(reversed(store.events.for_child(child.id)))
    audit = _about_child(store, child.id)
    details = {k: v for k, v in _plain(asdict(child)).items() if k not in _INTERNAL}
    names = {e["actor"] for e in audit} | {s.created_by for s in screenings}
    names |= {s.signed_off_by or "" for s in screenings} | {e.recorded_by for e in events}
    names |= {child.worker or ""}
    return {
        "format": "cse-screen subject access export 1",
        "made_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "child": details,
        "screenings": [_screening(s) for s in screenings],
        "events": [_plain(asdict(e)) for e in events],
        "audit": audit,
        "staff": _staff(store, names),
        "_records": {"screenings": screenings},
    }


def as_json(held: dict[str, Any]) -> bytes:
    """The export's JSON: everything gathered, without the in-memory records."""
    public = {k: v for k, v in held.items() if not k.startswith("_")}
    return json.dumps(public, indent=2, ensure_ascii=False, sort_keys=False).encode("utf-8")
