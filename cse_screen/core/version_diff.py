"""What changed from one version of an instrument to the next, for the version list.

The CSE team reads the list of installed versions to see what each one changed before it is
activated: items added or removed (by id, since an id keeps its meaning across versions),
items whose tier moved, rules, floors and bands added, removed or changed (condition or
outcome), and outcomes added or removed. Only the definitions are compared; nothing is scored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cse_screen.core.model import Questionnaire


@dataclass(frozen=True)
class RuleChange:
    """A rule (or floor, or band) present in both versions whose condition or outcome moved."""

    id: str
    before: str
    after: str


@dataclass(frozen=True)
class VersionDiff:
    """The differences from ``previous`` (None for the first version installed) to a version."""

    previous: str | None
    items_added: tuple[str, ...] = ()
    items_removed: tuple[str, ...] = ()
    retiered: tuple[tuple[str, str, str], ...] = ()
    rules_added: tuple[str, ...] = ()
    rules_removed: tuple[str, ...] = ()
    rules_changed: tuple[RuleChange, ...] = ()
    outcomes_added: tuple[str, ...] = ()
    outcomes_removed: tuple[str, ...] = ()
    strategy: tuple[str, str] | None = field(default=None)

    @property
    def any(self) -> bool:
        return any(
            (
                self.items_added,
                self.items_removed,
                self.retiered,
                self.rules_added,
                self.rules_removed,
                self.rules_changed,
                self.outcomes_added,
                self.outcomes_removed,
                self.strategy,
            )
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``changes`` object of ``questionnaire versions --json``."""
        return {
            "from_version": self.previous,
            "items_added": list(self.items_added),
            "items_removed": list(self.items_removed),
            "retiered": [{"id": i, "from": a, "to": b} for i, a, b in self.retiered],
            "rules_added": list(self.rules_added),
            "rules_removed": list(self.rules_removed),
            "rules_changed": [
                {"id": c.id, "from": c.before, "to": c.after} for c in self.rules_changed
            ],
            "outcomes_added": list(self.outcomes_added),
            "outcomes_removed": list(self.outcomes_removed),
            "strategy": list(self.strategy) if self.strategy else None,
        }

    def lines(self) -> list[str]:
        """The differences as short sentences, for the plain-text list and the GUI."""
        if self.previous is None:
            return ["first version installed"]
        out: list[str] = []
        for label, ids in (
            ("items added", self.items_added),
            ("items removed", self.items_removed),
            ("rules added", self.rules_added),
            ("rules removed", self.rules_removed),
            ("outcomes added", self.outcomes_added),
            ("outcomes removed", self.outcomes_removed),
        ):
            if ids:
                out.append(f"{label}: {', '.join(ids)}")
        if self.retiered:
            out.append("re-tiered: " + ", ".join(f"{i} {a} to {b}" for i, a, b in self.retiered))
        for change in self.rules_changed:
            out.append(f"rule {change.id} changed: {change.before} -> {change.after}")
        if self.strategy:
            out.append(f"scoring changed from {self.strategy[0]} to {self.strategy[1]}")
        return out or [f"no change to items, tiers, rules or outcomes from {self.previous}"]


def _rules(q: Questionnaire) -> dict[str, str]:
    """Every rule, floor and band by id, as the text a reader compares."""
    scoring = q.scoring
    found = {r.id: f"{r.outcome} when {_flat(r.when)}" for r in (*scoring.rules, *scoring.floors)}
    for band in scoring.bands:
        top = "up" if band.max is None else str(band.max)
        found[band.id] = f"{band.outcome} for {band.min}-{top} points"
    for bonus in scoring.bonuses:
        found[bonus.id] = f"+{bonus.points} when {_flat(bonus.when)}"
    return found


def _flat(expr: object) -> str:
    """An expression on one line: a re-wrapped condition is not a changed rule."""
    return " ".join(str(expr).split())


def _only(ids: Iterable[str], other: set[str]) -> tuple[str, ...]:
    return tuple(i for i in ids if i not in other)


def diff_versions(previous: Questionnaire | None, current: Questionnaire) -> VersionDiff:
    """The differences a reader of the version list wants, in the definitions' own order."""
    if previous is None:
        return VersionDiff(previous=None)
    old_items = {i.id: i for i in previous.items}
    new_items = {i.id: i for i in current.items}
    retiered = tuple(
        (i.id, old_items[i.id].tier, i.tier)
        for i in current.items
        if i.id in old_items and old_items[i.id].tier != i.tier
    )
    old_rules, new_rules = _rules(previous), _rules(current)
    changed = tuple(
        RuleChange(rule_id, old_rules[rule_id], text)
        for rule_id, text in new_rules.items()
        if rule_id in old_rules and old_rules[rule_id] != text
    )
    old_strategy, new_strategy = previous.scoring.strategy, current.scoring.strategy
    return VersionDiff(
        previous=previous.version,
        items_added=_only(new_items, set(old_items)),
        items_removed=_only(old_items, set(new_items)),
        retiered=retiered,
        rules_added=_only(new_rules, set(old_rules)),
        rules_removed=_only(old_rules, set(new_rules)),
        rules_changed=changed,
        outcomes_added=_only(current.outcome_ids, set(previous.outcome_ids)),
        outcomes_removed=_only(previous.outcome_ids, set(current.outcome_ids)),
        strategy=(old_strategy, new_strategy) if old_strategy != new_strategy else None,
    )
