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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, insert, or_, select
from sqlalchemy.orm import Session

from cse_screen.storage.models import AuditRow, Child, Event, Screening, User
from cse_screen.storage.records import AuditEntry, ChainReport
from cse_screen.storage.services import audit_refs, clock, roles
from cse_screen.storage.services.context import TAKE_WRITE_LOCK, Refusal, ServiceContext, Unseen

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


@dataclass(frozen=True)
class AuditQuery:
    """One page of the audit viewer. ``since``/``before`` are UTC times (naive or aware):
    entries at or after ``since`` and strictly before ``before``."""

    action: str | None = None
    actor: str | None = None
    since: datetime | None = None
    before: datetime | None = None
    offset: int = 0
    limit: int = 200
    #: Only entries older than this one (keyset paging: the next page of a long trail starts
    #: at the last entry shown, read through the primary key instead of skipping ``offset``).
    below_seq: int | None = None
    #: Count the matches (a full scan of what matches); pages after the first skip it, so
    #: scrolling a long trail does not count it again for every page.
    with_total: bool = True


@dataclass(frozen=True)
class AuditPage:
    """Entries newest first, and how many match the query in all (None when not counted)."""

    entries: tuple[AuditEntry, ...]
    total: int | None
    #: Entry seq → the case reference of the child it concerns (see :mod:`.audit_refs`).
    case_refs: Mapping[int, str] = field(default_factory=dict)


#: Entities that belong to a team through a child; the rest belong to whoever acted.
RECORD_ENTITIES = ("child", "screening", "event", "user")


def _utc_text(moment: datetime) -> str:
    """The ``at`` column's form (ISO, UTC, microseconds) so text comparison orders by time."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


def team_scope(team: str | None) -> ColumnElement[bool]:
    """Entries a team lead may read: about their team's children, screenings and events
    (whoever acted), about their team's members, and the rest of what their members did
    (sign-ins, exports). What a member (an administrator with a team, say) did to another
    team's records stays out. A lead without a team leads the children (and the users)
    without one, as everywhere else."""
    child_team = Child.team == team if team else Child.team.is_(None)
    user_team = User.team == team if team else User.team.is_(None)
    children = select(cast(Child.id, String)).where(child_team)
    screenings = select(cast(Screening.id, String)).join(Child).where(child_team)
    events = select(cast(Event.id, String)).join(Child).where(child_team)
    members = select(User.name).where(user_team)
    member_ids = select(cast(User.id, String)).where(user_team)
    return or_(
        (AuditRow.entity == "child") & AuditRow.entity_id.in_(children),
        (AuditRow.entity == "screening") & AuditRow.entity_id.in_(screenings),
        (AuditRow.entity == "event") & AuditRow.entity_id.in_(events),
        (AuditRow.entity == "user") & AuditRow.entity_id.in_(member_ids),
        AuditRow.entity.not_in(RECORD_ENTITIES) & AuditRow.actor.in_(members),
    )


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


def entry_body(row: Any) -> dict[str, Any]:
    """The hashed body of an entry-shaped row (a laptop's, or one a laptop sent the server);
    ValueError when its detail is not JSON."""
    return _body(row.seq, row.at, row.actor, row.action, row.entity, row.entity_id, row.detail)


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
    """Add one entry inside the caller's transaction (so it commits with the change).

    With ``ctx.lock_late`` the entry waits in the session and is chained (numbered, linked
    and hashed) by :func:`chain_pending` as the session commits; until then its ``seq`` and
    hashes are unset."""
    now = ctx.now()
    row = AuditRow(
        at=_utc_text(now) + "Z",  # the hashed text: UTC whatever clock the opener gave
        actor=actor or ctx.user.name,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        detail=canonical(dict(detail or {})),
    )
    if ctx.lock_late:
        session.info.setdefault(PENDING, []).append((row, now))
    else:
        _chain(session, [(row, now)])
    note_change(session, ctx, action, entity, entity_id, detail or {})
    return row


def note_change(
    session: Session,
    ctx: ServiceContext,
    action: str,
    entity: str,
    entity_id: object,
    detail: Mapping[str, Any],
) -> None:
    """Hand an audited change to sync (if the context has somewhere to send it), in the
    same transaction as the change and its audit entry."""
    if ctx.record_change is not None:
        ctx.record_change(session, ctx, action, entity, entity_id, detail)


#: Where a session keeps the entries :func:`chain_pending` is still to chain.
PENDING = "audit_pending"


def _chain(session: Session, rows: list[tuple[AuditRow, datetime]]) -> None:
    seq, prev = chain_head(session)
    for row, _now in rows:
        seq += 1
        row.seq, row.prev_hash = seq, prev
        body = _body(seq, row.at, row.actor, row.action, row.entity, row.entity_id, row.detail)
        row.hash = prev = entry_hash(prev, body)
        session.add(row)
    clock.note_seen(session, max(now for _row, now in rows))
    session.flush()


#: Set in a session's info once it holds the write lock (see :func:`lock_before_writing`).
LOCKED = "write_locked"


def _lock(session: Session) -> None:
    if not session.info.get(LOCKED):
        session.connection().execute(TAKE_WRITE_LOCK)
        session.info[LOCKED] = True


def lock_before_writing(session: Session, _flush: object = None, _objects: object = None) -> None:
    """Take the write lock before a ``lock_late`` session's first change reaches the database
    (its ``before_flush`` hook): from there to its commit it works alone, as every write
    transaction does on the laptop, so decisions that read what others committed (the next
    submission number, a child's latest screening) see every earlier writer's. What comes
    before (signing in the caller, finding the records, reading) runs side by side."""
    if session.new or session.dirty or session.deleted:
        _lock(session)


def chain_pending(session: Session) -> None:
    """Chain the session's waiting entries (see ``lock_late``): take the write lock if the
    session does not hold it yet (a read only audits), then number and link them after the
    last committed entry. Registered as the sessions' ``before_commit`` hook, so a read holds
    the lock only from here to its commit."""
    pending = session.info.pop(PENDING, None)
    if pending:
        _lock(session)
        _chain(session, pending)


def append_many(
    session: Session,
    ctx: ServiceContext,
    action: str,
    entity: str,
    entries: Iterable[tuple[object, Mapping[str, Any]]],
) -> int:
    """Add one entry per ``(entity id, detail)``, chained as :func:`append` would, in one
    executemany: an import of thousands of children writes its entries in a moment instead of
    one flush each. Returns how many were added."""
    if ctx.lock_late:  # chained at once, after whatever this session still holds back
        _lock(session)
        chain_pending(session)
    seq, prev = chain_head(session)
    now = ctx.now()
    entries = list(entries)
    rows = chained(seq, prev, now, ctx.user.name, action, entity, entries)
    if rows:
        session.connection().execute(insert(AuditRow.__table__), rows)
        clock.note_seen(session, now)
    for entity_id, detail in entries:
        note_change(session, ctx, action, entity, entity_id, detail)
    return len(rows)


def chained(
    seq: int,
    prev: str,
    now: datetime,
    who: str,
    action: str,
    entity: str,
    entries: Iterable[tuple[object, Mapping[str, Any]]],
) -> list[dict[str, Any]]:
    """The audit rows that follow entry ``seq`` (hash ``prev``), one per (entity id, detail)."""
    at = _utc_text(now) + "Z"
    rows = []
    for entity_id, detail in entries:
        seq += 1
        ident = None if entity_id is None else str(entity_id)
        text = canonical(dict(detail))
        digest = entry_hash(prev, _body(seq, at, who, action, entity, ident, text))
        rows.append(
            {
                "seq": seq,
                "at": at,
                "actor": who,
                "action": action,
                "entity": entity,
                "entity_id": ident,
                "detail": text,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    return rows


def record_refusal(ctx: ServiceContext, refusal: Refusal | Unseen) -> None:
    """Write a role check's refusal to the trail, in its own transaction (the refused work is
    rolled back). Every context is built with this as its ``record_denial``."""
    detail = {"attempted": refusal.action, "role": ctx.user.role}
    with ctx.transaction() as session:
        append(session, ctx, DENIED, refusal.entity, refusal.entity_id, detail)


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


def _moment(at: str) -> datetime | None:
    try:
        return datetime.fromisoformat(at.removesuffix("Z"))
    except ValueError:
        return None


def walk_chain(rows: Iterator[AuditRow]) -> ChainReport:
    """Check each link in order; report the first entry whose link or content does not hold,
    and every entry timed noticeably before one already written (the clock went back: the
    sequence, not the time, is the order things happened in)."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    latest: tuple[int, datetime] | None = None
    back: list[tuple[int, int]] = []
    for row in rows:
        count += 1
        moment = _moment(row.at)
        if moment is not None:
            if latest is not None and moment < latest[1] - clock.TOLERANCE:
                back.append((row.seq, latest[0]))
            elif latest is None or moment > latest[1]:
                latest = (row.seq, moment)
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
    return ChainReport(count, True, time_steps_back=tuple(back))


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
            row = append(session, self._ctx, action, entity, entity_id, detail)
            chain_pending(session)  # numbered now, to be shown (a no-op unless lock_late)
            return _record(row)

    def entries(
        self, *, offset: int = 0, limit: int = 500, action: str | None = None
    ) -> list[AuditEntry]:
        """Newest first; for leads and admins (the log names every user's actions)."""
        roles.require_role(self._ctx, roles.LEADING_ROLES, "read the audit trail", "audit")
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

    # -- the audit viewer ------------------------------------------------------------------
    def _scope(self, what: str) -> list[ColumnElement[bool]]:
        """Refuse workers; limit a lead to their team's part of the trail."""
        roles.require_role(self._ctx, roles.LEADING_ROLES, what, "audit")
        user = self._ctx.user
        return [team_scope(user.team)] if user.role == "lead" else []

    def page(self, query: AuditQuery | None = None) -> AuditPage:
        """A filtered page, newest first, with the total that matches (for the viewer's
        paging). Leads see their team's part of the trail only."""
        query = query or AuditQuery()
        conditions = self._scope("read the audit trail")
        if query.action:
            conditions.append(AuditRow.action == query.action)
        if query.actor:
            conditions.append(AuditRow.actor == query.actor)
        if query.since is not None:
            conditions.append(AuditRow.at >= _utc_text(query.since))
        if query.before is not None:
            conditions.append(AuditRow.at < _utc_text(query.before))
        rows_only = [AuditRow.seq < query.below_seq] if query.below_seq is not None else []
        rows = (
            select(AuditRow)
            .where(*conditions, *rows_only)
            .order_by(AuditRow.seq.desc())
            .offset(max(query.offset, 0))
            .limit(max(query.limit, 0))
        )
        count = select(func.count()).select_from(AuditRow).where(*conditions)
        with self._ctx.reading() as session:
            entries = tuple(_record(row) for row in session.scalars(rows))
            total = int(session.scalar(count) or 0) if query.with_total else None
            refs = audit_refs.case_refs(session, entries)
        return AuditPage(entries, total, refs)

    def choices(self) -> tuple[list[str], list[str]]:
        """(actions, actors) that occur in the part of the trail this user may read, sorted:
        what the viewer's filters offer, so a filter never names something absent."""
        conditions = self._scope("read the audit trail")
        with self._ctx.reading() as session:
            actions = session.scalars(
                select(AuditRow.action).where(*conditions).distinct().order_by(AuditRow.action)
            )
            actors = session.scalars(
                select(AuditRow.actor).where(*conditions).distinct().order_by(AuditRow.actor)
            )
            return list(actions), list(actors)
