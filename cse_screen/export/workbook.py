"""Build the whole workbook in memory from an :class:`ExportSource`.

Sheets are created in reading order first and filled in data order: the list sheets stream the
rows and gather the aggregates on the way, then the aggregate sheets (which come first in the
workbook) are written from those. Every sheet writes into memory, never into a temporary file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from cse_screen.errors import ExportFailed
from cse_screen.export.context import BuildContext, Cancel, Progress
from cse_screen.export.encrypt import encrypt_workbook
from cse_screen.export.memory import ChunkedBuffer
from cse_screen.export.options import ExportOptions
from cse_screen.export.periods import History, period_bounds
from cse_screen.export.questions import Questions, answer_questions
from cse_screen.export.rows import ChildRow, ExportSource, InstrumentInfo, PeriodCounts
from cse_screen.export.sheet_about import write_about
from cse_screen.export.sheet_analysis import write_data_quality, write_trends
from cse_screen.export.sheet_indicators import write_indicators
from cse_screen.export.sheet_lists import tally_only, write_children, write_screenings
from cse_screen.export.sheet_notes import write_notes
from cse_screen.export.sheet_questions import write_questions
from cse_screen.export.sheet_summary import write_summary
from cse_screen.export.tally import ChildTally, Position, ScreeningTally

SHEETS = (
    "Summary",
    "Key questions",
    "Children",
    "Screenings",
    "Indicators",
    "Trends",
    "Data quality",
    "Notes",
    "About",
)
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
    _neutral_properties(wb)
    names = sheet_names(ctx.options)
    ws = {name: wb.create_sheet(name) for name in names}
    sheets = gather_aggregates(source, ctx, instruments, expected, ws)
    if ctx.options.pseudonymise:
        plan_disclosure(ctx, sheets)
    _aggregates(ws, ctx, sheets)
    ctx.step(_FINISHING_STEPS // 2)
    return sheets.counts


def gather_aggregates(
    source: ExportSource,
    ctx: BuildContext,
    instruments: list[InstrumentInfo],
    expected: dict[str, int],
    ws: dict[str, Any] | None = None,
) -> Aggregates:
    """Stream the children and screenings once (into the list sheets of ``ws`` when it has
    them) and tally every figure the aggregate sheets, and the board report, are made of."""
    meta, options = ctx.meta, ctx.options
    ws = ws or {}
    now, before = period_bounds(options.date_from, options.date_to, meta.today)
    ctx.period_text = f"{now[0]:%d/%m/%Y} to {now[1]:%d/%m/%Y}"
    as_at, before_at = min(now[1], meta.today), before[1]
    history = History(source.history(max(meta.today, now[1])))
    recorded = ChildTally(meta.today)
    kids = Position(ChildTally(as_at), ChildTally(before_at))

    def positions(rows: Iterable[ChildRow]) -> Iterator[ChildRow]:
        for child in rows:
            # On the export date the register's own state holds (events make a child due).
            now = history.team_as_at(child, as_at) if as_at >= meta.today else None
            kids.now.add(now or history.as_at(child, as_at))
            kids.before.add(history.as_at(child, before_at))
            yield child

    tally = ScreeningTally(instruments, meta.outcomes)
    if "Children" in ws:
        n_children = write_children(
            ws["Children"], ctx, positions(source.children()), recorded, expected["children"]
        )
        n_screenings = write_screenings(
            ws["Screenings"], ctx, source.screenings(), instruments, tally, expected["screenings"]
        )
    else:
        n_children = tally_only(positions(source.children()), recorded.add, ctx)
        n_screenings = tally_only(source.screenings(), tally.add, ctx)
    periods: tuple[PeriodCounts, PeriodCounts] = (
        source.period_counts(*now),
        source.period_counts(*before),
    )
    ranks = {o.id: o.rank for o in meta.outcomes}
    questions = answer_questions(history, source.events(*now), now[0], as_at, ranks)
    counts = {"children": n_children, "screenings": n_screenings}
    return Aggregates(kids, tally, periods, questions, instruments, counts)


def plan_disclosure(ctx: BuildContext, sheets: Aggregates) -> None:
    """Decide which counts a board file may show.

    The aggregate sheets are laid out once on scratch sheets (in memory, never saved) to learn
    every count and total, then disclosure control decides what may be shown; the sheets are
    then written for real, and anything else that reports these figures (the board report)
    asks the same ``ctx`` what to show.
    """
    ctx.start_pass(planning=True)
    scratch = Workbook()
    plan = {name: scratch.create_sheet(name) for name in AGGREGATE_SHEETS}
    _aggregates(plan, ctx, sheets)
    ctx.disclosure.protect()
    ctx.start_pass(planning=False)


@dataclass(frozen=True)
class Aggregates:
    """Everything the aggregate sheets are written from."""

    kids: Position
    tally: ScreeningTally
    periods: tuple[PeriodCounts, PeriodCounts]
    questions: Questions
    instruments: list[InstrumentInfo]
    counts: dict[str, int]


def _aggregates(ws: dict[str, Any], ctx: BuildContext, a: Aggregates) -> None:
    """Write every aggregate sheet from the tallies."""
    write_summary(ws["Summary"], ctx, a.kids, a.periods, a.tally, a.instruments)
    now = a.periods[0]
    write_questions(ws["Key questions"], ctx, a.questions, now.start, a.kids.now.today)
    write_indicators(ws["Indicators"], ctx, a.tally, a.instruments)
    write_trends(ws["Trends"], ctx, a.tally)
    write_data_quality(ws["Data quality"], ctx, a.tally, a.kids.now.overdue, a.instruments)
    write_notes(ws["Notes"], ctx, a.periods, a.kids)
    write_about(ws["About"], ctx, a.instruments, a.counts, a.tally.instrument_use)
