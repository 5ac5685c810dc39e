"""Demo data: deterministic, plausible, scored by the core scorer, register columns consistent,
on either engine (the benchmarks and a trial team server are seeded with it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from records_fixtures import Council
from sqlalchemy import select

from cse_screen.core import dates, registry, scoring
from cse_screen.demo.demo import populate
from cse_screen.errors import UserError
from cse_screen.storage.models import Answer, Child, Screening
from cse_screen.storage.records import ChildInput
from cse_screen.storage.services.latest import refresh_child
from cse_screen.storage.signed_in import SignedIn

#: The small council's own children, there before the demo data is added.
COUNCIL_CHILDREN = 4


def make(council: Council, seed: int = 7, children: int = 80) -> SignedIn:
    store = council.open()
    populate(store, children=children, seed=seed)
    return store


def snapshot(store: SignedIn) -> list[tuple]:
    with store.reading() as session:
        kids = session.execute(
            select(
                Child.case_ref, Child.name, Child.dob, Child.latest_outcome, Child.next_due
            ).order_by(Child.id)
        ).all()
        screens = session.execute(
            select(Screening.child_id, Screening.screen_date, Screening.final_outcome).order_by(
                Screening.id
            )
        ).all()
    return [tuple(r) for r in kids] + [tuple(r) for r in screens]


def test_same_seed_same_data_and_another_seed_differs(new_council: Callable[[], Council]):
    a, b = make(new_council()), make(new_council())
    assert snapshot(a) == snapshot(b)
    with pytest.raises(UserError, match="demo data for seed 7 is already in"):
        populate(a, children=5, seed=7)
    populate(a, children=5, seed=8)
    assert a.stats()["children"] == COUNCIL_CHILDREN + 85
    # Rows added afterwards get ids after the demo's own (PostgreSQL's sequences follow them).
    added = a.children.add(ChildInput("AFTER1", "Late Child", dt.date(2012, 1, 1)))
    assert added.id == COUNCIL_CHILDREN + 86


def test_demo_children_are_plausible_and_scored_by_core(council: Council):
    q = registry.get_questionnaire()
    store = make(council, seed=3, children=150)
    stats = store.stats()
    today = store.context.today()
    with store.reading() as session:
        children = session.scalars(select(Child).where(Child.case_ref.like("DEMO%"))).all()
        for child in children:
            assert 8 <= dates.age_on(child.dob, today) <= 17
            expected = (child.latest_screening_id, child.latest_outcome, child.next_due)
            refresh_child(session, child)
            assert (child.latest_screening_id, child.latest_outcome, child.next_due) == expected
        session.rollback()
        done = session.scalars(select(Screening).where(Screening.status != "draft").limit(60)).all()
        by_id = {c.id: c for c in children}
        for screening in done:
            answers = dict(
                session.execute(
                    select(Answer.item_id, Answer.value).where(Answer.screening_id == screening.id)
                ).all()
            )
            assert len(answers) == len(q.items)
            child = by_id[screening.child_id]
            context = {
                "dob": child.dob.isoformat(),
                "screen_date": screening.screen_date.isoformat(),
                "disability": (child.disability or "").lower(),
            }
            assert scoring.score(q, answers, context).outcome == screening.computed_outcome
    assert stats["children"] == COUNCIL_CHILDREN + 150 and stats["overdue"] > 0
    assert stats["screenings"]["by_status"]["draft"] > 0
    outcomes = stats["screenings"]["by_outcome"]
    at_risk = sum(outcomes.values()) - outcomes["no_current_risk"]
    assert 0.04 <= at_risk / 150 <= 0.25  # the council's own four are not screened
    first = min(s.screen_date for s in done)
    assert today - dt.timedelta(days=731) <= first
