"""The error funnel: a user's mistake shows its sentence; a bug apologises and leaves a report."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from cse_screen.errors import Cancelled, ValidationFailed
from cse_screen.gui.errors import APOLOGY, install_error_hooks, show_error
from cse_screen.gui.worker import Runner

CHILD_NAME = "Philippa Quenby"


def _reports() -> list[Path]:
    folder = Path(os.environ["CSE_SCREEN_LOG_DIR"])
    return sorted(folder.glob("crash-*.txt")) if folder.exists() else []


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_a_user_error_shows_its_sentence_and_writes_no_report(qtbot) -> None:
    box = show_error(None, ValidationFailed("row 4 (LAC1003): the date of birth is in the future"))
    assert isinstance(box, QMessageBox) and box.objectName() == "errorBox"
    assert box.text() == "Row 4 (LAC1003): the date of birth is in the future."
    assert box.icon() == QMessageBox.Icon.Warning
    assert _reports() == []
    box.close()


def test_an_unexpected_error_apologises_and_writes_a_report_without_personal_data(qtbot) -> None:
    exc = _raised(KeyError(f"child {CHILD_NAME} born 2012-03-14"))
    box = show_error(None, exc)
    assert box.text().startswith(APOLOGY)
    assert CHILD_NAME not in box.text()
    reports = _reports()
    assert len(reports) == 1
    assert reports[0].name in box.text()
    text = reports[0].read_text(encoding="utf-8")
    assert "KeyError" in text and "test_shell_errors.py" in text
    assert CHILD_NAME not in text and "2012-03-14" not in text
    box.close()


def test_a_cancel_needs_no_message(qtbot) -> None:
    assert show_error(None, Cancelled("the export was cancelled")) is None
    assert _reports() == []


def test_uncaught_exceptions_go_through_the_funnel(qtbot) -> None:
    undo = install_error_hooks()
    try:
        exc = _raised(RuntimeError(f"{CHILD_NAME} in a slot"))
        sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        undo()
    boxes = [b for b in qtbot_boxes() if b.text().startswith(APOLOGY)]
    assert boxes
    assert len(_reports()) == 1
    assert CHILD_NAME not in _reports()[0].read_text(encoding="utf-8")
    for b in boxes:
        b.close()


def qtbot_boxes() -> list[QMessageBox]:
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def test_a_background_failure_reaches_the_funnel(qtbot) -> None:
    shown: list[BaseException] = []
    runner = Runner(on_error=shown.append)
    op = runner.run(lambda control: [][1])
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    runner.wait()
    assert len(shown) == 1 and isinstance(shown[0], IndexError)
