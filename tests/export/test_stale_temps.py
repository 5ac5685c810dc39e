"""What a killed export leaves behind (a hidden private temporary file holding all or part of a
workbook) is swept by the next export into that folder and when the export dialog opens, whatever
name the killed export was writing; running exports' files and everyone else's files stay."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cse_screen.export import ExportOptions, export_workbook
from cse_screen.vault.atomic import PRIVATE_FILE_MODE, temp_path_for


def _dead_pid() -> int:
    """The id of a process that has certainly finished."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def _temp_of(target: Path, pid: int) -> Path:
    """A temporary file exactly as the writer names it for ``target``, but from process ``pid``."""
    made = temp_path_for(target)
    temp = made.with_name(made.name.replace(f".{os.getpid()}.", f".{pid}.", 1))
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.write(fd, b"PK\x03\x04 part of a workbook")
    os.close(fd)
    return temp


@pytest.fixture
def folder(tmp_path: Path) -> dict[str, Path]:
    """An export folder holding one stale export temp and files that must all survive."""
    out = tmp_path / "exports"
    out.mkdir()
    dead = _dead_pid()
    files = {
        "stale": _temp_of(out / "board-report-march.xlsx", dead),
        "mine": _temp_of(out / "running-here.xlsx", os.getpid()),
        "parent": _temp_of(out / "running-elsewhere.xlsx", os.getppid()),
        "other_kind": _temp_of(out / "keys.db.keys", dead),  # not an export's temp
        "user_hidden": out / f".budget.xlsx.{dead}.draft.tmp",  # not the writer's pattern
        "user_visible": out / f"budget.xlsx.{dead}.0123456789ab.tmp",  # not hidden
        "workbook": out / "board-report-february.xlsx",
        "notes": out / "notes.txt",
    }
    for name in ("user_hidden", "user_visible", "workbook", "notes"):
        files[name].write_bytes(b"someone's file")
    return files


def test_the_next_export_removes_a_stale_temp_left_for_another_name(admin_store, folder):
    out = folder["stale"].parent / "board-report-april.xlsx"
    export_workbook(admin_store, out, ExportOptions())
    assert out.is_file()
    assert not folder["stale"].exists()
    survivors = {k for k, p in folder.items() if p.exists()}
    assert survivors == set(folder) - {"stale"}


def test_opening_the_export_dialog_sweeps_the_default_export_folder(
    qtbot, admin_store, folder, monkeypatch
):
    from cse_screen.gui import export_dialog
    from cse_screen.gui.context import AppContext
    from cse_screen.gui.settings import Settings
    from cse_screen.gui.worker import Runner

    exports = folder["stale"].parent
    monkeypatch.setattr(export_dialog, "default_folder", lambda: exports)
    runner = Runner()
    ctx = AppContext(
        db_path=admin_store.path,
        settings=Settings(idle_lock_minutes=5, register_filter="team", theme="light"),
        runner=runner,
        show_error=lambda _parent, exc: pytest.fail(f"unexpected error: {exc}"),
        store=admin_store,
    )
    try:
        dialog = export_dialog.ExportDialog(ctx)
        qtbot.addWidget(dialog)
        assert dialog.objectName() == "exportDialog"
        assert not folder["stale"].exists()
        assert {k for k, p in folder.items() if p.exists()} == set(folder) - {"stale"}
        assert sorted(p.name for p in exports.iterdir() if not p.name.startswith(".")) == sorted(
            ["board-report-february.xlsx", "notes.txt", folder["user_visible"].name]
        )
    finally:
        runner.wait(10000)
