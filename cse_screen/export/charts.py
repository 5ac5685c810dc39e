"""Native Excel charts (drawn by Excel and LibreOffice from the sheet's own cells)."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.rows import OutcomeInfo


def outcomes_by_month(
    ws: WriteOnlyWorksheet,
    header_row: int,
    last_row: int,
    outcomes: tuple[OutcomeInfo, ...],
    first_col: int,
    label_col: int,
    anchor: str,
    withheld: bool = False,
) -> None:
    """Columns stacked to 100%: each month's completed screenings as shares by outcome.

    Reads hidden columns: month labels that mark part months, and counts left empty where a
    board file withholds them (an empty cell draws nothing; text would draw as zero).
    """
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "percentStacked"
    chart.overlap = 100
    chart.title = "Completed screenings by month: share by outcome" + (
        " (withheld counts are not drawn)" if withheld else ""
    )
    chart.y_axis.title = "Share of the month's screenings"
    chart.y_axis.number_format = "0%"
    chart.plotVisOnly = False
    chart.display_blanks = "gap"
    chart.y_axis.majorGridlines = None
    chart.x_axis.number_format = "mmm yyyy"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    data = Reference(
        ws,
        min_col=first_col,
        max_col=first_col + len(outcomes) - 1,
        min_row=header_row,
        max_row=last_row,
    )
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=label_col, min_row=header_row + 1, max_row=last_row))
    for series, outcome in zip(chart.series, outcomes, strict=False):
        series.graphicalProperties.solidFill = outcome.colour.lstrip("#").upper()
        series.graphicalProperties.line.solidFill = "FFFFFF"
    chart.width, chart.height = 24, 11
    chart.legend.position = "b"
    ws.add_chart(chart, anchor)


def indicator_prevalence(
    ws: WriteOnlyWorksheet,
    first_row: int,
    last_row: int,
    value_col: int,
    label_col: int,
    title: str,
    anchor: str,
) -> None:
    """Horizontal bars, one per indicator labelled with its text, of the shares in
    ``value_col`` (a hidden column: empty cells, withheld ones, draw no bar)."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "0%"
    chart.y_axis.majorGridlines = None
    chart.plotVisOnly = False
    chart.display_blanks = "gap"
    chart.add_data(
        Reference(ws, min_col=value_col, min_row=first_row, max_row=last_row),
        titles_from_data=False,
    )
    chart.set_categories(Reference(ws, min_col=label_col, min_row=first_row, max_row=last_row))
    chart.series[0].graphicalProperties.solidFill = "2F5597"
    chart.legend = None
    chart.gapWidth = 40
    chart.width = 28
    chart.height = max(8.0, 0.45 * (last_row - first_row + 1) + 2)
    ws.add_chart(chart, anchor)
