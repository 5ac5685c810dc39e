"""Aggregates gathered in one pass over the rows, while the list sheets are being written.

Only counts and small per-month, per-item, per-team sets are kept, so memory does not grow with
the number of screenings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from cse_screen.core import codes
from cse_screen.export.privacy import age_band
from cse_screen.export.quality import CONTRADICTIONS
from cse_screen.export.rows import ChildRow, InstrumentInfo, ItemInfo, OutcomeInfo, ScreeningRow

COMPLETED = frozenset({"submitted", "signed_off"})
DUE_SOON_DAYS = 30


def is_at_risk(outcome: str | None, ranks: dict[str, int]) -> bool:
    """At risk = any outcome above the lowest one ("no current risk")."""
    return outcome is not None and ranks.get(outcome, 0) > 0


@dataclass
class GroupCounts:
    """Children of one team or worker: totals, overdue and latest outcomes."""

    children: int = 0
    overdue: int = 0
    due_soon: int = 0
    no_due: int = 0
    never_screened: int = 0
    by_outcome: Counter[str] = field(default_factory=Counter)


#: The breakdowns of children on the Summary: (title, dimension key, field of :class:`ChildRow`).
BREAKDOWNS: tuple[tuple[str, str, str], ...] = (
    ("By team", "team", "team"),
    ("By worker", "worker", "worker"),
    ("By age band", "age", "dob"),
    ("By gender", "gender", "gender"),
    ("By ethnicity", "ethnicity", "ethnicity"),
    ("By disability", "disability", "disability"),
    ("By placement type", "placement", "placement_type"),
)
_MISSING = {"team": "(no team)", "worker": "(unallocated)", "age": "(unknown)"}


@dataclass
class ChildTally:
    today: date
    total: int = 0
    screened: int = 0
    screened_3m: int = 0
    screened_12m: int = 0
    never_screened: int = 0
    due_soon: int = 0
    overdue: int = 0
    no_due: int = 0
    by_outcome: Counter[str] = field(default_factory=Counter)
    by_team: dict[str, GroupCounts] = field(default_factory=lambda: defaultdict(GroupCounts))
    by_worker: dict[str, GroupCounts] = field(default_factory=lambda: defaultdict(GroupCounts))
    by_age_band: dict[str, GroupCounts] = field(default_factory=lambda: defaultdict(GroupCounts))
    by_gender: dict[str, GroupCounts] = field(default_factory=lambda: defaultdict(GroupCounts))
    by_ethnicity: dict[str, GroupCounts] = field(default_factory=lambda: defaultdict(GroupCounts))
    by_disability: dict[str, GroupCounts] = field(default_factory=lambda: defaultdict(GroupCounts))
    by_placement: dict[str, GroupCounts] = field(default_factory=lambda: defaultdict(GroupCounts))

    def groups(self, dimension: str) -> dict[str, GroupCounts]:
        """The children of one breakdown (``team``, ``age``, ``ethnicity``...) by group."""
        return {
            "team": self.by_team,
            "worker": self.by_worker,
            "age": self.by_age_band,
            "gender": self.by_gender,
            "ethnicity": self.by_ethnicity,
            "disability": self.by_disability,
            "placement": self.by_placement,
        }[dimension]

    def is_overdue(self, child: ChildRow) -> bool:
        return child.next_due is not None and child.next_due < self.today

    def is_due_soon(self, child: ChildRow) -> bool:
        due = child.next_due
        return due is not None and self.today <= due <= self.today + timedelta(DUE_SOON_DAYS)

    def add(self, child: ChildRow) -> None:
        self.total += 1
        self.no_due += child.next_due is None
        overdue, soon = self.is_overdue(child), self.is_due_soon(child)
        self.overdue += overdue
        self.due_soon += soon
        if child.last_screened is None or child.latest_outcome is None:
            self.never_screened += 1
        else:
            self.screened += 1
            self.by_outcome[child.latest_outcome] += 1
            age_days = (self.today - child.last_screened).days
            self.screened_3m += age_days <= 91
            self.screened_12m += age_days <= 365
        for _, dimension, attr in BREAKDOWNS:
            value = age_band(child.dob, self.today) if dimension == "age" else getattr(child, attr)
            if attr in codes.RECORD_FIELDS:  # grouped and shown by label, as a reader knows it
                value = codes.label(attr, value) or None
            group = self.groups(dimension)[value or _MISSING.get(dimension, "(not recorded)")]
            group.children += 1
            group.no_due += child.next_due is None
            group.overdue += overdue
            group.due_soon += soon
            if child.last_screened is None or child.latest_outcome is None:
                group.never_screened += 1
            else:
                group.by_outcome[child.latest_outcome] += 1


@dataclass(frozen=True)
class Position:
    """Children as at the period's last day, and as at the previous period's last day."""

    now: ChildTally
    before: ChildTally


@dataclass
class ItemCounts:
    present: int = 0
    current: int = 0
    unknown: int = 0
    by_outcome: Counter[str] = field(default_factory=Counter)


@dataclass
class AssessorCounts:
    screenings: int = 0
    with_unknown: int = 0
    unknown_answers: int = 0
    overridden: int = 0
    returned: int = 0
    missing_context: int = 0


@dataclass
class MonthCounts:
    screenings: int = 0
    by_outcome: Counter[str] = field(default_factory=Counter)
    at_risk_children: set[int] = field(default_factory=set)
    overridden: int = 0


class ScreeningTally:
    """Everything the Indicators, Trends and Data quality sheets need, in one pass."""

    def __init__(self, instruments: list[InstrumentInfo], outcomes: tuple[OutcomeInfo, ...]):
        self.ranks = {o.id: o.rank for o in outcomes}
        self._items: dict[tuple[str, str, str], dict[str, ItemInfo]] = {
            (i.id, i.version, i.content_hash): {item.id: item for item in i.items}
            for i in instruments
        }
        self._required = {
            (i.id, i.version, i.content_hash): i.required_context for i in instruments
        }
        self._tracked = {
            (i.id, i.version, i.content_hash): tuple(f for f, _ in i.context_fields)
            for i in instruments
        }
        self.field_labels = {f: label for i in instruments for f, label in i.context_fields}
        self._fallback: dict[str, ItemInfo] = {}
        for instrument in instruments:
            for item in instrument.items:
                self._fallback.setdefault(item.id, item)
        self.total = 0
        self.by_status: Counter[str] = Counter()
        self.completed = 0
        self.by_outcome: Counter[str] = Counter()
        self.lowered = 0
        self.raised = 0
        self.awaiting_signoff = 0
        self.with_unknown = 0
        self.unknown_answers = 0
        self.missing_context = 0
        self.missing_by_field: Counter[str] = Counter()
        self.items: dict[str, ItemCounts] = defaultdict(ItemCounts)
        self.tiers: dict[str, Counter[str]] = defaultdict(Counter)
        self.months: dict[date, MonthCounts] = defaultdict(MonthCounts)
        self.assessors: dict[str, AssessorCounts] = defaultdict(AssessorCounts)
        self.instrument_use: Counter[tuple[str, str, str]] = Counter()
        self.rules_fired: Counter[str] = Counter()
        #: per contradiction id, (completed screenings contradicting it, screenings it applies to)
        self.contradictions: dict[str, tuple[int, int]] = {}
        #: per child, the (date, id, outcome) of its latest two completed screenings.
        self._latest_two: dict[int, tuple[tuple[date, int, str], ...]] = {}
        #: per child, a bit per indicator ever present in its completed screenings (one int
        #: per child, so prevalence can count children without a set per indicator).
        self._bits: dict[str, int] = {}
        self._present_bits: dict[int, int] = {}

    def add(self, row: ScreeningRow) -> None:
        key = (row.instrument_id, row.instrument_version, row.instrument_hash)
        self.total += 1
        self.by_status[row.status] += 1
        self.instrument_use[key] += 1
        assessor = self.assessors[row.created_by]
        assessor.screenings += 1
        assessor.returned += row.status == "returned"
        unknown = self._tally_answers(row, self._items.get(key, self._fallback))
        self.unknown_answers += unknown
        assessor.unknown_answers += unknown
        if unknown:
            self.with_unknown += 1
            assessor.with_unknown += 1
        present = row.context_present
        if any(f not in present for f in self._required.get(key, ())):
            self.missing_context += 1
            assessor.missing_context += 1
        self.missing_by_field.update(f for f in self._tracked.get(key, ()) if f not in present)
        if row.status in COMPLETED and row.final_outcome is not None:
            assessor.overridden += self._tally_completed(row)
            self._tally_contradictions(row)

    def _tally_contradictions(self, row: ScreeningRow) -> None:
        for rule in CONTRADICTIONS:
            value = getattr(row, rule.field, None)
            if value is None or str(value) not in rule.values:
                continue
            count, base = self.contradictions.get(rule.id, (0, 0))
            found = row.answers.get(rule.item) in rule.answers
            self.contradictions[rule.id] = (count + found, base + 1)

    def older_version(self, instruments: list[InstrumentInfo]) -> int:
        """Screenings on an older version of their questionnaire than the newest in use
        (``instruments`` come newest first, as the source gives them)."""
        newest: dict[str, str] = {}
        for instrument in instruments:
            newest.setdefault(instrument.id, instrument.version)
        return sum(
            n
            for (id_, version, _), n in self.instrument_use.items()
            if version != newest.get(id_, version)
        )

    def _tally_answers(self, row: ScreeningRow, items: dict[str, ItemInfo]) -> int:
        completed = row.status in COMPLETED and row.final_outcome is not None
        outcome = row.final_outcome or ""
        unknown = 0
        tiers_present: set[str] = set()
        bits = 0
        for item_id, value in row.answers.items():
            info = items.get(item_id) or self._fallback.get(item_id)
            if info is None:
                continue
            if value in info.unknown:
                unknown += 1
                self.items[item_id].unknown += 1
            elif completed and value in info.present:
                counts = self.items[item_id]
                counts.present += 1
                bits |= 1 << self._bits.setdefault(item_id, len(self._bits))
                counts.current += value in info.current
                counts.by_outcome[outcome] += 1
                tiers_present.add(info.tier)
        for tier in tiers_present:
            self.tiers[tier][outcome] += 1
        if completed:
            self._present_bits[row.child_id] = self._present_bits.get(row.child_id, 0) | bits
        return unknown

    def _tally_completed(self, row: ScreeningRow) -> bool:
        final, computed = row.final_outcome or "", row.computed_outcome or ""
        self.completed += 1
        self.by_outcome[final] += 1
        self.rules_fired.update(row.rules)
        mark = (row.screen_date, row.screening_id, final)
        kept = (*self._latest_two.get(row.child_id, ()), mark)
        self._latest_two[row.child_id] = tuple(sorted(kept))[-2:]
        self.awaiting_signoff += row.needs_signoff and row.status == "submitted"
        month = self.months[row.screen_date.replace(day=1)]
        month.screenings += 1
        month.by_outcome[final] += 1
        if is_at_risk(final, self.ranks):
            month.at_risk_children.add(row.child_id)
        overridden = bool(computed) and final != computed
        if overridden:
            month.overridden += 1
            if self.ranks.get(final, 0) < self.ranks.get(computed, 0):
                self.lowered += 1
            else:
                self.raised += 1
        return overridden

    @property
    def children_screened(self) -> int:
        """Children with at least one completed screening in the date range."""
        return len(self._present_bits)

    def children_with(self) -> Counter[str]:
        """Per indicator, the children with it present in at least one completed screening."""
        found: Counter[str] = Counter()
        for item_id, bit in self._bits.items():
            mask = 1 << bit
            found[item_id] = sum(1 for bits in self._present_bits.values() if bits & mask)
        return found

    @property
    def overridden(self) -> int:
        return self.lowered + self.raised

    def changes(self) -> Counter[str]:
        """Children screened twice or more: did the latest outcome go up, down or stay?"""
        moves: Counter[str] = Counter()
        for kept in self._latest_two.values():
            if len(kept) == 2:
                before, after = (self.ranks.get(k[2], 0) for k in kept)
                moves["up" if after > before else "down" if after < before else "same"] += 1
        return moves
