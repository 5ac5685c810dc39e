"""Screenings: a child's history, one screening, and recording, submitting, signing off and
returning them, each through the laptop's screening service.

Recording is keyed by the client's public id (a replay returns the screening as it stands);
a decision sent again once it has been made (submit of a submitted screening, sign-off of a
signed-off one, the same return) is answered with the screening as it stands, not refused,
so a laptop that lost the first answer can send it again safely.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from sqlalchemy import select

from cse_screen.core import registry
from cse_screen.server import schemas
from cse_screen.server.deps import Work, audit_read, child_row_id, replayed, screening_row_id
from cse_screen.storage.models import Child, Screening
from cse_screen.storage.records import WholeScreening
from cse_screen.storage.services import roles
from cse_screen.storage.services.screenings import ScreeningsService

router = APIRouter()


@router.get("/children/{child_id}/screenings")
def history(unit: Work, child_id: UUID) -> dict[str, Any]:
    row_id = child_row_id(unit, child_id)
    rows = ScreeningsService(unit.context()).history(row_id)
    audit_read(unit, "screenings", len(rows), "child", row_id)
    return {"screenings": [schemas.summary_out(s, str(child_id)) for s in rows]}


@router.post("/children/{child_id}/screenings", status_code=201)
def record(
    unit: Work, child_id: UUID, body: schemas.ScreeningIn, response: Response
) -> dict[str, Any]:
    row_id = child_row_id(unit, child_id)
    service = ScreeningsService(unit.context())
    existing = replayed(unit, Screening, body.id, row_id, response)
    if existing is not None:
        return schemas.screening_out(service.get(existing), str(child_id))
    whole = WholeScreening(**body.model_dump(exclude={"id"}))
    done = service.record_whole(row_id, registry.get_questionnaire(), whole, public_id=str(body.id))
    return schemas.screening_out(done, str(child_id))


@router.get("/screenings/{screening_id}")
def get_screening(unit: Work, screening_id: UUID) -> dict[str, Any]:
    row_id, child = screening_row_id(unit, screening_id)
    return schemas.screening_out(ScreeningsService(unit.context()).get(row_id), child)


@router.post("/screenings/{screening_id}/submit")
def submit(unit: Work, screening_id: UUID, body: schemas.Submit) -> dict[str, Any]:
    row_id, child = screening_row_id(unit, screening_id)
    service = ScreeningsService(unit.context())
    row, worker, team = _state(unit, row_id)
    done = row.status in ("submitted", "signed_off")
    if not (done and roles.can_change_child(unit.user, worker, team)):
        service.submit(row_id, body.final_outcome, body.reason)
    return schemas.screening_out(service.get(row_id), child)


@router.post("/screenings/{screening_id}/sign-off")
def sign_off(unit: Work, screening_id: UUID, body: schemas.SignOff) -> dict[str, Any]:
    row_id, child = screening_row_id(unit, screening_id)
    service = ScreeningsService(unit.context())
    row, _worker, _team = _state(unit, row_id)
    if not (row.status == "signed_off" and row.signed_off_by == unit.user.name):
        lowering = service.lowering(row_id) if body.accept_lowering else None
        service.sign_off(row_id, lowering)
    return schemas.screening_out(service.get(row_id), child)


@router.post("/screenings/{screening_id}/return")
def return_for_changes(
    unit: Work, screening_id: UUID, body: schemas.ReturnForChanges
) -> dict[str, Any]:
    row_id, child = screening_row_id(unit, screening_id)
    service = ScreeningsService(unit.context())
    row, _worker, _team = _state(unit, row_id)
    same = row.returned_reason == body.reason and row.returned_by == unit.user.name
    if not (row.status == "returned" and same):
        service.return_to_worker(row_id, body.reason)
    return schemas.screening_out(service.get(row_id), child)


def _state(unit: Work, row_id: int) -> tuple[Any, str | None, str | None]:
    """The screening's decision columns and its child's allocation, to spot a replay: the
    same decision by the same person, already made."""
    with unit.session() as session:
        found = session.execute(
            select(
                Screening.status,
                Screening.signed_off_by,
                Screening.returned_by,
                Screening.returned_reason,
                Child.worker,
                Child.team,
            )
            .join(Child, Child.id == Screening.child_id)
            .where(Screening.id == row_id)
        ).one()
    return found, found.worker, found.team
