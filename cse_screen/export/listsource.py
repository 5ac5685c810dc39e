"""An :class:`ExportSource` over rows already produced elsewhere (generated or in memory).

The store's source reads the database; this one lets the same workbook be built from any
iterables, which the benchmarks use to time the writer on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from cse_screen.export.rows import (
    ChildRow,
    EventRow,
    ExportMeta,
    HistoryRow,
    InstrumentInfo,
    PeriodCounts,
    ScreeningRow,
)
from cse_screen.export.tally import COMPLETED, is_at_risk


@dataclass
class ListSource:
    """Rows from callables, so each pass gets a fresh iterator."""

    export_meta: ExportMeta
    instrument_list: list[InstrumentInfo]
    child_rows: Callable[[], Iterable[ChildRow]]
    screening_rows: Callable[[], Iterable[ScreeningRow]]
    n_children: int
    n_screenings: int
    event_rows: Sequence[EventRow] = field(default_factory=tuple)

    @classmethod
    def from_lists(
        cls,
        meta: ExportMeta,
        instruments: list[InstrumentInfo],
        children: Sequence[ChildRow],
        screenings: Sequence[ScreeningRow],
        events: Sequence[EventRow] = (),
    ) -> ListSource:
        return cls(
            meta,
            instruments,
            lambda: children,
            lambda: screenings,
            len(children),
            len(screenings),
            tuple(events),
        )

    def meta(self) -> ExportMeta:
        return self.export_meta

    def instruments(self) -> list[InstrumentInfo]:
        return self.instrument_list

    def count_children(self) -> int:
        return self.n_children

    def count_screenings(self) -> int:
        return self.n_screenings

    def children(self) -> Iterator[ChildRow]:
        return iter(self.child_rows())

    def screenings(self) -> Iterator[ScreeningRow]:
        return iter(self.screening_rows())

    def period_counts(self, start: date, end: date) -> PeriodCounts:
        ranks = {o.id: o.rank for o in self.export_meta.outcomes}
        by_outcome: dict[str, int] = {}
        children: set[int] = set()
        at_risk: set[int] = set()
        screenings = overridden = 0
        for row in self.screening_rows():
            if row.status not in COMPLETED or not start <= row.screen_date <= end:
                continue
            final = row.final_outcome or ""
            screenings += 1
            by_outcome[final] = by_outcome.get(final, 0) + 1
            children.add(row.child_id)
            if is_at_risk(final, ranks):
                at_risk.add(row.child_id)
            overridden += bool(row.computed_outcome) and row.computed_outcome != final
        return PeriodCounts(
            start, end, screenings, len(children), by_outcome, len(at_risk), overridden
        )

    def history(self, up_to: date) -> Iterator[HistoryRow]:
        for row in self.screening_rows():
            if row.status in COMPLETED and row.final_outcome and row.screen_date <= up_to:
                submitted = row.submitted_at.date() if row.submitted_at else None
                yield HistoryRow(
                    row.child_id,
                    row.screen_date,
                    row.final_outcome,
                    row.next_due,
                    submitted,
                    team=row.team,
                )

    def events(self, start: date, end: date) -> Iterator[EventRow]:
        return (e for e in self.event_rows if start <= e.on_date <= end)
