"""The end of every pull: the laptop's copy checked against what its user may see on the server.

The laptop sends a digest of the public ids it holds per table; the server answers which tables
differ, with its ids for those (see :mod:`cse_screen.server.sync_scope`). What the laptop holds
and the server no longer shows this user (a child moved to another worker or team, a record a
restored server no longer has) is removed here, with its screenings, answers and events, and
the removal is audited without the child's name. What the server shows and the laptop lacks
means the laptop's copy drifted: the caller reads everything again, and if it still lacks
records after that, the sync stops with an error and removes nothing.

A child is **held** (left out of the comparison on both sides, and never removed) while the
laptop has a change of it, or of one of its records, that the server has not accepted, or a
draft screening of it: the draft would be lost with it, and drafts never travel. Its user is
told (``kept`` in ``sync --json``) for each held child the server no longer shows them, so they
can submit or discard the draft; the next sync after that removes the child.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cse_screen.errors import UserError
from cse_screen.storage.models import (
    Answer,
    Child,
    Event,
    OutboxEntry,
    Screening,
    ScreeningHand,
)
from cse_screen.storage.services import audit, snapshots
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.services.latest import refresh_child
from cse_screen.sync.client import Client
from cse_screen.sync.state import WAITING

REMOVE = "remove"
DRAFT = "draft"
UNPUSHED = "unpushed"
#: The kinds of change that create a record the server may not have yet.
CREATES = ("child.create",)


class ScopeMismatch(UserError):
    """After a full read the laptop still lacks records the server shows: nothing removed."""


@dataclass
class Comparison:
    """What the server said about the laptop's copy, and what the laptop does about it."""

    server: dict[str, set[str]] = field(default_factory=dict)
    local: dict[str, set[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    gone: list[str] = field(default_factory=list)

    def missing(self) -> dict[str, int]:
        """Per table, how many records the server shows that the laptop lacks."""
        return {
            entity: len(ids - self.local.get(entity, set()))
            for entity, ids in self.server.items()
            if ids - self.local.get(entity, set())
        }

    def surplus(self, entity: str) -> set[str]:
        if entity not in self.server:
            return set()
        return self.local.get(entity, set()) - self.server[entity]


@dataclass
class Removal:
    removed: int = 0
    kept: list[dict[str, str]] = field(default_factory=list)


def _record_child(session: Session, kind: str, public_id: str) -> str | None:
    """The child public id an outbox entry's record belongs to."""
    if kind.startswith("child."):
        return public_id
    model: Any = Screening if kind.startswith("screening.") else Event
    stmt = select(Child.public_id).join(model, model.child_id == Child.id)
    found = session.scalar(stmt.where(model.public_id == public_id))
    return None if found is None else str(found)


def held(session: Session) -> dict[str, str]:
    """Child public id → why the laptop keeps it out of the comparison (draft, unpushed)."""
    out: dict[str, str] = {}
    drafts = select(Child.public_id).join(Screening, Screening.child_id == Child.id)
    for pid in session.scalars(drafts.where(Screening.status == DRAFT).distinct()):
        out[str(pid)] = DRAFT
    waiting = select(OutboxEntry.kind, OutboxEntry.public_id).where(OutboxEntry.state.in_(WAITING))
    for kind, public_id in session.execute(waiting):
        child = _record_child(session, kind, str(public_id))
        if child is not None:
            out[child] = UNPUSHED
    return out


def new_here(session: Session) -> set[str]:
    """Children made on this laptop that the server has not accepted yet."""
    stmt = select(OutboxEntry.public_id).where(
        OutboxEntry.state.in_(WAITING), OutboxEntry.kind.in_(CREATES)
    )
    return {str(pid) for pid in session.scalars(stmt)}


def local_ids(session: Session, keep: Iterable[str]) -> dict[str, set[str]]:
    """The public ids this laptop holds per table, less the held children and their records
    (and drafts, which never travel)."""
    keep = set(keep)
    children = {str(pid) for pid in session.scalars(select(Child.public_id))} - keep
    out: dict[str, set[str]] = {"child": children}
    for entity, model in (("screening", Screening), ("event", Event)):
        stmt: Any = select(model.public_id, Child.public_id).join(Child, Child.id == model.child_id)
        if model is Screening:
            stmt = stmt.where(Screening.status != DRAFT)
        out[entity] = {str(pid) for pid, child in session.execute(stmt) if str(child) not in keep}
    return out


def compare(ctx: ServiceContext, client: Client) -> Comparison:
    """Ask the server about this laptop's copy (one request; lists only for tables that
    differ)."""
    with ctx.reading() as session:
        keep = held(session)
        local = local_ids(session, keep)
    digests = {entity: snapshots.id_digest(local[entity]) for entity in snapshots.SCOPE_TABLES}
    answer = client.call("POST", "/sync/scope", json={"held": sorted(keep), "digests": digests})
    found = Comparison(local=local, gone=[str(pid) for pid in answer.get("gone") or []])
    for entity, table in dict(answer.get("tables") or {}).items():
        if entity not in snapshots.SCOPE_TABLES:
            continue
        found.counts[entity] = int(table.get("count") or 0)
        if not table.get("match"):
            found.server[entity] = {str(pid) for pid in table.get("ids") or []}
    return found


def mismatch(server_url: str, missing: dict[str, int]) -> ScopeMismatch:
    parts = ", ".join(f"{count} {entity} record(s)" for entity, count in sorted(missing.items()))
    return ScopeMismatch(
        f"after reading everything again from the team server at {server_url}, this laptop "
        f"still lacks {parts} the server holds for you; nothing was removed, sync again and "
        "tell IT if this repeats"
    )


def _drop_screenings(session: Session, ids: list[int]) -> None:
    if not ids:
        return
    session.execute(delete(Answer).where(Answer.screening_id.in_(ids)))
    session.execute(delete(ScreeningHand).where(ScreeningHand.screening_id.in_(ids)))
    session.execute(delete(Screening).where(Screening.id.in_(ids)))


def _remove_child(session: Session, ctx: ServiceContext, child: Child) -> None:
    """The child and everything of theirs on this laptop; the audit entry names no one."""
    screenings = list(session.scalars(select(Screening.id).where(Screening.child_id == child.id)))
    events = session.scalar(
        select(func.count()).select_from(Event).where(Event.child_id == child.id)
    )
    _drop_screenings(session, screenings)
    session.execute(delete(Event).where(Event.child_id == child.id))
    detail = {
        "child": child.public_id,
        "case_ref": child.case_ref,
        "screenings": len(screenings),
        "events": int(events or 0),
        "why": "no longer in this user's caseload on the team server",
    }
    session.delete(child)
    session.flush()
    audit.append(session, ctx, REMOVE, "child", child.id, detail)


def _remove_records(session: Session, ctx: ServiceContext, entity: str, ids: set[str]) -> int:
    """Screenings or events the server no longer has, of children the laptop keeps."""
    model: Any = Screening if entity == "screening" else Event
    rows = list(session.scalars(select(model).where(model.public_id.in_(sorted(ids)))))
    for row in rows:
        owner = session.get(Child, row.child_id)
        if entity == "screening":
            _drop_screenings(session, [row.id])
        else:
            session.delete(row)
        session.flush()
        detail = {entity: row.public_id, "why": "no longer on the team server for this user"}
        audit.append(session, ctx, REMOVE, entity, row.id, detail)
        if owner is not None:
            refresh_child(session, owner)
    return len(rows)


def remove_extras(ctx: ServiceContext, found: Comparison) -> Removal:
    """Remove, in one transaction, what the laptop holds and the server no longer shows this
    user; a child that became held meanwhile (a draft just started) stays."""
    done = Removal()
    with ctx.transaction() as session:
        keep = held(session)
        children = found.surplus("child") - set(keep)
        for child in session.scalars(select(Child).where(Child.public_id.in_(sorted(children)))):
            _remove_child(session, ctx, child)
            done.removed += 1
        for entity in ("screening", "event"):
            ids = found.surplus(entity)
            if ids:
                done.removed += _remove_records(session, ctx, entity, ids)
        fresh = new_here(session)
        gone = [pid for pid in found.gone if pid in keep and pid not in fresh]
        stmt = select(Child.public_id, Child.case_ref).where(Child.public_id.in_(gone))
        refs = {str(pid): ref for pid, ref in session.execute(stmt)}
        for pid in gone:
            if pid in refs:
                done.kept.append({"ref": str(refs[pid]), "reason": keep[pid]})
    return done
