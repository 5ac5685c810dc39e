"""What the wizard says when it is closed with changes not saved: how many, why, and a retry."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from cse_screen.storage.services.draft_saves import unsaved_sentence
from cse_screen.storage.services.drafts import DraftController


def unsaved_summary(controller: DraftController) -> str:
    return unsaved_sentence(controller.ledger.unsaved())


def ask_before_closing(
    parent: QWidget,
    controller: DraftController,
    retry: Callable[[], None],
    close_anyway: Callable[[], None],
) -> QMessageBox:
    """A window-modal question (no nested event loop): retry, close and lose them, or stay."""
    box = QMessageBox(parent)
    box.setObjectName("unsavedCloseBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Answers not saved")
    box.setText(unsaved_summary(controller))
    box.setInformativeText(
        "Closing now loses them. Retry saving, or keep the screening open and try again later."
    )
    retry_button = box.addButton("&Retry saving", QMessageBox.ButtonRole.AcceptRole)
    retry_button.setObjectName("unsavedRetryButton")
    lose_button = box.addButton("Close and &lose them", QMessageBox.ButtonRole.DestructiveRole)
    lose_button.setObjectName("unsavedLoseButton")
    stay = box.addButton("&Keep open", QMessageBox.ButtonRole.RejectRole)
    stay.setObjectName("unsavedStayButton")
    box.setDefaultButton(retry_button)
    box.setEscapeButton(stay)

    def answered(_result: int) -> None:
        clicked = box.clickedButton()
        if clicked is retry_button:
            retry()
        elif clicked is lose_button:
            close_anyway()

    box.finished.connect(answered)
    box.open()
    return box
