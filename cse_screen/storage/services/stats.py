"""Counts for ``cse-screen stats --json`` and the dashboard, over what the user may see.

``by_outcome`` counts each child once, by the final outcome of their latest submitted or
signed-off screening (children never screened are counted apart, as ``not_screened``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from cse_screen.storage.models import Child, Screening
from cse_screen.storage.records import STATUSES
from cse_screen.storage.services import roles
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.services.latest import outcome_order


def _scoped(stmt: Any, ctx: ServiceContext) -> Any:
    """Screenings of the children the user may see; an administrator sees all, so the join
    (a scan of every screening at a million rows) is left out and the status index counts."""
    if ctx.user.role == "admin":
        return stmt
    return stmt.join(Child, Child.id == Screening.child_id).where(roles.child_scope(ctx.user))


def compute(ctx: ServiceContext) -> dict[str, Any]:
    scope = roles.count_scope(ctx.user)
    today = ctx.today()
    with ctx.reading() as session:
        children = session.scalar(select(func.count(Child.id)).where(scope)) or 0
        by_status = dict.fromkeys(STATUSES, 0)
        status_rows: list[Any] = list(
            session.execute(
                _scoped(select(Screening.status, func.count()), ctx).group_by(Screening.status)
            )
        )
        for status, count in status_rows:
            by_status[str(status)] = int(count)
        by_outcome: dict[str, int] = dict.fromkeys(outcome_order(), 0)
        outcome_rows = session.execute(
            select(Child.latest_outcome, func.count(Child.id))
            .where(scope)
            .group_by(Child.latest_outcome)
        )
        not_screened = 0
        for outcome, count in outcome_rows:
            if outcome is None:
                not_screened = int(count)
            else:
                by_outcome[outcome] = int(count)
        overdue = session.scalar(select(func.count(Child.id)).where(scope, Child.next_due < today))
        due_30d = session.scalar(
            select(func.count(Child.id)).where(
                scope, Child.next_due >= today, Child.next_due <= today + timedelta(days=30)
            )
        )
        needs_signoff = session.scalar(
            _scoped(select(func.count()).select_from(Screening), ctx).where(
                Screening.status == "submitted", Screening.needs_signoff.is_(True)
            )
        )
    return {
        "children": int(children),
        "screenings": {
            "total": sum(by_status.values()),
            "by_status": by_status,
            "by_outcome": by_outcome,
        },
        "overdue": int(overdue or 0),
        "not_screened": not_screened,
        "due_within_30_days": int(due_30d or 0),
        "awaiting_signoff": int(needs_signoff or 0),
        "as_of": today.isoformat(),
    }
