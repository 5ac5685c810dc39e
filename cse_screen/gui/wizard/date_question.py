"""Asked on submit when a screening is dated before the child's latest: which one is current?

The register shows the latest screening by date; a screening dated earlier (a clock set back, a
date typed wrong, or a late record of an earlier visit) would leave the other one in charge. The
worker says which is current; the rule of when to ask is the draft controller's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QMessageBox, QWidget


def ask_which_is_current(
    parent: QWidget,
    this_date: date,
    latest: date,
    date_it_latest: Callable[[], None],
    keep_date: Callable[[], None],
) -> QMessageBox:
    """Window-modal, without a nested event loop; Cancel leaves the screening unsubmitted."""
    box = QMessageBox(parent)
    box.setObjectName("whichIsCurrentBox")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Which screening is current?")
    box.setText(
        f"This screening is dated {this_date:%d %b %Y}, before the child's latest screening "
        f"({latest:%d %b %Y}). Which one is current?"
    )
    box.setInformativeText(
        "If this one is current it is dated "
        f"{latest:%d %b %Y} and counts as the latest. If the other one is current, this one is "
        "kept with its own date as an earlier screening."
    )
    this_one = box.addButton("&This one is current", QMessageBox.ButtonRole.AcceptRole)
    this_one.setObjectName("thisIsCurrentButton")
    other = box.addButton("The &other one is current", QMessageBox.ButtonRole.ActionRole)
    other.setObjectName("otherIsCurrentButton")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(this_one)
    box.setEscapeButton(cancel)

    def answered(_result: int) -> None:
        clicked = box.clickedButton()
        if clicked is this_one:
            date_it_latest()
        elif clicked is other:
            keep_date()

    box.finished.connect(answered)
    box.open()
    return box
