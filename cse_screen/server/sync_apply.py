"""Applying one pushed change through the same services as the laptop that made it.

Each kind of change is the request a laptop would have made online (add a child, edit one,
record an event, record and submit a screening, sign it off, return it), checked by the same
role checks and rules. A change already reflected (the child exists, the screening is already
signed off by the same person) is not made twice: replays of lost answers are safe even before
the change id is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import select

from cse_screen.core import registry
from cse_screen.server import schemas
from cse_screen.server.deps import IdTaken, child_row_id, screening_row_id
from cse_screen.server.transaction import Unit
from cse_screen.storage.models import Child, Event, Screening
from cse_screen.storage.records import ChildInput
from cse_screen.storage.services.children import ChildrenService
from cse_screen.storage.services.events import EventsService
from cse_screen.storage.services.screenings import ScreeningsService


class ChildEdit(schemas.ChildChange):
    """An edit made on a laptop: any details, the allocation included."""

    worker: str | None = Field(default=None, max_length=64)
    team: str | None = Field(default=None, max_length=100)


class Edit(schemas.Strict):
    id: UUID
    fields: ChildEdit


class Decision(schemas.Strict):
    id: UUID
    reason: str | None = Field(default=None, max_length=4000)


def _existing(unit: Unit, model: Any, public_id: UUID) -> Any:
    with unit.session() as session:
        return session.scalar(select(model).where(model.public_id == str(public_id)))


def add_child(unit: Unit, payload: dict[str, Any]) -> None:
    body = schemas.ChildIn.model_validate(payload)
    if _existing(unit, Child, body.id) is not None:
        child_row_id(unit, body.id)  # someone else's: answered as not found
        return
    values = body.model_dump(exclude={"id"})
    ChildrenService(unit.context()).add(ChildInput(**values, public_id=str(body.id)))


def edit_child(unit: Unit, payload: dict[str, Any]) -> None:
    body = Edit.model_validate(payload)
    changes = body.fields.model_dump(exclude_unset=True)
    if changes:
        ChildrenService(unit.context()).update(child_row_id(unit, body.id), **changes)


def add_event(unit: Unit, payload: dict[str, Any]) -> None:
    row_id = child_row_id(unit, UUID(str(payload.get("child"))))
    fields = {k: payload.get(k) for k in ("id", "kind", "on_date", "note")}
    body = schemas.EventIn.model_validate(fields)
    existing = _existing(unit, Event, body.id)
    if existing is not None:
        if existing.child_id != row_id:
            raise IdTaken(f"the id {body.id} is already another record's")
        return
    EventsService(unit.context()).record(
        row_id, body.kind, body.on_date, body.note, public_id=str(body.id)
    )


def submit_screening(unit: Unit, payload: dict[str, Any]) -> None:
    """Record the screening as the laptop submitted it (or the resubmission of a returned
    one): the server scores it again with the same rules."""
    row_id = child_row_id(unit, UUID(str(payload.get("child"))))
    answers = dict(payload.get("answers") or {})
    body = schemas.ScreeningIn.model_validate(
        {
            "id": payload.get("id"),
            "trigger": payload.get("trigger"),
            "screen_date": payload.get("screen_date"),
            "context": payload.get("context") or {},
            "answers": {item: pair[0] for item, pair in answers.items()},
            "submit": True,
            "final_outcome": payload.get("final_outcome"),
            "reason": payload.get("override_reason"),
        }
    )
    service = ScreeningsService(unit.context())
    existing = _existing(unit, Screening, body.id)
    if existing is not None and existing.child_id != row_id:
        raise IdTaken(f"the id {body.id} is already another record's")
    if existing is not None and existing.status in ("submitted", "signed_off"):
        return
    if existing is None:
        draft = service.start_draft(
            row_id,
            registry.get_questionnaire(),
            body.trigger,
            body.screen_date,
            public_id=str(body.id),
        )
        screening_id = draft.id
    else:
        screening_id = existing.id
    service.save_context(screening_id, body.context)
    service.save_answers(screening_id, body.answers)
    for item, (value, note) in answers.items():
        if note:
            service.save_answer(screening_id, item, value, note)
    service.submit(screening_id, body.final_outcome, body.reason)


def sign_off(unit: Unit, payload: dict[str, Any]) -> None:
    body = Decision.model_validate(payload)
    row_id, _child = screening_row_id(unit, body.id)
    row = _existing(unit, Screening, body.id)
    if row.status == "signed_off" and row.signed_off_by == unit.user.name:
        return
    service = ScreeningsService(unit.context())
    service.sign_off(row_id, service.lowering(row_id))


def return_screening(unit: Unit, payload: dict[str, Any]) -> None:
    body = Decision.model_validate(payload)
    row_id, _child = screening_row_id(unit, body.id)
    row = _existing(unit, Screening, body.id)
    reason = body.reason or ""
    same = row.returned_by == unit.user.name and row.returned_reason == reason
    if row.status == "returned" and same:
        return
    ScreeningsService(unit.context()).return_to_worker(row_id, reason)


APPLY: dict[str, Callable[[Unit, dict[str, Any]], None]] = {
    "child.create": add_child,
    "child.change": edit_child,
    "event.create": add_event,
    "screening.submit": submit_screening,
    "screening.sign_off": sign_off,
    "screening.return": return_screening,
}
