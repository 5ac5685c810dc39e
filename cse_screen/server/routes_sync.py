"""Sync: a laptop pushes its outbox, then pulls the changes after its cursor.

**Push** (``POST /sync/push``) takes a batch of changes, each with the laptop's change id, and
applies each at most once: the id and a hash of the change's content are kept in
``applied_changes`` in the same savepoint as the change itself, so a retry after a lost
answer, a killed process or a double click is answered "applied" without applying anything,
and the same id with other content is refused (``change_id_reused``), never applied. Each
change succeeds or fails on its own; the answer lists every one.

**Pull** (``GET /sync/pull?after=SEQ&limit=N``) pages through ``change_log`` after the cursor
and returns each record the caller may see as it stands now (row-level security and the role
checks decide what is visible; the cursor moves past what is not). The answer carries the
server's epoch (the id of this sequence); a cursor beyond the server's head, or from another
epoch, is answered 410 ``resync``: the server was restored or replaced, and the laptop must
read everything again.

**Scope** (``POST /sync/scope``) ends each pull: the laptop checks the public ids it holds per
table against what the caller may see (see :mod:`cse_screen.server.sync_scope`), and removes
what it should no longer hold.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field, ValidationError
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from cse_screen.errors import UserError
from cse_screen.server import schemas
from cse_screen.server.deps import Work
from cse_screen.server.faults import reply
from cse_screen.server.sync_apply import APPLY
from cse_screen.server.sync_scope import ScopeBody, scope
from cse_screen.server.transaction import Unit
from cse_screen.storage.models import AppliedChange, ChangeLog, Child, Event, Meta, Screening
from cse_screen.storage.services import roles, snapshots
from cse_screen.storage.services.audit import canonical

router = APIRouter()

MAX_BATCH = 200
Kind = Literal[
    "child.create",
    "child.change",
    "event.create",
    "screening.submit",
    "screening.sign_off",
    "screening.return",
]


class Change(schemas.Strict):
    id: UUID
    kind: Kind
    payload: dict[str, Any]


class PushBody(schemas.Strict):
    changes: list[Change] = Field(max_length=MAX_BATCH)


def content_hash(change: Change) -> str:
    return hashlib.sha256(canonical([change.kind, change.payload]).encode("utf-8")).hexdigest()


def _refused(change: Change, code: str, message: str) -> dict[str, Any]:
    return {"id": str(change.id), "status": "refused", "code": code, "message": message}


def _apply_one(unit: Unit, device: str | None, change: Change) -> dict[str, Any]:
    digest = content_hash(change)
    with unit.session() as session:
        seen = session.get(AppliedChange, str(change.id))
    if seen is not None:
        if seen.content_hash != digest:
            message = f"change {change.id} was already applied with other content; not applied"
            return _refused(change, "change_id_reused", message)
        return {"id": str(change.id), "status": "applied", "replay": True}
    savepoint = unit.connection.begin_nested()
    try:
        APPLY[change.kind](unit, change.payload)
        with unit.session() as session:
            session.add(
                AppliedChange(
                    change_id=str(change.id),
                    content_hash=digest,
                    user_name=unit.user.name,
                    device=device,
                    applied_at=unit.now(),
                )
            )
            session.commit()  # into the savepoint: a session closed uncommitted rolls back
    except ValidationError as invalid:
        savepoint.rollback()
        first: dict[str, Any] = dict(invalid.errors()[0]) if invalid.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())) or "payload"
        message = f"change {change.id} does not fit: {where} ({first.get('type', 'invalid')})"
        return _refused(change, "invalid_change", message)
    except UserError as error:
        savepoint.rollback()
        return _refused(change, type(error).__name__, f"change {change.id}: {error.message}")
    savepoint.commit()
    return {"id": str(change.id), "status": "applied", "replay": False}


@router.post("/sync/push")
def push(request: Request, unit: Work, body: PushBody) -> dict[str, Any]:
    device = request.state.caller.device_public_id
    results = [_apply_one(unit, device, change) for change in body.changes]
    return {"results": results}


def epoch(unit: Unit) -> str:
    with unit.session() as session:
        return str(session.scalar(select(Meta.value).where(Meta.key == "sync_epoch")) or "")


def head(unit: Unit) -> int:
    """The newest number handed out, whatever team it was for (row-level security hides
    other teams' rows, not the sequence)."""
    found = unit.connection.execute(
        text("SELECT pg_sequence_last_value(pg_get_serial_sequence('change_log', 'seq'))")
    ).scalar()
    return int(found or 0)


def _history(session: Session, child: Child) -> list[tuple[str, str]]:
    """A moved child's screenings (never drafts) and events, oldest first: records the new
    worker's laptop has not seen, though their own changes are behind its cursor."""
    screenings = select(Screening.public_id).where(
        Screening.child_id == child.id, Screening.status != "draft"
    )
    events = select(Event.public_id).where(Event.child_id == child.id)
    return [
        ("screening", str(pid)) for pid in session.scalars(screenings.order_by(Screening.id))
    ] + [("event", str(pid)) for pid in session.scalars(events.order_by(Event.id))]


def _visible(unit: Unit, rows: list[ChangeLog]) -> list[dict[str, Any]]:
    """Each record named in ``rows`` that the caller may see, once, as it stands now, in the
    order of its first change (a child comes before its screenings). A child's move (its
    worker or team changed) brings its whole history with it, placed after the child even
    where the page named a screening of it first."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    with unit.session() as session:
        for row in rows:
            named = [(row.entity, str(row.public_id))]
            moved = row.entity == "child" and bool((row.payload or {}).get("moved"))
            for key in named:
                if key in out and not moved:
                    continue
                found = snapshots.of(session, *key)
                if found is None:
                    continue
                data, child = found
                if not roles.can_see_child(unit.user, child.worker, child.team):
                    continue
                if key[0] == "screening" and data["status"] == "draft":
                    continue
                out.pop(key, None)
                out[key] = {"seq": row.seq, "entity": key[0], "data": data}
                if moved and key[0] == "child":
                    named += _history(session, child)
    return list(out.values())


@router.get("/sync/pull", response_model=None)
def pull(
    unit: Work,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    known_epoch: Annotated[str, Query(alias="epoch", max_length=64)] = "",
) -> dict[str, Any] | JSONResponse:
    current, top = epoch(unit), head(unit)
    if after > top or (known_epoch and known_epoch != current):
        return reply(
            410,
            "resync",
            "the team server does not know this laptop's sync position (it was restored or "
            "replaced); everything must be read again",
            epoch=current,
        )
    with unit.session() as session:
        rows = list(
            session.scalars(
                select(ChangeLog).where(ChangeLog.seq > after).order_by(ChangeLog.seq).limit(limit)
            )
        )
    # Never past the last row read: a number handed out but not yet committed (the sequence
    # runs ahead of commits) must still be found by the next pull.
    return {
        "epoch": current,
        "cursor": rows[-1].seq if rows else after,
        "more": len(rows) == limit,
        "changes": _visible(unit, rows),
    }


@router.post("/sync/scope")
def check_scope(unit: Work, body: ScopeBody) -> dict[str, Any]:
    """The public ids this caller may see, per table, for the laptop to check its copy by."""
    return scope(unit, body)
