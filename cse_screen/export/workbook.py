"""Build the whole workbook in memory from an :class:`ExportSource`.

Sheets are created in reading order first and filled in data order: the list sheets stream the
rows and gather the aggregates on the way, then the aggregate sheets (which come first in the
workbook) are written from those. Every sheet writes into memory, never into a temporary file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook

from cse_screen.errors import ExportFailed
from cse_screen.export.context import BuildContext, Cancel, Progress
from cse_screen.export.encrypt import encrypt_workbook
from cse_screen.export.memory import ChunkedBuffer
from cse_screen.export.options import ExportOptions
from cse_screen.export.rows import ExportSource, InstrumentInfo, PeriodCounts
from cse_screen.export.sheet_about import write_about
from cse_screen.export.sheet_analysis import write_data_quality, write_indicators, write_trends
from cse_screen.export.sheet_lists import tally_only, write_children, write_screenings
from cse_screen.export.sheet_summary import write_summary
from cse_screen.export.tally import ChildTally, ScreeningTally

SHEETS = ("Summary", "Children", "Screenings", "Indicators", "Trends", "Data quality", "About")
LIST_SHEETS = ("Children", "Screenings")
AGGREGATE_SHEETS = tuple(name for name in SHEETS if name not in LIST_SHEETS)


def sheet_names(options: ExportOptions) -> tuple[str, ...]:
    """A board file holds aggregate tables only, unless an analyst asked for rows."""
    if options.pseudonymise and not options.row_level:
        return AGGREGATE_SHEETS
    return SHEETS


NEUTRAL_NAME = "cse-screen"
#: Rows in an Excel sheet, the header included.
EXCEL_MAX_ROWS = 1_048_576
#: Progress steps given to the aggregate sheets, the save and the encryption.
_FINISHING_STEPS = 50


@dataclass(frozen=True)
class BuiltWorkbook:
    data: ChunkedBuffer
    children: int
    screenings: int
    sheets: tuple[str, ...]


def period_bounds(options: ExportOptions, today: date) -> tuple[tuple[date, date], ...]:
    """This period (the date range, or the twelve months to its end) and the one before it."""
    end = options.date_to or today
    start = options.date_from or (end - timedelta(days=364))
    length = end - start
    before_end = start - timedelta(days=1)
    return (start, end), (before_end - length, before_end)


def _neutral_properties(wb: Workbook) -> None:
    """No library name and no user name in the file's properties."""
    props = wb.properties
    props.creator = NEUTRAL_NAME
    props.lastModifiedBy = NEUTRAL_NAME
    props.title = "CSE screening report"
    props.subject = None
    props.description = None
    props.keywords = None


def build_workbook(
    source: ExportSource,
    options: ExportOptions,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> BuiltWorkbook:
    """The finished (and, with a password, encrypted) workbook as an in-memory file."""
    meta = source.meta()
    instruments = source.instruments()
    expected = {"children": source.count_children(), "screenings": source.count_screenings()}
    if max(expected.values()) >= EXCEL_MAX_ROWS:
        raise ExportFailed(
            f"{expected['screenings']:,} screenings and {expected['children']:,} children do not "
            f"fit in one Excel sheet ({EXCEL_MAX_ROWS - 1:,} rows at most); choose a shorter "
            "date range or one team"
        )
    total = sum(expected.values()) + _FINISHING_STEPS
    ctx = BuildContext(options, meta, progress, cancel, total_steps=total)
    ctx.check_cancel()
    try:
        counts = _fill(ctx.book.wb, source, ctx, instruments, expected)
        data = ctx.book.save()
    except BaseException:
        ctx.book.discard()
        raise
    ctx.check_cancel()
    if options.password:
        data = encrypt_workbook(data, options.password)
    ctx.step(_FINISHING_STEPS - _FINISHING_STEPS // 2)
    return BuiltWorkbook(data, counts["children"], counts["screenings"], sheet_names(options))


def _fill(
    wb: Workbook,
    source: ExportSource,
    ctx: BuildContext,
    instruments: list[InstrumentInfo],
    expected: dict[str, int],
) -> dict[str, int]:
    meta, options = ctx.meta, ctx.options
    _neutral_properties(wb)
    names = sheet_names(options)
    ws = {name: wb.create_sheet(name) for name in names}
    kids = ChildTally(meta.today)
    tally = ScreeningTally(instruments, meta.outcomes)
    if "Children" in ws:
        n_children = write_children(
            ws["Children"], ctx, source.children(), kids, expected["children"]
        )
        n_screenings = write_screenings(
            ws["Screenings"], ctx, source.screenings(), instruments, tally, expected["screenings"]
        )
    else:
        n_children = tally_only(source.children(), kids.add, ctx)
        n_screenings = tally_only(source.screenings(), tally.add, ctx)
    now, before = period_bounds(options, meta.today)
    periods: tuple[PeriodCounts, PeriodCounts] = (
        source.period_counts(*now),
        source.period_counts(*before),
    )
    counts = {"children": n_children, "screenings": n_screenings}
    if options.pseudonymise:
        # Lay the aggregate sheets out once on scratch sheets (in memory, never saved) to learn
        # every count and total, decide what may be shown, then write them for real.
        ctx.start_pass(planning=True)
        scratch = Workbook()
        plan = {name: scratch.create_sheet(name) for name in AGGREGATE_SHEETS}
        _aggregates(plan, ctx, kids, tally, periods, instruments, counts)
        ctx.disclosure.protect()
        ctx.start_pass(planning=False)
    _aggregates(ws, ctx, kids, tally, periods, instruments, counts)
    ctx.step(_FINISHING_STEPS // 2)
    return counts


def _aggregates(
    ws: dict[str, Any],
    ctx: BuildContext,
    kids: ChildTally,
    tally: ScreeningTally,
    periods: tuple[PeriodCounts, PeriodCounts],
    instruments: list[InstrumentInfo],
    counts: dict[str, int],
) -> None:
    """Write every aggregate sheet from the tallies."""
    write_summary(ws["Summary"], ctx, kids, periods, tally)
    write_indicators(ws["Indicators"], ctx, tally, instruments)
    write_trends(ws["Trends"], ctx, tally)
    write_data_quality(ws["Data quality"], ctx, tally, kids.overdue, instruments)
    write_about(ws["About"], ctx, instruments, counts, tally.instrument_use)
