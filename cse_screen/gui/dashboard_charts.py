"""The dashboard's two charts (QtCharts), drawn in the instrument's own outcome colours.

Both take their labels and colours from the questionnaire's outcomes, so a council that renames
or recolours a level sees it here as it does in the register and the record. Colours of text,
axes and background come from the widget's palette (not a chart theme), so the charts follow
the light and dark schemes when the user switches while the app runs. Each chart also states its
numbers in its accessible description, since a screen reader cannot read bars.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget

from cse_screen.core.model import Outcome
from cse_screen.gui.outcome_badge import text_colour_on


def _count_axis(largest: int) -> QValueAxis:
    """A count axis with whole-number ticks at round values (0, 5, 10… rather than 0, 7, 15…)."""
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setRange(0, max(largest, 4))
    axis.setTickCount(5)
    if largest > 4:
        axis.applyNiceNumbers()
    return axis


#: A chart's figures as a table: column headings, then one row of cells per bar.
Figures = tuple[list[str], list[list[str]]]


class PaletteChartView(QChartView):
    """A chart view that repaints its chart in the current palette whenever it changes."""

    figuresChanged = Signal()  # new figures drawn: a table showing them must follow

    def __init__(self, name: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable, so its description is read
        self.setMinimumHeight(230)
        chart = QChart()
        chart.setMargins(QMargins(2, 2, 2, 2))
        chart.setBackgroundRoundness(4)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.setChart(chart)
        self._figures: Figures = ([], [])

    def figures(self) -> Figures:
        """What the chart draws, as headings and rows a table can show (the same numbers)."""
        return self._figures

    def _publish(self, headings: list[str], rows: list[list[str]], description: str) -> None:
        self._figures = (headings, rows)
        self.setAccessibleDescription(description)
        self.figuresChanged.emit()

    def apply_palette(self) -> None:
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.Text)
        grid = pal.color(QPalette.ColorRole.Mid)
        chart = self.chart()
        chart.setBackgroundBrush(pal.base())
        chart.setBackgroundPen(QPen(grid))
        chart.setTitleBrush(text)
        chart.legend().setLabelColor(text)
        for axis in chart.axes():
            axis.setLabelsColor(text)
            axis.setLinePenColor(grid)
            axis.setGridLineColor(grid)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()

    def _reset(self) -> QChart:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        return chart


def _bar_set(outcome: Outcome, values: Sequence[int]) -> QBarSet:
    bars = QBarSet(outcome.label)
    colour = QColor(outcome.colour)
    bars.setColor(colour)
    bars.setBorderColor(colour.darker(130))
    bars.setLabelColor(text_colour_on(colour))
    bars.append([float(v) for v in values])
    return bars


class OutcomeDistributionChart(PaletteChartView):
    """Children by the outcome of their latest completed screening, one bar per outcome."""

    def __init__(self, outcomes: Sequence[Outcome], parent: QWidget | None = None) -> None:
        super().__init__("outcomeChart", "Latest outcomes", parent)
        self._outcomes = sorted(outcomes, key=lambda o: o.rank, reverse=True)  # highest on top
        self.chart().legend().hide()
        # Room for the longest label untruncated beside a readable bar, at any window width.
        longest = max((f"{o.label}  (0000)" for o in outcomes), key=len, default="")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(longest) + 300)
        self.set_counts({})

    def set_counts(self, counts: Mapping[str, int]) -> None:
        """One stacked set per outcome, non-zero only in its own row: each bar its own colour."""
        chart = self._reset()
        series = QHorizontalStackedBarSeries()
        series.setBarWidth(0.7)
        for index, outcome in enumerate(self._outcomes):
            values = [0] * len(self._outcomes)
            values[index] = int(counts.get(outcome.id, 0))
            series.append(_bar_set(outcome, values))
        chart.addSeries(series)
        rows = QBarCategoryAxis()
        rows.append([f"{o.label}  ({int(counts.get(o.id, 0))})" for o in self._outcomes])
        rows.setTruncateLabels(False)  # the definition's labels are long; never "No current…"
        top = _count_axis(max([0, *(int(v) for v in counts.values())]))
        chart.addAxis(rows, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(top, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(rows)
        series.attachAxis(top)
        self.apply_palette()
        parts = [f"{o.label}: {int(counts.get(o.id, 0))}" for o in self._outcomes]
        rows = [[o.label, str(int(counts.get(o.id, 0)))] for o in self._outcomes]
        description = "Children by latest outcome. " + "; ".join(parts)
        self._publish(["Latest outcome", "Children"], rows, description)

    def values(self) -> dict[str, int]:
        """Each outcome's bar as drawn (its own row of its own set), for checks and tests."""
        series = self.chart().series()[0]
        return {
            outcome.id: int(series.barSets()[i].at(i)) for i, outcome in enumerate(self._outcomes)
        }


class MonthlyTrendChart(PaletteChartView):
    """Completed screenings per calendar month, each month's bar stacked by outcome."""

    def __init__(self, outcomes: Sequence[Outcome], parent: QWidget | None = None) -> None:
        super().__init__("trendChart", "Screenings per month", parent)
        self._outcomes = sorted(outcomes, key=lambda o: o.rank)  # lowest at the bottom
        # The chart's own legend truncates the definition's long labels; the page shows one
        # that wraps instead (see legend_html).
        self.chart().legend().hide()
        self.set_months([])

    def set_months(self, months: Sequence[tuple[date, Mapping[str, int]]]) -> None:
        """(first day of the month, counts by outcome id), oldest first."""
        chart = self._reset()
        series = QStackedBarSeries()
        series.setBarWidth(0.7)
        for outcome in self._outcomes:
            series.append(_bar_set(outcome, [int(c.get(outcome.id, 0)) for _, c in months]))
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([f"{m:%b}" for m, _ in months] or [""])  # the years are in the title
        axis_x.setTruncateLabels(False)  # "Dec" fits a narrow bar; "…" would not say which
        totals = [sum(int(v) for v in c.values()) for _, c in months]
        axis_y = _count_axis(max([0, *totals]))
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        self.apply_palette()
        self._publish(*month_figures(self._outcomes, months, totals))

    def values(self) -> list[dict[str, int]]:
        """Per month, each outcome's segment as drawn, for checks and tests."""
        sets = self.chart().series()[0].barSets()
        count = sets[0].count() if sets else 0
        return [
            {o.id: int(sets[k].at(i)) for k, o in enumerate(self._outcomes)} for i in range(count)
        ]


def month_figures(
    outcomes: Sequence[Outcome],
    months: Sequence[tuple[date, Mapping[str, int]]],
    totals: Sequence[int],
) -> tuple[list[str], list[list[str]], str]:
    """The trend's table (a month a row, an outcome a column, then the total) and its
    description, which gives each month's total and its non-zero outcomes in words."""
    headings = ["Month", *(o.label for o in outcomes), "Total"]
    rows: list[list[str]] = []
    parts: list[str] = []
    for (month, counts), total in zip(months, totals, strict=True):
        values = [int(counts.get(o.id, 0)) for o in outcomes]
        rows.append([f"{month:%b %Y}", *(str(v) for v in values), str(total)])
        split = ", ".join(f"{o.label} {v}" for o, v in zip(outcomes, values, strict=True) if v)
        parts.append(f"{month:%b %Y}: {total}" + (f" ({split})" if split else ""))
    return headings, rows, "Screenings completed per month. " + "; ".join(parts)


def legend_html(outcomes: Sequence[Outcome]) -> str:
    """A legend that wraps in a QLabel: a swatch in each outcome's colour and its full label.

    The swatch is a coloured space, not a "■" character, which a screen reader would read out
    as "black square" before every label."""
    parts = [
        f'<span style="background-color:{o.colour}">&nbsp;&nbsp;&nbsp;</span>&nbsp;'
        + html.escape(o.label).replace(" ", "&nbsp;")  # wrap between labels, not inside
        for o in sorted(outcomes, key=lambda o: o.rank)
    ]
    return " &nbsp;&nbsp; ".join(parts)
