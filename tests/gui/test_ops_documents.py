"""The document entry points on a real encrypted database: the child record's Save as PDF and
Subject access export, the screening view's Save as PDF, and the sidebar's Board report."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFileDialog, QLabel, QLineEdit, QPushButton
from screens_fixtures import known, known_template, make_context, open_store, out_dir, shown_window

from cse_screen.documents.service import BOARD_ROLES
from cse_screen.gui.document_dialog import BoardReportDialog
from cse_screen.gui.main_window import OPERATIONS

__all__ = ["known", "known_template", "out_dir"]
PASSWORD = "Orchid-lamp-58-river"
SHOTS = Path(os.environ.get("CSE_SCREEN_SHOTS", "")) if os.environ.get("CSE_SCREEN_SHOTS") else None


@pytest.fixture
def ctx_for(known, runner) -> Iterator[object]:
    stores = []

    def make(user: str) -> object:
        store = open_store(known, user)
        stores.append(store)
        return make_context(store, runner, known.db)

    yield make
    runner.wait(10000)
    for store in stores:
        store.close()


def _save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(path), "")), raising=True
    )


def _shot(widget, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))


def _record(qtbot, ctx, child_id: int):
    from cse_screen.gui.child_record import ChildRecordPage

    page = ChildRecordPage(ctx, child_id)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    return page


def _type_password(dialog) -> None:
    dialog.findChild(QLineEdit, "passwordEdit").setText(PASSWORD)
    dialog.findChild(QLineEdit, "confirmEdit").setText(PASSWORD)


def _save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.findChild(QPushButton, "saveDocumentButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)


def test_the_record_saves_the_chosen_screening_as_a_protected_pdf(
    qtbot, ctx_for, known, out_dir, monkeypatch
) -> None:
    ctx = ctx_for("sam")
    page = _record(qtbot, ctx, known.ids["LAC0001"])
    button = page.findChild(QPushButton, "screeningPdfButton")
    assert button.isVisible() and button.isEnabled()
    assert not page.findChild(QPushButton, "subjectAccessButton").isVisible()  # a worker
    _shot(page, "child-record-documents")
    dialog = page.save_screening_pdf()
    assert dialog.findChild(QCheckBox, "encryptCheck").isChecked()  # it names the child
    _type_password(dialog)
    _shot(dialog, "screening-pdf-dialog")
    out = out_dir / "case-file"
    _save_as(monkeypatch, out)
    _save(qtbot, dialog)
    written = out_dir / "case-file.pdf"
    status = dialog.findChild(QLabel, "statusLabel").text()
    assert status.startswith(f"Written to {written}") and "password" in status, status
    reader = PdfReader(io.BytesIO(written.read_bytes()))
    assert reader.is_encrypted and reader.decrypt(PASSWORD)
    assert "Amy Able" in reader.pages[0].extract_text()
    assert ctx.errors == []


def test_a_weak_password_is_refused_before_anything_runs(qtbot, ctx_for, known, out_dir) -> None:
    ctx = ctx_for("admin")
    page = _record(qtbot, ctx, known.ids["LAC0002"])
    dialog = page.save_screening_pdf()
    dialog.findChild(QLineEdit, "passwordEdit").setText("short1")
    assert "too short" in dialog.findChild(QLabel, "strengthLabel").text()
    dialog.set_destination(out_dir / "x.pdf")
    qtbot.mouseClick(dialog.findChild(QPushButton, "saveDocumentButton"), Qt.MouseButton.LeftButton)
    assert not dialog.running and list(out_dir.iterdir()) == []


def test_the_screening_view_offers_save_as_pdf(qtbot, ctx_for, known, out_dir, monkeypatch):
    from cse_screen.gui.screening_view import ScreeningViewDialog

    ctx = ctx_for("lee")
    history = ctx.read(lambda s: s.screenings.history(known.ids["LAC0001"]))
    record = ctx.read(lambda s: s.screenings.get(history[0].id))
    view = ScreeningViewDialog(record, None, ctx=ctx)
    qtbot.addWidget(view)
    view.show()
    assert view.findChild(QPushButton, "viewPdfButton").isVisible()
    _shot(view, "screening-view-pdf")
    dialog = view.save_pdf()
    dialog.findChild(QCheckBox, "encryptCheck").setChecked(False)
    _save_as(monkeypatch, out_dir / "view.pdf")
    _save(qtbot, dialog)
    assert PdfReader(io.BytesIO((out_dir / "view.pdf").read_bytes())).pages
    assert ScreeningViewDialog(record, None).findChild(QPushButton, "viewPdfButton").isHidden()


def test_a_lead_makes_a_subject_access_export(qtbot, ctx_for, known, out_dir, monkeypatch):
    ctx = ctx_for("lee")
    page = _record(qtbot, ctx, known.ids["LAC0001"])
    assert page.findChild(QPushButton, "subjectAccessButton").isVisible()
    _shot(page, "child-record-lead")
    dialog = page.subject_access()
    _type_password(dialog)
    _shot(dialog, "subject-access-dialog")
    _save_as(monkeypatch, out_dir / "sar")
    _save(qtbot, dialog)
    written = out_dir / "sar.zip"
    with zipfile.ZipFile(written) as archive:
        assert sorted(archive.namelist()) == ["subject-access.json", "subject-access.pdf"]
        assert all(i.flag_bits & 1 for i in archive.infolist())  # encrypted entries
    assert ctx.errors == []


def test_the_board_report_sits_beside_the_export(qtbot, ctx_for, out_dir, monkeypatch) -> None:
    assert OPERATIONS["board"][2] == BOARD_ROLES
    worker = shown_window(qtbot, ctx_for("sam"))
    assert not worker.findChild(QPushButton, "boardButton").isVisible()
    window = shown_window(qtbot, ctx_for("lee"))
    button = window.findChild(QPushButton, "boardButton")
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(object, "boardReportDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.findChild(QCheckBox, "encryptCheck") is None  # pseudonymised: no password
    _shot(window, "sidebar-board-report")
    _shot(dialog, "board-report-dialog")
    dialog.close()
    window.form.actionBoard.trigger()  # Ctrl+B
    assert window.form.actionBoard.shortcut().toString() == "Ctrl+B"
    (dialog,) = [d for d in window.findChildren(BoardReportDialog) if d.isVisible()]
    _save_as(monkeypatch, out_dir / "cabinet")
    _save(qtbot, dialog)
    data = (out_dir / "cabinet.pdf").read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "report to Cabinet" in text and "Amy Able" not in text and "LAC0001" not in text


def test_cancel_stops_the_document_and_writes_nothing(qtbot, ctx_for, out_dir, monkeypatch):
    """Cancel pressed while the figures are read: the run stops at the next stage, says so, and
    leaves no file (the figures are held back until Cancel is pressed: the test is no race)."""
    import threading

    from cse_screen.documents import board_figures

    pressed = threading.Event()
    real = board_figures.board_figures

    def held(*args, **kwargs):
        pressed.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(board_figures, "board_figures", held)
    dialog = BoardReportDialog(ctx_for("lee"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_destination(out_dir / "cabinet.pdf")
    qtbot.mouseClick(dialog.findChild(QPushButton, "saveDocumentButton"), Qt.MouseButton.LeftButton)
    assert dialog.running
    cancel = dialog.findChild(QPushButton, "cancelButton")
    assert cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    pressed.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    status = dialog.findChild(QLabel, "statusLabel").text()
    _shot(dialog, "board-report-cancelled")
    assert "cancelled" in status.lower(), status
    assert list(out_dir.iterdir()) == []
    assert dialog.isVisible()  # it stays to say how it ended
