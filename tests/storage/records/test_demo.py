"""Demo data: deterministic, plausible, scored by the core scorer, register columns consistent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from cse_screen.core import dates, registry, scoring
from cse_screen.demo.demo import DEMO_USER, populate
from cse_screen.errors import UserError
from cse_screen.storage.models import Answer, Child, Screening
from cse_screen.storage.services.latest import refresh_child
from cse_screen.vault.store import Store

PASSWORD = "synthetic records pass 5"


def make(path: Path, seed: int = 7, children: int = 80) -> Store:
    store = Store.create(path, DEMO_USER, PASSWORD)
    populate(store, children=children, seed=seed)
    return store


def snapshot(store: Store) -> list[tuple]:
    with store.reading() as session:
        kids = session.execute(
            select(Child.case_ref, Child.name, Child.dob, Child.latest_outcome, Child.next_due)
        ).all()
        screens = session.execute(
            select(Screening.child_id, Screening.screen_date, Screening.final_outcome)
        ).all()
    return [tuple(r) for r in kids] + [tuple(r) for r in screens]


def test_same_seed_same_data_and_another_seed_differs(tmp_path: Path):
    with make(tmp_path / "a.db") as a, make(tmp_path / "b.db") as b:
        assert snapshot(a) == snapshot(b)
        with pytest.raises(UserError, match="demo data for seed 7 is already in"):
            populate(a, children=5, seed=7)
        populate(a, children=5, seed=8)
        assert a.stats()["children"] == 85


def test_demo_children_are_plausible_and_scored_by_core(tmp_path: Path):
    q = registry.get_questionnaire()
    with make(tmp_path / "d.db", seed=3, children=150) as store:
        stats = store.stats()
        today = store.context.today()
        with store.reading() as session:
            children = session.scalars(select(Child)).all()
            for child in children:
                assert 8 <= dates.age_on(child.dob, today) <= 17
                expected = (child.latest_screening_id, child.latest_outcome, child.next_due)
                refresh_child(session, child)
                assert (child.latest_screening_id, child.latest_outcome, child.next_due) == expected
            session.rollback()
            done = session.scalars(
                select(Screening).where(Screening.status != "draft").limit(60)
            ).all()
            by_id = {c.id: c for c in children}
            for screening in done:
                answers = dict(
                    session.execute(
                        select(Answer.item_id, Answer.value).where(
                            Answer.screening_id == screening.id
                        )
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
    assert stats["children"] == 150 and stats["overdue"] > 0
    assert stats["screenings"]["by_status"]["draft"] > 0
    outcomes = stats["screenings"]["by_outcome"]
    at_risk = sum(outcomes.values()) - outcomes["no_current_risk"]
    assert 0.04 <= at_risk / 150 <= 0.25
    first = min(s.screen_date for s in done)
    assert today - dt.timedelta(days=731) <= first
