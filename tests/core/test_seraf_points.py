"""The SERAF-style points strategy, chosen by a definition file rather than by code."""

from __future__ import annotations

import pytest

from cse_screen.core.model import Questionnaire
from cse_screen.core.scoring import score


@pytest.mark.parametrize(
    ("answers", "context", "points", "outcome", "band"),
    [
        ({}, {}, 0, "no_current_risk", "C1"),
        ({"S1": "current"}, {}, 5, "no_current_risk", "C1"),
        ({"S1": "current", "V1": "yes"}, {}, 6, "low", "C2"),
        ({"S1": "current"}, {"disability": "learning"}, 6, "low", "C2"),
        (
            {"S1": "previous", "M1": "current", "M2": "both", "V2": "yes"},
            {},
            4,
            "no_current_risk",
            "C1",
        ),
        ({"S1": "both", "S2": "current"}, {}, 11, "moderate", "C3"),
        ({"S1": "both", "S2": "current", "S3": "current"}, {}, 16, "significant", "C4"),
        ({"S1": "unknown", "V1": "unknown"}, {}, 0, "no_current_risk", "C1"),
        (
            {"S1": "both", "S2": "both", "V1": "yes", "V2": "no"},
            {"disability": "physical"},
            14,
            "moderate",
            "C3",
        ),
    ],
)
def test_points_and_bands(
    seraf: Questionnaire,
    answers: dict[str, str],
    context: dict[str, object],
    points: int,
    outcome: str,
    band: str,
) -> None:
    result = score(seraf, answers, context)
    assert (result.points, result.outcome) == (points, outcome)
    assert result.fired[-1].id == band
    assert f"{points} points" in result.fired[-1].explanation


def test_floor_applies_after_points(seraf: Questionnaire) -> None:
    result = score(seraf, {"H1": "previous"}, {})
    assert (result.points, result.rule_outcome, result.outcome) == (
        0,
        "no_current_risk",
        "significant",
    )
    assert result.rules == ("C1", "F1")


def test_bonus_reported(seraf: Questionnaire) -> None:
    result = score(seraf, {}, {"disability": "learning"})
    assert result.rules == ("D1", "C1")
    assert result.fired[0].kind == "bonus" and "+1 points" in result.fired[0].explanation


def test_default_instrument_reports_no_points(lac: Questionnaire) -> None:
    assert score(lac, {}, {}).points is None
