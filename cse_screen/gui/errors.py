"""The desktop app's one error funnel (Electrum's UserFacingException, Anki's show_exception).

A :class:`~cse_screen.errors.UserError` carries the sentence the user should read, and that is
shown as is. Anything else is a bug: the user gets a short apology and a report (exception type
and stack only, no messages or values, so no personal data) is written to the log folder.
Uncaught exceptions in slots and Qt's own critical messages come through here as well.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cse_screen.errors import Cancelled, UserError
from cse_screen.fileowner import permission_problem
from cse_screen.reports import write_crash_report

# Message boxes without a parent would be garbage-collected the moment show_error returns.
_OPEN_BOXES: set[QMessageBox] = set()

APOLOGY = "Sorry, something went wrong inside cse-screen. Your saved work is safe."


class QtCriticalMessage(Exception):
    """Stands for a critical message from Qt in a report; the message text is not kept."""


def as_sentence(text: str) -> str:
    """Error messages are written to follow "cse-screen: error: "; on screen they stand alone."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def describe_error(exc: BaseException) -> tuple[str, Path | None]:
    """The sentence to show, and the report written for an unexpected error (else None)."""
    if isinstance(exc, UserError):
        return as_sentence(exc.message), None
    refused = permission_problem(exc)
    if refused is not None:
        return as_sentence(refused.message), None
    report = write_crash_report(exc)
    where = (
        f" A report without personal data was saved for IT as {report.name} in {report.parent}."
        if report
        else ""
    )
    return APOLOGY + where, report


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox | None:
    """Show ``exc`` to the user (non-blocking) and return the message box.

    A cancellation the user asked for needs no message. Without a QApplication (a crash at
    start-up) the sentence goes to stderr instead.
    """
    if isinstance(exc, Cancelled):
        return None
    text, report = describe_error(exc)
    if QApplication.instance() is None:
        sys.stderr.write(f"cse-screen: error: {text}\n")
        return None
    box = QMessageBox(parent)
    box.setObjectName("errorBox")
    box.setAccessibleName("Error message")
    box.setWindowTitle("cse-screen")
    box.setIcon(QMessageBox.Icon.Warning if report is None else QMessageBox.Icon.Critical)
    box.setText(text)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(
        Qt.WindowModality.WindowModal if parent else Qt.WindowModality.ApplicationModal
    )
    _OPEN_BOXES.add(box)
    box.finished.connect(lambda _result: _OPEN_BOXES.discard(box))
    box.open()
    return box


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    parent = QApplication.activeWindow()
    show_error(parent, exc)


def _qt_message_handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Critical and fatal Qt messages become reports (with no text); the rest go to stderr."""
    if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        write_crash_report(QtCriticalMessage())
    if mode != QtMsgType.QtDebugMsg:
        sys.stderr.write(f"qt: {message}\n")


def install_error_hooks() -> Callable[[], None]:
    """Route uncaught exceptions and Qt messages into the funnel; returns an undo function."""
    previous_hook = sys.excepthook
    sys.excepthook = _excepthook
    previous_handler = qInstallMessageHandler(_qt_message_handler)

    def undo() -> None:
        sys.excepthook = previous_hook
        qInstallMessageHandler(previous_handler)

    return undo
