"""Where an audited change goes for sync: numbered on the server, queued on a laptop.

Every change a service makes is audited in its own transaction (:func:`audit.append`), and the
audit trail hands it on through the context's ``record_change``. The server's contexts number
it in ``change_log`` (:func:`log_change`), an enrolled laptop's freeze it into ``outbox``
(:func:`queue_change`), in the same transaction either way: a change and its sync record commit
together or not at all. Which function a context carries is decided by whoever opens the
database, so the services hold no branch for either side.

Only what another copy needs travels: children added or edited, events, and screenings once
submitted, signed off or returned. Drafts, views, sign-ins and exports stay where they were
made.

On the server every write transaction first takes the one write lock (see
:data:`~cse_screen.storage.services.context.TAKE_WRITE_LOCK`), so ``change_log`` numbers are
handed out in commit order: a laptop that has read up to number N will never later find a
smaller number committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from cse_screen.storage.models import ChangeLog, Child, Event, OutboxEntry, Screening, SyncState
from cse_screen.storage.services import snapshots
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.types import new_public_id

#: (entity, audited action) → the kind of change that travels.
TRAVELS = {
    ("child", "create"): "child.create",
    ("child", "change"): "child.change",
    ("event", "create"): "event.create",
    ("screening", "submit"): "screening.submit",
    ("screening", "sign_off"): "screening.sign_off",
    ("screening", "return"): "screening.return",
}
#: Child fields whose change moves the child to another worker's or team's laptop.
MOVES = {"worker", "team"}
MODELS: dict[str, type[Child] | type[Screening] | type[Event]] = {
    "child": Child,
    "screening": Screening,
    "event": Event,
}


def enrolled(session: Session) -> bool:
    """Whether this laptop database is enrolled (asked once per transaction)."""
    if "sync_enrolled" not in session.info:
        session.info["sync_enrolled"] = session.get(SyncState, 1) is not None
    return bool(session.info["sync_enrolled"])


def wanted(session: Session, ctx: ServiceContext) -> bool:
    """Whether changes made in this transaction go anywhere (bulk writers ask first, so a
    standalone import pays nothing for sync)."""
    if ctx.record_change is None:
        return False
    return ctx.record_change is not queue_change or enrolled(session)


def _row(session: Session, entity: str, entity_id: object) -> Any:
    return session.get(MODELS[entity], int(str(entity_id)))


def _team(session: Session, row: Any) -> str | None:
    if isinstance(row, Child):
        return row.team
    owner = session.get(Child, row.child_id)
    return owner.team if owner is not None else None


def log_change(
    session: Session,
    ctx: ServiceContext,
    action: str,
    entity: str,
    entity_id: object,
    detail: Mapping[str, Any],
) -> None:
    """The server's: number the change (a pull reads the record as it then stands)."""
    if (entity, action) not in TRAVELS or entity_id is None:
        return
    row = _row(session, entity, entity_id)
    payload: dict[str, Any] = {"by": ctx.user.name}
    if entity == "child" and MOVES & set(dict(detail.get("fields") or {})):
        payload["moved"] = True  # a pull sends the child's history with it (a new laptop)
    session.add(
        ChangeLog(
            entity=entity,
            action=action,
            public_id=row.public_id,
            team=_team(session, row),
            payload=payload,
            at=ctx.now(),
        )
    )
    session.flush()


def push_payload(
    session: Session, kind: str, row: Any, detail: Mapping[str, Any]
) -> dict[str, Any]:
    """What the server needs to make the same change: a whole new record, the changed fields
    of an edit, or the decision on a screening."""
    if kind == "child.create":
        return snapshots.child(row)
    if kind == "child.change":
        changed = list(dict(detail.get("fields") or {}))
        return {"id": row.public_id, "fields": snapshots.child_fields(row, changed)}
    if kind == "event.create":
        return snapshots.event(session, row)
    if kind == "screening.submit":
        return snapshots.screening(session, row)
    if kind == "screening.return":
        return {"id": row.public_id, "reason": row.returned_reason}
    return {"id": row.public_id}


def queue_change(
    session: Session,
    ctx: ServiceContext,
    action: str,
    entity: str,
    entity_id: object,
    detail: Mapping[str, Any],
) -> None:
    """An enrolled laptop's: freeze the change into the outbox under a new change id (a
    standalone database, never enrolled, queues nothing)."""
    kind = TRAVELS.get((entity, action))
    if kind is None or entity_id is None or not enrolled(session):
        return
    row = _row(session, entity, entity_id)
    session.add(
        OutboxEntry(
            change_id=new_public_id(),
            kind=kind,
            public_id=row.public_id,
            team=_team(session, row),
            payload=push_payload(session, kind, row, detail),
            state="pending",
            created_at=ctx.now(),
        )
    )
    session.flush()
