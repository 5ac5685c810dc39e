"""Adding many children at once (``child import``) without shutting other writers out.

An import used to add its children one by one inside a single transaction: 60,000 rows held the
database's write lock for minutes, and the desktop app's autosave, waiting on it past its busy
timeout, failed. Now the rows are checked in memory first, then written to ``import_staging`` in
batches that each commit (other writers get the database between them), and one last short
transaction moves them all into ``children`` with their audit entries: an import is still added
whole or not at all, whatever stops it (a refusal, a full disk, a kill), since staged rows are
seen by no screen and the next sign-in or import clears what a killed one left.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import String, cast, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from cse_screen.errors import ChildDetailsInvalid
from cse_screen.storage.models import AuditRow, Child, ImportStaging, User
from cse_screen.storage.records import ChildInput
from cse_screen.storage.services import audit, roles
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.types import new_public_id

#: Rows per staging transaction: long enough to be quick, short enough that a save waiting for
#: the lock waits a fraction of a second.
BATCH = 2_000
#: The pause after each batch. SQLite's lock is not handed on in turn: a writer waiting for it
#: looks again every 100 ms at most, so without a pause longer than that the import takes the
#: lock back at once and the waiting save is starved until its busy timeout.
PAUSE_S = 0.12
#: Staged rows older than this belong to an import that was killed: cleared by the next one.
ABANDONED = timedelta(hours=1)
#: The columns copied from staging into ``children`` (the rest are the register's, empty).
MOVED = (
    "public_id",
    "case_ref",
    "name",
    "name_key",
    "dob",
    "gender",
    "ethnicity",
    "disability",
    "placement_type",
    "legal_status",
    "worker",
    "team",
    "next_due",
    "created_at",
)

STAGING = ImportStaging.__table__

Progress = Callable[[int, int], None]
NameKey = Callable[[str, str], str]


def add_children(
    ctx: ServiceContext,
    children: Sequence[ChildInput],
    labels: Sequence[str],
    source: str,
    name_key: NameKey,
    progress: Progress | None = None,
) -> int:
    """Stage the (already validated) children in batches, then add them all in one move."""
    import_id = secrets.token_hex(16)
    with ctx.reading() as session:
        newest = _newest(session)
    rows = _rows(ctx, import_id, children, labels, name_key, newest)
    try:
        for start in range(0, len(rows), BATCH):
            with ctx.transaction() as session:
                if start == 0:
                    clear_abandoned(session, ctx)
                # Core, not the ORM's bulk path: these rows need no objects made of them.
                session.connection().execute(STAGING.insert(), rows[start : start + BATCH])
            if progress is not None:
                progress(min(start + BATCH, len(rows)), len(rows))
            time.sleep(PAUSE_S)
        with ctx.transaction() as session:
            _move(session, ctx, import_id, len(rows), source, newest)
    except BaseException:
        _discard(ctx, import_id)
        raise
    return len(rows)


def _newest(session: Session) -> tuple[int, int, str]:
    """The newest child id and audit entry (seq, hash): what the staged ids and entries follow."""
    top = session.scalar(select(func.max(Child.id))) or 0
    return (int(top), *audit.chain_head(session))


def _rows(
    ctx: ServiceContext,
    import_id: str,
    children: Sequence[ChildInput],
    labels: Sequence[str],
    name_key: NameKey,
    newest: tuple[int, int, str],
) -> list[dict[str, Any]]:
    """Each child as a staging row, with the allocation rules applied and checked first, its
    id and its audit entry worked out as following ``newest``."""
    with ctx.reading() as session:
        teams = _teams(session, {c.worker for c in children if c.worker})
    user, now = ctx.user, ctx.now()
    rows = []
    for seq, (child, label) in enumerate(zip(children, labels, strict=True), start=1):
        worker = child.worker or (user.name if user.role == "worker" else None)
        team = child.team or teams.get(worker or "") or user.team
        if not roles.can_see_child(user, worker, team):
            roles.deny(
                ctx,
                "add",
                "child",
                None,
                f"{label}: {roles.who(user)} may not add child {child.case_ref}: it would be "
                "allocated outside their caseload or team",
            )
        rows.append(
            {
                "import_id": import_id,
                "seq": seq,
                "public_id": new_public_id(),
                "case_ref": child.case_ref,
                "name": child.name,
                "name_key": name_key(child.case_ref, child.name),
                "dob": child.dob,
                "gender": child.gender,
                "ethnicity": child.ethnicity,
                "disability": child.disability,
                "placement_type": child.placement_type,
                "legal_status": child.legal_status,
                "worker": worker,
                "team": team,
                "next_due": now.date(),  # never screened: due from the day they were added
                "created_at": now,
                "label": label,
            }
        )
    top, seq, prev = newest
    entries = ((top + r["seq"], {"case_ref": r["case_ref"]}) for r in rows)
    chain = audit.chained(seq, prev, now, user.name, audit.CREATE, "child", entries)
    for row, entry in zip(rows, chain, strict=True):
        row["child_id"] = top + row["seq"]
        row.update({f"audit_{k}": entry[k] for k in ("seq", "at", "detail")})
        row["audit_prev"], row["audit_hash"] = entry["prev_hash"], entry["hash"]
    return rows


def _teams(session: Session, workers: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    names = sorted(workers)
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        for name, team in session.execute(select(User.name, User.team).where(User.name.in_(chunk))):
            if team:
                found[name] = team
    return found


def clear_abandoned(session: Session, ctx: ServiceContext) -> None:
    """Remove rows staged by an import that was killed (its names are no use to anyone).

    Called by the next import and at every sign-in, so a killed import's children do not sit
    in the database for weeks waiting for another import. A row counts as abandoned only when
    it is older than any import takes, so an import running in another program keeps its own.
    """
    session.execute(delete(ImportStaging).where(ImportStaging.created_at < ctx.now() - ABANDONED))


def _move(
    session: Session,
    ctx: ServiceContext,
    import_id: str,
    count: int,
    source: str,
    newest: tuple[int, int, str],
) -> None:
    """The one transaction that makes the import visible, with every child's audit entry.

    When nobody added a child or an audit entry since the rows were staged (answers saved
    meanwhile add neither), the staged ids and entries are copied as they are, in SQLite's own
    loop; otherwise the entries are chained afresh here, which holds the lock a little longer.
    """
    taken = session.execute(
        select(ImportStaging.label, ImportStaging.case_ref)
        .join(Child, Child.case_ref == ImportStaging.case_ref)
        .where(ImportStaging.import_id == import_id)
        .order_by(ImportStaging.seq)
        .limit(1)
    ).first()
    if taken is not None:  # added by someone else since the file was checked
        message = f"{taken.label}: a child with case reference {taken.case_ref} already exists"
        raise ChildDetailsInvalid(message, (("case_ref", message),))
    mine = ImportStaging.import_id == import_id
    found = session.scalar(select(func.count()).select_from(ImportStaging).where(mine))
    if found != count:  # pragma: no cover - staging is this import's alone
        raise ChildDetailsInvalid("the import's rows were not all staged; nothing was added", ())
    as_staged = _newest(session) == newest
    targets = [*MOVED, "updated_at", *(["id"] if as_staged else [])]
    columns = [getattr(ImportStaging, name) for name in MOVED]
    columns += [ImportStaging.created_at, *([ImportStaging.child_id] if as_staged else [])]
    session.execute(
        insert(Child).from_select(targets, select(*columns).where(mine).order_by(ImportStaging.seq))
    )
    if as_staged:
        _copy_entries(session, ctx, mine)
    else:
        added = session.execute(
            select(Child.id, Child.case_ref)
            .join(ImportStaging, ImportStaging.case_ref == Child.case_ref)
            .where(mine)
            .order_by(ImportStaging.seq)
        ).all()
        entries = ((r.id, {"case_ref": r.case_ref}) for r in added)
        audit.append_many(session, ctx, audit.CREATE, "child", entries)
    detail = {"rows": count, "source": source}
    audit.append(session, ctx, audit.IMPORT, "children", None, detail)
    session.execute(delete(ImportStaging).where(mine))


def _copy_entries(session: Session, ctx: ServiceContext, mine: Any) -> None:
    """The staged audit entries into the trail, as chained when staged."""
    entries = select(
        ImportStaging.audit_seq,
        ImportStaging.audit_at,
        literal(ctx.user.name),
        literal(audit.CREATE),
        literal("child"),
        cast(ImportStaging.child_id, String),
        ImportStaging.audit_detail,
        ImportStaging.audit_prev,
        ImportStaging.audit_hash,
    ).where(mine)
    names = ["seq", "at", "actor", "action", "entity", "entity_id", "detail", "prev_hash", "hash"]
    session.execute(insert(AuditRow).from_select(names, entries.order_by(ImportStaging.seq)))


def _discard(ctx: ServiceContext, import_id: str) -> None:
    """Remove what this import staged (best effort: a later import clears it otherwise)."""
    try:
        with ctx.transaction() as session:
            session.execute(delete(ImportStaging).where(ImportStaging.import_id == import_id))
    except Exception:  # the first failure is the one to report
        return
