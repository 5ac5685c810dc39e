"""The questionnaire as immutable data, built by the loader from a definition file.

Frozen dataclasses so that a loaded definition can be shared between the GUI, the scorer and the
storage layer without anyone changing it underneath the others: a screening is always scored by
exactly the definition whose content hash it records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cse_screen.core.expressions import Expr

TIERS: tuple[str, ...] = ("significant", "moderate", "low", "vulnerability", "harm")
KINDS: tuple[str, ...] = ("risk_indicator", "harm_indicator", "vulnerability")
STATUSES: tuple[str, ...] = ("draft", "active", "retired")
STRATEGIES: tuple[str, ...] = ("tier_count", "seraf_points")
CONTEXT_TYPES: tuple[str, ...] = ("date", "choice", "multi_choice", "integer", "text")
EVIDENCE_RULES: tuple[str, ...] = ("required_if_present", "optional", "none")


@dataclass(frozen=True)
class AnswerType:
    """A closed set of answer values and which of them mean present, current, previous, unknown.

    The engine never hard-codes 'current' or 'yes': counting functions ask the answer type, so a
    definition can introduce a new answer scale without a code change.
    """

    id: str
    values: tuple[str, ...]
    present: frozenset[str]
    current: frozenset[str]
    previous: frozenset[str]
    unknown: frozenset[str]
    line: int = 0

    def flag_values(self, flag: str) -> frozenset[str]:
        """Values that satisfy a flag word used in expressions (present, current, ...)."""
        if flag == "absent":
            return frozenset(self.values) - self.present
        if flag == "answered":
            return frozenset(self.values)
        return {
            "present": self.present,
            "current": self.current,
            "previous": self.previous,
            "unknown": self.unknown,
        }[flag]


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    kind: str
    tier: str
    answer: str
    values: tuple[str, ...]
    required: bool = True
    show_if: Expr | None = None
    guidance: str = ""
    evidence: str = "required_if_present"
    line: int = 0
    section: str = ""


class ItemList(tuple[Item, ...]):
    """A tuple of items that may also be called, so ``q.items`` and ``q.items()`` both work."""

    __slots__ = ()

    def __call__(self) -> ItemList:
        return self


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    items: tuple[Item, ...]
    show_if: Expr | None = None
    line: int = 0


@dataclass(frozen=True)
class Outcome:
    id: str
    label: str
    colour: str
    actions: tuple[str, ...]
    review_after_days: int
    rank: int
    line: int = 0


@dataclass(frozen=True)
class ContextField:
    id: str
    label: str
    type: str
    options: tuple[str, ...] = ()
    required: bool = False
    pii: bool = False
    line: int = 0


@dataclass(frozen=True)
class Rule:
    """A scoring rule (``kind='rule'``) or a floor (``kind='floor'``).

    For a rule, ``outcome`` is the outcome it gives; for a floor, the minimum it raises to.
    """

    id: str
    kind: str
    when: Expr
    outcome: str
    description: str
    line: int = 0


@dataclass(frozen=True)
class Band:
    """A points band of the SERAF-style strategy: ``max`` None means open-ended."""

    id: str
    min: int
    max: int | None
    outcome: str
    line: int = 0


@dataclass(frozen=True)
class PointsBonus:
    id: str
    when: Expr
    points: int
    description: str
    line: int = 0


@dataclass(frozen=True)
class Scoring:
    strategy: str
    rules: tuple[Rule, ...] = ()
    floors: tuple[Rule, ...] = ()
    points: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    bonuses: tuple[PointsBonus, ...] = ()
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class ChangelogEntry:
    version: str
    date: str
    note: str


@dataclass(frozen=True)
class Windows:
    current_days: int
    previous_days: int


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: str
    version: str
    status: str
    content_hash: str
    source: str
    windows: Windows
    context_fields: tuple[ContextField, ...]
    answer_types: Mapping[str, AnswerType]
    sections: tuple[Section, ...]
    outcomes: tuple[Outcome, ...]
    scoring: Scoring
    changelog: tuple[ChangelogEntry, ...] = ()
    purpose: str = "screening"
    description: str = ""
    items: ItemList = field(init=False, repr=False, compare=False)
    risk_items: ItemList = field(init=False, repr=False, compare=False)
    has_skip_logic: bool = field(init=False, repr=False, compare=False)
    _by_id: Mapping[str, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items = ItemList(item for section in self.sections for item in section.items)
        object.__setattr__(self, "items", items)
        risk = ItemList(i for i in items if i.kind != "vulnerability")
        object.__setattr__(self, "risk_items", risk)
        object.__setattr__(self, "_by_id", {i.id: i for i in items})
        skip = any(s.show_if is not None for s in self.sections) or any(
            i.show_if is not None for i in items
        )
        object.__setattr__(self, "has_skip_logic", skip)

    def item(self, item_id: str) -> Item:
        """The item with this id; KeyError when the definition has none."""
        return self._by_id[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._by_id

    def outcome(self, outcome_id: str) -> Outcome:
        for outcome in self.outcomes:
            if outcome.id == outcome_id:
                return outcome
        raise KeyError(outcome_id)

    def outcome_rank(self, outcome_id: str) -> int:
        """Position from lowest (0) to highest, so outcomes compare by severity."""
        return self.outcome(outcome_id).rank

    @property
    def outcome_ids(self) -> tuple[str, ...]:
        """Outcome ids lowest to highest, as the definition lists them."""
        return tuple(o.id for o in self.outcomes)

    @property
    def high_outcomes(self) -> tuple[str, ...]:
        """The upper half of the outcome scale (moderate and significant of the default's four):
        the outcomes that put a child on a team's attention list whatever their due date."""
        return self.outcome_ids[len(self.outcomes) // 2 :]

    def context_field(self, field_id: str) -> ContextField:
        for context_field in self.context_fields:
            if context_field.id == field_id:
                return context_field
        raise KeyError(field_id)

    def section_of(self, item_id: str) -> Section:
        for section in self.sections:
            if any(i.id == item_id for i in section.items):
                return section
        raise KeyError(item_id)

    @property
    def label(self) -> str:
        """How a definition is named to users: id and version."""
        return f"{self.id} {self.version}"
