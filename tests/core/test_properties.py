"""Properties of the default scoring that must hold for any answers (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cse_screen.core.loader import load_questionnaire
from cse_screen.core.registry import default_folder
from cse_screen.core.scoring import score

Q = load_questionnaire(default_folder() / "lac-cse-screen.yaml")
RISK = [i.id for i in Q.risk_items]
VULN = [i.id for i in Q.items if i.kind == "vulnerability"]
RANK = {o.id: o.rank for o in Q.outcomes}
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def screenings(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, object]]:
    answers: dict[str, str] = {}
    for item_id in draw(st.lists(st.sampled_from(RISK), unique=True, max_size=12)):
        answers[item_id] = draw(st.sampled_from(["none", "current", "previous", "both", "unknown"]))
    for item_id in draw(st.lists(st.sampled_from(VULN), unique=True, max_size=6)):
        answers[item_id] = draw(st.sampled_from(["yes", "no", "unknown"]))
    age = draw(st.integers(min_value=8, max_value=17))
    context: dict[str, object] = {
        "dob": f"{2026 - age}-01-01",
        "screen_date": "2026-06-01",
        "disability": draw(st.sampled_from(["none", "learning", "physical", "unknown"])),
    }
    return answers, context


@FAST
@given(screenings(), st.sampled_from(RISK))
def test_none_to_current_never_lowers(
    case: tuple[dict[str, str], dict[str, object]], item: str
) -> None:
    answers, context = case
    before = score(Q, {**answers, item: "none"}, context)
    after = score(Q, {**answers, item: "current"}, context)
    assert RANK[after.outcome] >= RANK[before.outcome]


@FAST
@given(screenings())
def test_floors_never_lower(case: tuple[dict[str, str], dict[str, object]]) -> None:
    result = score(Q, *case)
    assert RANK[result.outcome] >= RANK[result.rule_outcome]
    for fired in result.fired:
        if fired.kind == "floor":
            assert RANK[result.outcome] >= RANK[fired.outcome]


@FAST
@given(screenings(), st.sampled_from(RISK + VULN))
def test_unknown_never_raises(case: tuple[dict[str, str], dict[str, object]], item: str) -> None:
    answers, context = case
    absent = "no" if item in VULN else "none"
    without = score(Q, {**answers, item: absent}, context)
    unknown = score(Q, {**answers, item: "unknown"}, context)
    unanswered = score(Q, {k: v for k, v in answers.items() if k != item}, context)
    assert unknown.outcome == without.outcome == unanswered.outcome
    assert item in unknown.unknown


@FAST
@given(screenings())
def test_deterministic(case: tuple[dict[str, str], dict[str, object]]) -> None:
    answers, context = case
    first = score(Q, answers, context).to_dict()
    reordered = dict(reversed(list(answers.items())))
    assert score(Q, reordered, context).to_dict() == first
    assert score(Q, answers, context).to_dict() == first


@FAST
@given(screenings())
def test_outcome_matches_an_independent_reading_of_the_contract(
    case: tuple[dict[str, str], dict[str, object]],
) -> None:
    """The rules of DESIGN section 3, written again in plain Python."""
    answers, context = case
    tier = {i.id: i.tier for i in Q.items}
    present = {k for k, v in answers.items() if v in ("current", "previous", "both", "yes")}
    current = {k for k, v in answers.items() if v in ("current", "both")}
    if any(tier[k] == "significant" for k in current):
        outcome = 3
    elif sum(tier[k] == "moderate" for k in current) >= 3:
        outcome = 2
    elif any(tier[k] == "significant" and answers[k] == "previous" for k in answers) or any(
        tier[k] in ("moderate", "low") for k in present
    ):
        outcome = 1
    else:
        outcome = 0
    age = 2026 - int(str(context["dob"])[:4])
    if any(tier[k] == "harm" for k in present):
        outcome = 3
    if age < 13 and any(tier[k] in ("significant", "moderate") for k in present):
        outcome = max(outcome, 2)
    learning = answers.get("L11") == "yes" or context["disability"] == "learning"
    if learning and any(tier[k] in ("significant", "moderate", "low", "harm") for k in present):
        outcome = max(outcome, 2)
    assert RANK[score(Q, answers, context).outcome] == outcome
