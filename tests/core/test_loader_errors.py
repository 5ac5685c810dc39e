"""Every mistake a CSE team member can make in the YAML: one sentence, the right file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cse_screen.core.loader import load_questionnaire, load_text
from cse_screen.errors import QuestionnaireInvalid

A1_TIER = "        tier: significant\n"
C3_TAIL = "        kind: harm_indicator\n        tier: {tier}\n        answer: presence_recency\n"
ALL_TIERS = "significant, moderate, low, vulnerability, harm"
R2_WHEN = "count(tier=moderate, answer in [current, both]) >= 3"

# (case id, old text, new text, expected message fragment, text marking the expected line)
CASES = [
    (
        "unknown tier",
        A1_TIER,
        "        tier: sever\n",
        f"item A1: unknown tier 'sever' (expected one of {ALL_TIERS})",
        "tier: sever",
    ),
    (
        "unknown answer type",
        "        answer: presence_recency\n",
        "        answer: presence\n",
        "item A1: unknown answer type 'presence'",
        "answer: presence\n",
    ),
    (
        "unknown kind",
        "        kind: risk_indicator\n",
        "        kind: risky\n",
        "item A1: unknown kind 'risky'",
        "kind: risky",
    ),
    (
        "tier does not fit kind",
        C3_TAIL.format(tier="harm"),
        C3_TAIL.format(tier="significant"),
        "item C3: tier 'significant' does not fit kind 'harm_indicator'",
        'tier: significant\n        answer: presence_recency\n        guidance: "This is sexual',
    ),
    (
        "duplicate item id",
        "      - id: A2\n",
        "      - id: A1\n",
        "item A1: the id is already used on line",
        '      - id: A1\n        text: "Staying',
    ),
    (
        "unknown item key",
        "      - id: A1\n",
        "      - id: A1\n        weight: 3\n",
        "unknown key 'weight'",
        "weight: 3",
    ),
    (
        "missing item key",
        '        guidance: "Count every episode',
        '        note: "Count every episode',
        "unknown key 'note'",
        'note: "Count',
    ),
    (
        "duplicate key",
        A1_TIER,
        A1_TIER + "        tier: moderate\n",
        "key 'tier' appears twice",
        "tier: moderate\n        answer",
    ),
    (
        "rule names unknown outcome",
        "      outcome: moderate\n",
        "      outcome: moderat\n",
        "rule R2: unknown outcome 'moderat'",
        "outcome: moderat",
    ),
    (
        "floor names unknown item",
        "(L11 == 'yes' or",
        "(L99 == 'yes' or",
        "floor O3: unknown name 'L99'",
        "      when: >-\n        (L99",
    ),
    (
        "unfinished expression",
        R2_WHEN,
        R2_WHEN[:-2],
        "rule R2: expected a name, a number or a quoted value at the end",
        'count(tier=moderate, answer in [current, both]) >="',
    ),
    (
        "unknown tier in expression",
        "count(tier=significant,",
        "count(tier=signif,",
        "rule R1: unknown tier 'signif'",
        "count(tier=signif",
    ),
    (
        "unknown answer in expression",
        "[current, both]) >= 1",
        "[curent, both]) >= 1",
        "rule R1: unknown answer 'curent'",
        "[curent",
    ),
    (
        "bad item value",
        "(L11 == 'yes' or",
        "(L11 == 'yse' or",
        "'yse' is not a value of item L11",
        "      when: >-\n        (L11 == 'yse'",
    ),
    (
        "bad context value",
        "or disability == 'learning')",
        "or disability == 'lerning')",
        "'lerning' is not a value of context field disability",
        "      when: >-\n        (L11",
    ),
    (
        "single equals",
        R2_WHEN,
        R2_WHEN.replace(">=", "="),
        "use '==' to compare",
        "count(tier=moderate, answer in [current, both]) = 3",
    ),
    (
        "not a condition",
        R2_WHEN,
        "count(tier=moderate)",
        "must be a condition",
        '"count(tier=moderate)"',
    ),
    (
        "unknown function filter",
        "any(tier=harm,",
        "any(colour=harm,",
        "unknown filter 'colour'",
        "any(colour",
    ),
    (
        "unknown strategy",
        "strategy: tier_count",
        "strategy: vibes",
        "scoring: unknown strategy 'vibes'",
        "strategy: vibes",
    ),
    (
        "unquoted colour",
        'colour: "#2E7D32"',
        "colour: #2E7D32",
        "outcome no_current_risk: colour is empty",
        "colour: #2E7D32",
    ),
    (
        "bad colour",
        'colour: "#2E7D32"',
        "colour: green",
        "colour 'green' is not a hex colour",
        "colour: green",
    ),
    (
        "words for days",
        "review_after_days: 180",
        "review_after_days: six months",
        "expected a whole number",
        "review_after_days: six",
    ),
    (
        "unknown status",
        "status: active",
        "status: live",
        "instrument status: unknown status 'live'",
        "status: live",
    ),
    (
        "unknown schema",
        "schema: cse-questionnaire/1",
        "schema: cse-questionnaire/9",
        "schema: unknown format",
        "schema: cse",
    ),
    (
        "unterminated quote",
        'title: "A. Missing and whereabouts"',
        'title: "A. Missing and whereabouts',
        "YAML syntax",
        None,
    ),
    (
        "changelog lacks version",
        '  version: "1.0.0"\n  status',
        '  version: "1.1.0"\n  status',
        "no entry for version 1.1.0",
        '    - version: "1.0.0"',
    ),
    (
        "unknown context type",
        "type: integer}",
        "type: number}",
        "context field missing_episodes: unknown type 'number'",
        "type: number",
    ),
    (
        "unknown counted as present",
        "    present: [current, previous, both]\n",
        "    present: [current, previous, both, unknown]\n",
        "an unknown value cannot count as present",
        "    unknown: [unknown]            #",
    ),
    (
        "duplicate rule id",
        "    - id: R2\n",
        "    - id: R1\n",
        "'R1' is already used on line",
        '    - id: R1\n      when: "count(tier=moderate',
    ),
    (
        "duplicate section id",
        "  - id: relationships\n",
        "  - id: missing\n",
        "section missing: the id is used twice",
        '  - id: missing\n    title: "B.',
    ),
    (
        "reserved id",
        "      - id: K3\n",
        "      - id: count\n",
        "'count' is a reserved word",
        "      - id: count",
    ),
    (
        "bad version",
        '  version: "1.0.0"\n  status',
        '  version: "one"\n  status',
        "'one' is not a version",
        '  version: "one"',
    ),
    ("tab indentation", "  - id: missing\n", "\t- id: missing\n", "YAML syntax", None),
    (
        "python tag",
        "status: active",
        "status: !!python/name:os.system active",
        "is not allowed",
        "status: !!python",
    ),
    (
        "custom tag",
        "status: active",
        "status: !active active",
        "the YAML tag '!active' is not allowed",
        "status: !active",
    ),
    ("anchor", "  - id: low\n", "  - &low\n    id: low\n", "anchors and aliases", "&low"),
]


def _line_of(text: str, marker: str) -> int:
    assert text.count(marker) >= 1, marker
    return (
        text[: text.index(marker)].count("\n")
        + 1
        + (marker[: len(marker) - len(marker.lstrip("\n"))].count("\n"))
    )


@pytest.mark.parametrize(
    ("old", "new", "message", "marker"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_error_names_file_line_and_problem(
    tmp_path: Path, default_text: str, old: str, new: str, message: str, marker: str | None
) -> None:
    assert old in default_text
    text = default_text.replace(old, new, 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireInvalid) as caught:
        load_questionnaire(path)
    error = caught.value.message
    match = re.match(rf"{re.escape(str(path))}:(\d+): (.+)\Z", error)
    assert match, error
    assert message in match.group(2)
    assert "\n" not in error
    if marker is not None:
        assert int(match.group(1)) == _line_of(text, marker), error


def test_missing_key_reported_at_the_mapping(default_text: str) -> None:
    lines = default_text.splitlines(keepends=True)
    guidance = next(
        i for i, line in enumerate(lines) if line.startswith('        guidance: "Count')
    )
    text = "".join(lines[:guidance] + lines[guidance + 1 :])
    with pytest.raises(QuestionnaireInvalid) as caught:
        load_text(text, "x.yaml")
    item_line = _line_of(text, "      - id: A1\n")
    assert caught.value.message == (f"x.yaml:{item_line}: item A1: missing key 'guidance'")


def test_empty_and_non_mapping_files() -> None:
    for text, message in [
        ("", "the file is empty"),
        ("- a\n- b\n", "must be a mapping"),
        ("just text", "must be a mapping"),
    ]:
        with pytest.raises(QuestionnaireInvalid, match=f"^t.yaml:1: .*{message}"):
            load_text(text, "t.yaml")


def test_multiple_documents_refused(default_text: str) -> None:
    with pytest.raises(QuestionnaireInvalid, match=r"^t.yaml:\d+: YAML syntax"):
        load_text(default_text + "\n---\nschema: x\n", "t.yaml")


def test_show_if_cannot_depend_on_itself(default_text: str) -> None:
    text = default_text.replace(
        "        tier: significant\n",
        "        tier: significant\n        show_if: \"A1 == 'none'\"\n",
        1,
    )
    with pytest.raises(
        QuestionnaireInvalid, match="item A1 show_if: an item cannot depend on itself"
    ):
        load_text(text, "t.yaml")
