"""The register table's two layouts, so it never needs sideways scrolling at 200 %.

A laptop screen of 1920 x 1080 at 200 % leaves the table about 740 pixels, against about 1,200
for its nine columns side by side. When the table is too narrow to show a whole outcome without
scrolling, it reflows into four columns of three-line rows: the child (name, then case reference
and age, then worker and team), the outcome (its badge wrapping onto a second line rather than
eliding), the last screening, and the next due date over why it is due. Nothing is dropped: the
folded columns' words are in the cells that remain, for the eye and for a screen reader alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTableView

from cse_screen.gui.register_model import (
    COLUMNS,
    COMPACT_COLUMNS,
    COMPACT_LINES,
    LAST_COLUMN,
    NAME_COLUMN,
    OUTCOME_COLUMN,
    RegisterModel,
    stacked_text,
)

BADGE_ROOM = 40  # the badge's own padding and the cell's margins around it


def two_line_width(metrics: QFontMetrics, text: str) -> int:
    """The narrowest width at which ``text`` wraps onto at most two lines (split at a space)."""
    words = text.split()
    best = metrics.horizontalAdvance(text)
    for cut in range(1, len(words)):
        left = metrics.horizontalAdvance(" ".join(words[:cut]))
        right = metrics.horizontalAdvance(" ".join(words[cut:]))
        best = min(best, max(left, right))
    return best


class RegisterReflow(QObject):
    """Switches ``table`` between the full and the compact layout as its width changes."""

    def __init__(
        self,
        table: QTableView,
        model: RegisterModel,
        full_widths: Sequence[int],
        badge_labels: Sequence[str],
    ) -> None:
        super().__init__(table)
        self._table = table
        self._model = model
        self._full = list(full_widths)
        metrics = table.fontMetrics()
        self._full_height = table.verticalHeader().defaultSectionSize()
        self._compact_height = metrics.lineSpacing() * COMPACT_LINES + 10
        badge = max((two_line_width(metrics, t) for t in badge_labels), default=0) + BADGE_ROOM
        child = max(
            metrics.horizontalAdvance("LAC0000000 · draft · age 00") + 16, self._full[NAME_COLUMN]
        )
        last = self._full[LAST_COLUMN]
        self._compact = {NAME_COLUMN: child, OUTCOME_COLUMN: badge, LAST_COLUMN: last}
        self._apply(False)
        table.installEventFilter(self)
        model.modelReset.connect(self._fit_child)
        model.rowsInserted.connect(self._fit_child)

    def threshold(self) -> int:
        """Below this table width the full layout would need scrolling sideways to be read whole.

        Folding there, rather than only once the outcome itself would be cut, is what keeps a
        1366x768 laptop from hiding the next-due column and its reason off to the right.
        """
        return sum(self._full)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._table and event.type() == QEvent.Type.Resize:
            self.update()
        return False

    def update(self) -> None:
        self._apply(self._table.maximumViewportSize().width() < self.threshold())

    def _fit_child(self, *_args: object) -> None:
        """Widen the child column to its longest line among the loaded rows (a council's case
        references may be longer than the sample), leaving the due column at least a third."""
        metrics = self._table.fontMetrics()
        widest = self._compact[NAME_COLUMN]
        for index in range(self._model.rowCount()):
            row = self._model.row_at(index)
            if row is not None:
                lines = stacked_text(row, NAME_COLUMN).splitlines()
                widest = max(widest, *(metrics.horizontalAdvance(t) + 16 for t in lines))
        room = self._table.maximumViewportSize().width() // 3
        self._compact[NAME_COLUMN] = min(widest, max(room, self._compact[NAME_COLUMN]))
        if self._model.compact:
            self._table.setColumnWidth(NAME_COLUMN, self._compact[NAME_COLUMN])

    def _apply(self, compact: bool) -> None:
        if compact == self._model.compact and self._table.property("reflowed") is not None:
            return
        self._table.setProperty("reflowed", compact)
        self._model.set_compact(compact)
        for column in range(len(COLUMNS)):
            self._table.setColumnHidden(column, compact and column not in COMPACT_COLUMNS)
            width = self._compact.get(column) if compact else None
            self._table.setColumnWidth(column, width or self._full[column])
        height = self._compact_height if compact else self._full_height
        self._table.verticalHeader().setDefaultSectionSize(height)
        self._table.setWordWrap(True)
