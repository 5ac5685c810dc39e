"""What a candidate definition would do to screenings already recorded, one screening at a time.

The CSE team asks "if we change this tier or this rule, how many outcomes change, and which
way?". :class:`CandidateTally` answers it by re-scoring each stored screening's answers under the
candidate (item ids matched) and comparing with the outcome its own version computed. It keeps
counts and ids only, never answers, so a caller can stream any number of screenings through it.

A screening cannot be compared when the candidate needs an item it never asked (a required
item the candidate shows, with no stored answer) or when a stored answer is not one the
candidate's item allows; answers to items the candidate dropped are simply not used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cse_screen.core.model import Questionnaire
from cse_screen.core.scoring import ScoreResult, score
from cse_screen.core.visibility import visible_items


def merge_scales(orders: Iterable[Sequence[str]]) -> tuple[str, ...]:
    """Outcome orders of several versions as one scale, lowest to highest: the first order as
    given; an id only a later one has goes straight after the id it follows there."""
    scale: list[str] = []
    for order in orders:
        previous: str | None = None
        for outcome_id in order:
            if outcome_id not in scale:
                scale.insert(scale.index(previous) + 1 if previous else 0, outcome_id)
            previous = outcome_id
    return tuple(scale)


def missing_items(
    q: Questionnaire, answers: Mapping[str, str], context: Mapping[str, object]
) -> list[str]:
    """Required items ``q`` shows for these answers that have no stored answer, or whose stored
    answer ``q`` does not allow: what stops a stored screening being scored by ``q``."""
    shown = visible_items(q, answers, context) if q.has_skip_logic else q.items
    return [
        item.id
        for item in shown
        if (item.required and item.id not in answers)
        or (item.id in answers and answers[item.id] not in item.values)
    ]


def deciding(fired: Iterable[Mapping[str, Any]]) -> tuple[list[str], list[str]]:
    """Rule ids and indicator ids that set an outcome: the matching rule and raising floors."""
    rules: list[str] = []
    items: list[str] = []
    for entry in fired:
        if entry.get("kind") in ("rule", "floor") and entry.get("raised", True):
            rules.append(str(entry["id"]))
            items.extend(str(i) for i in entry.get("indicators", ()))
    return rules, list(dict.fromkeys(items))


@dataclass
class CandidateTally:
    """Counts of a candidate's effect, fed one stored screening at a time by :meth:`add`."""

    candidate: Questionnaire
    scale: tuple[str, ...]
    screenings: int = 0
    same: int = 0
    up: list[int] = field(default_factory=list)
    down: list[int] = field(default_factory=list)
    not_comparable: list[int] = field(default_factory=list)
    table: dict[str, Counter[str]] = field(default_factory=dict)
    rules: dict[str, Counter[str]] = field(default_factory=dict)
    items: dict[str, Counter[str]] = field(default_factory=dict)
    missing: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._rank = {outcome_id: rank for rank, outcome_id in enumerate(self.scale)}
        self._kept = {item.id for item in self.candidate.items}

    def add(
        self,
        screening_id: int,
        answers: Mapping[str, str],
        context: Mapping[str, object],
        stored_outcome: str,
        stored_fired: Iterable[Mapping[str, Any]] = (),
    ) -> ScoreResult | None:
        """Re-score one screening; returns the candidate's result, None when not comparable."""
        self.screenings += 1
        kept = {k: v for k, v in answers.items() if k in self._kept}
        lacking = missing_items(self.candidate, kept, context)
        if lacking:
            self.not_comparable.append(screening_id)
            self.missing.update(lacking)
            return None
        result = score(self.candidate, kept, context)
        new = result.outcome
        self.table.setdefault(stored_outcome, Counter())[new] += 1
        way = self._way(stored_outcome, new)
        if way == "same":
            self.same += 1
            return result
        (self.up if way == "up" else self.down).append(screening_id)
        # Up: what the candidate found; down: what the stored version found and no longer counts.
        source = [f.__dict__ for f in result.fired] if way == "up" else stored_fired
        rules, items = deciding(source)
        for rule_id in rules:
            self.rules.setdefault(rule_id, Counter())[way] += 1
        for item_id in items:
            self.items.setdefault(item_id, Counter())[way] += 1
        return result

    def _way(self, old: str, new: str) -> str:
        if old == new:
            return "same"
        last = len(self.scale)
        return "up" if self._rank.get(new, last) > self._rank.get(old, last) else "down"

    def to_dict(self) -> dict[str, Any]:
        """The report ``questionnaire compare --json`` prints (contract keys first)."""
        outcomes = [o for o in self.scale if o in self.table] + sorted(
            o for o in self.table if o not in self.scale
        )
        targets = list(self.scale) + sorted(
            {t for row in self.table.values() for t in row} - set(self.scale)
        )
        q = self.candidate
        return {
            "screenings": self.screenings,
            "same": self.same,
            "up": len(self.up),
            "down": len(self.down),
            "not_comparable": len(self.not_comparable),
            "table": {o: {t: self.table[o][t] for t in targets} for o in outcomes},
            "candidate": {"id": q.id, "version": q.version, "content_hash": q.content_hash},
            "rules": {r: _ways(c) for r, c in sorted(self.rules.items())},
            "items": {i: _ways(c) for i, c in sorted(self.items.items())},
            "changed": {"up": self.up, "down": self.down},
            "not_comparable_ids": self.not_comparable,
            "missing_items": dict(sorted(self.missing.items())),
        }


def _ways(counter: Counter[str]) -> dict[str, int]:
    return {"up": counter["up"], "down": counter["down"]}
