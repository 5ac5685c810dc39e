"""Where charts go on printed pages: each on a page of its own, never split by a page break.

A chart floats over the sheet's rows, so a printer cuts it wherever a page ends. Each chart is
therefore anchored just after a manual page break, and made no taller than one printed page:
A4 landscape, less the margins and the header rows repeated on every page, at the scale that
fitting the sheet's columns to the page's width gives. That scale is estimated with Excel's
widest reckoning of a column (7 pixels a character), so a renderer with wider fonts prints the
page, and the chart with it, smaller, never larger. A chart too tall for a page (a long list of
indicators) is drawn as several charts, each on its own page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break

CM_PER_INCH = 2.54
POINTS_PER_CM = 72 / CM_PER_INCH
#: An A4 sheet turned landscape, and the margins around a page's body (openpyxl's defaults).
A4_LANDSCAPE_CM = (29.7, 21.0)
SIDE_MARGIN_CM = 0.75 * CM_PER_INCH
END_MARGIN_CM = 1.0 * CM_PER_INCH
#: A row of default height (15 points).
ROW_CM = 15 / POINTS_PER_CM
#: Room kept between a chart and the page's edge, for the renderer's rounding.
SLACK_CM = 1.0
#: Height of one bar of an indicator chart (room for its label, see ``charts.LABEL_POINTS``),
#: and of its title and axes around the bars.
BAR_CM = 0.85
FRAME_CM = 2.5


def column_cm(width: float) -> float:
    """A column of Excel ``width`` (characters of the default font) in centimetres."""
    return (int(width * 7) + 5) / 96 * CM_PER_INCH


@dataclass(frozen=True)
class PageFit:
    """A sheet's printed page: how much it is scaled and what room that leaves a chart."""

    scale: float
    title_row_points: float
    #: The printed columns' width: a chart wider than them would be cut at the print area.
    columns_cm: float

    @classmethod
    def for_columns(cls, widths: Sequence[float], title_row_points: float) -> PageFit:
        """The page of a sheet whose printed columns have ``widths``, fitted to its width."""
        body = A4_LANDSCAPE_CM[0] - 2 * SIDE_MARGIN_CM
        total = sum(column_cm(w) for w in widths)
        scale = min(1.0, body / total) if total > 0 else 1.0
        return cls(scale, title_row_points, total)

    @property
    def chart_height_cm(self) -> float:
        """The tallest chart (in the sheet's own centimetres) that fits below the titles."""
        body = A4_LANDSCAPE_CM[1] - 2 * END_MARGIN_CM - SLACK_CM
        return body / self.scale - self.title_row_points / POINTS_PER_CM

    @property
    def chart_width_cm(self) -> float:
        page = (A4_LANDSCAPE_CM[0] - 2 * SIDE_MARGIN_CM) / self.scale
        return min(page, self.columns_cm) - SLACK_CM

    def bars_per_chart(self) -> int:
        """How many indicator bars one chart can hold and still fit a page."""
        return max(1, int((self.chart_height_cm - FRAME_CM) / BAR_CM))

    def bar_chart_cm(self, bars: int) -> float:
        return min(self.chart_height_cm, max(6.0, BAR_CM * bars + FRAME_CM))


def chunks(count: int, most: int) -> list[tuple[int, int]]:
    """``count`` bars as (first, size) parts of near-equal size, none above ``most``."""
    parts = max(1, math.ceil(count / most))
    size, extra = divmod(count, parts)
    found, first = [], 0
    for n in range(parts):
        length = size + (n < extra)
        found.append((first, length))
        first += length
    return found


def rows_for(height_cm: float) -> int:
    """Default-height rows a chart of ``height_cm`` covers, with one to spare."""
    return math.ceil(height_cm / ROW_CM) + 1


def place_on_pages(
    ws: WriteOnlyWorksheet, first_row: int, heights_cm: Sequence[float]
) -> list[int]:
    """The anchor row of each chart: a page break, a blank row, then the chart.

    The breaks go into ``ws.row_breaks`` (a break after row N starts row N+1 on a new page);
    the blank row keeps the chart clear of the previous page's last line.
    """
    anchors, row = [], first_row
    for height in heights_cm:
        ws.row_breaks.append(Break(id=row - 1))
        anchors.append(row + 1)
        row += 1 + rows_for(height)
    return anchors


def rows_after(first_row: int, heights_cm: Sequence[float]) -> int:
    """The first row below the charts that :func:`place_on_pages` lays out from ``first_row``."""
    return first_row + sum(1 + rows_for(h) for h in heights_cm)
