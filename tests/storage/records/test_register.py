"""The register query against known data: search, filters, due windows, sort, paging, stats."""

from __future__ import annotations

import datetime as dt

import pytest
from records_fixtures import Council, complete_answers

from cse_screen.core import dates
from cse_screen.errors import ValidationFailed
from cse_screen.storage.records import ChildInput, RegisterQuery

TODAY = dt.date.today()


@pytest.fixture
def known(council: Council, q) -> Council:
    """N1 significant (screened 10 days ago), N2 moderate 40 days ago (overdue: due after 42
    days → in 2 days), N3 no risk 200 days ago (overdue), S1 never screened, plus Zoë in North."""
    council.screen("wes", "N1", q, complete_answers(q, A1="current"), TODAY - dt.timedelta(10))
    moderate = complete_answers(q, B3="current", B4="current", D1="current")
    council.screen("wes", "N2", q, moderate, TODAY - dt.timedelta(40))
    council.screen("wynn", "N3", q, complete_answers(q), TODAY - dt.timedelta(200))
    admin = council.open()
    zoe = admin.children.add(ChildInput("n4", "Zoë Élan", dt.date(2013, 3, 3), worker="wynn"))
    council.ids["n4"] = zoe.id
    return council


def refs(page) -> list[str]:
    return [r.case_ref for r in page.rows]


def test_search_matches_reference_or_name_ignoring_case_and_accents_typed_alike(known):
    admin = known.open()
    assert refs(admin.children.register(RegisterQuery(search="ashdown"))) == ["N1"]
    assert refs(admin.children.register(RegisterQuery(search="ZOË"))) == ["n4"]
    assert refs(admin.children.register(RegisterQuery(search="N4"))) == ["n4"]
    assert admin.children.register(RegisterQuery(search="nobody")).total == 0


def test_search_takes_wildcard_characters_literally(known):
    """A typed % or _ is part of the name searched for, not a pattern matching everyone."""
    admin = known.open()
    for typed in ("%", "_", "a%n", "ash_own", "\\"):
        assert admin.children.register(RegisterQuery(search=typed)).total == 0, typed


def test_filters_by_worker_team_outcome_and_mine(known):
    lena = known.open("lena")
    assert refs(lena.children.register(RegisterQuery(worker="wynn"))) == ["N3", "n4"]
    assert refs(known.open().children.register(RegisterQuery(team="South"))) == ["S1"]
    assert refs(lena.children.register(RegisterQuery(outcome="significant"))) == ["N1"]
    assert refs(lena.children.register(RegisterQuery(outcome="none"))) == ["n4"]
    assert refs(known.open("wynn").children.register(RegisterQuery(mine_only=True))) == [
        "N3",
        "n4",
    ]
    assert lena.children.register(RegisterQuery(mine_only=True)).total == 0


def test_due_windows(known, q):
    admin = known.open()
    n2_due = dates.next_due(q, "moderate", TODAY - dt.timedelta(40))
    assert 0 <= (n2_due - TODAY).days <= 7
    overdue = refs(admin.children.register(RegisterQuery(due="overdue")))
    assert "N3" in overdue and "N2" not in overdue and "N1" not in overdue
    assert "N2" in refs(admin.children.register(RegisterQuery(due="7d")))
    thirty = refs(admin.children.register(RegisterQuery(due="30d")))
    assert "N1" in thirty and "N2" in thirty  # significant: due 28 days after, 18 from today
    row = {r.case_ref: r for r in admin.children.register().rows}
    assert row["N3"].overdue and not row["N3"].due_soon
    assert row["N2"].due_soon and not row["N2"].overdue
    # Moving the clock: in 60 days everybody is overdue.
    admin.context.today = lambda: TODAY + dt.timedelta(days=200)
    assert admin.children.register(RegisterQuery(due="overdue")).total == 5


def test_sort_and_paging(known):
    admin = known.open()
    by_name = admin.children.register(RegisterQuery(sort="name"))
    assert [r.name.split()[0] for r in by_name.rows] == ["Amelia", "Jade", "Kian", "Tyler", "Zoë"]
    by_outcome = admin.children.register(RegisterQuery(sort="outcome", descending=True))
    assert refs(by_outcome)[:3] == ["N1", "N2", "N3"]
    by_dob = admin.children.register(RegisterQuery(sort="dob"))
    assert refs(by_dob)[0] == "N3"
    page = admin.children.register(RegisterQuery(sort="ref", offset=1, limit=2))
    assert page.total == 5 and refs(page) == ["N2", "N3"]
    last = admin.children.register(RegisterQuery(sort="ref", offset=4, limit=2))
    assert refs(last) == ["n4"] and last.total == 5
    with pytest.raises(ValidationFailed, match="cannot sort the register by 'colour'"):
        admin.children.register(RegisterQuery(sort="colour"))
    with pytest.raises(ValidationFailed, match="unknown due filter"):
        admin.children.register(RegisterQuery(due="soon"))


def test_stats_count_the_latest_completed_screening_per_child(known, q):
    # A second, newer screening of N1 with no risk replaces its significant outcome.
    known.screen("wes", "N1", q, complete_answers(q), TODAY - dt.timedelta(2))
    known.screen("wes", "N2", q, complete_answers(q), submit=False)
    stats = known.open().stats()
    assert stats["children"] == 5
    assert stats["screenings"] == {
        "total": 5,
        "by_status": {"draft": 1, "submitted": 4, "signed_off": 0, "returned": 0},
        "by_outcome": {"no_current_risk": 2, "low": 0, "moderate": 1, "significant": 0},
    }
    assert stats["overdue"] == 1  # N3; S1 and Zoë were only added today
    assert stats["not_screened"] == 2
    worker = known.open("wes").stats()
    assert worker["children"] == 2 and worker["screenings"]["total"] == 4
