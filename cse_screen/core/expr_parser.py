"""Tokenizer and recursive-descent parser for definition expressions.

The grammar is deliberately small (comparisons, ``and``/``or``/``not``, ``in [...]``, item and
context names, literals and the counting functions ``count``/``any``/``none``) so that a CSE team
member can read every rule, and so that every name is checked against the definition at load
time: a typo is an error with a line number, never a rule that silently never fires.

    condition  := or
    or         := and ('or' and)*
    and        := not ('and' not)*
    not        := 'not' not | comparison
    comparison := operand [('=='|'!='|'<'|'<='|'>'|'>=') operand | ['not'] 'in' list]
    operand    := NUMBER | STRING | true | false | null | FUNC '(' filter (',' filter)* ')'
                | NAME | '(' condition ')'
    list       := '[' [word (',' word)*] ']'          (bare words in a list are text)
    filter     := KEY ('='|'=='|'!=') word | KEY ['not'] 'in' list | FLAG
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from cse_screen.core.expressions import (
    And,
    Compare,
    ContextRef,
    Count,
    Expr,
    ItemRef,
    Literal,
    Membership,
    Not,
    Or,
    Value,
)
from cse_screen.core.model import KINDS, TIERS, AnswerType, ContextField, Item

MAX_LENGTH = 2000
MAX_DEPTH = 40
FUNCTIONS = ("count", "any", "none")
FILTER_KEYS = ("tier", "kind", "id", "section", "answer")
FLAGS = ("present", "current", "previous", "unknown", "absent", "answered")
DERIVED = {"age_at_screen": "integer"}
KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<string>'[^'\n]*'|\"[^\"\n]*\")|(?P<op>==|!=|<=|>=|<|>|=|\(|\)|\[|\]|,))"
)


class ExprError(ValueError):
    """A problem in an expression, phrased to follow 'rule R1: '."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


def tokenize(source: str) -> list[Token]:
    if len(source) > MAX_LENGTH:
        raise ExprError(f"the expression is longer than {MAX_LENGTH} characters")
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        match = _TOKEN.match(source, pos)
        if match is None or match.lastgroup is None:
            bad = source[pos:].lstrip()[:1]
            raise ExprError(f"unexpected character {bad!r} at position {pos + 1}")
        kind = match.lastgroup
        text = match.group(kind)
        tokens.append(Token(kind, text, match.start(kind) + 1))
        pos = match.end()
    tokens.append(Token("end", "", len(source) + 1))
    return tokens


@dataclass(frozen=True)
class Symbols:
    """The names an expression may use, taken from the definition being loaded."""

    items: Mapping[str, Item]
    answer_types: Mapping[str, AnswerType]
    context: Mapping[str, ContextField]
    sections: frozenset[str]

    def answer_values(self) -> frozenset[str]:
        return frozenset(v for t in self.answer_types.values() for v in t.values)


# Static types: 'bool', 'number', or 'value' (text/unknown, usable only in == != in).
Typed = tuple[Expr, str]


class Parser:
    def __init__(self, source: str, symbols: Symbols) -> None:
        self.source = source
        self.symbols = symbols
        self.tokens = tokenize(source)
        self.index = 0
        self.depth = 0

    # -- token helpers -------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.index]

    def at(self, *texts: str) -> bool:
        return self.tok.kind in ("name", "op") and self.tok.text in texts

    def take(self) -> Token:
        token = self.tok
        self.index += 1
        return token

    def expect(self, text: str) -> Token:
        if not self.at(text):
            raise ExprError(f"expected '{text}' {self.where()}")
        return self.take()

    def where(self) -> str:
        if self.tok.kind == "end":
            return "at the end of the expression"
        return f"but found '{self.tok.text}' at position {self.tok.pos}"

    # -- grammar ---------------------------------------------------------------------------
    def parse_condition(self) -> Expr:
        expr, kind = self.parse_or()
        if self.tok.kind != "end":
            raise ExprError(f"expected 'and', 'or' or the end {self.where()}")
        if kind != "bool":
            raise ExprError("the expression must be a condition (true or false), not a value")
        expr.source = self.source
        return expr

    def parse_or(self) -> Typed:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(f"the expression is nested more than {MAX_DEPTH} levels deep")
        parts = [self.parse_and()]
        while self.at("or"):
            self.take()
            parts.append(self.parse_and())
        self.depth -= 1
        return self.combine(parts, Or, "or")

    def parse_and(self) -> Typed:
        parts = [self.parse_not()]
        while self.at("and"):
            self.take()
            parts.append(self.parse_not())
        return self.combine(parts, And, "and")

    @staticmethod
    def combine(parts: list[Typed], node: type[And] | type[Or], word: str) -> Typed:
        if len(parts) == 1:
            return parts[0]
        if any(kind != "bool" for _, kind in parts):
            raise ExprError(f"both sides of '{word}' must be conditions")
        return node(tuple(expr for expr, _ in parts)), "bool"

    def parse_not(self) -> Typed:
        if self.at("not"):
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExprError(f"the expression is nested more than {MAX_DEPTH} levels deep")
            inner, kind = self.parse_not()
            self.depth -= 1
            if kind != "bool":
                raise ExprError("'not' must be followed by a condition")
            return Not(inner), "bool"
        return self.parse_comparison()

    def parse_comparison(self) -> Typed:
        left = self.parse_operand()
        if self.at("==", "!=", "<", "<=", ">", ">="):
            op = self.take().text
            right = self.parse_operand()
            return self.compare(op, left, right), "bool"
        if self.at("="):
            raise ExprError(f"use '==' to compare, not '=' (position {self.tok.pos})")
        negate = False
        if self.at("not") and self.tokens[self.index + 1].text == "in":
            self.take()
            negate = True
        if self.at("in"):
            self.take()
            options = self.parse_list()
            self.check_values(left[0], options)
            return Membership(left[0], frozenset(options), negate), "bool"
        return left

    def compare(self, op: str, left: Typed, right: Typed) -> Expr:
        if op in ("<", "<=", ">", ">="):
            for _, kind in (left, right):
                if kind != "number":
                    raise ExprError(f"'{op}' compares numbers only")
        else:
            for ref, other in ((left[0], right[0]), (right[0], left[0])):
                if isinstance(other, Literal):
                    self.check_values(ref, [other.value])
        return Compare(op, left[0], right[0])

    def parse_operand(self) -> Typed:
        token = self.tok
        if token.kind == "number":
            self.take()
            return Literal(int(token.text)), "number"
        if token.kind == "string":
            self.take()
            return Literal(token.text[1:-1]), "value"
        if self.at("("):
            self.take()
            inner = self.parse_or()
            self.expect(")")
            return inner
        if token.kind != "name":
            raise ExprError(f"expected a name, a number or a quoted value {self.where()}")
        self.take()
        if token.text in ("true", "false"):
            return Literal(token.text == "true"), "bool"
        if token.text == "null":
            return Literal(None), "value"
        if token.text in FUNCTIONS and self.at("("):
            return self.parse_function(token.text)
        return self.reference(token)

    def reference(self, token: Token) -> Typed:
        name = token.text
        if name in KEYWORDS:
            raise ExprError(f"'{name}' cannot start a comparison (position {token.pos})")
        if name in self.symbols.items:
            return ItemRef(name), "value"
        if name in DERIVED:
            return ContextRef(name), "number"
        if name in self.symbols.context:
            kind = "number" if self.symbols.context[name].type == "integer" else "value"
            return ContextRef(name), kind
        if name in FUNCTIONS:
            raise ExprError(f"'{name}' must be followed by '(' (position {token.pos})")
        raise ExprError(f"unknown name '{name}' (not an item, a context field or age_at_screen)")

    def parse_list(self) -> list[Value]:
        self.expect("[")
        values: list[Value] = []
        while not self.at("]"):
            token = self.take()
            if token.kind == "name":
                values.append(token.text)
            elif token.kind == "string":
                values.append(token.text[1:-1])
            elif token.kind == "number":
                values.append(int(token.text))
            else:
                raise ExprError(f"expected a value in the list, found '{token.text or 'the end'}'")
            if not self.at("]"):
                self.expect(",")
        self.take()
        return values

    def check_values(self, ref: Expr, values: list[Value]) -> None:
        """Catch 'L11 == "yse"' and 'disability == "lerning"' when the definition loads."""
        allowed: tuple[str, ...] = ()
        label = ""
        if isinstance(ref, ItemRef):
            allowed, label = self.symbols.items[ref.name].values, f"item {ref.name}"
        elif isinstance(ref, ContextRef) and ref.name in self.symbols.context:
            allowed = self.symbols.context[ref.name].options
            label = f"context field {ref.name}"
        if not allowed:
            return
        for value in values:
            if value is not None and value not in allowed:
                raise ExprError(
                    f"'{value}' is not a value of {label} (expected one of {', '.join(allowed)})"
                )

    # -- counting functions -------------------------------------------------------------
    def parse_function(self, function: str) -> Typed:
        self.expect("(")
        candidates = list(self.symbols.items.values())
        accept = {item.id: frozenset(item.values) for item in candidates}
        while True:
            candidates = self.parse_filter(candidates, accept)
            if self.at(")"):
                break
            self.expect(",")
        self.take()
        pairs = tuple((i.id, accept[i.id]) for i in candidates if accept[i.id])
        return Count(function, pairs), "number" if function == "count" else "bool"

    def parse_filter(self, candidates: list[Item], accept: dict[str, frozenset[str]]) -> list[Item]:
        token = self.take()
        word = token.text
        if token.kind != "name":
            raise ExprError(f"expected a filter such as tier=moderate, found '{word or 'the end'}'")
        if word in FLAGS:
            for item in candidates:
                answer_type = self.symbols.answer_types[item.answer]
                accept[item.id] = accept[item.id] & answer_type.flag_values(word)
            return candidates
        if word not in FILTER_KEYS:
            raise ExprError(
                f"unknown filter '{word}' (expected {', '.join(FILTER_KEYS)} "
                f"or one of {', '.join(FLAGS)})"
            )
        negate, values = self.parse_filter_values(word)
        self.check_filter_values(word, values)
        if word == "answer":
            for item in candidates:
                chosen = frozenset(values)
                accept[item.id] = accept[item.id] & (
                    frozenset(item.values) - chosen if negate else chosen
                )
            return candidates
        return [i for i in candidates if (getattr(i, word) in values) != negate]

    def parse_filter_values(self, key: str) -> tuple[bool, list[str]]:
        if self.at("=", "=="):
            self.take()
            return False, [self.filter_word(key)]
        if self.at("!="):
            self.take()
            return True, [self.filter_word(key)]
        negate = False
        if self.at("not"):
            self.take()
            negate = True
        if not self.at("in"):
            raise ExprError(f"expected '=', '!=' or 'in' after '{key}' {self.where()}")
        self.take()
        return negate, [str(v) for v in self.parse_list()]

    def filter_word(self, key: str) -> str:
        token = self.take()
        if token.kind in ("name", "number"):
            return token.text
        if token.kind == "string":
            return token.text[1:-1]
        raise ExprError(f"expected a value after '{key}=', found '{token.text or 'the end'}'")

    def check_filter_values(self, key: str, values: list[str]) -> None:
        known: frozenset[str] | tuple[str, ...] = {
            "tier": TIERS,
            "kind": KINDS,
            "id": tuple(self.symbols.items),
            "section": tuple(sorted(self.symbols.sections)),
            "answer": tuple(sorted(self.symbols.answer_values())),
        }[key]
        for value in values:
            if value not in known:
                shown = ", ".join(known) if len(known) <= 12 else "the definition's ids"
                raise ExprError(f"unknown {key} '{value}' (expected one of {shown})")


def parse_condition(source: str, symbols: Symbols) -> Expr:
    """Parse and check a condition; raises ExprError naming what is wrong."""
    return Parser(source, symbols).parse_condition()
