"""Agreement and test-accuracy statistics for the CSE team's tools.

Cohen's kappa (unweighted and linear-weighted over ordered outcomes), percentage agreement, Wilson
score intervals, and sensitivity and specificity with the counts they rest on.

Why small functions here rather than a library: the only library call these figures need is the
inverse of the standard normal distribution, which the standard library already has
(:class:`statistics.NormalDist`). scipy or statsmodels would add 40-100 MiB of compiled code to a
laptop bundle that must stay under 150 MiB, for formulas of a few lines each. Each function is
checked against published worked examples in ``tests/core/test_agreement.py``.

Undefined figures are ``None``, never 0 or NaN: a kappa over one category only, or a sensitivity
with no confirmed children, has no value, and showing 0 would read as "no agreement".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist


@dataclass(frozen=True)
class Interval:
    """A proportion with its confidence interval, kept with the counts it was computed from."""

    successes: int
    total: int
    estimate: float
    low: float
    high: float


@dataclass(frozen=True)
class Accuracy:
    """Sensitivity and specificity of a positive screen against a reference (confirmation)."""

    true_positive: int
    false_negative: int
    true_negative: int
    false_positive: int
    sensitivity: Interval | None
    specificity: Interval | None

    @property
    def total(self) -> int:
        return self.true_positive + self.false_negative + self.true_negative + self.false_positive


def _z(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be between 0 and 1")
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def wilson_interval(successes: int, total: int, confidence: float = 0.95) -> Interval | None:
    """Wilson's score interval for a binomial proportion (no continuity correction).

    Chosen over the simple Wald interval because the counts here are small and often 0 or all:
    Wald then gives a zero-width or out-of-range interval, Wilson stays inside [0, 1] and keeps
    its coverage (Newcombe 1998, method 3). None when there is nothing to count.
    """
    if total < 0 or successes < 0 or successes > total:
        raise ValueError("successes must be between 0 and total")
    if total == 0:
        return None
    z = _z(confidence)
    p = successes / total
    z2 = z * z
    centre = p + z2 / (2 * total)
    spread = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    denominator = 1 + z2 / total
    low = 0.0 if successes == 0 else (centre - spread) / denominator
    high = 1.0 if successes == total else (centre + spread) / denominator
    return Interval(successes, total, p, low, high)


def accuracy(
    true_positive: int,
    false_negative: int,
    true_negative: int,
    false_positive: int,
    confidence: float = 0.95,
) -> Accuracy:
    """Sensitivity = TP / (TP + FN), specificity = TN / (TN + FP), each with a Wilson interval."""
    return Accuracy(
        true_positive,
        false_negative,
        true_negative,
        false_positive,
        wilson_interval(true_positive, true_positive + false_negative, confidence),
        wilson_interval(true_negative, true_negative + false_positive, confidence),
    )


def confusion(
    first: Sequence[str], second: Sequence[str], categories: Sequence[str]
) -> list[list[int]]:
    """The square table of counts: rows are ``first``'s category, columns ``second``'s."""
    if len(first) != len(second):
        raise ValueError("the two ratings must be of the same cases")
    index = {c: i for i, c in enumerate(categories)}
    table = [[0] * len(categories) for _ in categories]
    for a, b in zip(first, second, strict=True):
        if a not in index or b not in index:
            raise ValueError(f"rating '{a if a not in index else b}' is not one of the categories")
        table[index[a]][index[b]] += 1
    return table


def percent_agreement(first: Sequence[str], second: Sequence[str]) -> float | None:
    """Share of cases rated the same (0 to 1); None with no cases."""
    if len(first) != len(second):
        raise ValueError("the two ratings must be of the same cases")
    if not first:
        return None
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)


def kappa_from_table(table: Sequence[Sequence[int]], weighted: bool = False) -> float | None:
    """Cohen's kappa from a square table; ``weighted`` uses linear weights 1 - |i - j| / (k - 1).

    Linear weights fit ordered outcomes: calling a significant child moderate is a smaller
    disagreement than calling them no current risk. None when chance agreement is already
    perfect (every case in one category for both raters), where kappa is 0/0.
    """
    k = len(table)
    if any(len(row) != k for row in table):
        raise ValueError("the agreement table must be square")
    n = sum(sum(row) for row in table)
    if n == 0:
        return None
    rows = [sum(row) / n for row in table]
    cols = [sum(table[i][j] for i in range(k)) / n for j in range(k)]

    def weight(i: int, j: int) -> float:
        if not weighted:
            return 1.0 if i == j else 0.0
        return 1.0 - abs(i - j) / (k - 1) if k > 1 else 1.0

    observed = sum(weight(i, j) * table[i][j] / n for i in range(k) for j in range(k))
    expected = sum(weight(i, j) * rows[i] * cols[j] for i in range(k) for j in range(k))
    if math.isclose(expected, 1.0, abs_tol=1e-12):
        return None
    return (observed - expected) / (1.0 - expected)


def cohen_kappa(
    first: Sequence[str], second: Sequence[str], categories: Sequence[str]
) -> float | None:
    """Unweighted kappa of two ratings of the same cases."""
    return kappa_from_table(confusion(first, second, categories))


def weighted_kappa(
    first: Sequence[str], second: Sequence[str], ordered: Sequence[str]
) -> float | None:
    """Linear-weighted kappa; ``ordered`` lists the categories lowest to highest."""
    return kappa_from_table(confusion(first, second, ordered), weighted=True)
