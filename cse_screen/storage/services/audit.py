"""The audit trail: append-only, hash-chained, in the same encrypted database as the records.

Each entry's hash is sha256(previous hash + canonical JSON of the entry), so editing, deleting or
reordering any row breaks every later link and :meth:`AuditLog.verify` names the first bad one.
Triggers refuse UPDATE and DELETE on the table; the chain catches whoever drops them.

Details hold ids, field names, outcomes and the reasons a user must give; never a child's name,
date of birth or other identifying values (those fields are recorded by name only).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.storage.models import AuditRow
from cse_screen.storage.records import AuditEntry, ChainReport
from cse_screen.storage.services.context import ServiceContext

GENESIS = "0" * 64

# Actions written by the services (others may be added; these are what the viewer filters on).
CREATE = "create"
CHANGE = "change"
VIEW = "view"
SUBMIT = "submit"
OVERRIDE = "override"
SIGN_OFF = "sign_off"
RETURN = "return"
DISCARD = "discard"
EXPORT = "export"
BACKUP = "backup"
RESTORE = "restore"
LOGIN = "login"
LOGIN_FAILED = "login_failed"
DENIED = "denied"
IMPORT = "import"


def canonical(value: Any) -> str:
    """One fixed text for a JSON value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, body: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(body)).encode("utf-8")).hexdigest()


def _body(
    seq: int, at: str, actor: str, action: str, entity: str, entity_id: str | None, detail: str
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "detail": json.loads(detail),
    }


def append(
    session: Session,
    ctx: ServiceContext,
    action: str,
    entity: str,
    entity_id: object = None,
    detail: Mapping[str, Any] | None = None,
    *,
    actor: str | None = None,
) -> AuditRow:
    """Add one entry inside the caller's transaction (so it commits with the change)."""
    last = session.execute(
        select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = ctx.now().isoformat(timespec="microseconds") + "Z"
    ident = None if entity_id is None else str(entity_id)
    text = canonical(dict(detail or {}))
    who = actor or ctx.user.name
    digest = entry_hash(prev, _body(seq, at, who, action, entity, ident, text))
    row = AuditRow(
        seq=seq,
        at=at,
        actor=who,
        action=action,
        entity=entity,
        entity_id=ident,
        detail=text,
        prev_hash=prev,
        hash=digest,
    )
    session.add(row)
    session.flush()
    return row


def chain_head(session: Session) -> tuple[int, str]:
    """(number of entries, hash of the last) as the caller's transaction sees them."""
    last = session.execute(
        select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)
    ).first()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS)


def _record(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        detail=json.loads(row.detail),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def walk_chain(rows: Iterator[AuditRow]) -> ChainReport:
    """Check each link in order; report the first entry whose link or content does not hold."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for row in rows:
        count += 1
        if row.seq != expected_seq:
            return ChainReport(count, False, row.seq, f"entry {expected_seq} is missing")
        if row.prev_hash != prev:
            return ChainReport(count, False, row.seq, "its link to the previous entry is broken")
        try:
            body = _body(
                row.seq, row.at, row.actor, row.action, row.entity, row.entity_id, row.detail
            )
        except ValueError:
            return ChainReport(count, False, row.seq, "its detail is not valid JSON")
        if entry_hash(prev, body) != row.hash:
            return ChainReport(count, False, row.seq, "its content does not match its hash")
        prev = row.hash
        expected_seq += 1
    return ChainReport(count, True)


class AuditLog:
    """The audit trail of the open database, as the signed-in user sees it."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def record(
        self,
        action: str,
        entity: str,
        entity_id: object = None,
        detail: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        """Record an action done outside the services (an export, a backup) in its own commit.

        Example: ``store.audit.record("export", "workbook", None, {"rows": 1200,
        "pseudonymised": True})``. ``detail`` must hold no names, dates of birth or free text.
        """
        with self._ctx.transaction() as session:
            return _record(append(session, self._ctx, action, entity, entity_id, detail))

    def entries(
        self, *, offset: int = 0, limit: int = 500, action: str | None = None
    ) -> list[AuditEntry]:
        """Newest first; for leads and admins (the log names every user's actions)."""
        from cse_screen.storage.services.roles import require_role  # roles writes through us

        require_role(self._ctx, ("lead", "admin"), "read the audit trail", "audit")
        stmt = select(AuditRow).order_by(AuditRow.seq.desc()).offset(offset).limit(limit)
        if action:
            stmt = stmt.where(AuditRow.action == action)
        with self._ctx.reading() as session:
            return [_record(row) for row in session.scalars(stmt)]

    def head(self) -> tuple[int, str]:
        """(number of entries, hash of the last): kept with backups to detect a cut tail."""
        with self._ctx.reading() as session:
            return chain_head(session)

    def verify(self) -> ChainReport:
        """Walk the whole chain from the first entry; any user may check it."""
        with self._ctx.reading() as session:
            rows = session.scalars(
                select(AuditRow).order_by(AuditRow.seq).execution_options(yield_per=2000)
            )
            return walk_chain(iter(rows))
