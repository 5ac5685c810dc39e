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

from sqlalchemy import case, func, select

from cse_screen.core.registry import get_questionnaire
from cse_screen.storage.models import Child, Screening
from cse_screen.storage.records import COMPLETED_STATUSES
from cse_screen.storage.services import roles, stats
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.services.latest import outcome_order
from cse_screen.storage.services.register import DUE_SOON_DAYS

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
    month = func.strftime("%Y-%m", Screening.screen_date)
    stmt = (
        select(month, Screening.final_outcome, func.count())
        .where(
            Screening.status.in_(COMPLETED_STATUSES),
            Screening.screen_date >= starts[0],
            Screening.screen_date <= today,
        )
        .group_by(month, Screening.final_outcome)
    )
    counts = {f"{s:%Y-%m}": dict.fromkeys(outcome_order(), 0) for s in starts}
    for key, outcome, count in session.execute(stats._scoped(stmt, ctx)):
        if key in counts and outcome in counts[key]:
            counts[key][outcome] = int(count)
    return tuple(MonthCounts(s, counts[f"{s:%Y-%m}"]) for s in starts)


def high_outcomes() -> tuple[str, ...]:
    """Latest outcomes that put a child on the attention list whatever their due date: the
    active definition's upper half, and anything another version ranks above it."""
    order = outcome_order()
    lowest = get_questionnaire().high_outcomes[0]
    return order[order.index(lowest) :] if lowest in order else (lowest,)


def _attention(session: Any, ctx: ServiceContext, today: date) -> tuple[list[Any], int]:
    """High-risk or overdue children: overdue first, then highest outcome, soonest due."""
    wanted = (Child.latest_outcome.in_(high_outcomes())) | (Child.next_due < today)
    where = (roles.child_scope(ctx.user), wanted)
    total = session.scalar(select(func.count(Child.id)).where(*where)) or 0
    rows = session.execute(
        select(Child.id, Child.case_ref, Child.name, Child.latest_outcome, Child.next_due)
        .where(*where)
        .order_by(
            case((Child.next_due < today, 0), else_=1),
            Child.outcome_rank.desc().nulls_last(),
            Child.next_due.asc().nulls_last(),
            Child.case_ref,
        )
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
        )
        for r in rows
    )
    return DashboardData(counts, int(in_interval or 0), int(due_7d or 0), months, attention, total)
