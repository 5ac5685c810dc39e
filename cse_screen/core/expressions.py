"""The evaluated form of definition expressions (``show_if``, rule and floor conditions).

Expressions are parsed by :mod:`cse_screen.core.expr_parser` into these small node classes and
evaluated against an :class:`Env`; nothing is ever passed to ``eval``. Counting functions are
resolved when the definition loads: each one holds, per item, the set of answer values it accepts,
so scoring a screening is a handful of set look-ups.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

Value = str | int | bool | None | tuple[object, ...]


@dataclass
class Env:
    """What an expression sees: the answers, the context and derived values such as age.

    ``witnesses`` collects the items matched by counting functions while a condition is
    evaluated, so that a fired rule can name the indicators behind it.
    """

    answers: Mapping[str, str]
    context: Mapping[str, object]
    witnesses: list[str] = field(default_factory=list)
    collect: bool = False


class Expr:
    """Base class of expression nodes; ``source`` is the text it was parsed from."""

    source: str = ""

    def evaluate(self, env: Env) -> Value:
        raise NotImplementedError

    def truth(self, env: Env) -> bool:
        return bool(self.evaluate(env))

    def names(self) -> frozenset[str]:
        """Item and context names the expression reads (for skip-logic dependency checks)."""
        return frozenset()

    def __str__(self) -> str:
        return self.source


@dataclass(eq=False)
class Literal(Expr):
    value: Value

    def evaluate(self, env: Env) -> Value:
        return self.value


@dataclass(eq=False)
class ItemRef(Expr):
    """An item's answer, or None when unanswered."""

    name: str

    def evaluate(self, env: Env) -> Value:
        return env.answers.get(self.name)

    def names(self) -> frozenset[str]:
        return frozenset({self.name})


@dataclass(eq=False)
class ContextRef(Expr):
    """A context field or derived value (``age_at_screen``), or None when not given."""

    name: str

    def evaluate(self, env: Env) -> Value:
        value = env.context.get(self.name)
        if value is None or isinstance(value, str | int | bool):
            return value
        if isinstance(value, list | tuple):
            return tuple(value)
        return str(value)

    def names(self) -> frozenset[str]:
        return frozenset({self.name})


def _ordered(op: Callable[[int, int], bool]) -> Callable[[Value, Value], bool]:
    """Ordering only between numbers: anything else (an unknown age) is simply false."""

    def compare(left: Value, right: Value) -> bool:
        if isinstance(left, bool) or isinstance(right, bool):
            return False
        if isinstance(left, int) and isinstance(right, int):
            return op(left, right)
        return False

    return compare


COMPARATORS: dict[str, Callable[[Value, Value], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": _ordered(operator.lt),
    "<=": _ordered(operator.le),
    ">": _ordered(operator.gt),
    ">=": _ordered(operator.ge),
}


@dataclass(eq=False)
class Compare(Expr):
    op: str
    left: Expr
    right: Expr

    def evaluate(self, env: Env) -> Value:
        return COMPARATORS[self.op](self.left.evaluate(env), self.right.evaluate(env))

    def names(self) -> frozenset[str]:
        return self.left.names() | self.right.names()


@dataclass(eq=False)
class Membership(Expr):
    """``x in [a, b]``; for a multi-choice context value, true when any chosen option is listed."""

    left: Expr
    options: frozenset[object]
    negate: bool = False

    def evaluate(self, env: Env) -> Value:
        value = self.left.evaluate(env)
        if isinstance(value, tuple):
            found = any(v in self.options for v in value)
        else:
            found = value in self.options
        return found != self.negate

    def names(self) -> frozenset[str]:
        return self.left.names()


@dataclass(eq=False)
class And(Expr):
    parts: tuple[Expr, ...]

    def evaluate(self, env: Env) -> Value:
        return all(part.truth(env) for part in self.parts)

    def names(self) -> frozenset[str]:
        return frozenset().union(*(p.names() for p in self.parts))


@dataclass(eq=False)
class Or(Expr):
    parts: tuple[Expr, ...]

    def evaluate(self, env: Env) -> Value:
        return any(part.truth(env) for part in self.parts)

    def names(self) -> frozenset[str]:
        return frozenset().union(*(p.names() for p in self.parts))


@dataclass(eq=False)
class Not(Expr):
    inner: Expr

    def evaluate(self, env: Env) -> Value:
        return not self.inner.truth(env)

    def names(self) -> frozenset[str]:
        return self.inner.names()


@dataclass(eq=False)
class Count(Expr):
    """``count(...)`` (a number) or ``any(...)``/``none(...)`` (a truth value) over items.

    ``accept`` pairs each candidate item with the answer values that satisfy every filter, worked
    out once at load time.
    """

    function: str
    accept: tuple[tuple[str, frozenset[str]], ...]

    def matches(self, env: Env) -> list[str]:
        answers = env.answers
        return [item_id for item_id, ok in self.accept if answers.get(item_id) in ok]

    def evaluate(self, env: Env) -> Value:
        if env.collect:
            found = self.matches(env)
            env.witnesses.extend(i for i in found if i not in env.witnesses)
            number = len(found)
        else:
            answers = env.answers
            number = sum(1 for item_id, ok in self.accept if answers.get(item_id) in ok)
        if self.function == "count":
            return number
        if self.function == "any":
            return number > 0
        return number == 0

    def names(self) -> frozenset[str]:
        return frozenset(item_id for item_id, _ in self.accept)
