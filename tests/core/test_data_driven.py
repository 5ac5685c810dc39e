"""The CSE team changes the instrument by editing YAML alone: new items and changed rules work."""

from __future__ import annotations

from cse_screen.core.loader import load_text
from cse_screen.core.scoring import score

NEW_SECTION = """\
  - id: new_domain
    title: "N. A new domain"
    items:
      - id: N1
        text: "A newly recognised indicator"
        kind: risk_indicator
        tier: moderate
        answer: presence_recency
        guidance: "Added by the CSE team."
"""


def test_added_item_and_changed_threshold(default_text: str) -> None:
    text = default_text.replace("sections:\n", "sections:\n" + NEW_SECTION, 1)
    text = text.replace("answer in [current, both]) >= 3", "answer in [current, both]) >= 2")
    q = load_text(text, "edited.yaml")
    assert len(q.items) == 70 and q.item("N1").tier == "moderate"
    result = score(q, {"N1": "current", "A2": "current"}, {})
    assert (result.outcome, result.rules) == ("moderate", ("R2",))
    assert result.fired[0].indicators == ("N1", "A2")


def test_content_hash_follows_the_bytes(default_text: str) -> None:
    same = load_text(default_text, "a.yaml")
    again = load_text(default_text, "b.yaml")
    changed = load_text(default_text + "# a comment\n", "c.yaml")
    assert same.content_hash == again.content_hash != changed.content_hash
    assert len(same.content_hash) == 64
