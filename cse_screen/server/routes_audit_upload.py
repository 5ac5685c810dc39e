"""A laptop's audit trail goes to the team server, whose copy is the authority.

``POST /sync/audit`` takes a batch of the laptop's audit entries, in order, exactly as they are
chained there, and keeps them per device in ``device_audit`` (append-only). A batch is accepted
only if it continues the chain the server already holds for that device:

* every entry's hash is recomputed here, and links to the one before it (the server never keeps
  a chain that does not hold by itself);
* entries the server holds already must be the very same (a retry after a lost answer is a
  replay, answered as such, and doubles nothing);
* the first new entry must follow the last one held: same previous hash, next number.

Anything else means the laptop's trail now tells another story than the one it told before
(someone with the database key rewrote it and re-hashed the chain): the batch is refused with
``audit_rewritten`` (409), nothing of it is kept, and the refusal is written to the server's
own audit trail. A batch that starts after a gap is answered ``audit_gap`` with how far the
server holds, so the laptop sends from there.

Entries are held under the device's team with row-level security; nothing of their content is
logged (the access log has the path and status only).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, text

from cse_screen.server.deps import Work
from cse_screen.server.faults import reply
from cse_screen.server.transaction import Unit
from cse_screen.storage.models import DeviceAuditRow
from cse_screen.storage.services import audit

router = APIRouter()

MAX_ENTRIES = 500
REWRITTEN = "audit_rewritten"
GAP = "audit_gap"
INVALID = "audit_invalid"
#: The server's own audit action for a refused batch.
REFUSED_ACTION = "audit_refused"

Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Entry(BaseModel):
    """One laptop audit entry, as hashed there (no whitespace stripped: it is hashed)."""

    model_config = ConfigDict(extra="forbid")

    seq: int = Field(ge=1)
    at: str = Field(max_length=40)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=32)
    entity: str = Field(max_length=32)
    entity_id: str | None = Field(default=None, max_length=64)
    detail: str = Field(max_length=65_536)
    prev_hash: Hash
    hash: Hash


class AuditBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entries: list[Entry] = Field(min_length=1, max_length=MAX_ENTRIES)


def broken_link(entries: list[Entry]) -> str | None:
    """Why the batch does not hold as a chain by itself (None when it does)."""
    for before, entry in zip([None, *entries], entries, strict=False):
        if before is not None and (entry.seq != before.seq + 1 or entry.prev_hash != before.hash):
            return f"entry {entry.seq} does not follow entry {before.seq}"
        try:
            body = audit.entry_body(entry)
        except ValueError:
            return f"entry {entry.seq}'s detail is not valid JSON"
        if audit.entry_hash(entry.prev_hash, body) != entry.hash:
            return f"entry {entry.seq}'s content does not match its hash"
    return None


def _held(unit: Unit, device: str, first: int) -> tuple[int, str, dict[int, str]]:
    """(entries held, last hash held, hashes held from ``first`` on) for the device."""
    with unit.session() as session:
        last = session.execute(
            select(DeviceAuditRow.seq, DeviceAuditRow.hash)
            .where(DeviceAuditRow.device == device)
            .order_by(DeviceAuditRow.seq.desc())
            .limit(1)
        ).first()
        overlap = dict(
            session.execute(
                select(DeviceAuditRow.seq, DeviceAuditRow.hash).where(
                    DeviceAuditRow.device == device, DeviceAuditRow.seq >= first
                )
            ).all()
        )
    if last is None:
        return 0, audit.GENESIS, {}
    return int(last.seq), str(last.hash), {int(k): str(v) for k, v in overlap.items()}


def _refuse(unit: Unit, device: str, held: int, at_seq: int) -> JSONResponse:
    """Record the refusal in the server's own trail (it commits with the request) and say so."""
    detail = {"code": REWRITTEN, "entries_held": held, "differs_at": at_seq}
    audit.AuditLog(unit.context()).record(REFUSED_ACTION, "device", device, detail)
    return reply(
        409,
        REWRITTEN,
        f"this laptop's audit trail differs at entry {at_seq} from the copy the team server "
        f"holds (entries 1 to {held}): it was rewritten after it was sent; nothing was kept",
        entries_held=held,
        differs_at=at_seq,
    )


@router.post("/sync/audit", response_model=None)
def upload(request: Request, unit: Work, body: AuditBody) -> dict[str, Any] | JSONResponse:
    device = str(request.state.caller.device_public_id)
    entries = body.entries
    problem = broken_link(entries)
    if problem is not None:
        return reply(422, INVALID, f"the audit entries sent do not form a chain: {problem}")
    # One upload per device at a time: the check and the insert below must see the same head.
    unit.connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:d))"), {"d": device})
    held, last_hash, overlap = _held(unit, device, entries[0].seq)
    for entry in entries:
        if entry.seq in overlap and overlap[entry.seq] != entry.hash:
            return _refuse(unit, device, held, entry.seq)
    new = [e for e in entries if e.seq > held]
    if new and new[0].seq != held + 1:
        return reply(
            409,
            GAP,
            f"the team server holds this laptop's audit trail up to entry {held}; "
            f"send from entry {held + 1}",
            entries_held=held,
        )
    if new and new[0].prev_hash != last_hash:
        return _refuse(unit, device, held, new[0].seq)
    now = unit.now()
    with unit.session() as session:
        for entry in new:
            session.add(
                DeviceAuditRow(
                    device=device, team=unit.user.team, received_at=now, **entry.model_dump()
                )
            )
        session.commit()
    top = new[-1] if new else None
    return {
        "entries_held": top.seq if top else held,
        "hash": top.hash if top else last_hash,
        "added": len(new),
        "replayed": len(entries) - len(new),
    }
