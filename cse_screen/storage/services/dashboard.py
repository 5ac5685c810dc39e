"""What a team lead's dashboard shows, over the children the signed-in user may see.

The ``stats --json`` counts are reused as they are, so the dashboard and the command line can
never disagree; this module adds only what a lead needs on top of them: children screened within
their own review interval and due within a week, completed screenings per month by outcome (the
council "trend" figure), and the short list of children to act on first. Every query is scoped
with :func:`roles.child_scope`, so a lead sees their team and an administrator everyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, extract, func, select

from cse_screen.storage.models import Child, Screening
from cse_screen.storage.records import COMPLETED_STATUSES
from cse_screen.storage.services import roles, stats
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.services.latest import outcome_order
from cse_screen.storage.services.register import (
    DUE_SOON_DAYS,
    attention_order,
    high_outcomes,
    needs_attention,
)

__all__ = ["AttentionRow", "DashboardData", "MonthCounts", "compute", "high_outcomes"]
TREND_MONTHS = 12
ATTENTION_LIMIT = 50


@dataclass(frozen=True)
class MonthCounts:
    """Completed screenings dated in one calendar month, by final outcome."""

    month: date  # the first day of the month
    by_outcome: dict[str, int]


@dataclass(frozen=True)
class AttentionRow:
    """A child whose latest outcome is high or whose re-screen is overdue."""

    child_id: int
    case_ref: str
    name: str
    latest_outcome: str | None
    next_due: date | None
    overdue: bool
    outcome_state: str | None = None


@dataclass(frozen=True)
class DashboardData:
    stats: dict[str, Any]  # exactly what Store.stats() returns
    screened_in_interval: int
    due_within_7_days: int
    months: tuple[MonthCounts, ...]
    attention: tuple[AttentionRow, ...]
    attention_total: int


def _month_starts(today: date, count: int) -> list[date]:
    """The first days of the last ``count`` calendar months, oldest first, this month last."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _trend(session: Any, ctx: ServiceContext, today: date) -> tuple[MonthCounts, ...]:
    starts = _month_starts(today, TREND_MONTHS)
    # Year and month as numbers: EXTRACT compiles on every engine (SQLite's strftime and
    # PostgreSQL's to_char do not exist on the other); PostgreSQL returns them as numeric.
    year = extract("year", Screening.screen_date)
    month = extract("month", Screening.screen_date)
    # The same effective-outcome rule as the register: an unsigned lowering counts as computed.
    standing = case(
        (
            (Screening.status == "submitted") & Screening.needs_signoff.is_(True),
            Screening.computed_outcome,
        ),
        else_=Screening.final_outcome,
    )
    stmt = (
        select(year, month, standing, func.count())
        .where(
            Screening.status.in_(COMPLETED_STATUSES),
            Screening.screen_date >= starts[0],
            Screening.screen_date <= today,
        )
        .group_by(year, month, standing)
    )
    counts = {(s.year, s.month): dict.fromkeys(outcome_order(), 0) for s in starts}
    for in_year, in_month, outcome, count in session.execute(stats._scoped(stmt, ctx)):
        key = (int(in_year), int(in_month))
        if key in counts and outcome in counts[key]:
            counts[key][outcome] = int(count)
    return tuple(MonthCounts(s, counts[(s.year, s.month)]) for s in starts)


def _attention(session: Any, ctx: ServiceContext, today: date) -> tuple[list[Any], int]:
    """Children needing attention (returned, lowered awaiting sign-off, high effective
    outcome, overdue), in the register's attention order."""
    where = (roles.child_scope(ctx.user), needs_attention(today))
    total = session.scalar(select(func.count(Child.id)).where(*where)) or 0
    rows = session.execute(
        select(
            Child.id,
            Child.case_ref,
            Child.name,
            Child.latest_outcome,
            Child.next_due,
            Child.outcome_state,
        )
        .where(*where)
        .order_by(*attention_order(today))
        .limit(ATTENTION_LIMIT)
    ).all()
    return list(rows), int(total)


def compute(ctx: ServiceContext) -> DashboardData:
    """The dashboard's figures, in one read session besides the shared stats counts."""
    counts = stats.compute(ctx)
    today = ctx.today()
    scope = roles.child_scope(ctx.user)
    with ctx.reading() as session:
        in_interval = session.scalar(
            select(func.count(Child.id)).where(
                scope, Child.last_screened.is_not(None), Child.next_due >= today
            )
        )
        due_7d = session.scalar(
            select(func.count(Child.id)).where(
                scope,
                Child.next_due >= today,
                Child.next_due <= today + timedelta(days=DUE_SOON_DAYS),
            )
        )
        months = _trend(session, ctx, today)
        rows, total = _attention(session, ctx, today)
    attention = tuple(
        AttentionRow(
            int(r.id),
            r.case_ref,
            r.name,
            r.latest_outcome,
            r.next_due,
            r.next_due is not None and r.next_due < today,
            r.outcome_state,
        )
        for r in rows
    )
    return DashboardData(counts, int(in_interval or 0), int(due_7d or 0), months, attention, total)
