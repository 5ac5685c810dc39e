"""Using the export and backup file choosers leaves no folder path in any file outside
the database: Qt's file dialog would otherwise keep its history in ``QtProject.conf``.

Qt reads where its settings go once per process, so the dialogs run in a fresh interpreter with
HOME and XDG_CONFIG_HOME pointed at an empty folder; every file that appears there is read.
The import dialog's chooser goes through the same QSettings (the fix is process-wide), but an
open-file dialog offscreen does not take a programmatic accept, so it is not driven here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHOOSERS = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from cse_screen.gui.app import make_app, make_context
from cse_screen.gui.backup_dialog import BackupDialog
from cse_screen.gui.export_dialog import ExportDialog
from cse_screen.vault.store import Store

folder, data = Path(sys.argv[1]), Path(sys.argv[2])
app = make_app(["cse-screen"])
ctx = make_context(data / "cse.db")
ctx.store = Store.create(data / "cse.db", "admin", "a long pass phrase")


def answer(name):
    # Fill in and accept the file dialog, again until it has gone (the folder loads async).
    timer = QTimer()

    def pick():
        box = QApplication.activeModalWidget()
        if isinstance(box, QFileDialog):
            box.setDirectory(str(folder))
            box.selectFile(str(folder / name))
            box.accept()

    timer.timeout.connect(pick)
    timer.start(100)
    return timer


for kind, method, name in (
    (ExportDialog, "choose_destination", "e.xlsx"),
    (BackupDialog, "choose_destination", "b.backup"),
):
    dialog = kind(ctx)
    timer = answer(name)
    chosen = getattr(dialog, method)()
    timer.stop()
    print(kind.__name__, chosen is not None and chosen.parent == folder)
    dialog.deleteLater()
    app.processEvents()
ctx.store.close()
"""


def test_file_choosers_leave_no_folder_history_on_disk(tmp_path):
    home, data = tmp_path / "home", tmp_path / "data"
    folder = tmp_path / "Jane Doe placement"  # councils name folders after children
    for path in (home, data, folder):
        path.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("XDG_")},
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "QT_QPA_PLATFORM": "offscreen",
        "CSE_SCREEN_KDF": "test",
        "CSE_SCREEN_CONFIG_DIR": str(home / ".config" / "cse-screen"),
        "CSE_SCREEN_LOG_DIR": str(home / ".local" / "state" / "cse-screen"),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", CHOOSERS, str(folder), str(data)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "ExportDialog",
        "True",
        "BackupDialog",
        "True",
    ]
    written = [p for p in home.rglob("*") if p.is_file()]
    leaking = [str(p) for p in written if b"Jane" in p.read_bytes()]
    assert leaking == []
    assert not (home / ".config" / "QtProject.conf").exists()
