"""What changed between two screenings of the same child, for the child's record.

Compared by presence (as each item's answer type defines it), not by raw value: 'current' turning
into 'both' is still the same indicator present, while 'none' to 'previous' is a new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cse_screen.core.model import Questionnaire


@dataclass(frozen=True)
class Changes:
    new: tuple[str, ...]
    resolved: tuple[str, ...]
    still_present: tuple[str, ...]

    @property
    def any(self) -> bool:
        return bool(self.new or self.resolved)


def present_items(q: Questionnaire, answers: Mapping[str, str]) -> frozenset[str]:
    """Ids of items answered with a present value; ids the definition lacks are ignored."""
    return frozenset(
        item.id
        for item in q.items
        if answers.get(item.id, "") in q.answer_types[item.answer].present
    )


def compare_answers(
    q: Questionnaire, previous: Mapping[str, str], latest: Mapping[str, str]
) -> Changes:
    """Indicators (and vulnerabilities) new, resolved or still present, in questionnaire order."""
    before = present_items(q, previous)
    after = present_items(q, latest)
    order = [item.id for item in q.items]
    return Changes(
        new=tuple(i for i in order if i in after and i not in before),
        resolved=tuple(i for i in order if i in before and i not in after),
        still_present=tuple(i for i in order if i in before and i in after),
    )
