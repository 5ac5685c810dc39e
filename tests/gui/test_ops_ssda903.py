"""The SSDA903 import from the desktop app: a preview of the counts first, then the import,
both off the GUI thread; a bad file is refused in the command line's sentence. Synthetic files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton, QWidget
from screens_fixtures import known, known_template, make_context, open_store, out_dir, shown_window

from cse_screen.gui.register_model import DUE_COLUMN, PLACEMENT_COLUMN
from cse_screen.storage.records import RegisterQuery

__all__ = ["known", "known_template", "out_dir"]

SHOTS = Path("/tmp/cse-screen-shots")
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nLAC0001,F,01/05/2012,WBRI,UN1,,\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
    "LAC0001,01/01/2024,S,C2,N1,U4,PR1,01/06/2026,X1,CREQB,ZZ99 1AA,ZZ99 2AA,XXXXXXX\n"
    "LAC0001,01/06/2026,P,C2,N1,K2,PR1,,,,ZZ99 1AA,ZZ99 2AA,XXXXXXX\n"
    "LAC0004,01/01/2025,S,V2,N1,U6,PR1,01/10/2026,E4A,,ZZ99 1AA,ZZ99 2AA,XXXXXXX\n"
    "LAC9999,01/01/2025,S,V2,N1,U6,PR1,,,,ZZ99 1AA,ZZ99 2AA,XXXXXXX\n"
)
MISSING = "CHILD,DOB,MISSING,MIS_START,MIS_END\nLAC0002,01/05/2012,M,01/11/2026,02/11/2026\n"


@pytest.fixture
def admin(known, runner) -> Iterator[object]:
    store = open_store(known, "admin")
    yield make_context(store, runner, known.db)
    runner.wait(10000)
    store.close()


def _files(folder: Path, episodes: str = EPISODES) -> list[Path]:
    made = []
    for name, text in (("h.csv", HEADER), ("e.csv", episodes), ("m.csv", MISSING)):
        (folder / name).write_text(text, encoding="utf-8")
        made.append(folder / name)
    return made


def _choose(monkeypatch: pytest.MonkeyPatch, paths: list[Path]) -> None:
    chosen = ([str(p) for p in paths], "")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: chosen))


def _open(qtbot, window) -> QWidget:
    qtbot.mouseClick(window.findChild(QPushButton, "import903Button"), Qt.MouseButton.LeftButton)
    dialog = window.findChild(QWidget, "ssda903Dialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def _start(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.findChild(QPushButton, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)


def _placement(ctx, ref: str) -> str | None:
    return ctx.read(lambda s: s.children.by_ref(ref)).placement_type


def test_the_preview_changes_nothing_and_the_import_then_does(
    qtbot, admin, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = shown_window(qtbot, admin)
    register = window.root("register")
    qtbot.waitUntil(lambda: register.model.total > 0, timeout=5000)
    dialog = _open(qtbot, window)
    _choose(monkeypatch, _files(out_dir))
    _start(qtbot, dialog)
    preview = dialog.findChild(QLabel, "previewLabel").text()
    assert "Would update the details of 2 children" in preview
    assert "add 1 placement moves and 1 missing or away episodes" in preview
    assert "mark 1 children as having left care" in preview
    assert "In the return but not in the register (1): LAC9999." in preview
    assert dialog.status_text().startswith("Nothing has been changed yet")
    assert dialog.findChild(QPushButton, "startButton").text() == "&Import"
    assert _placement(admin, "LAC0001") is None  # the preview wrote nothing
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "ssda903-preview.png"))
    window.grab().save(str(SHOTS / "ssda903-main-window.png"))
    _start(qtbot, dialog)
    assert dialog.status_text() == "The SSDA903 return was imported."
    assert _placement(admin, "LAC0001") == "K2"
    page = admin.read(lambda s: s.children.register(RegisterQuery(search="LAC0001")))
    assert page.rows[0].placement_type == "K2"

    def placement_cell() -> str | None:
        row = register.model.row_of_child(page.rows[0].child_id)
        return register.model.data(register.model.index(row, PLACEMENT_COLUMN))

    # the register refreshes on the import's signal and shows the label, never the code
    qtbot.waitUntil(lambda: placement_cell() == "Children's home", timeout=5000)
    window.grab().save(str(SHOTS / "ssda903-register-after.png"))
    # the child who left care is out of the default view; the care filter shows them
    shown = {register.model.row_at(r).case_ref for r in range(register.model.rowCount())}
    assert "LAC0001" in shown and "LAC0004" not in shown
    show = register.findChild(QComboBox, "showFilter")
    show.setCurrentIndex(show.findData("left_care"))
    qtbot.waitUntil(lambda: register.model.total == 1, timeout=5000)
    assert register.model.row_at(0).case_ref == "LAC0004"
    due_cell = register.model.data(register.model.index(0, DUE_COLUMN))
    assert due_cell.startswith("Left care 01 Oct 2026")
    window.grab().save(str(SHOTS / "ssda903-register-left-care.png"))


def test_the_child_record_shows_labels_and_left_care(
    qtbot, admin, known, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cse_screen.gui.child_record import ChildRecordPage
    from cse_screen.storage.services.ssda903 import import_return

    admin.read(lambda s: import_return(s.context, _files(out_dir)))
    page = ChildRecordPage(admin, known.ids["LAC0001"])
    qtbot.addWidget(page)
    field = lambda key: page.findChild(QLabel, f"field_{key}").text()  # noqa: E731
    assert field("placement_type") == "Children's home"
    assert field("legal_status") == "Full care order"
    assert (field("gender"), field("ethnicity")) == ("Female", "White British")
    left = ChildRecordPage(admin, known.ids["LAC0004"])
    qtbot.addWidget(left)
    shown = left.findChild(QLabel, "field_next_due").text()
    assert shown == "Left care 01 Oct 2026 (Returned home as part of the care plan)"
    left.resize(1000, 760)
    left.show()
    SHOTS.mkdir(exist_ok=True)
    left.grab().save(str(SHOTS / "ssda903-child-left-care.png"))
    assert admin.errors == []


def test_a_bad_file_is_refused_in_one_sentence_and_nothing_changes(
    qtbot, admin, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = shown_window(qtbot, admin)
    dialog = _open(qtbot, window)
    bad = EPISODES.replace("01/06/2026,P,C2,N1,K2", "01/06/2026,P,C2,N1,Q9")
    _choose(monkeypatch, _files(out_dir, bad))
    _start(qtbot, dialog)
    assert dialog.status_text() == (
        "In e.csv, row 3, column PLACE: 'Q9' is not an SSDA903 code for PLACE."
    )
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "ssda903-refused.png"))
    assert dialog.findChild(QPushButton, "startButton").text() == "&Preview"
    assert _placement(admin, "LAC0001") is None
    assert admin.errors == []


def test_a_worker_is_not_offered_the_ssda903_import(qtbot, known, runner) -> None:
    store = open_store(known, "sam")
    try:
        window = shown_window(qtbot, make_context(store, runner, known.db))
        assert not window.findChild(QPushButton, "import903Button").isVisible()
        assert window.open_operation("import903") is None
    finally:
        runner.wait(10000)
        store.close()


def test_the_wizard_header_names_the_placement_and_legal_status(
    qtbot, admin, known, out_dir: Path
) -> None:
    from cse_screen.gui.wizard.page import open_screening
    from cse_screen.storage.services.ssda903 import import_return

    admin.read(lambda s: import_return(s.context, _files(out_dir)))
    wizard = open_screening(admin, known.ids["LAC0001"])
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.resize(1366, 768)
    wizard.show()
    title = wizard.findChild(QLabel, "wizardTitle").text()
    assert "<br>Children&#x27;s home · Full care order" in title or (
        "<br>Children's home · Full care order" in title
    )
    SHOTS.mkdir(exist_ok=True)
    wizard.grab().save(str(SHOTS / "ssda903-wizard-header.png"))
    wizard.close()
    assert admin.errors == []
