"""The children register query: one page plus the total, scoped to what the user may see.

It reads only the ``children`` table (whose latest-outcome and next-due columns are kept up to
date by the screening services), through indexes on team, worker, outcome and next due, so a
page stays interactive at 100,000 children and a million screenings.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from cse_screen.core.registry import get_questionnaire
from cse_screen.errors import ValidationFailed
from cse_screen.storage.models import Child, Screening
from cse_screen.storage.records import (
    CARE_FILTERS,
    DUE_FILTERS,
    EDITABLE_STATUSES,
    SORT_KEYS,
    RegisterPage,
    RegisterQuery,
    RegisterRow,
)
from cse_screen.storage.services import due as due_words
from cse_screen.storage.services import roles
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.services.latest import LOWERED, RETURNED, outcome_order

MAX_LIMIT = 5000
DUE_SOON_DAYS = 7
NOT_SCREENED = "none"
#: Outcomes that put a child among those needing attention whatever their due date.


def high_outcomes() -> tuple[str, ...]:
    """Latest outcomes that put a child on the attention list whatever their due date: the
    active definition's upper half, and anything another version ranks above it."""
    order = outcome_order()
    lowest = get_questionnaire().high_outcomes[0]
    return order[order.index(lowest) :] if lowest in order else (lowest,)


_SORT_COLUMNS: dict[str, Any] = {
    "ref": Child.case_ref,
    "name": Child.name_key,
    "dob": Child.dob,
    "worker": Child.worker,
    "team": Child.team,
    "outcome": Child.outcome_rank,
    "last_screened": Child.last_screened,
    "next_due": Child.next_due,
    "placement": Child.placement_type,
}
_COLUMNS = (
    Child.id,
    Child.public_id,
    Child.case_ref,
    Child.name,
    Child.dob,
    Child.worker,
    Child.team,
    Child.placement_type,
    Child.latest_outcome,
    Child.last_screened,
    Child.next_due,
    Child.outcome_state,
    Child.created_at,
    Child.latest_screening_id,
    Child.left_care_on,
)


def opening_view(role: str, team: str | None, preferred_scope: str) -> tuple[str, str]:
    """The register's first view for a role: (scope, sort key).

    A worker opens on the scope they chose, sorted by case reference; a team lead, and an
    administrator, on their team (everyone, for an administrator without one), sorted by what
    needs attention first: their job on opening the app is the children at risk and the
    decisions waiting on them.
    """
    if role in ("lead", "manager", "admin"):
        return ("team" if team else "all"), "attention"
    return preferred_scope, "ref"


def needs_attention(today: date) -> Any:
    """The one definition of a child needing attention: a screening returned for changes, a
    lowering awaiting sign-off, a high effective outcome, or an overdue re-screen."""
    return (
        Child.outcome_state.in_((RETURNED, LOWERED))
        | Child.latest_outcome.in_(high_outcomes())
        | (Child.next_due < today)
    )


def attention_order(today: date) -> tuple[Any, ...]:
    """What needs attention first: returned, then overdue, then lowered awaiting sign-off,
    then by effective outcome, highest first, and the soonest due."""
    first = case(
        (Child.outcome_state == RETURNED, 0),
        (Child.next_due < today, 1),
        (Child.outcome_state == LOWERED, 2),
        else_=3,
    )
    return (
        first,
        Child.outcome_rank.desc().nulls_last(),
        Child.next_due.asc().nulls_last(),
        Child.case_ref,
    )


def _check(query: RegisterQuery) -> None:
    if query.sort not in SORT_KEYS:
        raise ValidationFailed(
            f"cannot sort the register by '{query.sort}'; use one of {', '.join(SORT_KEYS)}"
        )
    if query.due is not None and query.due not in DUE_FILTERS:
        raise ValidationFailed(
            f"unknown due filter '{query.due}'; use one of {', '.join(DUE_FILTERS)}"
        )
    if query.care not in CARE_FILTERS:
        raise ValidationFailed(
            f"unknown care filter '{query.care}'; use one of {', '.join(CARE_FILTERS)}"
        )
    if query.offset < 0 or not 0 < query.limit <= MAX_LIMIT:
        raise ValidationFailed(f"a register page holds 1 to {MAX_LIMIT} rows from offset 0 on")


def _filtered(stmt: Any, ctx: ServiceContext, query: RegisterQuery) -> Any:
    stmt = stmt.where(roles.child_scope(ctx.user))
    if query.care == "looked_after":
        stmt = stmt.where(Child.left_care_on.is_(None))
    elif query.care == "left_care":
        stmt = stmt.where(Child.left_care_on.is_not(None))
    if query.mine_only:
        stmt = stmt.where(Child.worker == ctx.user.name)
    if query.worker:
        stmt = stmt.where(Child.worker == query.worker)
    if query.team:
        stmt = stmt.where(Child.team == query.team)
    if query.outcome == NOT_SCREENED:
        stmt = stmt.where(Child.latest_outcome.is_(None))
    elif query.outcome:
        stmt = stmt.where(Child.latest_outcome == query.outcome)
    if query.due:
        stmt = _due(stmt, query.due, ctx.today())
    if query.attention:
        stmt = stmt.where(needs_attention(ctx.today()))
    if query.returned_to_me:
        mine = select(Screening.id).where(
            Screening.id == Child.latest_screening_id,
            Screening.created_by == ctx.user.name,
        )
        stmt = stmt.where(Child.outcome_state == RETURNED, mine.exists())
    text = unicodedata.normalize("NFC", query.search.strip()).casefold()
    if text:
        # LIKE with the user's % and _ escaped, not SQLite's instr(): every engine has it, and
        # both sides are already casefolded, so LIKE's own case rules change nothing.
        stmt = stmt.where(Child.name_key.contains(text, autoescape=True))
    return stmt


def _due(stmt: Any, due: str, today: date) -> Any:
    if due == "overdue":
        return stmt.where(Child.next_due < today)
    days = 7 if due == "7d" else 30
    return stmt.where(Child.next_due >= today, Child.next_due <= today + timedelta(days=days))


def _age(dob: date, today: date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def run(session: Session, ctx: ServiceContext, query: RegisterQuery) -> RegisterPage:
    _check(query)
    today = ctx.today()
    total = session.scalar(_filtered(select(func.count(Child.id)), ctx, query)) or 0
    stmt = _filtered(select(*_COLUMNS), ctx, query).order_by(*_order(query, today))
    rows = session.execute(stmt.offset(query.offset).limit(query.limit)).all()
    drafts = _with_drafts(session, [r.id for r in rows])
    reasons = due_words.reasons(session, (_facts(r) for r in rows), today)
    soon = today + timedelta(days=DUE_SOON_DAYS)
    page = tuple(
        RegisterRow(
            child_id=r.id,
            public_id=r.public_id,
            case_ref=r.case_ref,
            name=r.name,
            dob=r.dob,
            age=_age(r.dob, today),
            worker=r.worker,
            team=r.team,
            placement_type=r.placement_type,
            latest_outcome=r.latest_outcome,
            last_screened=r.last_screened,
            next_due=r.next_due,
            overdue=r.next_due is not None and r.next_due < today,
            due_soon=r.next_due is not None and today <= r.next_due <= soon,
            has_draft=r.id in drafts,
            outcome_state=r.outcome_state,
            due_reason=reasons.get(r.id, ""),
            left_care_on=r.left_care_on,
        )
        for r in rows
    )
    return RegisterPage(rows=page, total=int(total))


def _order(query: RegisterQuery, today: date) -> tuple[Any, ...]:
    if query.sort == "attention":
        return attention_order(today)
    key = _SORT_COLUMNS[query.sort]
    # An empty value sorts as the lowest on every engine (SQLite's own order; PostgreSQL
    # would put it highest): never screened sits last when sorting by outcome, highest first.
    if query.descending:
        return (key.desc().nulls_last(), Child.case_ref.desc())
    return (key.asc().nulls_first(), Child.case_ref)


def _facts(r: Any) -> due_words.DueFacts:
    return due_words.DueFacts(
        r.id, r.next_due, r.last_screened, r.outcome_state, r.created_at, r.latest_screening_id
    )


def _with_drafts(session: Session, child_ids: list[int]) -> set[int]:
    if not child_ids:
        return set()
    stmt = select(Screening.child_id).where(
        Screening.child_id.in_(child_ids), Screening.status.in_(EDITABLE_STATUSES)
    )
    return set(session.scalars(stmt))
