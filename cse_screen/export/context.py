"""State shared by the sheet writers of one export: options, pseudonyms, progress, cancel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.errors import Cancelled
from cse_screen.export.cells import CellMaker
from cse_screen.export.disclosure import SECONDARY, Disclosure
from cse_screen.export.memory import MemoryBook
from cse_screen.export.options import ExportOptions
from cse_screen.export.privacy import Pseudonymiser
from cse_screen.export.rows import ExportMeta, OutcomeInfo

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
_TICK = 500
#: Height of a sheet's header row (tall enough for wrapped headings), repeated on every page.
HEADER_ROW_POINTS = 45


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
    #: Keyed counts and their equations; in a board export, what may be shown.
    disclosure: Disclosure = field(default_factory=Disclosure)
    #: True while the aggregate sheets are laid out once to learn every count and total.
    planning: bool = False
    #: The reporting period as printed in every page header.
    period_text: str = ""

    def __post_init__(self) -> None:
        if self.options.pseudonymise and self.pseudonyms is None:
            self.pseudonyms = Pseudonymiser()
        self.outcomes: dict[str, OutcomeInfo] = {o.id: o for o in self.meta.outcomes}
        self.colours = {o.id: o.colour for o in self.meta.outcomes}
        self.cells: CellMaker | None = None
        self.disclosure.enabled = self.options.pseudonymise
        self._anonymous = 0

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

    def start_pass(self, planning: bool) -> None:
        """Begin laying out the aggregate sheets (a planning pass registers, the next writes)."""
        self.planning = planning
        self._anonymous = 0

    def _key(self, key: str | None) -> str:
        if key is None:
            self._anonymous += 1
            key = f"cell:{self._anonymous}"
        return key

    def hidden(self, key: str, value: int) -> str:
        """A count the file does not show but a reader could compute from shown ones."""
        return self.disclosure.cell(key, value, hidden=True)

    def equation(self, members: Sequence[str], total: str) -> None:
        self.disclosure.equation(members, total)

    def count(self, value: int, key: str | None = None) -> Any:
        """A count for an aggregate sheet: withheld ones right-aligned like the numbers.

        In a board export every count is registered under ``key`` (shared by every table that
        shows the same count) and shown only if disclosure control allows it.
        """
        if not self.pseudonymise:
            return value
        key = self.disclosure.cell(self._key(key), value)
        marker = None if self.planning else self.disclosure.marker(key)
        if marker is not None and self.cells is not None:
            return self.cells.text(marker, "suppressed")
        return value

    def shown(self, key: str | None) -> bool:
        """Whether a registered count is shown (always, outside a board export)."""
        return key is None or self.planning or not self.disclosure.withheld(key)

    def share(self, value: int, total: int, key: str | None = None, base: str | None = None) -> Any:
        """A share as a percent cell; hidden when its count or its base is withheld."""
        if total <= 0:
            return None
        if self.pseudonymise and not self.planning:
            hide = not (self.shown(key) and self.shown(base))
            if key is None and 0 < value < 5:
                hide = True
            if hide:
                marker = (self.disclosure.marker(key) if key else None) or SECONDARY
                return None if self.cells is None else self.cells.text(marker, "suppressed")
        shown = value / total
        return shown if self.cells is None else self.cells.styled(shown, "percent")

    def sheet(
        self,
        ws: WriteOnlyWorksheet,
        widths: Sequence[float],
        freeze: str | None = None,
        header_row: int | None = None,
        fit_width: bool = True,
        stream_rows: int | None = None,
        title_cols: str | None = None,
        print_area: str | None = None,
    ) -> CellMaker:
        """Lay out a sheet (column widths, frozen panes) and start its in-memory writer.

        ``stream_rows`` (the expected row count) marks a list sheet that streams straight into
        the workbook file and must be finished with :meth:`MemoryBook.finish_sheet`.
        """
        if header_row is not None:
            ws.row_dimensions[header_row].height = HEADER_ROW_POINTS
        for index, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            ws.freeze_panes = freeze
        ws.sheet_view.zoomScale = 90
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        if fit_width or print_area:
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
        print_setup(ws, self.period_text, header_row, title_cols, print_area)
        if self.planning:
            pass
        elif stream_rows is None:
            self.book.spool_sheet(ws)
        else:
            self.book.stream_sheet(ws, expected_bytes=stream_rows * len(widths) * 40)
        self.cells = CellMaker(ws, self.colours)
        return self.cells


#: The Government Security Classification marking of every printed page.
MARKING = "OFFICIAL-SENSITIVE"


def print_setup(
    ws: WriteOnlyWorksheet,
    period: str,
    header_row: int | None,
    title_cols: str | None,
    print_area: str | None,
) -> None:
    """Every printed page says what it is, how it must be handled and where it belongs.

    The marking heads and foots each page, with the sheet's name, the period and "Page N of M";
    the header row (or the sheet's title lines) and the ID columns repeat on every page.
    """
    for part in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
        part.left.text = f"&B{MARKING}"
        part.center.text = "&A"
        part.right.text = period.replace("&", "&&")
    for part in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
        part.left.text = MARKING
        part.right.text = "Page &P of &N"
    ws.print_title_rows = f"{header_row}:{header_row}" if header_row else "1:2"
    if title_cols:
        ws.print_title_cols = title_cols
    if print_area:
        ws.print_area = print_area
    ws.print_options.horizontalCentered = False
    ws.page_margins.header = 0.3
    ws.page_margins.footer = 0.3


def set_filter(ws: WriteOnlyWorksheet, first_row: int, columns: int, last_row: int) -> None:
    """An autofilter over a table that starts at ``first_row`` (its header)."""
    if columns and last_row >= first_row:
        ws.auto_filter.ref = f"A{first_row}:{get_column_letter(columns)}{last_row}"
