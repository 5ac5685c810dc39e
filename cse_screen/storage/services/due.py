"""Why a child is due or overdue for a screening, in the words a worker would use.

``children.next_due`` is the earliest of: the review interval of the outcome in force, the first
event (missing episode, placement move, new information) after the last screening, the day a
screening was returned for changes, or, for a child never screened, the day they were added. A
date alone does not tell a worker what to do; this names the cause and how late it is:
"placement move on 16 Nov; overdue by 20 days".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.storage.models import Event, Screening
from cse_screen.storage.services.latest import RETURNED

EVENT_WORDS = {
    "missing_episode": "missing episode",
    "away_from_placement": "away from placement",
    "placement_move": "placement move",
    "new_information": "new information",
    "cse_referral": "referral to the CSE team",
    "cse_confirmed": "confirmation of CSE by the CSE team",
    "other": "event recorded",
}


@dataclass(frozen=True)
class DueFacts:
    """What decides one child's due date, as the register columns and their rows hold it."""

    child_id: int
    next_due: date | None
    last_screened: date | None
    outcome_state: str | None
    created_at: datetime
    latest_screening_id: int | None


def day_words(day: date, today: date) -> str:
    """'16 Nov' this year, '16 Nov 2025' otherwise (UK order, no leading zero)."""
    text = f"{day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def timing(next_due: date, today: date) -> str:
    days = (next_due - today).days
    if days < 0:
        return f"overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "due today"
    return f"due in {days} day{'s' if days != 1 else ''}"


def due_reason(
    facts: DueFacts,
    today: date,
    event: tuple[str, date] | None = None,
    returned_on: date | None = None,
) -> str:
    """The cause of ``facts.next_due`` and how far off it is, or '' if nothing is due."""
    due = facts.next_due
    if due is None:
        return ""
    if event is not None and event[1] == due:
        cause = f"{EVENT_WORDS.get(event[0], 'event recorded')} on {day_words(event[1], today)}"
    elif facts.outcome_state == RETURNED and returned_on is not None and returned_on == due:
        cause = f"returned for changes on {day_words(returned_on, today)}"
    elif facts.last_screened is None:
        cause = f"not screened yet (added {day_words(facts.created_at.date(), today)})"
    else:
        cause = f"review after the screening of {day_words(facts.last_screened, today)}"
    return f"{cause}; {timing(due, today)}"


def reasons(session: Session, rows: Iterable[DueFacts], today: date) -> dict[int, str]:
    """Due reasons for a page of children, in two queries whatever the page size."""
    facts = list(rows)
    ids = [f.child_id for f in facts]
    if not ids:
        return {}
    after = {f.child_id: f.last_screened for f in facts}
    first: dict[int, tuple[str, date]] = {}
    stmt = (
        select(Event.child_id, Event.kind, Event.on_date)
        .where(Event.child_id.in_(ids))
        .order_by(Event.on_date, Event.id)
    )
    for child_id, kind, on_date in session.execute(stmt):
        since = after.get(child_id)
        if child_id not in first and (since is None or on_date > since):
            first[child_id] = (kind, on_date)
    returned_ids = [
        f.latest_screening_id
        for f in facts
        if f.outcome_state == RETURNED and f.latest_screening_id is not None
    ]
    returned: dict[int, date] = {}
    if returned_ids:
        stmt = select(Screening.child_id, Screening.returned_at).where(
            Screening.id.in_(returned_ids)
        )
        returned = {cid: at.date() for cid, at in session.execute(stmt) if at is not None}
    return {
        f.child_id: due_reason(f, today, first.get(f.child_id), returned.get(f.child_id))
        for f in facts
    }
