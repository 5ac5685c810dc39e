"""What the store notices on opening (an older copy put back) reaches the user, not the logs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton

from cse_screen.gui.app import Shell, make_context
from cse_screen.gui.unlock import UnlockWidget
from cse_screen.vault.keyslots import keyslot_path
from cse_screen.vault.store import Store


def _put_back_an_older_copy(db: Path, user: str, password: str, tmp_path: Path) -> None:
    """As IT might by mistake: the pair as it was before a session this computer saw."""
    old = tmp_path / "old-copy"
    old.mkdir()
    pair = (db, keyslot_path(db))
    for path in pair:
        shutil.copy(path, old / path.name)
    Store.open(db, user, password).close()  # this computer now remembers a longer audit trail
    for path in pair:
        shutil.copy(old / path.name, path)
    for leftover in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)


def _unlock(qtbot, db: Path, user: str, password: str) -> Shell:
    shell = Shell(QApplication.instance(), make_context(db))
    form = shell.start()
    qtbot.addWidget(form)
    assert isinstance(form, UnlockWidget)
    form.findChild(QLineEdit, "userEdit").setText(user)
    form.findChild(QLineEdit, "passwordEdit").setText(password)
    qtbot.mouseClick(form.findChild(QPushButton, "unlockButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.main is not None, timeout=10000)
    qtbot.addWidget(shell.main)
    return shell


def _warning_boxes(shell: Shell) -> list[QMessageBox]:
    return [
        box for box in shell.main.findChildren(QMessageBox, "storeWarningBox") if box.isVisible()
    ]


def test_an_older_copy_put_back_is_shown_on_the_main_window_until_acknowledged(
    qtbot, demo_db: Path, demo, tmp_path: Path
) -> None:
    _put_back_an_older_copy(demo_db, demo.user, demo.password, tmp_path)
    shell = _unlock(qtbot, demo_db, demo.user, demo.password)
    qtbot.waitUntil(lambda: bool(_warning_boxes(shell)), timeout=5000)
    (box,) = _warning_boxes(shell)
    assert box.parent() is shell.main and box.icon() == QMessageBox.Icon.Warning
    assert "older copy put back in place" in box.text()
    assert "IT" in box.informativeText()
    assert shell.main.windowTitle() == f"cse-screen – {demo.user}"
    assert not any(name in box.text() for _ref, name, _dob in demo.known_children)
    box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not _warning_boxes(shell), timeout=5000)
    logs = Path(os.environ["CSE_SCREEN_LOG_DIR"])
    assert not logs.exists() or not any(logs.iterdir())
    shell.lock.shutdown()
    shell.shutdown()


def test_several_warnings_are_shown_one_after_another(shell, qtbot) -> None:
    shell.show_store_warnings(["first thing to know", "second thing to know"])
    seen = []
    for _ in range(2):
        qtbot.waitUntil(lambda: bool(_warning_boxes(shell)), timeout=5000)
        (box,) = _warning_boxes(shell)
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()
        qtbot.waitUntil(lambda b=box: not b.isVisible(), timeout=5000)
    assert seen == ["First thing to know.", "Second thing to know."]
    assert not _warning_boxes(shell)


def test_a_normal_unlock_shows_no_warning(qtbot, demo_db: Path, demo) -> None:
    shell = _unlock(qtbot, demo_db, demo.user, demo.password)
    qtbot.wait(200)
    assert not _warning_boxes(shell)
    shell.lock.shutdown()
    shell.shutdown()
