"""The sync step that sends the laptop's audit trail to the team server, whose copy is the
authority.

Anyone who holds a keyslot holds the database key, so on a laptop the trail can be rewritten
and re-hashed; what the server already holds cannot. Each sync sends the entries the server has
not acknowledged, starting with the last one it has (so a rewrite of the acknowledged head shows
even when nothing new was written), in batches the server checks against the chain it holds
for this device (``POST /sync/audit``, :mod:`cse_screen.server.routes_audit_upload`). The
server's answer is recorded in ``sync_state`` (entries held, the last one's hash, when), in one
local transaction per batch, so a sync killed between batches resumes where it was; a retry of
a batch the server already took is a replay there, never a duplicate.

A refusal because the trail differs from the server's copy is exit 4, in one sentence, with
nothing changed here: the local trail is evidence and is left as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.errors import DatabaseDamaged
from cse_screen.storage.models import AuditRow, SyncState
from cse_screen.storage.services.context import ServiceContext
from cse_screen.sync.client import Client, ServerRefused

ROUTE = "/sync/audit"
#: Entries per request, and the bytes they may take (the server's body limit is 256 KiB).
BATCH = 200
BATCH_BYTES = 160 * 1024
REWRITTEN = "audit_rewritten"
GAP = "audit_gap"


class AuditRewritten(DatabaseDamaged):
    """The team server refused the laptop's trail: it differs from the copy the server holds."""


@dataclass(frozen=True)
class ServerCopy:
    """How much of this laptop's audit chain the team server has acknowledged holding."""

    entries: int
    at: datetime | None
    #: Whether the local entry the server acknowledged last still has the hash it had then.
    matches: bool

    def sentence(self) -> str:
        if not self.entries:
            return "the team server holds none of this audit trail yet (it goes at the next sync)"
        when = f" (acknowledged {self.at.isoformat(timespec='seconds')}Z)" if self.at else ""
        return f"the team server holds entries 1 to {self.entries} of this audit trail{when}"

    def problem(self) -> str | None:
        if self.matches:
            return None
        return (
            f"audit entry {self.entries} differs from the one the team server acknowledged "
            "holding: the trail was rewritten on this laptop after it was sent"
        )


def server_copy(session: Session) -> ServerCopy | None:
    """What ``verify`` reports on an enrolled laptop (None on a database never enrolled)."""
    row = session.get(SyncState, 1)
    if row is None:
        return None
    acked = int(row.audit_acked or 0)
    if not acked:
        return ServerCopy(0, None, True)
    local = session.scalar(select(AuditRow.hash).where(AuditRow.seq == acked))
    return ServerCopy(acked, row.audit_acked_at, local == row.audit_acked_hash)


def _as_json(row: AuditRow) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at,
        "actor": row.actor,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "detail": row.detail,
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


def _batch(ctx: ServiceContext, start: int) -> list[dict[str, Any]]:
    """Entries from ``start`` on, as many as fit one request."""
    with ctx.reading() as session:
        rows = session.scalars(
            select(AuditRow).where(AuditRow.seq >= start).order_by(AuditRow.seq).limit(BATCH)
        )
        batch, size = [], 0
        for row in rows:
            entry = _as_json(row)
            size += len(json.dumps(entry, ensure_ascii=False).encode("utf-8"))
            if batch and size > BATCH_BYTES:
                break
            batch.append(entry)
    return batch


def _acknowledged(ctx: ServiceContext, last: dict[str, Any]) -> None:
    with ctx.transaction() as session:
        row = session.get(SyncState, 1)
        assert row is not None
        row.audit_acked, row.audit_acked_hash = int(last["seq"]), str(last["hash"])
        row.audit_acked_at = ctx.now()


def _rewritten(client: Client, refused: ServerRefused) -> AuditRewritten:
    held, at = refused.error.get("entries_held"), refused.error.get("differs_at")
    return AuditRewritten(
        f"the team server at {client.server.url} refused this laptop's audit trail, which "
        f"differs at entry {at} from the copy the server holds (entries 1 to {held}): it was "
        "rewritten on this laptop after it was sent; nothing was changed here, tell your "
        "administrator"
    )


def upload(ctx: ServiceContext, client: Client) -> int:
    """Send what the server does not hold yet; the number of entries it now holds."""
    with ctx.reading() as session:
        row = session.get(SyncState, 1)
        acked = int(row.audit_acked or 0) if row is not None else 0
    start, restarted = max(acked, 1), False
    while True:
        batch = _batch(ctx, start)
        if not batch:
            return acked
        try:
            client.call("POST", ROUTE, json={"entries": batch})
        except ServerRefused as refused:
            if refused.code == REWRITTEN:
                raise _rewritten(client, refused) from None
            if refused.code == GAP and not restarted:
                restarted = True  # the server holds less than recorded (it was restored)
                start = int(refused.error.get("entries_held") or 0) + 1
                continue
            raise
        _acknowledged(ctx, batch[-1])
        acked = int(batch[-1]["seq"])
        if len(batch) < BATCH and not _batch(ctx, acked + 1):
            return acked
        start = acked + 1
