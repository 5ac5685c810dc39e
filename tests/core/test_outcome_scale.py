"""The instrument owns its outcomes: their order comes from the definitions, not from code."""

from __future__ import annotations

from pathlib import Path

from cse_screen.core import registry
from cse_screen.core.loader import load_questionnaire
from cse_screen.storage.services import dashboard, latest

HARM_OUTCOME = """  - id: harm_identified
    label: "Harm identified"
    colour: "#6A1B9A"
    actions:
      - "Hold a strategy discussion today."
    review_after_days: 14

scoring:"""


def with_harm_outcome(text: str) -> str:
    """The default with a fifth, highest outcome, as a draft 2.0.0 that O1 raises to."""
    old, new = '  version: "1.0.0"\n  status: active', '  version: "2.0.0"\n  status: draft'
    text = text.replace(old, new)
    text = text.replace('    - version: "1.0.0"', '    - version: "2.0.0"')
    text = text.replace("\n\nscoring:", "\n" + HARM_OUTCOME, 1)
    return text.replace(
        '      at_least: significant\n      description: "A harm indicator',
        '      at_least: harm_identified\n      description: "A harm indicator',
    )


def test_default_scale_is_the_definitions_four_in_order(lac) -> None:
    assert lac.outcome_ids == ("no_current_risk", "low", "moderate", "significant")
    assert lac.high_outcomes == ("moderate", "significant")
    assert latest.outcome_order() == registry.outcome_scale()
    assert latest.outcome_rank("moderate") == 2
    assert latest.outcome_rank(None) is None


def test_an_outcome_only_a_candidate_has_joins_the_scale_where_it_ranks(
    tmp_path: Path, default_text: str
) -> None:
    (tmp_path / "a.yaml").write_text(default_text)
    (tmp_path / "b.yaml").write_text(with_harm_outcome(default_text))
    candidate = load_questionnaire(tmp_path / "b.yaml")
    assert candidate.outcome_ids[-1] == "harm_identified"
    assert candidate.high_outcomes == ("moderate", "significant", "harm_identified")
    scale = registry.outcome_scale(folder=tmp_path)
    assert scale == ("no_current_risk", "low", "moderate", "significant", "harm_identified")
    assert registry.get_questionnaire(folder=tmp_path).version == "1.0.0"


def test_dashboard_attention_outcomes_come_from_the_active_definition() -> None:
    assert dashboard.high_outcomes() == ("moderate", "significant")
