"""Native Excel charts (drawn by Excel and LibreOffice from the sheet's own cells)."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.rows import OutcomeInfo

#: Size of an indicator chart's labels: the sheet is wide, so its printed page is scaled down
#: (to about half), and the labels with it.
LABEL_POINTS = 12
#: The trend chart's height, if the printed page leaves room for it (see :mod:`chartpages`).
TREND_CHART_HEIGHT_CM = 12.0


def outcomes_by_month(
    ws: WriteOnlyWorksheet,
    header_row: int,
    last_row: int,
    outcomes: tuple[OutcomeInfo, ...],
    first_col: int,
    label_col: int,
    anchor: str,
    size_cm: tuple[float, float],
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
        series.tx = SeriesLabel(v=outcome.label)  # the legend names the outcome, not the column
        series.graphicalProperties.solidFill = outcome.colour.lstrip("#").upper()
        series.graphicalProperties.line.solidFill = "FFFFFF"
    chart.width, chart.height = size_cm
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
    size_cm: tuple[float, float],
) -> None:
    """Horizontal bars, one per indicator labelled with its text, of the shares in
    ``value_col`` (a hidden column: empty cells, withheld ones, draw no bar); ``size_cm``
    (width, height) comes from :mod:`chartpages`, which keeps the chart on one printed page."""
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
    chart.x_axis.txPr = _font(LABEL_POINTS)
    chart.series[0].graphicalProperties.solidFill = "2F5597"
    chart.legend = None
    chart.gapWidth = 40
    chart.width, chart.height = size_cm
    ws.add_chart(chart, anchor)


def _font(points: int) -> RichText:
    """Axis text of ``points`` size (DrawingML counts hundredths of a point)."""
    props = CharacterProperties(sz=points * 100)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])
