"""State shared by the sheet writers of one export: options, pseudonyms, progress, cancel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.errors import Cancelled
from cse_screen.export.cells import CellMaker
from cse_screen.export.memory import MemoryBook
from cse_screen.export.options import ExportOptions
from cse_screen.export.privacy import Pseudonymiser, shown_count, shown_share
from cse_screen.export.rows import ExportMeta, OutcomeInfo

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
_TICK = 500


@dataclass
class BuildContext:
    options: ExportOptions
    meta: ExportMeta
    progress: Progress | None = None
    cancel: Cancel | None = None
    total_steps: int = 1
    done_steps: int = 0
    pseudonyms: Pseudonymiser | None = field(default=None)
    book: MemoryBook = field(default_factory=MemoryBook)

    def __post_init__(self) -> None:
        if self.options.pseudonymise and self.pseudonyms is None:
            self.pseudonyms = Pseudonymiser()
        self.outcomes: dict[str, OutcomeInfo] = {o.id: o for o in self.meta.outcomes}
        self.colours = {o.id: o.colour for o in self.meta.outcomes}
        self.cells: CellMaker | None = None

    @property
    def pseudonymise(self) -> bool:
        return self.options.pseudonymise

    def label(self, outcome: str | None) -> str | None:
        if outcome is None:
            return None
        info = self.outcomes.get(outcome)
        return info.label if info else outcome

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled("the export was cancelled; no file was written")

    def step(self, count: int = 1) -> None:
        """Advance progress; every few hundred rows, report it and honour a cancel request."""
        before = self.done_steps
        self.done_steps += count
        if count > 1 or self.done_steps // _TICK != before // _TICK:
            self.check_cancel()
            if self.progress is not None:
                self.progress(min(self.done_steps, self.total_steps), self.total_steps)

    def count(self, value: int) -> Any:
        """A count for an aggregate sheet: suppressed ones right-aligned like the numbers."""
        shown = shown_count(value, self.pseudonymise)
        if isinstance(shown, str) and self.cells is not None:
            return self.cells.text(shown, "suppressed")
        return shown

    def share(self, value: int, total: int) -> Any:
        """A share as a percent cell (hidden, like its count, when the count is suppressed)."""
        shown = shown_share(value, total, self.pseudonymise)
        if self.cells is None or shown is None:
            return shown
        if isinstance(shown, str):
            return self.cells.text(shown, "suppressed")
        return self.cells.styled(shown, "percent")

    def sheet(
        self,
        ws: WriteOnlyWorksheet,
        widths: Sequence[float],
        freeze: str | None = None,
        header_row: int | None = None,
        fit_width: bool = True,
        stream_rows: int | None = None,
    ) -> CellMaker:
        """Lay out a sheet (column widths, frozen panes) and start its in-memory writer.

        ``stream_rows`` (the expected row count) marks a list sheet that streams straight into
        the workbook file and must be finished with :meth:`MemoryBook.finish_sheet`.
        """
        if header_row is not None:
            ws.row_dimensions[header_row].height = 45
        for index, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            ws.freeze_panes = freeze
        ws.sheet_view.zoomScale = 90
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        if fit_width:
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
        elif header_row is not None:
            ws.print_title_rows = f"{header_row}:{header_row}"
        if stream_rows is None:
            self.book.spool_sheet(ws)
        else:
            self.book.stream_sheet(ws, expected_bytes=stream_rows * len(widths) * 40)
        self.cells = CellMaker(ws, self.colours)
        return self.cells


def set_filter(ws: WriteOnlyWorksheet, first_row: int, columns: int, last_row: int) -> None:
    """An autofilter over a table that starts at ``first_row`` (its header)."""
    if columns and last_row >= first_row:
        ws.auto_filter.ref = f"A{first_row}:{get_column_letter(columns)}{last_row}"
