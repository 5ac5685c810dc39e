"""Outcome badges in the instrument's own colours, for tables and labels."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
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
        metrics = option.fontMetrics
        width = min(metrics.horizontalAdvance(text) + 16, option.rect.width() - 6)
        height = min(metrics.height() + 6, option.rect.height() - 4)
        rect = QRectF(
            option.rect.x() + 3,
            option.rect.y() + (option.rect.height() - height) / 2,
            width,
            height,
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(text_colour_on(colour))
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width - 12))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, elided)
        painter.restore()
