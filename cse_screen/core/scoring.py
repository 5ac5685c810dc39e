"""Scoring a screening by the rules its definition declares, with an explanation for each.

The engine knows two strategies and nothing about particular items: ``tier_count`` (first
matching rule wins) and ``seraf_points`` (points per tier and answer, summed into bands). Floors
run after either and can only raise the outcome. Every rule and floor that fired is reported with
the indicators behind it, because a practitioner must be able to say why a child scored as they did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cse_screen.core.dates import age_at_screen
from cse_screen.core.expressions import And, ContextRef, Count, Env, Expr, ItemRef, Not, Or
from cse_screen.core.model import TIERS, Item, Questionnaire, Rule
from cse_screen.core.visibility import visible_items
from cse_screen.errors import AnswersInvalid


@dataclass(frozen=True)
class Fired:
    """A rule, band or floor that matched; ``raised`` is False for a floor already met."""

    id: str
    kind: str
    outcome: str
    explanation: str
    indicators: tuple[str, ...] = ()
    raised: bool = True


@dataclass(frozen=True)
class ScoreResult:
    outcome: str
    fired: tuple[Fired, ...]
    counts: dict[str, int]
    unknown: tuple[str, ...]
    unanswered: tuple[str, ...]
    points: int | None = None
    age: int | None = None
    questionnaire: str = ""
    version: str = ""
    content_hash: str = ""
    rule_outcome: str = ""
    present: tuple[str, ...] = field(default=())

    @property
    def rules(self) -> tuple[str, ...]:
        """Ids of every rule, band and floor that fired, in the order they were applied."""
        return tuple(f.id for f in self.fired)

    @property
    def explanations(self) -> tuple[str, ...]:
        return tuple(f.explanation for f in self.fired)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, in the shape ``cse-screen score`` prints."""
        return {
            "questionnaire": self.questionnaire,
            "version": self.version,
            "content_hash": self.content_hash,
            "outcome": self.outcome,
            "rule_outcome": self.rule_outcome,
            "rules": list(self.rules),
            "explanations": list(self.explanations),
            "fired": [
                {
                    "id": f.id,
                    "kind": f.kind,
                    "outcome": f.outcome,
                    "raised": f.raised,
                    "indicators": list(f.indicators),
                    "explanation": f.explanation,
                }
                for f in self.fired
            ],
            "counts": dict(self.counts),
            "present": list(self.present),
            "unknown": list(self.unknown),
            "unanswered": list(self.unanswered),
            "points": self.points,
            "age_at_screen": self.age,
        }


def check_answers(q: Questionnaire, answers: Mapping[str, str]) -> None:
    """Refuse answers to items the definition lacks or values outside an item's answer type."""
    for item_id, value in answers.items():
        if not q.has_item(item_id):
            raise AnswersInvalid(f"{q.label} has no item '{item_id}'.")
        item = q.item(item_id)
        if value not in item.values:
            raise AnswersInvalid(
                f"Item {item_id}: '{value}' is not an allowed answer "
                f"(expected one of {', '.join(item.values)})."
            )


def score(
    q: Questionnaire, answers: Mapping[str, str], context: Mapping[str, object] | None = None
) -> ScoreResult:
    """Score answers under ``q``. Unanswered and hidden items count as absent."""
    check_answers(q, answers)
    context = dict(context or {})
    age = age_at_screen(context)
    context["age_at_screen"] = age
    shown: tuple[Item, ...] = q.items
    if q.has_skip_logic:
        shown = visible_items(q, answers, context)
        shown_ids = {i.id for i in shown}
        answers = {k: v for k, v in answers.items() if k in shown_ids}
    env = Env(answers, context)
    if q.scoring.strategy == "seraf_points":
        fired, points = _seraf(q, shown, env)
    else:
        fired, points = _tier_count(q, env), None
    rule_outcome = fired[-1].outcome if fired else q.outcomes[0].id
    outcome, floors = _floors(q, env, rule_outcome)
    tally = _tally(q, shown, answers)
    return ScoreResult(
        outcome=outcome,
        fired=(*fired, *floors),
        counts=tally.counts,
        unknown=tally.unknown,
        unanswered=tally.unanswered,
        points=points,
        age=age,
        questionnaire=q.id,
        version=q.version,
        content_hash=q.content_hash,
        rule_outcome=rule_outcome,
        present=tally.present,
    )


@dataclass(frozen=True)
class _Tally:
    counts: dict[str, int]
    present: tuple[str, ...]
    unknown: tuple[str, ...]
    unanswered: tuple[str, ...]


def _tally(q: Questionnaire, shown: tuple[Item, ...], answers: Mapping[str, str]) -> _Tally:
    """One pass over the shown items: counts by tier, and the present, unknown, unanswered."""
    counts = dict.fromkeys(TIERS, 0)
    present: list[str] = []
    unknown: list[str] = []
    unanswered: list[str] = []
    types = q.answer_types
    for item in shown:
        value = answers.get(item.id)
        if value is None:
            unanswered.append(item.id)
            continue
        answer_type = types[item.answer]
        if value in answer_type.present:
            counts[item.tier] += 1
            present.append(item.id)
        elif value in answer_type.unknown:
            unknown.append(item.id)
    return _Tally(counts, tuple(present), tuple(unknown), tuple(unanswered))


def _tier_count(q: Questionnaire, env: Env) -> list[Fired]:
    for rule in q.scoring.rules:
        if rule.when.truth(env):
            return [_explain(q, rule, env, rule.outcome, raised=True)]
    return []


def _floors(q: Questionnaire, env: Env, outcome: str) -> tuple[str, list[Fired]]:
    fired = []
    for floor in q.scoring.floors:
        if not floor.when.truth(env):
            continue
        raises = q.outcome_rank(floor.outcome) > q.outcome_rank(outcome)
        fired.append(_explain(q, floor, env, floor.outcome, raised=raises))
        if raises:
            outcome = floor.outcome
    return outcome, fired


def _explain(q: Questionnaire, rule: Rule, env: Env, outcome: str, raised: bool) -> Fired:
    indicators = witnesses(q, rule.when, env)
    parts = []
    if indicators:
        parts.append(f"indicators {', '.join(indicators)}")
    age = env.context.get("age_at_screen")
    if age is not None and "age_at_screen" in rule.when.names():
        parts.append(f"age at screening {age}")
    text = f"{rule.id}: {rule.description}"
    if parts:
        text += f" ({'; '.join(parts)})"
    if rule.kind == "floor" and not raised:
        text += "; the outcome was already at least this high"
    return Fired(rule.id, rule.kind, outcome, text + ".", indicators, raised)


def witnesses(q: Questionnaire, expr: Expr, env: Env) -> tuple[str, ...]:
    """The answered items a condition looked at and found present, for its explanation."""
    found: list[str] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Count):
            found.extend(node.matches(env))
        elif isinstance(node, ItemRef):
            item = q.item(node.name)
            if env.answers.get(node.name, "") in q.answer_types[item.answer].present:
                found.append(node.name)
        elif isinstance(node, And | Or):
            stack.extend(reversed(node.parts))
        elif isinstance(node, Not):
            continue  # what a negated condition found is the absence of, not a reason
        elif not isinstance(node, ContextRef):
            stack.extend(getattr(node, name) for name in ("left", "right") if hasattr(node, name))
    return tuple(dict.fromkeys(found))


def _seraf(q: Questionnaire, shown: tuple[Item, ...], env: Env) -> tuple[list[Fired], int]:
    table = q.scoring.points
    total = 0
    scored: list[str] = []
    for item in shown:
        value = env.answers.get(item.id)
        gained = table.get(item.tier, {}).get(value, 0) if value is not None else 0
        if gained:
            total += gained
            scored.append(item.id)
    fired = []
    for bonus in q.scoring.bonuses:
        if bonus.when.truth(env):
            total += bonus.points
            text = f"{bonus.id}: {bonus.description} (+{bonus.points} points)."
            fired.append(Fired(bonus.id, "bonus", "", text, witnesses(q, bonus.when, env), False))
    band = next(b for b in q.scoring.bands if b.max is None or total <= b.max)
    span = f"{band.min}+" if band.max is None else f"{band.min}-{band.max}"
    text = (
        f"{band.id}: {total} points is in band {span} (indicators {', '.join(scored) or 'none'})."
    )
    fired.append(Fired(band.id, "rule", band.outcome, text, tuple(scored)))
    return fired, total
