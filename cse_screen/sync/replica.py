"""Records pulled from the team server, written into the laptop's database by public id.

Each record arrives whole, as it stands on the server; it is inserted if the laptop does not
have it and updated if it does, so a page applied twice (a pull killed before its cursor was
stored) changes nothing the second time. A record with a change of its own still waiting in the
outbox is left as the laptop has it: the push comes first, and the server's answer to it
arrives with a later pull. These rows do not go through the services: they are the server's
decisions, already checked there, and they must not be queued to travel back.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cse_screen.errors import UserError
from cse_screen.storage.models import Answer, Child, Event, OutboxEntry, Screening, ScreeningHand
from cse_screen.storage.services import hands
from cse_screen.storage.services.children import name_key
from cse_screen.storage.services.latest import refresh_child
from cse_screen.storage.services.snapshots import CHILD_FIELDS, EVENT_FIELDS, SCREENING_FIELDS

DATES = {"dob", "screen_date", "next_due", "on_date"}
TIMES = {"created_at", "submitted_at", "signed_off_at", "returned_at", "recorded_at"}
WAITING = ("pending", "refused")


def _value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in DATES:
        return date.fromisoformat(str(value))
    if name in TIMES:
        return datetime.fromisoformat(str(value)).replace(tzinfo=None)
    return value


def _waiting(session: Session, public_id: str) -> bool:
    """Whether this laptop still has an unpushed change of this record."""
    found = session.scalar(
        select(OutboxEntry.seq)
        .where(OutboxEntry.public_id == public_id, OutboxEntry.state.in_(WAITING))
        .limit(1)
    )
    return found is not None


def _child_by_public(session: Session, public_id: Any) -> Child | None:
    return session.scalar(select(Child).where(Child.public_id == str(public_id)))


def apply_child(session: Session, data: dict[str, Any], now: datetime) -> bool:
    row = _child_by_public(session, data["id"])
    if row is not None and _waiting(session, row.public_id):
        return False
    if row is None:
        clash = session.scalar(select(Child.id).where(Child.case_ref == data["case_ref"]))
        if clash is not None:
            raise UserError(
                f"the team server has a child with case reference {data['case_ref']} that this "
                "laptop holds as a different child; ask IT to check both records"
            )
        row = Child(public_id=str(data["id"]), created_at=now)
        session.add(row)
    for name in CHILD_FIELDS:
        setattr(row, name, _value(name, data.get(name)))
    row.name_key = name_key(row.case_ref, row.name)
    row.updated_at = now
    session.flush()
    refresh_child(session, row)
    return True


def apply_screening(session: Session, data: dict[str, Any], now: datetime) -> bool:
    child = _child_by_public(session, data["child"])
    if child is None:
        return False  # its child is not on this laptop (not in this user's caseload)
    row = session.scalar(select(Screening).where(Screening.public_id == str(data["id"])))
    if row is not None and _waiting(session, row.public_id):
        return False
    if row is not None and row.status == data["status"] == "returned":
        return False  # the worker may be correcting it here; their resubmission will travel
    if row is None:
        row = Screening(public_id=str(data["id"]), child_id=child.id, updated_at=now)
        session.add(row)
    row.child_id = child.id
    for name in SCREENING_FIELDS:
        setattr(row, name, _value(name, data.get(name)))
    row.updated_at = now
    session.flush()
    session.execute(delete(Answer).where(Answer.screening_id == row.id))
    for item, (value, note) in dict(data.get("answers") or {}).items():
        session.add(Answer(screening_id=row.id, item_id=item, value=value, note=note))
    _note_hands(session, row)
    session.flush()
    refresh_child(session, child)
    return True


def _note_hands(session: Session, row: Screening) -> None:
    """Whoever made the screening had a hand in it here too: four eyes hold on the laptop."""
    for part in (hands.STARTED, hands.SUBMITTED):
        known = session.get(ScreeningHand, (row.id, row.created_by, part))
        if known is None:
            session.add(ScreeningHand(screening_id=row.id, user_name=row.created_by, part=part))


def apply_event(session: Session, data: dict[str, Any], now: datetime) -> bool:
    child = _child_by_public(session, data["child"])
    if child is None:
        return False
    row = session.scalar(select(Event).where(Event.public_id == str(data["id"])))
    if row is None:
        row = Event(public_id=str(data["id"]), child_id=child.id)
        session.add(row)
    row.child_id = child.id
    for name in EVENT_FIELDS:
        setattr(row, name, _value(name, data.get(name)))
    session.flush()
    refresh_child(session, child)
    return True


APPLY = {"child": apply_child, "screening": apply_screening, "event": apply_event}


def apply(session: Session, change: dict[str, Any], now: datetime) -> bool:
    """Write one pulled record; False when it was left as the laptop has it."""
    entity = change.get("entity")
    if entity not in APPLY:
        return False
    return APPLY[entity](session, change["data"], now)
