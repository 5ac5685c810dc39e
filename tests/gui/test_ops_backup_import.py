"""Backup and import from the desktop app, on a real encrypted database: the backup is one that
a restore would accept, and an import adds every child or none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)
from screens_fixtures import known, known_template, make_context, open_store, out_dir, shown_window

from cse_screen.gui.main_window import MainWindow
from cse_screen.vault.backup import check_backup

__all__ = ["known", "known_template", "out_dir"]

HEADINGS = "Case Ref,Name,Date of Birth,Gender,Allocated Worker,Team\n"
GOOD_ROWS = (
    "LAC2001,Nadia Orrell,14/02/2012,Female,sam,North\n"
    "LAC2002,Owen Pettifer,03/09/2010,Male,sam,North\n"
    "LAC2003,Priya Quennell,21/06/2013,Female,kim,North\n"
)
BAD_ROWS = (
    "LAC3001,Rosa Sandiford,14/02/2012,Female,sam,North\n"
    "LAC3002,Seth Tolhurst,31/02/2010,Male,sam,North\n"
    "LAC3003,,21/06/2013,Female,kim,North\n"
)


@pytest.fixture
def admin(known, runner) -> Iterator[object]:
    store = open_store(known, "admin")
    yield make_context(store, runner, known.db)
    runner.wait(10000)
    store.close()


def _open(qtbot, window: MainWindow, button: str, dialog: str):
    qtbot.mouseClick(window.findChild(QPushButton, button), Qt.MouseButton.LeftButton)
    found = window.findChild(QWidget, dialog)
    assert found is not None and found.isVisible()
    return found


def _click(qtbot, dialog, name: str) -> None:
    qtbot.mouseClick(dialog.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def _choose(monkeypatch: pytest.MonkeyPatch, method: str, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, method, staticmethod(lambda *args, **kwargs: (str(path), "")))


def _refs(ctx) -> set[str]:
    from cse_screen.storage.records import RegisterQuery

    page = ctx.read(lambda s: s.children.register(RegisterQuery(limit=500)))
    return {row.case_ref for row in page.rows}


# -- backup -----------------------------------------------------------------------------------


def test_an_admin_backs_up_to_a_file_that_check_backup_accepts(
    qtbot, admin, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = shown_window(qtbot, admin)
    dialog = _open(qtbot, window, "backupButton", "backupDialog")
    help_text = dialog.findChild(QLabel, "backupHelpLabel").text()
    assert "command line" in help_text and "password of a user in the backup" in help_text
    _choose(monkeypatch, "getSaveFileName", out_dir / "nightly")
    _click(qtbot, dialog, "backupButton")
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    out = out_dir / "nightly.backup"
    assert dialog.status_text().startswith(f"Backup written to {out} (")
    info = check_backup(out)
    assert "admin" in info.users and info.authenticated  # the app's backups carry the MAC
    assert [p.name for p in out_dir.iterdir()] == ["nightly.backup"]
    assert admin.errors == []


def test_a_cancelled_backup_leaves_no_file(qtbot, admin, out_dir: Path) -> None:
    from cse_screen.gui.backup_dialog import BackupDialog

    dialog = BackupDialog(admin)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_destination(out_dir / "stopped.backup")
    with admin.runner.db_lock:  # Cancel certainly comes while the backup is under way
        _click(qtbot, dialog, "backupButton")
        _click(qtbot, dialog, "cancelButton")
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert dialog.status_text() == "The backup was cancelled; no backup file was written."
    assert list(out_dir.iterdir()) == []


def test_a_lead_is_not_offered_backup(qtbot, known, runner) -> None:
    store = open_store(known, "lee")
    try:
        window = shown_window(qtbot, make_context(store, runner, known.db))
        assert not window.findChild(QPushButton, "backupButton").isVisible()
        assert window.findChild(QPushButton, "exportButton").isVisible()
        assert window.open_operation("backup") is None
    finally:
        runner.wait(10000)
        store.close()


# -- import -----------------------------------------------------------------------------------


def test_importing_a_good_list_adds_every_child_and_refreshes_the_register(
    qtbot, admin, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = out_dir / "children.csv"
    source.write_text(HEADINGS + GOOD_ROWS, encoding="utf-8")
    window = shown_window(qtbot, admin)
    register = window.root("register")
    qtbot.waitUntil(lambda: register.model.total > 0, timeout=5000)
    before = register.model.total  # the admin's own team (North) by default
    dialog = _open(qtbot, window, "importButton", "importDialog")
    _choose(monkeypatch, "getOpenFileName", source)
    _click(qtbot, dialog, "importButton")
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert dialog.status_text() == "Imported 3 children from children.csv."
    assert {"LAC2001", "LAC2002", "LAC2003"} <= _refs(admin)
    qtbot.waitUntil(lambda: register.model.total == before + 3, timeout=5000)
    assert admin.errors == []


def test_a_list_with_bad_rows_adds_none_and_names_the_rows(
    qtbot, admin, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = out_dir / "children.csv"
    source.write_text(HEADINGS + BAD_ROWS, encoding="utf-8")
    window = shown_window(qtbot, admin)
    dialog = _open(qtbot, window, "importButton", "importDialog")
    _choose(monkeypatch, "getOpenFileName", source)
    _click(qtbot, dialog, "importButton")
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    sentence = dialog.status_text()
    assert sentence.startswith("Nothing was imported from children.csv: 2 rows need correcting")
    table = dialog.findChild(QWidget, "importProblemsTable")  # the rows are named in a table
    cells = [table.item(r, c).text() for r in range(table.rowCount()) for c in range(3)]
    assert cells[0:2] == ["3", "LAC3002"] and cells[3:5] == ["4", "LAC3003"]
    for private in ("Rosa", "Seth", "Tolhurst", "31/02/2010", "21/06/2013"):
        assert private not in sentence and not any(private in cell for cell in cells)
    assert not {"LAC3001", "LAC3002", "LAC3003"} & _refs(admin)
    assert admin.errors == []


def test_a_cancelled_import_adds_nobody(qtbot, admin, out_dir: Path) -> None:
    from cse_screen.gui.import_dialog import ImportDialog

    source = out_dir / "children.csv"
    source.write_text(HEADINGS + GOOD_ROWS, encoding="utf-8")
    dialog = ImportDialog(admin)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_source(source)
    with admin.runner.db_lock:
        _click(qtbot, dialog, "importButton")
        _click(qtbot, dialog, "cancelButton")
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert dialog.status_text() == "The import was cancelled; no child was added."
    assert not {"LAC2001", "LAC2002", "LAC2003"} & _refs(admin)


# -- keyboard and assistive technology ------------------------------------------------------

CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QProgressBar)


@pytest.mark.parametrize(
    "module, cls",
    [
        ("cse_screen.gui.export_dialog", "ExportDialog"),
        ("cse_screen.gui.backup_dialog", "BackupDialog"),
        ("cse_screen.gui.import_dialog", "ImportDialog"),
    ],
)
def test_every_control_is_named_and_reachable_by_keyboard(qtbot, admin, module, cls) -> None:
    import importlib

    dialog = getattr(importlib.import_module(module), cls)(admin)
    qtbot.addWidget(dialog)
    assert dialog.objectName() and dialog.accessibleName()
    controls = [w for w in dialog.findChildren(QWidget) if isinstance(w, CONTROLS)]
    assert controls
    for w in controls:
        if w.objectName().startswith("qt_"):
            continue  # Qt's own parts of a compound control
        assert w.objectName(), f"{cls}: a {type(w).__name__} without objectName"
        assert w.accessibleName(), f"{cls}: {w.objectName()} has no accessible name"
        if not isinstance(w, QProgressBar):
            assert w.focusPolicy() & Qt.FocusPolicy.TabFocus, f"{cls}: {w.objectName()}"


def test_a_backup_that_cannot_be_written_says_why_and_leaves_nothing(
    qtbot, admin, out_dir: Path
) -> None:
    from cse_screen.gui.backup_dialog import BackupDialog

    dialog = BackupDialog(admin)
    qtbot.addWidget(dialog)
    missing = out_dir / "gone" / "x.backup"
    dialog.set_destination(missing)
    _click(qtbot, dialog, "backupButton")
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert dialog.status_text() == f"The folder for the backup {missing} does not exist."
    assert list(out_dir.iterdir()) == []
    assert admin.errors == []
