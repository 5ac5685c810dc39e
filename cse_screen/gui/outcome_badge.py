"""Outcome badges in the instrument's own colours, for tables and labels."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from cse_screen.core import contrast
from cse_screen.gui.register_model import OutcomeRole


def text_colour_on(colour: QColor) -> QColor:
    """Black or white, whichever has the higher contrast ratio on the badge colour."""
    return QColor(contrast.text_colour_on(colour.name()))


class OutcomeBadgeDelegate(QStyledItemDelegate):
    """Paints the outcome cell as a filled, rounded badge; the label stays the cell's text."""

    def __init__(self, colours: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._colours = {key: QColor(value) for key, value in colours.items()}

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        outcome = index.data(OutcomeRole)
        colour = self._colours.get(outcome or "")
        if colour is None:
            super().paint(painter, option, index)
            return
        style = option.widget.style() if option.widget else None
        if style is not None:
            plain = QStyleOptionViewItem(option)
            self.initStyleOption(plain, index)
            plain.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, option.widget)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        rect, shown = badge_layout(option.fontMetrics, text, QRectF(option.rect))
        radius = min(rect.height(), option.fontMetrics.height() + 6) / 2
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, radius, radius)
        painter.setPen(text_colour_on(colour))
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(rect.adjusted(6, 3, -6, -3), int(flags), shown)
        painter.restore()


def badge_layout(metrics: QFontMetrics, text: str, cell: QRectF) -> tuple[QRectF, str]:
    """The badge's rectangle in ``cell`` and the words it shows: on one line if they fit,
    wrapped onto as many lines as the cell's height holds if not (a narrow window at 200 %),
    and elided only when even that is too small."""
    inner = max(int(cell.width()) - 6 - 12, 1)
    flags = int(Qt.TextFlag.TextWordWrap)
    bound = metrics.boundingRect(QRect(0, 0, inner, 100_000), flags, text)
    room = int(cell.height()) - 4 - 6
    shown = text
    if bound.height() > room:  # too few lines: elide the line that fits
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, inner)
        bound = metrics.boundingRect(QRect(0, 0, inner, 100_000), flags, shown)
    width = min(bound.width() + 16, cell.width() - 6)
    height = min(bound.height() + 6, cell.height() - 4)
    top = cell.y() + (cell.height() - height) / 2
    return QRectF(cell.x() + 3, top, width, height), shown
