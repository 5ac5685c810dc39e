"""Agreement statistics against published worked examples (each test names its source)."""

from __future__ import annotations

import pytest

from cse_screen.core.agreement import (
    accuracy,
    cohen_kappa,
    confusion,
    kappa_from_table,
    percent_agreement,
    weighted_kappa,
    wilson_interval,
)

#: Altman, Practical Statistics for Medical Research (1991), table 14.4: two radiologists'
#: xeromammogram ratings (Boyd et al. 1982), ordered normal < benign < suspected < cancer.
#: Published: kappa 0.47, linear-weighted kappa 0.57.
ALTMAN_14_4 = [[21, 12, 0, 0], [4, 17, 1, 0], [3, 9, 15, 2], [0, 0, 0, 1]]


def test_wikipedia_worked_example_kappa_is_0_4():
    # Wikipedia "Cohen's kappa", worked example: 50 grant proposals, yes/yes 20, yes/no 5,
    # no/yes 10, no/no 15; p_o = 0.7, p_e = 0.5, kappa = 0.4.
    assert kappa_from_table([[20, 5], [10, 15]]) == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("table", "published"),
    [([[45, 15], [25, 15]], 0.1304), ([[25, 35], [5, 35]], 0.2593)],
    ids=["wikipedia-same-agreement-symmetric", "wikipedia-same-agreement-asymmetric"],
)
def test_wikipedia_paradox_examples(table, published):
    # Wikipedia "Cohen's kappa", section on the same 60% agreement giving different kappas.
    assert kappa_from_table(table) == pytest.approx(published, abs=5e-5)


def test_fleiss_levin_paik_diagnosis_example():
    # Fleiss, Levin & Paik, Statistical Methods for Rates and Proportions (3rd ed.), ch. 18:
    # 100 patients, psychotic / neurotic / organic; p_o = 0.89, p_e = 0.66, kappa = 0.68.
    table = [[75, 1, 4], [5, 4, 1], [0, 0, 10]]
    assert kappa_from_table(table) == pytest.approx(0.23 / 0.34)
    assert round(kappa_from_table(table), 2) == 0.68


def test_altman_unweighted_and_linear_weighted_kappa():
    assert round(kappa_from_table(ALTMAN_14_4), 2) == 0.47
    assert kappa_from_table(ALTMAN_14_4) == pytest.approx(0.4728, abs=5e-5)
    assert round(kappa_from_table(ALTMAN_14_4, weighted=True), 2) == 0.57


def test_kappa_from_ratings_matches_the_table_and_weights_nearer_disagreement_less():
    order = ["normal", "benign", "suspected", "cancer"]
    first: list[str] = []
    second: list[str] = []
    for i, row in enumerate(ALTMAN_14_4):
        for j, count in enumerate(row):
            first += [order[i]] * count
            second += [order[j]] * count
    assert confusion(first, second, order) == ALTMAN_14_4
    assert cohen_kappa(first, second, order) == pytest.approx(kappa_from_table(ALTMAN_14_4))
    assert weighted_kappa(first, second, order) == pytest.approx(
        kappa_from_table(ALTMAN_14_4, weighted=True)
    )
    assert percent_agreement(first, second) == pytest.approx(54 / 85)


def test_perfect_agreement_is_1_and_one_category_only_is_none():
    outcomes = ["no_current_risk", "low", "moderate", "significant"]
    same = ["low", "moderate", "significant", "low"]
    assert cohen_kappa(same, same, outcomes) == 1.0
    assert weighted_kappa(same, same, outcomes) == 1.0
    only = ["low"] * 5
    assert cohen_kappa(only, only, outcomes) is None
    assert weighted_kappa(only, only, outcomes) is None
    assert cohen_kappa([], [], outcomes) is None
    assert percent_agreement([], []) is None


def test_ratings_outside_the_categories_or_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="harm"):
        confusion(["harm"], ["low"], ["low"])
    with pytest.raises(ValueError, match="same cases"):
        percent_agreement(["low"], [])


@pytest.mark.parametrize(
    ("successes", "total", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (29, 29, 0.8830, 1.0),
        (0, 10, 0.0, 0.2775),
    ],
)
def test_wilson_interval_matches_newcombe_1998_examples(successes, total, low, high):
    # Newcombe, Statistics in Medicine 17:857-872 (1998), method 3 (score, no continuity
    # correction), his six worked examples 81/263, 15/148, 0/20, 1/29, 29/29 and 0/10.
    interval = wilson_interval(successes, total)
    assert interval.low == pytest.approx(low, abs=5e-5)
    assert interval.high == pytest.approx(high, abs=5e-5)
    assert interval.estimate == pytest.approx(successes / total)


def test_wilson_interval_of_nothing_is_none_and_bad_counts_are_refused():
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(3, 2)
    narrower = wilson_interval(81, 263, confidence=0.90)
    assert narrower.low > 0.2553 and narrower.high < 0.3662


def test_sensitivity_and_specificity_from_hand_counted_fixture():
    # 12 children later confirmed, 9 of them screened moderate or above; 88 not confirmed,
    # 70 of them screened below moderate.
    result = accuracy(true_positive=9, false_negative=3, true_negative=70, false_positive=18)
    assert result.total == 100
    assert result.sensitivity.estimate == pytest.approx(0.75)
    assert (result.sensitivity.successes, result.sensitivity.total) == (9, 12)
    assert result.specificity.estimate == pytest.approx(70 / 88)
    assert result.sensitivity.low < 0.75 < result.sensitivity.high
    none_confirmed = accuracy(0, 0, 5, 1)
    assert none_confirmed.sensitivity is None
    assert none_confirmed.specificity.total == 6
