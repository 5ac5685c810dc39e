"""Data-quality checks a manager must see before trusting the Summary's figures.

Each check is a count over a named base with a threshold: unknown answers, context that was not
recorded (missing episodes, sources consulted), answers that contradict the child's record (a
residential placement answered "no" to L8), screenings on an older questionnaire version than
the newest in use, children never screened and children with no placement type. The Summary
lists every check with its count and marks the ones above their threshold, so a figure built
on thin or contradictory records says so where it is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: Share of screenings with at least one "unknown" answer above which the Summary warns.
UNKNOWN_THRESHOLD = 0.10
#: Share of screenings with a context field not recorded above which the Summary warns.
UNRECORDED_THRESHOLD = 0.10
#: Share of screenings on an older questionnaire version above which the Summary warns.
OLD_VERSION_THRESHOLD = 0.10
#: Share of children never screened, or with no placement type, above which the Summary warns.
CHILDREN_THRESHOLD = 0.05
#: Context fields whose absence the Summary reports (the rest are on the Data quality sheet).
REPORTED_CONTEXT = ("missing_episodes", "sources")


@dataclass(frozen=True, slots=True)
class Contradiction:
    """An answer that cannot be right given the child's record at the screening.

    ``field`` is a :class:`~cse_screen.export.rows.ScreeningRow` attribute; screenings whose
    value is in ``values`` are the base, and those answering ``item`` with one of ``answers``
    contradict it.
    """

    id: str
    field: str
    values: frozenset[str]
    item: str
    answers: frozenset[str]
    label: str
    base_label: str


CONTRADICTIONS: tuple[Contradiction, ...] = (
    Contradiction(
        "residential_l8",
        "placement_type",
        # the record's SSDA903 codes (secure and regulated children's homes, residential care
        # homes), and the questionnaire's option when a screening asked the placement itself
        frozenset({"K1", "K2", "R1", "residential_home"}),
        "L8",
        frozenset({"no"}),
        "Placed in a residential home, L8 answered 'no'",
        "completed screenings of children placed in a residential home (L8: 'Residential care "
        "placement')",
    ),
)


@dataclass(frozen=True, slots=True)
class QualityCheck:
    """One measure: ``count`` out of ``base``, keyed as the rest of the workbook keys them."""

    label: str
    key: str
    count: int
    base_key: str
    base: int
    base_label: str
    threshold: float

    @property
    def rate(self) -> float:
        return self.count / self.base if self.base > 0 else 0.0

    @property
    def raised(self) -> bool:
        """Above its threshold (a base of none raises nothing: there is nothing to judge)."""
        return self.base > 0 and self.rate > self.threshold


def screening_checks(
    total: int,
    with_unknown: int,
    missing_by_field: Mapping[str, int],
    field_labels: Mapping[str, str],
    contradictions: Mapping[str, tuple[int, int]],
    older_version: int,
) -> list[QualityCheck]:
    """The checks over screenings in the date range (``contradictions``: id to count, base)."""
    in_range = "screenings in the date range (any status)"
    checks = [
        QualityCheck(
            "Screenings with an 'unknown' answer",
            "scr:with_unknown",
            with_unknown,
            "scr:all",
            total,
            in_range,
            UNKNOWN_THRESHOLD,
        )
    ]
    for name in REPORTED_CONTEXT:
        if name not in field_labels:
            continue  # the questionnaire in use does not ask for it
        checks.append(
            QualityCheck(
                f"Not recorded: {field_labels[name]}",
                f"context:{name}",
                missing_by_field.get(name, 0),
                "scr:all",
                total,
                in_range,
                UNRECORDED_THRESHOLD,
            )
        )
    for rule in CONTRADICTIONS:
        count, base = contradictions.get(rule.id, (0, 0))
        key = f"scr:contra:{rule.id}"
        checks.append(
            QualityCheck(rule.label, key, count, f"{key}:base", base, rule.base_label, 0.0)
        )
    checks.append(
        QualityCheck(
            "Screenings on an older questionnaire version",
            "scr:older_version",
            older_version,
            "scr:all",
            total,
            f"{in_range}, against the newest version in use",
            OLD_VERSION_THRESHOLD,
        )
    )
    return checks


def children_checks(total: int, never: int, no_placement: int, as_at: str) -> list[QualityCheck]:
    """The checks over the children in scope as at the period's last day."""
    base = f"children in scope as at {as_at}"
    return [
        QualityCheck(
            "Children never screened",
            "kids:never",
            never,
            "kids:all",
            total,
            base,
            CHILDREN_THRESHOLD,
        ),
        QualityCheck(
            "Children with no placement type recorded",
            "placement:(not recorded):all",
            no_placement,
            "kids:all",
            total,
            base,
            CHILDREN_THRESHOLD,
        ),
    ]
