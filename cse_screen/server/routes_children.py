"""Children and their events: the caller's caseload, one child, and the writes on them.

Each route resolves public ids (404 for what the caller may not see), calls the same service
as the laptop and shapes the record; the rules are all in the services. A create names its
record by the client's public id, so a request sent twice makes one record: the replay is
answered 200 with the record as it stands.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from cse_screen.server import schemas
from cse_screen.server.deps import (
    Work,
    audit_read,
    child_public_id,
    child_row_id,
    replayed,
)
from cse_screen.storage.models import Child, Event
from cse_screen.storage.records import ChildInput, RegisterQuery
from cse_screen.storage.services.children import ChildrenService
from cse_screen.storage.services.events import EventsService

router = APIRouter()


@router.get("/children")
def caseload(
    unit: Work,
    search: Annotated[str, Query(max_length=100)] = "",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> dict[str, Any]:
    """The children the caller may see (a worker's caseload, a lead's team, ...)."""
    page = ChildrenService(unit.context()).register(
        RegisterQuery(search=search, offset=offset, limit=limit)
    )
    audit_read(unit, "caseload", len(page.rows))
    return {"total": page.total, "children": [schemas.row_out(r) for r in page.rows]}


def _existing_child(unit: Work, public_id: UUID) -> int | None:
    with unit.session() as session:
        return session.scalar(select(Child.id).where(Child.public_id == str(public_id)))


@router.post("/children", status_code=201)
def add_child(unit: Work, body: schemas.ChildIn, response: Response) -> dict[str, Any]:
    service = ChildrenService(unit.context())
    if _existing_child(unit, body.id) is not None:
        row_id = child_row_id(unit, body.id)  # 404 if it is someone else's
        response.status_code = 200
        return schemas.child_out(service.get(row_id))
    values = body.model_dump(exclude={"id"})
    record = service.add(ChildInput(**values, public_id=str(body.id)))
    return schemas.child_out(record)


@router.get("/children/{child_id}")
def get_child(unit: Work, child_id: UUID) -> dict[str, Any]:
    return schemas.child_out(ChildrenService(unit.context()).get(child_row_id(unit, child_id)))


@router.patch("/children/{child_id}")
def change_child(unit: Work, child_id: UUID, body: schemas.ChildChange) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    record = ChildrenService(unit.context()).update(child_row_id(unit, child_id), **changes)
    return schemas.child_out(record)


@router.put("/children/{child_id}/allocation")
def allocate(unit: Work, child_id: UUID, body: schemas.Allocation) -> dict[str, Any]:
    """Allocate the child to a worker and team (both as given: None un-allocates)."""
    changes = {"worker": body.worker, "team": body.team}
    record = ChildrenService(unit.context()).update(child_row_id(unit, child_id), **changes)
    return schemas.child_out(record)


@router.get("/children/{child_id}/events")
def events_of(unit: Work, child_id: UUID) -> dict[str, Any]:
    row_id = child_row_id(unit, child_id)
    events = EventsService(unit.context()).for_child(row_id)
    audit_read(unit, "events", len(events), "child", row_id)
    return {"events": [schemas.event_out(e, str(child_id)) for e in events]}


@router.post("/children/{child_id}/events", status_code=201)
def add_event(
    unit: Work, child_id: UUID, body: schemas.EventIn, response: Response
) -> dict[str, Any]:
    row_id = child_row_id(unit, child_id)
    service = EventsService(unit.context())
    if replayed(unit, Event, body.id, row_id, response) is not None:
        same = [e for e in service.for_child(row_id) if e.public_id == str(body.id)]
        return schemas.event_out(same[0], child_public_id(unit, row_id))
    record = service.record(row_id, body.kind, body.on_date, body.note, public_id=str(body.id))
    return schemas.event_out(record, str(child_id))
