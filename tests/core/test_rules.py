"""Each default rule and floor of the contract, at its boundary."""

from __future__ import annotations

import pytest

from cse_screen.core.model import Questionnaire
from cse_screen.core.scoring import score

OLDER = {"dob": "2010-01-15", "screen_date": "2026-11-01"}  # 16


def ctx(**extra: str) -> dict[str, object]:
    return {**OLDER, **extra}


CASES = [
    # (name, answers, context, outcome, rules fired)
    ("nothing", {}, ctx(), "no_current_risk", ["R4"]),
    ("vulnerabilities alone", {"L1": "yes", "L8": "yes"}, ctx(), "no_current_risk", ["R4"]),
    ("R1 current", {"A1": "current"}, ctx(), "significant", ["R1"]),
    ("R1 both", {"K1": "both"}, ctx(), "significant", ["R1"]),
    ("R1 not on previous", {"A1": "previous"}, ctx(), "low", ["R3"]),
    ("R1 not on unknown", {"A1": "unknown"}, ctx(), "no_current_risk", ["R4"]),
    ("R2 at 2 moderate", {"A2": "current", "B3": "current"}, ctx(), "low", ["R3"]),
    (
        "R2 at 3 moderate",
        {"A2": "current", "B3": "both", "D1": "current"},
        ctx(),
        "moderate",
        ["R2"],
    ),
    (
        "R2 previous does not count",
        {"A2": "current", "B3": "current", "D1": "previous"},
        ctx(),
        "low",
        ["R3"],
    ),
    (
        "R2 unknown does not count",
        {"A2": "current", "B3": "current", "D1": "unknown"},
        ctx(),
        "low",
        ["R3"],
    ),
    (
        "R2 low tier does not count",
        {"A2": "current", "B3": "current", "B6": "current"},
        ctx(),
        "low",
        ["R3"],
    ),
    (
        "R2 L15 is moderate",
        {"A2": "current", "B3": "current", "L15": "current"},
        ctx(),
        "moderate",
        ["R2"],
    ),
    ("R3 low tier previous", {"J1": "previous"}, ctx(), "low", ["R3"]),
    ("R3 moderate previous", {"G1": "previous"}, ctx(), "low", ["R3"]),
    ("O1 harm current", {"M1": "current"}, ctx(), "significant", ["R4", "O1"]),
    ("O1 harm previous", {"C3": "previous"}, ctx(), "significant", ["R4", "O1"]),
    ("O1 harm unknown", {"E7": "unknown"}, ctx(), "no_current_risk", ["R4"]),
    (
        "O2 age 12",
        {"A2": "previous"},
        {"dob": "2014-06-01", "screen_date": "2026-11-01"},
        "moderate",
        ["R3", "O2"],
    ),
    (
        "O2 age 13",
        {"A2": "previous"},
        {"dob": "2013-06-01", "screen_date": "2026-11-01"},
        "low",
        ["R3"],
    ),
    (
        "O2 day before 13th birthday",
        {"A1": "previous"},
        {"dob": "2013-11-02", "screen_date": "2026-11-01"},
        "moderate",
        ["R3", "O2"],
    ),
    (
        "O2 on 13th birthday",
        {"A1": "previous"},
        {"dob": "2013-11-01", "screen_date": "2026-11-01"},
        "low",
        ["R3"],
    ),
    (
        "O2 ignores low tier",
        {"J1": "current"},
        {"dob": "2016-01-01", "screen_date": "2026-11-01"},
        "low",
        ["R3"],
    ),
    ("O3 L11 yes", {"J1": "previous", "L11": "yes"}, ctx(), "moderate", ["R3", "O3"]),
    ("O3 L11 no", {"J1": "previous", "L11": "no"}, ctx(), "low", ["R3"]),
    ("O3 L11 unknown", {"J1": "previous", "L11": "unknown"}, ctx(), "low", ["R3"]),
    (
        "O3 context learning",
        {"J1": "current"},
        ctx(disability="learning"),
        "moderate",
        ["R3", "O3"],
    ),
    ("O3 context physical", {"J1": "current"}, ctx(disability="physical"), "low", ["R3"]),
    (
        "O3 needs an indicator",
        {"L11": "yes"},
        ctx(disability="learning"),
        "no_current_risk",
        ["R4"],
    ),
    (
        "O3 with harm already significant",
        {"M3": "current", "L11": "yes"},
        ctx(),
        "significant",
        ["R4", "O1", "O3"],
    ),
]


@pytest.mark.parametrize(
    ("name", "answers", "context", "outcome", "rules"), CASES, ids=[c[0] for c in CASES]
)
def test_default_rules(
    lac: Questionnaire,
    name: str,
    answers: dict[str, str],
    context: dict[str, object],
    outcome: str,
    rules: list[str],
) -> None:
    result = score(lac, answers, context)
    assert result.outcome == outcome
    assert list(result.rules) == rules


def test_explanations_name_the_indicators(lac: Questionnaire) -> None:
    result = score(lac, {"A2": "current", "B3": "both", "D1": "current", "L11": "yes"}, ctx())
    r2, o3 = result.fired
    assert (r2.id, r2.indicators) == ("R2", ("A2", "B3", "D1"))
    assert "A2, B3, D1" in r2.explanation and r2.explanation.startswith("R2: ")
    assert o3.id == "O3" and not o3.raised and "L11" in o3.indicators
    assert "already" in o3.explanation


def test_age_in_explanation_and_result(lac: Questionnaire) -> None:
    result = score(lac, {"A2": "current"}, {"dob": "2015-03-01", "screen_date": "2026-11-01"})
    assert result.age == 11
    assert "age at screening 11" in result.fired[-1].explanation


def test_counts_unknown_unanswered(lac: Questionnaire) -> None:
    answers = {"A1": "both", "A2": "unknown", "L1": "yes", "L2": "unknown", "C3": "none"}
    result = score(lac, answers, ctx())
    assert result.counts == {
        "significant": 1,
        "moderate": 0,
        "low": 0,
        "vulnerability": 1,
        "harm": 0,
    }
    assert result.unknown == ("A2", "L2")
    assert len(result.unanswered) == 69 - len(answers)
    assert "A1" not in result.unanswered and "B1" in result.unanswered


def test_sample_answers_score_moderate(lac: Questionnaire) -> None:
    answers = {"A1": "previous", "A2": "current", "B3": "current", "D1": "current", "L11": "no"}
    context = {"dob": "2013-04-02", "screen_date": "2026-11-01", "disability": "none"}
    assert score(lac, answers, context).outcome == "moderate"
