"""Both versions' outcomes pinned on the practitioner review's case sketches.

The sketches (``data/review_cases``, copied from the review of 1.0) are answered on 1.0's items.
For 1.1 each is carried over item by item (:func:`answers_for_v11`): a renamed item keeps its
answer, a new item is answered as the sketch describes it (``V11_CHANGES``, one line of why per
case) or, when the sketch says nothing, like the rest of the form ("none", or "unknown" for a
form answered unknown). "expected" is the reviewer's practice judgement, not ground truth.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cse_screen.core.loader import load_questionnaire
from cse_screen.core.registry import default_folder, get_questionnaire
from cse_screen.core.scoring import score

CASES = Path(__file__).parent / "data" / "review_cases"

#: 1.0 item -> the 1.1 item that carries its answer (review changes 1, 3, 5, 6, 7).
RENAMED = {"A1": "A6", "L14": "L18", "D4": "D7", "H3": "H4", "L11": "L16"}
NEW_RISK = ("A7", "D6", "J8", "J9", "J10", "N1", "N2")
NEW_VULNERABILITY = ("L17",)

#: What each sketch says that only 1.1's new items can record.
V11_CHANGES: dict[str, dict[str, str]] = {
    # One night at a verified friend's house, RHI done: a single verified episode is A7, not A6.
    "C04_15y_single_overnight_explained": {"A6": "none", "A7": "current"},
    # County lines: made to carry and sell drugs for others is criminal exploitation harm.
    "C06_15y_county_lines_CCE": {"N1": "current"},
    # Blackmailed over an image by an unknown person: sextortion is D6 (harm), not D4/D7.
    "C08_15y_sextortion": {"D7": "none", "D6": "current"},
    # NRM referral made: known or suspected trafficking is N2; L18 keeps the UASC status.
    "C09_16y_UASC_trafficked": {"N2": "current"},
}

#: case -> (1.0 outcome, reviewer's expected outcome, 1.1 outcome)
PINNED = {
    # 1.1 differs from 1.0 on purpose: O2 no longer counts generic distress items (change 8).
    "C01_12y_one_moderate_selfharm": ("moderate", "low", "low"),
    "C01b_12y_one_moderate_online": ("moderate", "moderate", "moderate"),
    "C02_16y_older_boyfriend_gifts": ("significant", "significant", "significant"),
    "C03_15y_repeat_missing_only": ("significant", "significant", "significant"),
    "C04_15y_single_overnight_explained": ("significant", "low", "low"),
    "C05_14y_LD_recorded": ("moderate", "moderate", "moderate"),
    # O3 now also fires for disability recorded as autism (change 7).
    "C05b_14y_LD_recorded_as_asd": ("low", "moderate", "moderate"),
    "C06_15y_county_lines_CCE": ("significant", "significant", "significant"),
    # Two moderate items, one from the relationships section, now meet R2 (change 9).
    "C07_14y_early_CCE_exclusion_peers": ("low", "moderate", "moderate"),
    "C08_15y_sextortion": ("moderate", "significant", "significant"),
    "C09_16y_UASC_trafficked": ("low", "significant", "significant"),
    # The reviewer's judgement is "incomplete, re-screen within 4 weeks", which is not an
    # outcome; 1.1 gives low through floor O4 (change 11), as the reviewer's own 1.1 did.
    "C10_14y_new_placement_unknowns": ("no_current_risk", "incomplete", "low"),
}


def load_case(name: str) -> dict:
    return json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))


def answers_for_v11(name: str, answers: dict[str, str]) -> dict[str, str]:
    """The sketch's 1.0 answers carried over to 1.1's items."""
    all_unknown = set(answers.values()) == {"unknown"}
    carried = {RENAMED.get(item, item): value for item, value in answers.items()}
    for item in NEW_RISK:
        carried.setdefault(item, "unknown" if all_unknown else "none")
    for item in NEW_VULNERABILITY:
        carried.setdefault(item, "unknown" if all_unknown else "no")
    carried.update(V11_CHANGES.get(name, {}))
    return carried


@pytest.fixture(scope="module")
def v10():
    return get_questionnaire("lac-cse-screen", "1.0.0")


@pytest.fixture(scope="module")
def v11():
    return load_questionnaire(default_folder() / "lac-cse-screen-1.1.yaml")


def test_every_copied_sketch_is_pinned():
    assert sorted(p.stem for p in CASES.glob("*.json")) == sorted(PINNED)


@pytest.mark.parametrize("name", sorted(PINNED))
def test_outcomes_of_both_versions_on_the_review_cases(name, v10, v11):
    case = load_case(name)
    was, _expected, becomes = PINNED[name]
    assert score(v10, case["answers"], case["context"]).outcome == was
    carried = answers_for_v11(name, case["answers"])
    assert set(carried) == {item.id for item in v11.items}
    assert score(v11, carried, case["context"]).outcome == becomes


def test_v11_matches_the_reviewer_wherever_the_judgement_is_an_outcome():
    agree = [n for n, (_, expected, new) in PINNED.items() if expected == new]
    assert len(agree) == len(PINNED) - 1  # all but C10, whose judgement is "incomplete"
    agree_10 = [n for n, (old, expected, _) in PINNED.items() if expected == old]
    # C01b, C02, C03, C05, C06: the review's "4 of 10" leaves out the variant C01b.
    assert len(agree_10) == 5


def test_the_candidate_ships_as_a_draft_and_never_becomes_the_default(v11):
    assert (v11.id, v11.version, v11.status) == ("lac-cse-screen", "1.1.0", "draft")
    assert get_questionnaire().version == "1.0.0"
    assert v11.outcome_ids == get_questionnaire().outcome_ids
    assert any("NRM" in action for action in v11.outcome("significant").actions)
    assert any("72 hours" in action for action in v11.outcome("low").actions)
