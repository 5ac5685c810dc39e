"""Keep each child's denormalised register columns true: effective outcome, state, next due.

Recomputed from the child's own rows (a handful, found through an index) whenever a screening
is submitted, signed off or returned, or an event is recorded, so the register never has to
join a million screenings to answer one page.

The one rule of what a child's outcome *is* lives here (:func:`effective_outcome`): the register,
the child record, the dashboard and the stats all read the columns it fills, so no screen can
show a child as safer than another screen does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cse_screen.core.registry import offered_generation, outcome_scale
from cse_screen.storage.models import Child, Event, Screening
from cse_screen.storage.records import COMPLETED_STATUSES


def outcome_order() -> tuple[str, ...]:
    """Outcome ids lowest to highest, from the shipped and installed definitions (never a
    list in code); read again only when a definition is installed or offered, as the register
    asks for it on every child it refreshes."""
    return _order(offered_generation())


@cache
def _order(_generation: int) -> tuple[str, ...]:
    return outcome_scale()


#: What the child's latest decided screening is: ``children.outcome_state``.
SUBMITTED = "submitted"  # submitted at the outcome the rules computed, or raised
SIGNED_OFF = "signed_off"
LOWERED = "lowered"  # a lower judgement awaiting a lead's sign-off: the higher outcome stands
RETURNED = "returned"  # sent back for changes: not final, and the child needs attention
OUTCOME_STATES: tuple[str, ...] = (SUBMITTED, SIGNED_OFF, LOWERED, RETURNED)
#: Statuses whose outcome counts for the child (a returned screening's risk must not vanish).
DECIDED_STATUSES: tuple[str, ...] = (*COMPLETED_STATUSES, "returned")


def outcome_rank(outcome: str | None) -> int | None:
    """Severity order of an outcome for sorting; an unknown id sorts as the highest."""
    if outcome is None:
        return None
    order = outcome_order()
    return order.index(outcome) if outcome in order else len(order)


def higher(a: str | None, b: str | None) -> str | None:
    """The more severe of two outcomes (either may be missing)."""
    if a is None or b is None:
        return a or b
    return a if (outcome_rank(a) or 0) >= (outcome_rank(b) or 0) else b


@dataclass(frozen=True)
class EffectiveOutcome:
    """The outcome a child is treated as having, and why it is not (yet) the final one."""

    outcome: str | None
    state: str


def effective_outcome(
    status: str, computed: str | None, final: str | None, needs_signoff: bool
) -> EffectiveOutcome:
    """The outcome that stands for a decided screening.

    A lower judgement takes effect only when a team lead signs it off; until then, and for a
    screening returned for changes, the higher of the computed and the judged outcome stands.
    """
    if status == "returned":
        return EffectiveOutcome(higher(computed, final), RETURNED)
    if status == "submitted" and needs_signoff:
        return EffectiveOutcome(higher(computed, final), LOWERED)
    if status == "signed_off":
        return EffectiveOutcome(final, SIGNED_OFF)
    return EffectiveOutcome(higher(computed, final), SUBMITTED)


_LATEST_COLUMNS = (
    Screening.child_id,
    Screening.id,
    Screening.status,
    Screening.computed_outcome,
    Screening.final_outcome,
    Screening.needs_signoff,
    Screening.screen_date,
    Screening.next_due,
    Screening.returned_at,
)
#: Newest first: the order that decides which decided screening is a child's latest.
_LATEST_ORDER = (
    Screening.screen_date.desc(),
    Screening.submitted_seq.desc().nulls_last(),
    Screening.id.desc(),
)


def refresh_child(session: Session, child: Child) -> None:
    """Point ``child`` at its latest decided screening and work out when it is next due.

    A child never screened is due from the day they were added. An event after the latest
    screening (a missing episode, a placement move, new information) makes it due on the
    event's date, if that is sooner than the review interval. A returned screening is due again
    from the day it was returned: it has to be finished. A child who has left care is due for
    nothing.
    """
    latest = session.execute(
        select(*_LATEST_COLUMNS)
        .where(Screening.child_id == child.id, Screening.status.in_(DECIDED_STATUSES))
        .order_by(*_LATEST_ORDER)
        .limit(1)
    ).first()
    _point_at(child, latest)
    if child.left_care_on is None:
        child.next_due = _earliest(
            child.next_due, first_event_after(session, child.id, child.last_screened)
        )


def refresh_children(session: Session, children: Sequence[Child]) -> None:
    """:func:`refresh_child` for many children at once (an import): the same rule, read in a
    few queries per 500 children instead of two per child, with nothing flushed in between."""
    with session.no_autoflush:
        for start in range(0, len(children), 500):
            chunk = {c.id: c for c in children[start : start + 500]}
            latest: dict[int, Any] = {}
            for row in session.execute(
                select(*_LATEST_COLUMNS)
                .where(Screening.child_id.in_(chunk), Screening.status.in_(DECIDED_STATUSES))
                .order_by(Screening.child_id, *_LATEST_ORDER)
            ):
                latest.setdefault(row.child_id, row)
            events: dict[int, list[date]] = {}
            for child_id, on_date in session.execute(
                select(Event.child_id, Event.on_date).where(Event.child_id.in_(chunk))
            ):
                events.setdefault(child_id, []).append(on_date)
            for child_id, child in chunk.items():
                _point_at(child, latest.get(child_id))
                if child.left_care_on is None:
                    after = child.last_screened
                    dates = [d for d in events.get(child_id, ()) if after is None or d > after]
                    child.next_due = _earliest(child.next_due, min(dates, default=None))


def _point_at(child: Child, latest: Any) -> None:
    """The child's columns from its latest decided screening (None: never screened); the
    next due date before events are counted."""
    if latest is None:
        child.latest_screening_id = None
        child.latest_outcome = None
        child.outcome_rank = None
        child.outcome_state = None
        child.last_screened = None
        due: date | None = child.created_at.date()
    else:
        standing = effective_outcome(
            latest.status, latest.computed_outcome, latest.final_outcome, latest.needs_signoff
        )
        child.latest_screening_id = latest.id
        child.latest_outcome = standing.outcome
        child.outcome_rank = outcome_rank(standing.outcome)
        child.outcome_state = standing.state
        child.last_screened = latest.screen_date
        due = latest.next_due
        if standing.state == RETURNED:
            returned_on = latest.returned_at.date() if latest.returned_at else latest.screen_date
            due = _earliest(due, returned_on)
    child.next_due = None if child.left_care_on is not None else due


def first_event_after(session: Session, child_id: int, after: date | None) -> date | None:
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
