"""On-time re-screens, what followed a positive screen and missing episodes, hand-counted.

The fixture (period 1 April to 30 June 2026):

* child 1: low on 10/01 due 10/04, re-screened 05/04 (on time; due 05/07), again 20/07;
  missing 01/04 (screened 4 days later: followed);
* child 2: moderate on 01/02 due 01/05, re-screened 20/05 (late; due 20/08), again 10/06
  (within the interval of 20/05; due 10/09); missing 01/05 (19 days: not followed), 10/05 and
  01/06 (followed);
* child 3: significant on 01/03 due 01/04, not re-screened; missing 20/04 and 25/04 (not
  followed);
* child 4: no current risk on 15/01 due 15/07; a placement move (not an episode) and a missing
  episode on 30/03 (before the period);
* child 5: significant on 02/04 due 16/04, not re-screened (overdue at 30/06).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from cse_screen.errors import UsageError
from cse_screen.export import ExportOptions
from cse_screen.export.listsource import ListSource
from cse_screen.export.periods import (
    last_quarters,
    period_bounds,
    previous_period,
    quarter_bounds,
)
from cse_screen.export.rows import EventRow
from cse_screen.export.workbook import build_workbook
from tests.export import rowfactory
from tests.export.helpers import block, load

D = date


def _fixture() -> ListSource:
    rng = random.Random(3)
    kids = [rowfactory.child(i) for i in range(1, 6)]
    plan = [
        (1, D(2026, 1, 10), "low", D(2026, 4, 10)),
        (1, D(2026, 4, 5), "low", D(2026, 7, 5)),
        (1, D(2026, 7, 20), "low", D(2026, 10, 20)),
        (2, D(2026, 2, 1), "moderate", D(2026, 5, 1)),
        (2, D(2026, 5, 20), "moderate", D(2026, 8, 20)),
        (2, D(2026, 6, 10), "moderate", D(2026, 9, 10)),
        (3, D(2026, 3, 1), "significant", D(2026, 4, 1)),
        (4, D(2026, 1, 15), "no_current_risk", D(2026, 7, 15)),
        (5, D(2026, 4, 2), "significant", D(2026, 4, 16)),
    ]
    screenings = [
        rowfactory.screening(
            n,
            kids[child - 1],
            rng,
            screen_date=day,
            final_outcome=outcome,
            computed_outcome=outcome,
            next_due=due,
        )
        for n, (child, day, outcome, due) in enumerate(plan, start=1)
    ]
    events = [
        EventRow(1, "missing_episode", D(2026, 4, 1)),
        EventRow(2, "missing_episode", D(2026, 5, 1)),
        EventRow(2, "missing_episode", D(2026, 5, 10)),
        EventRow(2, "missing_episode", D(2026, 6, 1)),
        EventRow(3, "missing_episode", D(2026, 4, 20)),
        EventRow(3, "missing_episode", D(2026, 4, 25)),
        EventRow(4, "placement_move", D(2026, 5, 5)),
        EventRow(4, "missing_episode", D(2026, 3, 30)),
    ]
    kids = [replace(k, latest_outcome=None, last_screened=None, next_due=None) for k in kids]
    return ListSource.from_lists(
        rowfactory.meta(), [rowfactory.instrument()], kids, screenings, events
    )


@pytest.fixture(scope="module")
def questions(tmp_path_factory):
    options = ExportOptions(date_from=D(2026, 4, 1), date_to=D(2026, 6, 30))
    out = tmp_path_factory.mktemp("q") / "q2.xlsx"
    out.write_bytes(build_workbook(_fixture(), options).data.getvalue())
    return load(out)["Key questions"]


def _by_label(rows, key):
    return {r[key]: r for r in rows}


def test_re_screens_due_in_the_period_by_the_due_date(questions):
    due = _by_label(
        block(questions, "Re-screens due in the period"), "Outcome that set the due date"
    )
    assert due["Low"]["Total"] == 1 and due["Low"]["By the due date"] == 1
    assert due["Moderate"]["Late"] == 1 and due["Moderate"]["By the due date"] == 0
    assert due["Significant"]["Not yet re-screened"] == 2
    assert due["No current risk"]["Total"] == 0
    total = due["Total"]
    assert (total["Total"], total["By the due date"], total["Late"]) == (4, 1, 1)
    assert total["% by the due date"] == pytest.approx(1 / 4)


def test_what_followed_a_positive_screen(questions):
    rows = _by_label(block(questions, "What followed a positive screen"), "Outcome")
    assert rows["Low"]["Re-screen not yet due"] == 1
    assert rows["Moderate"]["Re-screened within its interval"] == 1
    assert rows["Moderate"]["Re-screen not yet due"] == 1
    assert rows["Significant"]["Re-screen overdue"] == 1
    assert rows["Total"]["Total"] == 4
    assert rows["No current risk"]["Total"] == 0


def test_missing_episodes_counted_by_child_and_followed_up(questions):
    kids = _by_label(block(questions, "Missing episodes"), "Episodes in the period")
    assert (kids["1"]["Children"], kids["2"]["Children"], kids["3 or more"]["Children"]) == (
        1,
        1,
        1,
    )
    assert kids["Total"]["Children"] == 3
    values = [r for r in questions.iter_rows(values_only=True) if r[0]]
    episodes = {r[0]: r for r in values}
    assert episodes["Missing episodes in the period"][1] == 6
    assert episodes["Followed by a screening within 14 days"][1:3] == (3, pytest.approx(0.5))


def test_the_trend_covers_eight_quarters_as_shares(questions):
    rows = block(questions, "Trend of the last eight quarters")
    assert [r["Quarter"] for r in rows][-1] == "2026 Q2"
    assert len(rows) == 8
    q1 = next(r for r in rows if r["Quarter"] == "2026 Q1")
    assert q1["Screenings"] == 4
    assert q1["% Significant"] == pytest.approx(1 / 4)


def test_a_quarter_is_compared_with_the_calendar_quarter_before():
    assert quarter_bounds("2026-Q3") == (D(2026, 7, 1), D(2026, 9, 30))
    assert previous_period(D(2026, 7, 1), D(2026, 9, 30)) == (D(2026, 4, 1), D(2026, 6, 30))
    assert previous_period(D(2026, 1, 1), D(2026, 3, 31)) == (D(2025, 10, 1), D(2025, 12, 31))
    assert previous_period(D(2026, 3, 1), D(2026, 3, 31)) == (D(2026, 2, 1), D(2026, 2, 28))
    assert previous_period(D(2026, 3, 5), D(2026, 3, 14)) == (D(2026, 2, 23), D(2026, 3, 4))
    now, before = period_bounds(None, None, D(2026, 11, 29))
    assert now == (D(2025, 11, 30), D(2026, 11, 29)) and before[1] == D(2025, 11, 29)
    assert last_quarters(D(2026, 5, 3))[0] == (D(2024, 7, 1), D(2024, 9, 30))


@pytest.mark.parametrize("text", ["2026-Q5", "2026Q1", "Q1-2026", ""])
def test_a_bad_quarter_is_one_sentence(text):
    with pytest.raises(UsageError, match="is not a quarter in the form YYYY-Qn"):
        quarter_bounds(text)
