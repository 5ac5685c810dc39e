"""Importing the council's SSDA903 return: preview what would change, then import it.

The work is :func:`cse_screen.storage.services.ssda903.import_return`, the same as
``cse-screen import-903``, so the desktop app and the command line accept and refuse the same
files, in the same sentence (file, row, column and value). Both steps run off the GUI thread
with progress: first a dry run, whose counts are shown, and only then, when the person has read
them, the import itself. Choosing other files goes back to the preview.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QLabel, QVBoxLayout, QWidget

from cse_screen.gui.context import AppContext
from cse_screen.gui.progress_dialog import OperationDialog
from cse_screen.gui.worker import OpControl

HELP = (
    "Choose the SSDA903 Header, Episodes and Missing tables as CSV files, as the case system "
    "writes them for the return to the Department for Education (any names: each file is "
    "recognised by its columns). Children are matched on their case reference; no child is "
    "added. First see what would change, then import. If any file has a bad row, nothing is "
    "imported and the row is named."
)
#: References listed in the preview before "and N more".
LISTED = 12


def run_903(store: Any, control: OpControl, paths: list[Path], dry_run: bool) -> Any:
    """The background work: the service's import (or its dry run), reporting progress."""
    from cse_screen.storage.services.ssda903 import import_return

    control.progress(0, 0)
    return import_return(
        store.context,
        paths,
        dry_run=dry_run,
        progress=control.progress,
        cancel=control.cancelled,
    )


def _refs(refs: list[str]) -> str:
    more = len(refs) - LISTED
    return ", ".join(refs[:LISTED]) + (f" and {more} more" if more > 0 else "")


def summary_lines(result: Any) -> list[str]:
    """What the preview (or the import) says, one line per finding."""
    would = "Would" if result.dry_run else "Did"
    lines = [f"Read {name} as the {table} table." for name, table in result.files]
    lines += [f"Not used: {name} (the {table} table)." for name, table in result.not_used]
    lines.append(
        f"{would} update the details of {result.children_updated} children; add "
        f"{result.placement_moves} placement moves and {result.missing_episodes} missing or "
        f"away episodes; mark {result.left_care} children as having left care."
    )
    if result.returned_to_care:
        lines.append(f"{result.returned_to_care} children are looked after again.")
    if result.not_in_register:
        lines.append(
            f"In the return but not in the register ({len(result.not_in_register)}): "
            f"{_refs(result.not_in_register)}."
        )
    if result.not_in_return:
        lines.append(
            f"Looked after in the register but not in the return ({len(result.not_in_return)}): "
            f"{_refs(result.not_in_return)}."
        )
    if result.other_teams:
        lines.append(f"{result.other_teams} children of the return are in other teams: left alone.")
    return lines


class Ssda903Dialog(OperationDialog):
    """Choose the files, preview the changes off the GUI thread, then import them."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("ssda903Dialog")
        self.setWindowTitle("Import SSDA903 return")
        self.setAccessibleName("Import SSDA903 return")
        self.setModal(True)
        self._paths: list[Path] = []
        self._previewed = False
        self.result: Any = None
        self._build()
        self.bind(self.start_button, self.cancel_button, self.bar, self.status, [self.browse])
        self.browse.clicked.connect(self.choose_files)
        self.start_button.clicked.connect(self.go)
        self.resize(620, self.sizeHint().height())
        self.browse.setFocus()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.add_help(layout, HELP, "ssda903HelpLabel", "What the files must hold")
        self.files_edit, self.browse = self.add_file_row(
            layout, "&Files:", "filesEdit", "SSDA903 files", "Choose the return's CSV files"
        )
        self.status, self.bar = self.add_status_area(layout, "SSDA903 import")
        self.preview = QLabel(self)
        self.preview.setObjectName("previewLabel")
        self.preview.setAccessibleName("What the import changes")
        self.preview.setWordWrap(True)
        layout.addWidget(self.preview)
        layout.addStretch(1)
        row, self.start_button, self.cancel_button = self.action_row(
            "&Preview", "startButton", "See what would change"
        )
        layout.addLayout(row)

    def set_paths(self, paths: list[Path]) -> None:
        """New files: shown, and the next step is their preview."""
        self._paths = list(paths)
        shown = "; ".join(p.name for p in self._paths)
        self.files_edit.setText(shown)
        self.files_edit.setToolTip("\n".join(str(p) for p in self._paths))
        self._previewed = False
        self.preview.clear()
        self._start_as("&Preview", "See what would change")

    def _start_as(self, text: str, accessible: str) -> None:
        self.start_button.setText(text)
        self.start_button.setAccessibleName(accessible)

    def choose_files(self) -> list[Path]:
        start = str(self._paths[0].parent) if self._paths else str(Path.home())
        names, _filter = QFileDialog.getOpenFileNames(
            self, "Choose the SSDA903 files", start, "SSDA903 tables (*.csv);;All files (*)"
        )
        if names:
            self.set_paths([Path(n) for n in names])
        return self._paths

    def go(self) -> None:
        """Preview the chosen files, or, once previewed, import them."""
        if self.running:
            return
        paths = self._paths or self.choose_files()
        if not paths:
            self.show_problem("Choose the SSDA903 files first.", self.browse)
            return
        dry_run = not self._previewed
        busy = "Checking the files…" if dry_run else "Importing…"
        self.start(lambda store, control: run_903(store, control, paths, dry_run), busy)

    def succeeded(self, result: Any) -> None:
        self.result = result
        self.preview.setText("\n".join(summary_lines(result)))
        if result.dry_run:
            self._previewed = True
            self._start_as("&Import", "Import these changes now")
            self.say("Nothing has been changed yet. Import to make these changes.", "info")
            self.start_button.setFocus()
            return
        self._previewed = False
        self._paths = []
        self.files_edit.clear()
        self._start_as("&Preview", "See what would change")
        self.say("The SSDA903 return was imported.", "good")
        self.ctx.signals.dataChanged.emit("children")
        if self.ctx.nav is not None:
            self.ctx.nav.notify(
                f"SSDA903 import: {result.children_updated} children updated, "
                f"{result.placement_moves + result.missing_episodes} events added"
            )
        self.cancel_button.setFocus()

    def failed(self, exc: BaseException) -> None:
        self._previewed = False
        self.preview.clear()
        self._start_as("&Preview", "See what would change")
        super().failed(exc)

    def cancelling_text(self) -> str:
        return "Cancelling… nothing is changed by an import that does not finish."

    def failed_text(self) -> str:
        return "The SSDA903 import did not finish; nothing was changed."
