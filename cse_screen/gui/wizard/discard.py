"""Which child the wizard is screening, and throwing its draft away on purpose.

A worker who opened the wrong child's screening must see it at once (name, age, case reference
above every page) and be able to discard the draft; the confirmation names the case reference so
the wrong draft is not the one deleted. Storage checks the role and audits the discard.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from cse_screen.core.dates import age_on
from cse_screen.storage.services.drafts import DraftController

#: The confirmation's own button, found by tests and by screen readers by this name.
DISCARD_BUTTON = "confirmDiscardButton"


def child_heading(controller: DraftController) -> str:
    """ "Amy Ashdown, 13, LAC0001": the age on the screening date, which scoring uses."""
    record = controller.record
    child = controller.child
    if child is None:
        return record.child_ref
    age = age_on(child.dob, record.screen_date)
    return f"{child.name}, {age}, {record.child_ref}"


def confirm_discard(parent: QWidget, case_ref: str) -> bool:
    """Ask before deleting; the safe answer (keep the draft) is the default."""
    box = QMessageBox(parent)
    box.setObjectName("confirmDiscard")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Discard draft screening")
    box.setText(f"Discard the draft screening for {case_ref}?")
    box.setInformativeText(
        "Its answers and notes are deleted and cannot be recovered. The discard is recorded in "
        "the audit log."
    )
    discard = box.addButton(f"Discard {case_ref}'s draft", QMessageBox.ButtonRole.DestructiveRole)
    discard.setObjectName(DISCARD_BUTTON)
    keep = box.addButton("Keep the draft", QMessageBox.ButtonRole.RejectRole)
    keep.setObjectName("keepDraftButton")
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard
