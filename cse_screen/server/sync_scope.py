"""What a laptop should hold: the public ids of every record its user may see, per table.

A laptop asks at the end of each pull (``POST /sync/scope``) with a digest of the ids it holds
per table (see :func:`~cse_screen.storage.services.snapshots.id_digest`); a table whose digest
matches is answered with its count only, one that differs with the server's whole list, so an
ordinary sync costs three hashes, and only a laptop that drifted (a child moved away, a server
restored, a laptop restored from an old backup) receives lists. The laptop names the children
it holds back from the comparison (a draft, or a change the server has not accepted yet):
those children and their records are left out on both sides, and the answer says which of
them the server no longer shows this user, so the laptop can tell its user why each stays.

Visibility is the pull's: row-level security and the role scope decide which children, and a
draft screening never leaves the laptop that made it.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.server import schemas
from cse_screen.server.transaction import Unit
from cse_screen.storage.models import Child, Event, Screening
from cse_screen.storage.records import UserRecord
from cse_screen.storage.services import roles, snapshots

MAX_HELD = 20_000


class ScopeBody(schemas.Strict):
    held: list[str] = Field(default_factory=list, max_length=MAX_HELD)
    digests: dict[str, str] = Field(default_factory=dict)


def _record_ids(session: Session, user: UserRecord, entity: str, held: set[str]) -> list[str]:
    """The public ids of the screenings or events the user may see, less the held children's."""
    model: Any = Screening if entity == "screening" else Event
    stmt: Any = select(model.public_id, Child.public_id).join(Child, Child.id == model.child_id)
    stmt = stmt.where(roles.child_scope(user))
    if model is Screening:
        stmt = stmt.where(Screening.status != "draft")
    return [str(pid) for pid, child in session.execute(stmt) if str(child) not in held]


def scope(unit: Unit, body: ScopeBody) -> dict[str, Any]:
    """Per table: the count, whether the laptop's digest matches, the ids when it does not;
    and the held children this user may no longer see."""
    held = set(body.held)
    tables: dict[str, Any] = {}
    with unit.session() as session:
        stmt = select(Child.public_id).where(roles.child_scope(unit.user))
        visible = {str(pid) for pid in session.scalars(stmt)}
        for entity in snapshots.SCOPE_TABLES:
            if entity == "child":
                ids = sorted(visible - held)
            else:
                ids = sorted(_record_ids(session, unit.user, entity, held))
            digest = snapshots.id_digest(ids)
            match = body.digests.get(entity) == digest
            entry: dict[str, Any] = {"count": len(ids), "digest": digest, "match": match}
            if not match:
                entry["ids"] = ids
            tables[entity] = entry
    return {"tables": tables, "gone": sorted(held - visible)}
