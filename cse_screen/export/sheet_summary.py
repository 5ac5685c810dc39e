"""The Summary sheet: what a manager reads first.

The blocks themselves live in :mod:`summary_position` (children as at a day) and
:mod:`summary_activity` (screenings within a period), after the data-quality warnings of
:mod:`summary_quality`; this module lays them out in reading order.
"""

from __future__ import annotations

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.context import BuildContext
from cse_screen.export.headings import heading
from cse_screen.export.rows import InstrumentInfo, PeriodCounts
from cse_screen.export.summary_activity import period_block, screenings_block
from cse_screen.export.summary_position import children_block, group_block, position_block
from cse_screen.export.summary_quality import quality_block, summary_checks
from cse_screen.export.tally import BREAKDOWNS, Position, ScreeningTally


def write_summary(
    ws: WriteOnlyWorksheet,
    ctx: BuildContext,
    position: Position,
    periods: tuple[PeriodCounts, PeriodCounts],
    screenings: ScreeningTally,
    instruments: list[InstrumentInfo],
) -> None:
    kids = position.now
    cm = ctx.sheet(ws, [50, 18, 14, 18, 14] + [14] * (len(ctx.meta.outcomes) + 2))
    heading(ws, cm, ctx, "CSE screening summary")
    quality_block(ws, cm, ctx, summary_checks(screenings, kids, instruments))
    children_block(ws, cm, ctx, kids)
    position_block(ws, cm, ctx, position)
    period_block(ws, cm, ctx, *periods)
    screenings_block(ws, cm, ctx, screenings)
    for title, dimension, _ in BREAKDOWNS:
        group_block(ws, cm, ctx, title, dimension, kids.groups(dimension), kids)
