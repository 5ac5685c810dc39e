"""Professional judgement, due dates and ages, and changes between screenings."""

from __future__ import annotations

import datetime as dt

import pytest

from cse_screen.core.compare import compare_answers
from cse_screen.core.dates import age_on, next_due, parse_date
from cse_screen.core.judgement import apply_judgement
from cse_screen.core.model import Questionnaire
from cse_screen.core.scoring import score
from cse_screen.errors import AnswersInvalid, OverrideInvalid


def test_lowering_needs_reason_and_signoff(lac: Questionnaire) -> None:
    judgement = apply_judgement(lac, "moderate", "low", "  Disclosure found to be about a peer.  ")
    assert (judgement.lowered, judgement.needs_signoff, judgement.overridden) == (True, True, True)
    assert judgement.reason == "Disclosure found to be about a peer."
    with pytest.raises(OverrideInvalid, match="needs a written reason"):
        apply_judgement(lac, "moderate", "low", "   ")


def test_raising_needs_reason_but_no_signoff(lac: Questionnaire) -> None:
    judgement = apply_judgement(lac, "low", "significant", "Police intelligence not in the items.")
    assert (judgement.final_outcome, judgement.lowered, judgement.needs_signoff) == (
        "significant",
        False,
        False,
    )
    with pytest.raises(OverrideInvalid):
        apply_judgement(lac, "low", "significant", None)


def test_agreeing_needs_nothing(lac: Questionnaire) -> None:
    for final in (None, "", "moderate"):
        judgement = apply_judgement(lac, "moderate", final, None)
        assert judgement.final_outcome == "moderate" and not judgement.needs_signoff


def test_unknown_outcomes_refused(lac: Questionnaire) -> None:
    with pytest.raises(OverrideInvalid, match="final outcome 'high' is not an outcome"):
        apply_judgement(lac, "low", "high", "reason")
    with pytest.raises(OverrideInvalid, match="computed outcome 'amber'"):
        apply_judgement(lac, "amber", "low", "reason")


@pytest.mark.parametrize(
    ("dob", "day", "age"),
    [
        ("2013-11-01", "2026-11-01", 13),
        ("2013-11-02", "2026-11-01", 12),
        ("2012-02-29", "2025-02-28", 12),
        ("2012-02-29", "2025-03-01", 13),
        ("2026-11-01", "2026-11-01", 0),
    ],
)
def test_age_on(dob: str, day: str, age: int) -> None:
    assert age_on(dt.date.fromisoformat(dob), dt.date.fromisoformat(day)) == age


def test_age_errors_do_not_quote_the_date(lac: Questionnaire) -> None:
    with pytest.raises(AnswersInvalid) as caught:
        score(lac, {}, {"dob": "01/02/2013", "screen_date": "2026-11-01"})
    assert "01/02/2013" not in caught.value.message and "dob" in caught.value.message
    with pytest.raises(AnswersInvalid, match="after the screening date"):
        score(lac, {}, {"dob": "2027-01-01", "screen_date": "2026-11-01"})


def test_age_defaults_to_today(lac: Questionnaire) -> None:
    born = dt.date(dt.date.today().year - 10, 1, 1)
    assert score(lac, {}, {"dob": born.isoformat()}).age == 10
    assert score(lac, {}, {}).age is None


def test_next_due(lac: Questionnaire) -> None:
    assert next_due(lac, "significant", "2026-11-01") == dt.date(2026, 11, 29)
    assert next_due(lac, "no_current_risk", dt.date(2026, 1, 1)) == dt.date(2026, 6, 30)
    assert next_due(lac, "moderate", dt.datetime(2026, 1, 1, 9, 30)) == dt.date(2026, 2, 12)
    with pytest.raises(AnswersInvalid):
        next_due(lac, "amber", "2026-01-01")
    with pytest.raises(AnswersInvalid):
        parse_date(20260101, "screen_date")


def test_compare(lac: Questionnaire) -> None:
    before = {"A1": "current", "A2": "previous", "B3": "current", "L1": "yes", "C1": "unknown"}
    after = {"A1": "both", "A2": "none", "C1": "current", "L1": "yes", "Z9": "current"}
    changes = compare_answers(lac, before, after)
    assert changes.new == ("C1",)
    assert changes.resolved == ("A2", "B3")
    assert changes.still_present == ("A1", "L1")
    assert changes.any
    assert not compare_answers(lac, before, before).any
