"""The shipped instrument is the indicator bank: its ids, tiers and answer values are contract."""

from __future__ import annotations

from cse_screen.core.model import Questionnaire

# Indicator bank, section 8 of the domain notes: S significant, M moderate, L low,
# V vulnerability, H harm.
BANK = {
    "A": "SMMSS",
    "B": "SSMMMLM",
    "C": "SSH",
    "D": "MMSMM",
    "E": "MSSMMSHS",
    "F": "SM",
    "G": "MMMMM",
    "H": "MMM",
    "I": "MLM",
    "J": "LSSSSSS",
    "K": "SSS",
    "L": "VVVVVVVVVVVVVVM",
    "M": "HSH",
}
TIER = {"S": "significant", "M": "moderate", "L": "low", "V": "vulnerability", "H": "harm"}
RISK_VALUES = ("none", "current", "previous", "both", "unknown")


def expected_tiers() -> dict[str, str]:
    return {
        f"{letter}{n}": TIER[code]
        for letter, codes in BANK.items()
        for n, code in enumerate(codes, start=1)
    }


def test_exactly_the_69_bank_items_with_their_tiers(lac: Questionnaire) -> None:
    assert {i.id: i.tier for i in lac.items} == expected_tiers()
    assert len(lac.items) == 69
    assert len(lac.risk_items) == 55


def test_answer_values_follow_the_kind(lac: Questionnaire) -> None:
    for item in lac.items:
        if item.id[0] == "L" and item.id != "L15":
            assert item.values == ("yes", "no", "unknown"), item.id
            assert item.kind == "vulnerability"
        else:
            assert item.values == RISK_VALUES, item.id
    assert {i.id for i in lac.items if i.kind == "harm_indicator"} == {"C3", "E7", "M1", "M3"}


def test_both_counts_as_current_and_previous_and_unknown_as_absent(lac: Questionnaire) -> None:
    risk = lac.answer_types[lac.item("A1").answer]
    assert "both" in risk.current and "both" in risk.previous
    assert "unknown" not in risk.present and "none" not in risk.present


def test_outcomes_in_order_with_review_intervals(lac: Questionnaire) -> None:
    assert [(o.id, o.review_after_days) for o in lac.outcomes] == [
        ("no_current_risk", 180),
        ("low", 90),
        ("moderate", 42),
        ("significant", 28),
    ]
    for outcome in lac.outcomes:
        assert outcome.colour.startswith("#") and len(outcome.colour) == 7
        assert outcome.label and outcome.actions


def test_metadata_rules_and_guidance(lac: Questionnaire) -> None:
    assert (lac.id, lac.version, lac.status) == ("lac-cse-screen", "1.0.0", "active")
    assert [r.id for r in lac.scoring.rules] == ["R1", "R2", "R3", "R4"]
    assert [f.id for f in lac.scoring.floors] == ["O1", "O2", "O3"]
    assert all(i.guidance.strip() and i.evidence == "required_if_present" for i in lac.items)
    assert lac.changelog[0].version == "1.0.0"
    context = {f.id for f in lac.context_fields}
    assert {"dob", "screen_date", "gender", "ethnicity", "disability", "placement_type"} <= context
    assert {"legal_status", "missing_episodes", "trigger", "sources"} <= context
    assert "learning" in lac.context_field("disability").options


def test_items_callable_and_iterable(lac: Questionnaire) -> None:
    assert lac.items() == lac.items
    assert lac.item("L11").section == "family_placement"
    assert lac.outcome_rank("significant") > lac.outcome_rank("moderate")
