"""Keep each child's denormalised register columns true: latest outcome, last screened, next due.

Recomputed from the child's own rows (a handful, found through an index) whenever a screening
is submitted, signed off or returned, or an event is recorded, so the register never has to
join a million screenings to answer one page.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cse_screen.core.registry import outcome_scale
from cse_screen.storage.models import Child, Event, Screening
from cse_screen.storage.records import COMPLETED_STATUSES


@cache
def outcome_order() -> tuple[str, ...]:
    """Outcome ids lowest to highest, from the shipped definitions (never a list in code);
    read once, as the register asks for it on every child it refreshes."""
    return outcome_scale()


def outcome_rank(outcome: str | None) -> int | None:
    """Severity order of an outcome for sorting; an unknown id sorts as the highest."""
    if outcome is None:
        return None
    order = outcome_order()
    return order.index(outcome) if outcome in order else len(order)


def refresh_child(session: Session, child: Child) -> None:
    """Point ``child`` at its latest completed screening and work out when it is next due.

    A child never screened is due from the day they were added. An event after the latest
    screening (a missing episode, a placement move, new information) makes it due on the
    event's date, if that is sooner than the review interval.
    """
    latest = session.execute(
        select(Screening.id, Screening.final_outcome, Screening.screen_date, Screening.next_due)
        .where(Screening.child_id == child.id, Screening.status.in_(COMPLETED_STATUSES))
        .order_by(Screening.screen_date.desc(), Screening.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        child.latest_screening_id = None
        child.latest_outcome = None
        child.outcome_rank = None
        child.last_screened = None
        due: date | None = child.created_at.date()
    else:
        child.latest_screening_id = latest.id
        child.latest_outcome = latest.final_outcome
        child.outcome_rank = outcome_rank(latest.final_outcome)
        child.last_screened = latest.screen_date
        due = latest.next_due
    child.next_due = _earliest(due, _first_event_after(session, child.id, child.last_screened))


def _first_event_after(session: Session, child_id: int, after: date | None) -> date | None:
    stmt = select(func.min(Event.on_date)).where(Event.child_id == child_id)
    if after is not None:
        stmt = stmt.where(Event.on_date > after)
    return session.scalar(stmt)


def _earliest(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)
