"""Plain rows the workbook is built from, and the source that supplies them.

The workbook never sees the database: :mod:`cse_screen.storage.reporting` turns stored records
into these rows, and tests can build a workbook from lists. Rows are streamed, so a source hands
out iterators and the writer keeps only aggregates.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutcomeInfo:
    id: str
    label: str
    colour: str
    rank: int


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """An indicator as the export needs it: which answers mean present, current, unknown."""

    id: str
    text: str
    tier: str
    kind: str
    section: str
    present: frozenset[str]
    current: frozenset[str]
    unknown: frozenset[str]


@dataclass(frozen=True, slots=True)
class InstrumentInfo:
    id: str
    version: str
    title: str
    content_hash: str
    items: tuple[ItemInfo, ...]
    outcomes: tuple[OutcomeInfo, ...]
    required_context: tuple[str, ...]
    #: (id, label) of every context field worth reporting when it is not recorded.
    context_fields: tuple[tuple[str, str], ...] = ()
    screenings: int = 0
    #: (id, description) of the scoring rules and floors, in order.
    rules: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ChildRow:
    """A child in scope with the state of their latest completed screening (as stored today)."""

    child_id: int
    case_ref: str
    name: str
    dob: date
    gender: str | None
    ethnicity: str | None
    disability: str | None
    placement_type: str | None
    legal_status: str | None
    worker: str | None
    team: str | None
    latest_outcome: str | None
    last_screened: date | None
    next_due: date | None
    completed_screenings: int
    has_draft: bool


@dataclass(frozen=True, slots=True)
class ScreeningRow:
    """One screening in the date range; ``answers`` maps item id to answer value."""

    screening_id: int
    child_id: int
    child_ref: str
    dob: date | None
    team: str | None
    worker: str | None
    instrument_id: str
    instrument_version: str
    instrument_hash: str
    status: str
    trigger: str
    screen_date: date
    computed_outcome: str | None
    final_outcome: str | None
    override_reason: str | None
    returned_reason: str | None
    needs_signoff: bool
    created_by: str
    submitted_at: datetime | None
    signed_off_by: str | None
    next_due: date | None
    answers: Mapping[str, str]
    context_present: frozenset[str]
    #: ids of the scoring rules and floors that fired when it was submitted.
    rules: tuple[str, ...] = ()
    #: the child's placement type when screened (the screening's own context, else the record).
    placement_type: str | None = None


@dataclass(frozen=True, slots=True)
class PeriodCounts:
    """Completed screenings in one period, for "this period against the previous one"."""

    start: date
    end: date
    screenings: int
    children: int
    by_outcome: Mapping[str, int]
    at_risk_children: int
    overridden: int


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """A completed screening of a child in scope, whatever its date: enough to know each
    child's position on any day and whether each re-screen came by its due date."""

    child_id: int
    screen_date: date
    final_outcome: str
    next_due: date | None
    submitted: date | None = None
    signed_off: date | None = None
    #: the team the child was in when screened (None: not recorded, the child's own applies)
    team: str | None = None


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event recorded for a child in scope (``missing_episode``, ``placement_move``...)."""

    child_id: int
    kind: str
    on_date: date


@dataclass(frozen=True, slots=True)
class ExportMeta:
    """Who exported, when, and the outcome scale the report is laid out on."""

    exported_by: str
    exported_at: datetime
    today: date
    outcomes: tuple[OutcomeInfo, ...]


class ExportSource(Protocol):
    """What the workbook builder reads; one implementation reads the encrypted store."""

    def meta(self) -> ExportMeta: ...

    def instruments(self) -> list[InstrumentInfo]: ...

    def count_children(self) -> int: ...

    def count_screenings(self) -> int: ...

    def children(self) -> Iterator[ChildRow]: ...

    def screenings(self) -> Iterator[ScreeningRow]: ...

    def period_counts(self, start: date, end: date) -> PeriodCounts: ...

    def history(self, up_to: date) -> Iterator[HistoryRow]:
        """Completed screenings dated up to ``up_to`` of the children in scope (any date range)."""
        ...

    def events(self, start: date, end: date) -> Iterator[EventRow]:
        """Events dated ``start``..``end`` of the children in scope."""
        ...
