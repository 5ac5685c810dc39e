"""The Notes and definitions sheet: what every figure counts, over which base and when."""

from __future__ import annotations

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.cells import fit_row
from cse_screen.export.context import BuildContext
from cse_screen.export.disclosure import PRIMARY, SECONDARY
from cse_screen.export.headings import uk
from cse_screen.export.periods import AFTER_EPISODE_DAYS
from cse_screen.export.rows import PeriodCounts
from cse_screen.export.tally import DUE_SOON_DAYS, Position

TEXT_WIDTH = 100


def definitions(ctx: BuildContext, periods: tuple[PeriodCounts, PeriodCounts], kids: Position):
    """(term, definition) pairs for this export."""
    now, before = periods
    rows = [
        ("This period", f"{uk(now.start)} to {uk(now.end)}."),
        (
            "Previous period",
            f"{uk(before.start)} to {uk(before.end)}: the period of the same length just "
            "before (the calendar quarter before a quarter, the month before a month).",
        ),
        (
            "As at",
            f"Position figures (children, latest outcomes, overdue, breakdowns) describe the "
            f"register at the end of {uk(kids.now.today)}, the period's last day (or the export "
            "date, if earlier): each child's latest completed screening dated on or before it.",
        ),
        (
            "Within",
            "Activity figures (screenings completed, outcomes changed, re-screens due, missing "
            "episodes) count what is dated within the period.",
        ),
        (
            "Children in scope",
            "Children on the register on the export date, of the team or worker chosen; the "
            "register keeps no admission or leaving dates, so the same children are counted "
            "at every date.",
        ),
        ("Completed screening", "A screening submitted, or submitted and signed off."),
        ("At risk", "A final outcome above the lowest one."),
        (
            "Overdue",
            "The next re-screen date set by the latest completed screening is before the day "
            "the position is taken.",
        ),
        ("Due in 30 days", f"Next re-screen date within {DUE_SOON_DAYS} days of that day."),
        (
            "Re-screen by the due date",
            "A completed screening whose next due date falls in the period, followed by the "
            "child's next completed screening on or before that date; 'late' when it came "
            "after the date but within the period; 'not yet' when none came by the period's end.",
        ),
        (
            "Positive screen",
            "A completed screening in the period with an outcome above the lowest; 'within its "
            "interval' when the child's next completed screening came by its due date.",
        ),
        (
            "Missing episode followed by a screening",
            f"A completed screening dated on the episode's day or up to {AFTER_EPISODE_DAYS} "
            "days after it (and not after the period's end).",
        ),
        (
            "Indicator prevalence",
            "Present: completed screenings in the date range in which the indicator was "
            "answered as present. Children: children with the indicator present in at least "
            "one of them. The two bases differ; neither adds up across indicators.",
        ),
        (
            "Team",
            "The team the child was in when the screening was made: a screening counts to "
            "that team, and a child's position to the team of their latest completed "
            "screening (a child never screened, to their current team). Screenings made "
            "before teams were recorded on them count to the child's team when the database "
            "was upgraded. Choosing a team selects children by their current team.",
        ),
        (
            "Data quality warnings",
            "Each check on the Summary is a count over its own base; 'Warning' marks one above "
            "its threshold. A contradiction (a residential placement answered 'no' to L8) "
            "warns at any count.",
        ),
        (
            "Worker",
            "The child's current allocation (the register does not keep allocations over time).",
        ),
        ("Age band", "The child's age on the day the position is taken."),
        (
            "Percentages",
            "Each block names its base; a percentage is of that base. A change in percentage "
            "points is the difference of two percentages.",
        ),
        (
            "Part periods",
            "A month or quarter marked '(to date)' is not over on the export date.",
        ),
    ]
    if ctx.pseudonymise:
        rows.append(
            (
                "Withheld counts",
                f"{PRIMARY}: a count from 1 to 4, withheld. {SECONDARY}: a count withheld so that "
                "a small one cannot be worked out from the totals, differences or percentages "
                "shown. Withheld counts are left out of charts, never drawn as zero.",
            )
        )
    return rows


def write_notes(
    ws: WriteOnlyWorksheet,
    ctx: BuildContext,
    periods: tuple[PeriodCounts, PeriodCounts],
    kids: Position,
) -> None:
    cm = ctx.sheet(ws, [34, TEXT_WIDTH])
    ws.append([cm.text("Notes and definitions", "title")])
    ws.append([])
    ws.append(cm.header_row(["Term", "Definition"], numbers=()))
    for row, (term, text) in enumerate(definitions(ctx, periods, kids), start=4):
        fit_row(ws, row, text, TEXT_WIDTH)
        ws.append([cm.text(term, "label"), cm.text(text, "wrap")])
