"""Accessibility helpers: spoken announcements, heading roles and accessible descriptions.

Screen readers (NVDA, JAWS, Narrator, Orca) read what Qt's accessibility tree tells them. A label
changing its text is not read unless focus is on it, so every status, error and result is also
sent as a :class:`QAccessibleAnnouncementEvent` through :func:`announce`. Qt widgets have no
"heading" property, so :func:`mark_heading` gives a page title the Heading role through a small
accessibility factory, which lets screen-reader users jump between page titles.
"""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAccessibleInterface,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import QAbstractSpinBox, QAccessibleWidget, QLabel, QTableView, QWidget

HEADING_PROPERTY = "a11yHeading"
_factory_installed = False


def announce(widget: QObject, text: str, assertive: bool = False) -> None:
    """Ask screen readers to speak ``text`` now, on behalf of ``widget``.

    Polite announcements wait for the reader to finish what it is saying (a save, a count);
    assertive ones interrupt it (a refused submit, a wrong password). Nothing is sent when no
    assistive technology is listening, so this costs nothing for everyone else.
    """
    words = " ".join(text.split())
    if not words:
        return
    event = QAccessibleAnnouncementEvent(widget, words)
    politeness = QAccessible.AnnouncementPoliteness
    event.setPoliteness(politeness.Assertive if assertive else politeness.Polite)
    QAccessible.updateAccessibility(event)


class _HeadingInterface(QAccessibleWidget):
    """A label read as a heading, named by its text like any other label."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label, QAccessible.Role.Heading)
        self._label = label

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self._label.accessibleName() or _plain(self._label)
        return super().text(kind)


def _plain(label: QLabel) -> str:
    from PySide6.QtGui import QTextDocument

    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText
    if rich or (label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)):
        doc = QTextDocument()
        doc.setHtml(text)
        text = doc.toPlainText()
    if label.buddy() is None:  # "B&B" in a title is shown, and read, as it is written
        return text
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _factory(_key: str, obj: QObject) -> QAccessibleInterface | None:
    if isinstance(obj, QLabel) and obj.property(HEADING_PROPERTY):
        return _HeadingInterface(obj)
    return None


def mark_heading(label: QLabel) -> None:
    """Give ``label`` the Heading role (page titles), so readers can jump to it."""
    global _factory_installed
    if not _factory_installed:
        QAccessible.installFactory(_factory)
        _factory_installed = True
    label.setProperty(HEADING_PROPERTY, True)
    cached = QAccessible.queryAccessibleInterface(label)
    if cached is not None and cached.role() != QAccessible.Role.Heading:
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(cached))


def describe(widget: QWidget, text: str) -> None:
    """Set the accessible description, the extra sentence read after a control's name."""
    widget.setAccessibleDescription(" ".join(text.split()))


class _OneTabStop(QObject):
    """Tab leaves a date edit at once; Qt's own moves through day, month and year first, which
    makes a keyboard user press Tab three times per date (Left and Right still move)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(watched, QAbstractSpinBox):
            return False
        key = event.key()
        if key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            return False
        shifted = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        QWidget.focusNextPrevChild(watched, key == Qt.Key.Key_Tab and not shifted)
        return True


_one_tab_stop = _OneTabStop()


def one_tab_stop(*edits: QAbstractSpinBox) -> None:
    """Make each date edit a single Tab stop, like every other field."""
    for edit in edits:
        edit.installEventFilter(_one_tab_stop)


SORT_KEY = "Ctrl+Shift+S"


def keyboard_sort(table: QTableView) -> None:
    """Let the keyboard sort a table: Ctrl+Shift+S sorts by the current cell's column.

    Qt sorts only on a header click. Pressed again on the same column the order flips, and the
    new order is read out, as a screen reader would announce a clicked header.
    """
    shortcut = QShortcut(QKeySequence(SORT_KEY), table)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(lambda: _sort_current(table))
    hint = f"{SORT_KEY} sorts by the current column."
    existing = table.accessibleDescription()
    if hint not in existing:
        table.setAccessibleDescription(f"{existing} {hint}".strip())


def _sort_current(table: QTableView) -> None:
    model = table.model()
    header = table.horizontalHeader()
    column = max(table.currentIndex().column(), 0)
    if model is None or not table.isSortingEnabled():
        return
    ascending = Qt.SortOrder.AscendingOrder
    if header.sortIndicatorSection() == column and header.sortIndicatorOrder() == ascending:
        order = Qt.SortOrder.DescendingOrder
    else:
        order = ascending
    header.setSortIndicator(column, order)  # sorts the view, as a click on the header would
    title = model.headerData(column, Qt.Orientation.Horizontal)
    words = "ascending" if order == ascending else "descending"
    announce(table, f"Sorted by {title}, {words}")
