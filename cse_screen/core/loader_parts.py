"""Building the parts of a definition: answer types, context fields, sections, items, outcomes.

Cross-checks that need the whole file (an item naming an answer type, a rule naming an outcome)
happen here too, so an inconsistent definition never reaches the scorer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from yaml.nodes import MappingNode, Node, ScalarNode

from cse_screen.core.expr_parser import (
    DERIVED,
    FILTER_KEYS,
    FLAGS,
    FUNCTIONS,
    KEYWORDS,
    ExprError,
    Symbols,
    parse_condition,
)
from cse_screen.core.expressions import Expr
from cse_screen.core.model import (
    CONTEXT_TYPES,
    EVIDENCE_RULES,
    KINDS,
    TIERS,
    AnswerType,
    ContextField,
    Item,
    Outcome,
    Section,
)
from cse_screen.core.yaml_nodes import Reader, line_of

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}\Z")
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\Z")
RESERVED = frozenset({*KEYWORDS, *FUNCTIONS, *FLAGS, *FILTER_KEYS, *DERIVED})
FLAG_KEYS = ("present", "current", "previous", "unknown")
# A kind fixes which tiers make sense: a vulnerability is context, a harm indicator is harm.
KIND_TIERS = {
    "vulnerability": ("vulnerability",),
    "harm_indicator": ("harm",),
    "risk_indicator": ("significant", "moderate", "low"),
}


def identifier(reader: Reader, node: Node, where: str) -> str:
    value = reader.text(node, where)
    if not _NAME.match(value):
        reader.source.fail_at(
            node,
            f"{where}: '{value}' is not a valid id (letters, digits and _, starting with a letter)",
        )
    if value in RESERVED:
        reader.source.fail_at(node, f"{where}: '{value}' is a reserved word and cannot be an id")
    return value


def read_answer_types(reader: Reader, node: Node) -> dict[str, AnswerType]:
    types: dict[str, AnswerType] = {}
    where = "answer_types"
    mapping = reader.mapping(node, where, (), _keys_of(reader, node, where))
    for name, type_node in mapping.items():
        label = f"answer type {name}"
        keys = reader.mapping(type_node, label, ("values", *FLAG_KEYS))
        values = reader.texts(keys["values"], f"{label} values", allow_empty=False)
        if len(set(values)) != len(values):
            reader.source.fail_at(keys["values"], f"{label}: a value is listed twice")
        flags: dict[str, frozenset[str]] = {}
        for flag in FLAG_KEYS:
            listed = reader.texts(keys[flag], f"{label} {flag}")
            for value in listed:
                if value not in values:
                    reader.source.fail_at(
                        keys[flag], f"{label} {flag}: '{value}' is not one of its values"
                    )
            flags[flag] = frozenset(listed)
        if flags["unknown"] & flags["present"]:
            reader.source.fail_at(
                keys["unknown"], f"{label}: an unknown value cannot count as present"
            )
        if not (flags["current"] | flags["previous"]) <= flags["present"]:
            reader.source.fail_at(
                keys["present"], f"{label}: every current or previous value must also be present"
            )
        types[name] = AnswerType(name, values, line=line_of(type_node), **flags)
    if not types:
        reader.source.fail_at(node, "answer_types: at least one answer type is needed")
    return types


def _keys_of(reader: Reader, node: Node, where: str) -> tuple[str, ...]:
    if not isinstance(node, MappingNode):
        reader.source.fail_at(node, f"{where}: expected a mapping of keys")
    return tuple(identifier(reader, key, where) for key, _ in node.value)


def read_context_fields(reader: Reader, node: Node) -> tuple[ContextField, ...]:
    fields: list[ContextField] = []
    for field_node in reader.sequence(node, "context_fields"):
        keys = reader.mapping(
            field_node, "context field", ("id", "label", "type"), ("options", "required", "pii")
        )
        field_id = identifier(reader, keys["id"], "context field id")
        where = f"context field {field_id}"
        if any(f.id == field_id for f in fields):
            reader.source.fail_at(keys["id"], f"{where}: the id is used twice")
        kind = reader.choice(keys["type"], where, CONTEXT_TYPES, "type")
        options = reader.texts(keys["options"], f"{where} options") if "options" in keys else ()
        if kind in ("choice", "multi_choice") and not options:
            reader.source.fail_at(field_node, f"{where}: a {kind} field needs a list of options")
        if options and kind not in ("choice", "multi_choice"):
            reader.source.fail_at(keys["options"], f"{where}: only choice fields take options")
        if len(set(options)) != len(options):
            reader.source.fail_at(keys["options"], f"{where}: an option is listed twice")
        fields.append(
            ContextField(
                id=field_id,
                label=reader.text(keys["label"], f"{where} label"),
                type=kind,
                options=options,
                required=_flag(reader, keys, "required", where, False),
                pii=_flag(reader, keys, "pii", where, False),
                line=line_of(field_node),
            )
        )
    return tuple(fields)


def _flag(reader: Reader, keys: Mapping[str, Node], name: str, where: str, default: bool) -> bool:
    return reader.boolean(keys[name], f"{where} {name}") if name in keys else default


ITEM_KEYS = ("id", "text", "kind", "tier", "answer", "guidance")
ITEM_OPTIONAL = ("required", "show_if", "evidence")


def read_sections(
    reader: Reader,
    node: Node,
    answer_types: Mapping[str, AnswerType],
    context: tuple[ContextField, ...],
    evidence_default: str,
) -> tuple[Section, ...]:
    sections: list[Section] = []
    seen: dict[str, int] = {}
    conditions: list[tuple[str, Node, str]] = []  # (section or item id, node, kind)
    for section_node in reader.sequence(node, "sections", allow_empty=False):
        keys = reader.mapping(section_node, "section", ("id", "title", "items"), ("show_if",))
        section_id = identifier(reader, keys["id"], "section id")
        if any(s.id == section_id for s in sections):
            reader.source.fail_at(keys["id"], f"section {section_id}: the id is used twice")
        items = []
        for item_node in reader.sequence(keys["items"], f"section {section_id} items", False):
            item, show_if = _item(reader, item_node, section_id, answer_types, evidence_default)
            if item.id in seen:
                reader.source.fail_at(
                    item_node, f"item {item.id}: the id is already used on line {seen[item.id]}"
                )
            if any(f.id == item.id for f in context):
                reader.source.fail_at(item_node, f"item {item.id}: the id is also a context field")
            seen[item.id] = item.line
            items.append(item)
            if show_if is not None:
                conditions.append((item.id, show_if, "item"))
        if "show_if" in keys:
            conditions.append((section_id, keys["show_if"], "section"))
        title = reader.text(keys["title"], f"section {section_id} title")
        sections.append(Section(section_id, title, tuple(items), None, line_of(section_node)))
    return _attach_conditions(reader, tuple(sections), conditions, answer_types, context)


def _item(
    reader: Reader,
    node: Node,
    section_id: str,
    answer_types: Mapping[str, AnswerType],
    evidence_default: str,
) -> tuple[Item, Node | None]:
    keys = reader.mapping(node, _item_label(node, section_id), ITEM_KEYS, ITEM_OPTIONAL)
    item_id = identifier(reader, keys["id"], "item id")
    where = f"item {item_id}"
    kind = reader.choice(keys["kind"], where, KINDS, "kind")
    tier = reader.choice(keys["tier"], where, TIERS, "tier")
    if tier not in KIND_TIERS[kind]:
        reader.source.fail_at(
            keys["tier"],
            f"{where}: tier '{tier}' does not fit kind '{kind}' "
            f"(expected {' or '.join(KIND_TIERS[kind])})",
        )
    answer = reader.choice(keys["answer"], where, answer_types, "answer type")
    evidence = evidence_default
    if "evidence" in keys:
        evidence = reader.choice(keys["evidence"], where, EVIDENCE_RULES, "evidence rule")
    item = Item(
        id=item_id,
        text=reader.text(keys["text"], f"{where} text"),
        kind=kind,
        tier=tier,
        answer=answer,
        values=answer_types[answer].values,
        required=_flag(reader, keys, "required", where, True),
        guidance=reader.text(keys["guidance"], f"{where} guidance"),
        evidence=evidence,
        line=line_of(node),
        section=section_id,
    )
    return item, keys.get("show_if")


def _item_label(node: Node, section_id: str) -> str:
    """'item A7' when the id can be read, so a missing key names the item it belongs to."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value == "id" and isinstance(value, ScalarNode) and value.value:
                return f"item {value.value}"
    return f"an item of section {section_id}"


def symbols_for(
    sections: tuple[Section, ...],
    answer_types: Mapping[str, AnswerType],
    context: tuple[ContextField, ...],
) -> Symbols:
    return Symbols(
        items={i.id: i for s in sections for i in s.items},
        answer_types=answer_types,
        context={f.id: f for f in context},
        sections=frozenset(s.id for s in sections),
    )


def condition(reader: Reader, node: Node, symbols: Symbols, where: str) -> Expr:
    """Parse an expression node; a problem is reported at the node's line."""
    text = reader.text(node, where)
    try:
        return parse_condition(text, symbols)
    except ExprError as exc:
        reader.source.fail_at(node, f"{where}: {exc}")


def _attach_conditions(
    reader: Reader,
    sections: tuple[Section, ...],
    conditions: list[tuple[str, Node, str]],
    answer_types: Mapping[str, AnswerType],
    context: tuple[ContextField, ...],
) -> tuple[Section, ...]:
    """Parse show_if once every item exists, so skip logic may refer to any item."""
    symbols = symbols_for(sections, answer_types, context)
    parsed: dict[tuple[str, str], Expr] = {}
    for owner, node, kind in conditions:
        expr = condition(reader, node, symbols, f"{kind} {owner} show_if")
        if kind == "item" and owner in expr.names():
            reader.source.fail_at(node, f"item {owner} show_if: an item cannot depend on itself")
        parsed[(kind, owner)] = expr
    result = []
    for section in sections:
        items = tuple(replace(i, show_if=parsed.get(("item", i.id))) for i in section.items)
        result.append(replace(section, items=items, show_if=parsed.get(("section", section.id))))
    return tuple(result)


def read_outcomes(reader: Reader, node: Node) -> tuple[Outcome, ...]:
    outcomes: list[Outcome] = []
    for rank, outcome_node in enumerate(reader.sequence(node, "outcomes", allow_empty=False)):
        keys = reader.mapping(
            outcome_node, "outcome", ("id", "label", "colour", "actions", "review_after_days")
        )
        outcome_id = identifier(reader, keys["id"], "outcome id")
        where = f"outcome {outcome_id}"
        if any(o.id == outcome_id for o in outcomes):
            reader.source.fail_at(keys["id"], f"{where}: the id is used twice")
        colour = reader.text(keys["colour"], f"{where} colour", allow_empty=True)
        if not colour:
            reader.source.fail_at(
                keys["colour"],
                f"{where}: colour is empty (quote it: '#D93025', or # starts a comment)",
            )
        if not _COLOUR.match(colour):
            reader.source.fail_at(
                keys["colour"], f"{where}: colour '{colour}' is not a hex colour like #D93025"
            )
        outcomes.append(
            Outcome(
                id=outcome_id,
                label=reader.text(keys["label"], f"{where} label"),
                colour=colour.upper(),
                actions=reader.texts(keys["actions"], f"{where} actions", allow_empty=False),
                review_after_days=reader.integer(
                    keys["review_after_days"], f"{where} review_after_days", minimum=1
                ),
                rank=rank,
                line=line_of(outcome_node),
            )
        )
    return tuple(outcomes)
