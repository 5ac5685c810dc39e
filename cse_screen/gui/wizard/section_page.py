"""A wizard page for one section of the questionnaire, built from the definition at run time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from cse_screen.core.dates import windows_legend
from cse_screen.core.model import Section, Windows
from cse_screen.gui.a11y import mark_heading
from cse_screen.gui.wizard.item_widget import ItemWidget


class SectionPage(QScrollArea):
    """The section's items, one :class:`ItemWidget` each, in definition order."""

    def __init__(self, section: Section, windows: Windows, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.setObjectName(f"section_{section.id}")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        title = QLabel(section.title, body)
        title.setObjectName("sectionTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        mark_heading(title)
        layout.addWidget(title)
        self.legend = QLabel(windows_legend(windows), body)
        self.legend.setObjectName("windowsLegend")
        self.legend.setWordWrap(True)
        self.legend.setProperty("tone", "info")
        self.legend.setAccessibleDescription("What current and previous mean")
        layout.addWidget(self.legend)
        self.items: dict[str, ItemWidget] = {}
        for item in section.items:
            widget = ItemWidget(item, windows, body)
            self.items[item.id] = widget
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setWidget(body)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the questions take Tab, not the page

    def focus_item(self, item_id: str, evidence: bool = False) -> None:
        """Put focus on one question (or its evidence note) and scroll it into view."""
        widget = self.items[item_id]
        if evidence and widget.evidence.isVisible():
            widget.evidence.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            widget.focus_answer()
        self.ensureWidgetVisible(widget, 40, 80)

    def visible_items(self) -> list[ItemWidget]:
        return [w for w in self.items.values() if not w.isHidden()]

    def focus_first(self) -> None:
        shown = self.visible_items()
        if shown:
            shown[0].focus_answer()
            self.ensureWidgetVisible(shown[0])
        self.verticalScrollBar().setValue(0)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
