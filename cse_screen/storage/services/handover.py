"""An unfinished screening passes to the child's new worker when the child is reallocated.

A draft (or a returned screening) belongs to whoever started it, and a worker may only edit
screenings of the children allocated to them. Without a hand-over, a child moved to another
worker keeps a draft nobody can open: the new worker starts an empty screening while the
answers already given (an indicator marked present, its evidence note) sit unseen. So the
person now screening the child continues the same screening, and the trail says so.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.storage.models import Child, Screening, User
from cse_screen.storage.records import EDITABLE_STATUSES
from cse_screen.storage.services import audit, roles
from cse_screen.storage.services.context import ServiceContext


def unfinished_of_others(session: Session, ctx: ServiceContext, child: Child) -> Screening | None:
    """The child's oldest unfinished screening started by someone other than the caller."""
    stmt = (
        select(Screening)
        .where(
            Screening.child_id == child.id,
            Screening.status.in_(EDITABLE_STATUSES),
            Screening.created_by != ctx.user.name,
        )
        .order_by(Screening.created_at, Screening.id)
        .limit(1)
    )
    return session.scalars(stmt).first()


def take_over(session: Session, ctx: ServiceContext, child: Child) -> Screening | None:
    """Hand the child's unfinished screening by another person to the caller, if the caller
    may screen the child and the one who started it no longer may (returns None otherwise)."""
    roles.require_child(ctx, child, "screen")
    row = unfinished_of_others(session, ctx, child)
    if row is None or _may_still_edit(session, row.created_by, child):
        return None  # still its starter's work: they can open and finish it
    before = row.created_by
    row.created_by = ctx.user.name
    row.updated_at = ctx.now()
    session.flush()
    audit.append(
        session,
        ctx,
        audit.CHANGE,
        "screening",
        row.id,
        {"child_id": child.id, "started_by": [before, ctx.user.name], "handed_over": True},
    )
    return row


def _may_still_edit(session: Session, name: str, child: Child) -> bool:
    """Whether the screening's starter can still open it: active and the child still theirs."""
    starter = session.scalars(select(User).where(User.name == name)).first()
    if starter is None or not starter.active:
        return False
    return roles.can_see_child(starter, child.worker, child.team)  # type: ignore[arg-type]
