"""Building the scoring part of a definition: rules, floors, and SERAF-style points and bands.

The strategy is chosen by the file (``tier_count`` or ``seraf_points``), so the CSE team can try
a different way of scoring by writing a new definition version rather than asking for code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from yaml.nodes import Node

from cse_screen.core.expr_parser import Symbols
from cse_screen.core.loader_parts import condition, identifier, symbols_for
from cse_screen.core.model import (
    STRATEGIES,
    TIERS,
    AnswerType,
    Band,
    ContextField,
    Outcome,
    PointsBonus,
    Rule,
    Scoring,
    Section,
)
from cse_screen.core.yaml_nodes import Reader, line_of

SCORING_KEYS = ("rules", "floors", "points", "bonuses", "bands")
NewId = Callable[[Node, str], str]


@dataclass
class _Ids:
    """Rule, floor, bonus and band ids share one namespace, so 'rules' in output is unambiguous."""

    reader: Reader
    seen: dict[str, int] = field(default_factory=dict)

    def new(self, id_node: Node, where: str) -> str:
        value = identifier(self.reader, id_node, where)
        if value in self.seen:
            self.reader.source.fail_at(
                id_node, f"{where}: '{value}' is already used on line {self.seen[value]}"
            )
        self.seen[value] = line_of(id_node)
        return value


def read_scoring(
    reader: Reader,
    node: Node,
    sections: tuple[Section, ...],
    answer_types: Mapping[str, AnswerType],
    context: tuple[ContextField, ...],
    outcomes: tuple[Outcome, ...],
) -> Scoring:
    keys = reader.mapping(node, "scoring", ("strategy",), SCORING_KEYS)
    strategy = reader.choice(keys["strategy"], "scoring", STRATEGIES, "strategy")
    needed = ("rules",) if strategy == "tier_count" else ("points", "bands")
    unused = ("points", "bonuses", "bands") if strategy == "tier_count" else ("rules",)
    for name in needed:
        if name not in keys:
            reader.source.fail_at(node, f"scoring: the {strategy} strategy needs '{name}'")
    for name in unused:
        if name in keys:
            reader.source.fail_at(keys[name], f"scoring: '{name}' is not used by {strategy}")
    symbols = symbols_for(sections, answer_types, context)
    outcome_ids = tuple(o.id for o in outcomes)
    ids = _Ids(reader)
    rules = _rules(reader, keys.get("rules"), "rule", ids, symbols, outcome_ids)
    floors = _rules(reader, keys.get("floors"), "floor", ids, symbols, outcome_ids)
    if strategy == "tier_count":
        return Scoring(strategy, rules, floors)
    points = _points(reader, keys["points"], sections)
    bonuses = _bonuses(reader, keys.get("bonuses"), ids.new, symbols)
    bands = _bands(reader, keys["bands"], ids.new, outcome_ids)
    return Scoring(strategy, (), floors, points, bonuses, bands)


def _rules(
    reader: Reader,
    node: Node | None,
    kind: str,
    ids: _Ids,
    symbols: Symbols,
    outcome_ids: tuple[str, ...],
) -> tuple[Rule, ...]:
    """Rules give an ``outcome``; floors raise to ``at_least``."""
    if node is None:
        return ()
    target = "outcome" if kind == "rule" else "at_least"
    found = []
    for rule_node in reader.sequence(node, f"scoring {kind}s", allow_empty=False):
        fields = reader.mapping(rule_node, f"scoring {kind}", ("id", "when", target, "description"))
        rule_id = ids.new(fields["id"], f"scoring {kind} id")
        where = f"{kind} {rule_id}"
        found.append(
            Rule(
                id=rule_id,
                kind=kind,
                when=condition(reader, fields["when"], symbols, where),
                outcome=reader.choice(fields[target], where, outcome_ids, "outcome"),
                description=reader.text(fields["description"], f"{where} description"),
                line=line_of(rule_node),
            )
        )
    return tuple(found)


def _points(reader: Reader, node: Node, sections: tuple[Section, ...]) -> dict[str, dict[str, int]]:
    """Points per tier and answer value; each value must be an answer of that tier's items."""
    table: dict[str, dict[str, int]] = {}
    mapping = reader.mapping(node, "scoring points", (), TIERS)
    for tier, values_node in mapping.items():
        items = [i for s in sections for i in s.items if i.tier == tier]
        allowed = {v for i in items for v in i.values}
        where = f"scoring points {tier}"
        value_nodes = reader.mapping(values_node, where, (), tuple(sorted(allowed)) or ("(none)",))
        table[tier] = {
            value: reader.integer(points, f"{where} {value}", minimum=0)
            for value, points in value_nodes.items()
        }
    return table


def _bonuses(
    reader: Reader, node: Node | None, new_id: NewId, symbols: Symbols
) -> tuple[PointsBonus, ...]:
    if node is None:
        return ()
    found = []
    for bonus_node in reader.sequence(node, "scoring bonuses"):
        keys = reader.mapping(bonus_node, "scoring bonus", ("id", "when", "points", "description"))
        bonus_id = new_id(keys["id"], "scoring bonus id")
        where = f"bonus {bonus_id}"
        found.append(
            PointsBonus(
                id=bonus_id,
                when=condition(reader, keys["when"], symbols, where),
                points=reader.integer(keys["points"], f"{where} points"),
                description=reader.text(keys["description"], f"{where} description"),
                line=line_of(bonus_node),
            )
        )
    return tuple(found)


def _bands(
    reader: Reader, node: Node, new_id: NewId, outcome_ids: tuple[str, ...]
) -> tuple[Band, ...]:
    """Bands run from 0 upwards without gaps or overlaps and end open: every total fits one."""
    bands: list[Band] = []
    band_nodes = reader.sequence(node, "scoring bands", allow_empty=False)
    for band_node in band_nodes:
        keys = reader.mapping(band_node, "scoring band", ("id", "min", "max", "outcome"))
        band_id = new_id(keys["id"], "scoring band id")
        where = f"band {band_id}"
        low = reader.integer(keys["min"], f"{where} min", minimum=0)
        high_text = reader.text(keys["max"], f"{where} max", allow_empty=True)
        high = None
        if high_text not in ("", "null", "~"):
            high = reader.integer(keys["max"], f"{where} max")
        expected = 0 if not bands else (bands[-1].max or 0) + 1
        if low != expected:
            reader.source.fail_at(keys["min"], f"{where}: min should be {expected} so bands meet")
        if high is not None and high < low:
            reader.source.fail_at(keys["max"], f"{where}: max is below min")
        if high is None and band_node is not band_nodes[-1]:
            reader.source.fail_at(keys["max"], f"{where}: only the last band may be open-ended")
        if high is not None and band_node is band_nodes[-1]:
            reader.source.fail_at(
                keys["max"], f"{where}: the last band must be open-ended (max: null)"
            )
        outcome = reader.choice(keys["outcome"], where, outcome_ids, "outcome")
        bands.append(Band(band_id, low, high, outcome, line_of(band_node)))
    return tuple(bands)
