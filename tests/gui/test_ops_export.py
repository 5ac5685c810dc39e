"""The export dialog on a real encrypted database: who sees it, what it writes, and that Cancel
and refusals leave no file behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFileDialog, QLabel, QLineEdit, QPushButton
from screens_fixtures import known, known_template, make_context, open_store, out_dir, shown_window

from cse_screen.errors import PermissionDenied
from cse_screen.export.options import ExportOptions
from cse_screen.gui.main_window import OPERATIONS, MainWindow

__all__ = ["known", "known_template", "out_dir"]

#: A board (pseudonymised) file holds aggregate sheets only: no Children or Screenings rows.
EXPECTED_SHEETS = [
    "Summary",
    "Key questions",
    "Indicators",
    "Trends",
    "Data quality",
    "Notes",
    "About",
]
KNOWN_NAMES = ("Amy Able", "Ben Brook", "Cara Cole", "Dan Dale")


@pytest.fixture
def ctx_for(known, runner) -> Iterator[object]:
    """``ctx_for(user)``: an AppContext signed in as one of the known database's users."""
    stores = []

    def make(user: str) -> object:
        store = open_store(known, user)
        stores.append(store)
        return make_context(store, runner, known.db)

    yield make
    runner.wait(10000)
    for store in stores:
        store.close()


def _save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """The system save dialog answers ``path``; returns the list of titles it was opened with."""
    asked: list[str] = []

    def fake(parent, title, start, filters):
        asked.append(title)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return asked


def _open_export(qtbot, window: MainWindow):
    button = window.findChild(QPushButton, "exportButton")
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(object, "exportDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def _click(qtbot, dialog, name: str) -> None:
    qtbot.mouseClick(dialog.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def _cells(path: Path) -> set[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
        }
    finally:
        book.close()


def test_a_lead_exports_a_pseudonymised_workbook_of_aggregate_sheets(
    qtbot, ctx_for, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = ctx_for("lee")
    window = shown_window(qtbot, ctx)
    dialog = _open_export(qtbot, window)
    assert dialog.findChild(QCheckBox, "pseudonymiseCheck").isChecked()
    asked = _save_as(monkeypatch, out_dir / "board-report")  # no suffix typed
    _click(qtbot, dialog, "exportButton")
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    out = out_dir / "board-report.xlsx"
    assert asked == ["Save the export as"]
    status = dialog.findChild(QLabel, "statusLabel").text()
    assert status.startswith(f"Written to {out}: 4 children and 4 screenings.")
    assert "pseudonymised" in status
    assert openpyxl.load_workbook(out, read_only=True).sheetnames == EXPECTED_SHEETS
    cells = _cells(out)
    assert not any(name in cell for name in KNOWN_NAMES for cell in cells)
    assert "LAC0001" not in cells
    assert [p.name for p in out_dir.iterdir()] == ["board-report.xlsx"]
    assert dialog.destination() is None  # a second export asks again instead of replacing
    assert ctx.errors == []


def test_cancel_leaves_no_file(qtbot, ctx_for, out_dir: Path) -> None:
    from cse_screen.gui.export_dialog import ExportDialog

    ctx = ctx_for("admin")
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_destination(out_dir / "cancelled.xlsx")
    # Hold the database thread so Cancel is certainly pressed while the export is under way.
    with ctx.runner.db_lock:
        _click(qtbot, dialog, "exportButton")
        assert dialog.running
        assert dialog.findChild(QPushButton, "cancelButton").text() == "Cancel"
        _click(qtbot, dialog, "cancelButton")
        assert dialog.isVisible()  # Cancel stops the work; it does not abandon it
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert dialog.status_text() == "The export was cancelled; no file was written."
    assert list(out_dir.iterdir()) == []
    assert dialog.findChild(QPushButton, "cancelButton").text() == "Close"
    assert ctx.errors == []


def test_a_refused_export_shows_the_sentence_and_writes_nothing(
    qtbot, ctx_for, out_dir: Path
) -> None:
    from cse_screen.gui.export_dialog import ExportDialog

    ctx = ctx_for("admin")
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    missing = out_dir / "no-such-folder" / "out.xlsx"
    dialog.set_destination(missing)
    _click(qtbot, dialog, "exportButton")
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert dialog.status_text() == (
        f"Cannot write the export {missing}: the folder {missing.parent} does not exist."
    )
    assert list(out_dir.iterdir()) == []
    assert ctx.errors == []  # a user error is said in the dialog, not as an apology


def test_a_worker_sees_no_export_and_the_service_refuses_anyway(
    qtbot, ctx_for, out_dir: Path
) -> None:
    from cse_screen.export.service import export_workbook

    ctx = ctx_for("sam")
    window = shown_window(qtbot, ctx)
    assert not window.findChild(QPushButton, "exportButton").isVisible()
    assert not window.form.actionExport.isEnabled()
    assert not window.findChild(QPushButton, "backupButton").isVisible()
    assert window.findChild(QPushButton, "importButton").isVisible()
    assert window.open_operation("export") is None
    with pytest.raises(PermissionDenied):
        export_workbook(ctx.store, out_dir / "x.xlsx", ExportOptions(pseudonymise=True))
    assert list(out_dir.iterdir()) == []


def test_the_password_is_checked_as_the_service_checks_it(
    qtbot, ctx_for, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cse_screen.gui.export_dialog import ExportDialog

    dialog = ExportDialog(ctx_for("admin"))
    qtbot.addWidget(dialog)
    password = dialog.findChild(QLineEdit, "passwordEdit")
    assert not password.isEnabled()
    qtbot.mouseClick(dialog.findChild(QCheckBox, "encryptCheck"), Qt.MouseButton.LeftButton)
    assert password.isEnabled()
    qtbot.keyClicks(password, "short")
    strength = dialog.findChild(QLabel, "strengthLabel")
    assert "too short" in strength.text()
    password.setText("Lantern-orchard-58")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "confirmEdit"), "Lantern-orchard-59")
    asked = _save_as(monkeypatch, out_dir / "never.xlsx")
    _click(qtbot, dialog, "exportButton")
    assert not dialog.running and asked == []
    assert dialog.status_text() == "The two export passwords are not the same; type them again."
    assert list(out_dir.iterdir()) == []


def test_the_sidebar_offers_operations_to_the_roles_the_services_allow() -> None:
    from cse_screen.export.service import EXPORT_ROLES

    assert OPERATIONS["export"][2] == EXPORT_ROLES
    assert OPERATIONS["backup"][2] == ("admin",)


def test_the_date_range_limits_the_screenings_exported(qtbot, ctx_for, out_dir: Path) -> None:
    from PySide6.QtCore import QDate

    from cse_screen.gui.export_dialog import ExportDialog

    dialog = ExportDialog(ctx_for("admin"))
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.findChild(QCheckBox, "fromCheck"), Qt.MouseButton.LeftButton)
    dialog.form.fromDateEdit.setDate(QDate.currentDate().addDays(-50))  # only the newest
    dialog.set_destination(out_dir / "recent.xlsx")
    _click(qtbot, dialog, "exportButton")
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert dialog.summary is not None and dialog.summary.screenings == 1
    assert (out_dir / "recent.xlsx").is_file()


def test_an_export_with_names_starts_encrypted(qtbot, ctx_for, out_dir: Path) -> None:
    """Issue 17: exports were unencrypted by default, names included."""
    from cse_screen.gui.export_dialog import ExportDialog

    dialog = ExportDialog(ctx_for("admin"))
    qtbot.addWidget(dialog)
    pseudonymise = dialog.findChild(QCheckBox, "pseudonymiseCheck")
    encrypt = dialog.findChild(QCheckBox, "encryptCheck")
    assert pseudonymise.isChecked() and not encrypt.isChecked()
    qtbot.mouseClick(pseudonymise, Qt.MouseButton.LeftButton)
    assert not pseudonymise.isChecked()
    assert encrypt.isChecked() and dialog.findChild(QLineEdit, "passwordEdit").isEnabled()
