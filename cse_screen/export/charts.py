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
    anchor: str,
) -> None:
    """Stacked columns: completed screenings per month, one colour per outcome."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Completed screenings by month and outcome"
    chart.y_axis.title = "Screenings"
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
    chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=last_row))
    for series, outcome in zip(chart.series, outcomes, strict=False):
        series.graphicalProperties.solidFill = outcome.colour.lstrip("#").upper()
        series.graphicalProperties.line.solidFill = "FFFFFF"
    chart.width, chart.height = 24, 11
    chart.legend.position = "b"
    ws.add_chart(chart, anchor)


def indicator_prevalence(
    ws: WriteOnlyWorksheet, header_row: int, last_row: int, value_col: int, anchor: str
) -> None:
    """Horizontal bars: share of completed screenings in which each indicator is present."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = "How often each indicator is present"
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "0%"
    chart.y_axis.majorGridlines = None
    chart.add_data(
        Reference(ws, min_col=value_col, min_row=header_row, max_row=last_row),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=last_row))
    chart.series[0].graphicalProperties.solidFill = "2F5597"
    chart.legend = None
    chart.gapWidth = 40
    chart.width = 16
    chart.height = max(8.0, 0.45 * (last_row - header_row) + 2)
    ws.add_chart(chart, anchor)
