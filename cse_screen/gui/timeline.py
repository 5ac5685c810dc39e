"""A small chart of a child's screening outcomes over time (QtCharts).

The y axis is the outcome's rank (lowest to highest, as the instrument orders them), each point
coloured in its outcome's colour, so a rise or fall in risk shows at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from PySide6.QtCharts import (
    QCategoryAxis,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QScatterSeries,
)
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from cse_screen.core.model import Outcome


def _ms(day: date) -> float:
    return QDateTime(datetime.combine(day, time(12))).toMSecsSinceEpoch()


class OutcomeTimeline(QChartView):
    """Outcome rank against screening date; ``set_points`` redraws it."""

    def __init__(self, outcomes: Sequence[Outcome], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomeTimeline")
        self.setAccessibleName("Outcome timeline")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(200)
        self._outcomes = {o.id: o for o in outcomes}
        self.points: list[tuple[date, str]] = []
        chart = QChart()
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(4)
        chart.setTheme(
            QChart.ChartTheme.ChartThemeDark
            if self.palette().window().color().lightness() < 128
            else QChart.ChartTheme.ChartThemeLight
        )
        self.setChart(chart)

    def set_points(self, points: Sequence[tuple[date, str]]) -> None:
        """(screen date, final outcome id) of completed screenings, in any order."""
        self.points = sorted(p for p in points if p[1] in self._outcomes)
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        x_axis, y_axis = self._axes()
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        line = QLineSeries()
        line.setPen(QPen(self.palette().text().color(), 1.5))
        for day, outcome in self.points:
            line.append(_ms(day), self._outcomes[outcome].rank)
        self._add(line, x_axis, y_axis)
        for outcome in self._outcomes.values():
            dots = QScatterSeries()
            dots.setName(outcome.label)
            dots.setMarkerSize(13)
            dots.setColor(QColor(outcome.colour))
            dots.setBorderColor(QColor(outcome.colour).darker(140))
            for day, chosen in self.points:
                if chosen == outcome.id:
                    dots.append(_ms(day), outcome.rank)
            self._add(dots, x_axis, y_axis)
        summary = ", ".join(f"{d:%d %b %Y} {self._outcomes[o].label}" for d, o in self.points)
        self.setAccessibleDescription(summary or "No completed screenings yet")

    def _add(self, series: QLineSeries, x_axis: QDateTimeAxis, y_axis: QCategoryAxis) -> None:
        self.chart().addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)

    def _axes(self) -> tuple[QDateTimeAxis, QCategoryAxis]:
        days = [d for d, _ in self.points] or [date.today()]
        first, last = min(days), max(days)
        pad = max((last - first).days // 12, 15)
        x_axis = QDateTimeAxis()
        x_axis.setFormat("MMM yyyy")
        x_axis.setTickCount(4)
        x_axis.setRange(
            QDateTime(datetime.combine(first - timedelta(days=pad), time())),
            QDateTime(datetime.combine(last + timedelta(days=pad), time())),
        )
        y_axis = QCategoryAxis()
        y_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        ranks = sorted(self._outcomes.values(), key=lambda o: o.rank)
        for outcome in ranks:
            y_axis.append(outcome.label, outcome.rank)
        y_axis.setRange(ranks[0].rank - 0.4, ranks[-1].rank + 0.4)
        return x_axis, y_axis
