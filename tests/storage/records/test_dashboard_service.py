"""The dashboard's figures are scoped like every other read: a lead sees their team, an
administrator everyone, a worker their caseload; drafts never count as screenings."""

from __future__ import annotations

import datetime as dt

import pytest
from records_fixtures import Council, complete_answers

from cse_screen.core.model import Questionnaire
from cse_screen.storage.services import dashboard

TODAY = dt.date.today()


def _of_tier(q: Questionnaire, tier: str, count: int = 1) -> list[str]:
    return [i.id for i in q.items if i.tier == tier and "current" in i.values][:count]


def _screen_council(council: Council, q: Questionnaire) -> None:
    significant = {_of_tier(q, "significant")[0]: "current"}
    moderate = dict.fromkeys(_of_tier(q, "moderate", 3), "current")  # three make "moderate"
    day10, day200 = TODAY - dt.timedelta(days=10), TODAY - dt.timedelta(days=200)
    council.screen("wes", "N1", q, complete_answers(q, **significant), day10)
    council.screen("wes", "N2", q, complete_answers(q), day200)
    council.screen("sue", "S1", q, complete_answers(q, **moderate), TODAY)
    council.screen("wynn", "N3", q, complete_answers(q), TODAY, submit=False)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def test_lead_sees_their_team_only(council: Council, q: Questionnaire) -> None:
    _screen_council(council, q)
    store = council.open("lena")
    data = dashboard.compute(store.context)
    assert data.stats == store.stats()
    assert data.stats["children"] == 3
    assert [r.case_ref for r in data.attention] == ["N2", "N1"]  # overdue first
    assert data.attention_total == 2
    assert data.attention[0].overdue and data.attention[1].latest_outcome == "significant"
    assert data.screened_in_interval == 1  # N1; N2 is overdue, N3 has only a draft
    assert data.due_within_7_days == 1  # N3: never screened, so due from the day it was added
    by_month = {m.month: m.by_outcome for m in data.months}
    assert len(data.months) == 12 and data.months[-1].month == _month(TODAY)
    assert by_month[_month(TODAY - dt.timedelta(days=10))]["significant"] == 1
    assert by_month[_month(TODAY - dt.timedelta(days=200))]["no_current_risk"] == 1
    assert sum(sum(m.by_outcome.values()) for m in data.months) == 2  # not South, not drafts


@pytest.mark.standalone_admin
def test_admin_sees_every_team(council: Council, q: Questionnaire) -> None:
    _screen_council(council, q)
    store = council.open("ada")
    data = dashboard.compute(store.context)
    assert data.stats["children"] == 4
    assert [r.case_ref for r in data.attention] == ["N2", "N1", "S1"]
    assert data.screened_in_interval == 2
    assert data.months[-1].by_outcome["moderate"] == 1
    assert sum(sum(m.by_outcome.values()) for m in data.months) == 3


def test_worker_sees_their_caseload(council: Council, q: Questionnaire) -> None:
    _screen_council(council, q)
    data = dashboard.compute(council.open("sue").context)
    assert data.stats["children"] == 1
    assert [r.case_ref for r in data.attention] == ["S1"]


def test_due_soon_counts_the_next_seven_days(council: Council, q: Questionnaire) -> None:
    review = q.outcome("no_current_risk").review_after_days
    council.screen("wes", "N1", q, complete_answers(q), TODAY - dt.timedelta(days=review - 3))
    data = dashboard.compute(council.open("lena").context)
    assert data.due_within_7_days == 3  # N1, and N2 and N3 due from the day they were added
    assert data.stats["due_within_30_days"] == 3
    assert data.screened_in_interval == 1
    assert data.attention == ()  # due soon and no current risk: nothing to act on yet
