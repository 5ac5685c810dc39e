"""Cells for write-only sheets: safe text, real dates and a small set of shared styles.

openpyxl turns any string that starts with ``=`` into a formula, and Excel re-reads a cell as a
formula when someone edits text that starts with ``+``, ``-`` or ``@`` (or a tab or carriage
return hides the real start). Every string the export writes therefore passes through
:meth:`CellMaker.text`, which keeps the exact text, forces the string type and marks dangerous
text with Excel's "quote prefix", so it stays text even after an edit.

Styling a fresh cell attribute by attribute costs a style lookup per attribute; at a hundred
thousand rows that is most of the export's time. Each style is therefore built once on a
prototype cell and new cells copy its style array.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

#: Starts that make a spreadsheet treat text as a formula (OWASP CSV injection list).
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
UK_DATE = "DD/MM/YYYY"
UK_DATETIME = "DD/MM/YYYY HH:MM"
MONTH = "MMM YYYY"
PERCENT = "0.0%"
#: A change in a share, in percentage points, with its sign.
POINTS = '+0.0" pp";-0.0" pp";0.0" pp"'
HEADER_FILL = "1F3864"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_dangerous(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula."""
    return text.startswith(DANGEROUS_PREFIXES)


def clean_text(text: str) -> str:
    """Drop the control characters XML cannot hold (openpyxl would refuse the whole row)."""
    return _ILLEGAL_XML.sub("", text) if _ILLEGAL_XML.search(text) else text


def text_colour_on(fill: str) -> str:
    """Black or white text, whichever reads better on ``fill`` (``RRGGBB``)."""
    red, green, blue = (int(fill[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return "000000" if luminance > 150 else "FFFFFF"


class CellMaker:
    """Builds styled cells for one write-only worksheet from styles shared by the workbook."""

    def __init__(self, ws: WriteOnlyWorksheet, outcome_colours: dict[str, str]) -> None:
        self.ws = ws
        self.rows = _count_rows(ws)
        thin = Side(style="thin", color="8EA9DB")
        self._styles: dict[str, StyleArray] = {}
        self._define(
            "header",
            font=Font(bold=True, color="FFFFFF"),
            fill=PatternFill("solid", fgColor=HEADER_FILL),
            alignment=Alignment(wrap_text=True, vertical="top"),
            border=Border(bottom=thin),
        )
        self._define(
            "header_number",
            font=Font(bold=True, color="FFFFFF"),
            fill=PatternFill("solid", fgColor=HEADER_FILL),
            alignment=Alignment(wrap_text=True, vertical="top", horizontal="right"),
            border=Border(bottom=thin),
        )
        self._define("title", font=Font(bold=True, size=14, color=HEADER_FILL))
        self._define("section", font=Font(bold=True, size=12, color=HEADER_FILL))
        self._define("label", font=Font(bold=True))
        self._define("note", font=Font(italic=True, color="595959"))
        self._define("date", number_format=UK_DATE)
        self._define("datetime", number_format=UK_DATETIME)
        self._define("month", number_format=MONTH)
        self._define("percent", number_format=PERCENT)
        self._define("points", number_format=POINTS)
        self._define("quoted", quotePrefix=True)
        self._define("flag", font=Font(bold=True, color="C00000"))
        self._define("wrap", alignment=Alignment(wrap_text=True, vertical="top"))
        # in a list, at the bottom like the row's unstyled cells, so a wrapped label and a
        # one-line name beside it end on the same line
        self._define("wrap_list", alignment=Alignment(wrap_text=True))
        self._define(
            "suppressed",
            font=Font(italic=True, color="595959"),
            alignment=Alignment(horizontal="right"),
        )
        for outcome, colour in outcome_colours.items():
            rgb = colour.lstrip("#").upper()
            self._define(
                f"outcome:{outcome}",
                fill=PatternFill("solid", fgColor=rgb),
                font=Font(color=text_colour_on(rgb)),
            )

    def _define(self, name: str, **attrs: Any) -> None:
        proto = WriteOnlyCell(self.ws)
        for key, value in attrs.items():
            setattr(proto, key, value)
        self._styles[name] = proto._style

    def styled(self, value: Any, style: str) -> Cell:
        cell = WriteOnlyCell(self.ws, value)
        cell._style = StyleArray(self._styles[style])
        return cell

    def text(self, value: str | None, style: str | None = None) -> Cell | str | None:
        """A string cell that can never become a formula; plain ``str`` when it is harmless."""
        if value is None or value == "":
            return None
        value = clean_text(value)
        danger = is_dangerous(value)
        if style is None and not danger:
            return value
        cell = WriteOnlyCell(self.ws)
        cell._value = value
        cell.data_type = "s"
        cell._style = StyleArray(self._styles[style or "quoted"])
        if danger:
            cell.quotePrefix = True
        return cell

    def date(self, value: date | None) -> Cell | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return self.styled(value.replace(tzinfo=None), "datetime")
        return self.styled(value, "date")

    def header_row(
        self, headings: list[str], numbers: Collection[int] | None = None
    ) -> list[Cell | str | None]:
        """Headings aligned as their columns' values are: right over numbers and dates.

        ``numbers`` holds the indices of the columns of numbers (counts, shares, dates); by
        default every column after the first, which is the shape of an aggregate table (a
        label, then figures). Printed, a left-aligned heading over right-aligned figures reads
        as belonging to the column beside it.
        """
        right = set(range(1, len(headings))) if numbers is None else set(numbers)
        fit_headings(self.ws, self.rows.count + 1, headings)
        return [
            self.text(h, "header_number" if i in right else "header")
            for i, h in enumerate(headings)
        ]

    def outcome(self, outcome_id: str | None, label: str | None) -> Cell | str | None:
        """An outcome label on the outcome's own colour (plain text for an unknown outcome)."""
        if outcome_id is None:
            return None
        key = f"outcome:{outcome_id}"
        if key not in self._styles:
            return self.text(label or outcome_id)
        return self.text(label or outcome_id, key)

    def has_style(self, name: str) -> bool:
        return name in self._styles


class _RowCounter:
    """How many rows a write-only sheet has been given (openpyxl does not say)."""

    def __init__(self) -> None:
        self.count = 0


def _count_rows(ws: WriteOnlyWorksheet) -> _RowCounter:
    """Count the sheet's appended rows, so a heading row can be given its height in time.

    A write-only sheet writes each row as it is appended and takes its height from
    ``row_dimensions`` at that moment; the blocks of an aggregate sheet do not number their
    rows, so the sheet's own ``append`` counts them.
    """
    counter = getattr(ws, "_cse_rows", None)
    if counter is None:
        counter = _RowCounter()
        append = ws.append

        def counted(row: Any) -> None:
            append(row)
            counter.count += 1

        ws.append = counted  # type: ignore[method-assign]
        ws._cse_rows = counter  # type: ignore[attr-defined]
    return counter


# Characters of body text that fit in one unit of Excel column width (widths count the digit
# "0"; running text is narrower on average).
CHARS_PER_WIDTH_UNIT = 1.1
LINE_HEIGHT_POINTS = 15


#: Characters of bold heading text that fit in one unit of column width.
HEADING_CHARS_PER_WIDTH_UNIT = 1.1


def fit_headings(ws: WriteOnlyWorksheet, row: int, headings: list[str]) -> None:
    """Give a heading row (not yet appended) the lines its longest wrapped heading needs.

    Without it LibreOffice, and so every printed board paper, draws the second line of "No
    current risk identified" over the first figures of the table.
    """
    lines = 1
    for index, text in enumerate(headings, 1):
        if not text:
            continue
        dim = ws.column_dimensions.get(get_column_letter(index))
        width = dim.width if dim is not None and dim.width else 8.43
        chars = max(4, int(width * HEADING_CHARS_PER_WIDTH_UNIT))
        lines = max(lines, len(textwrap.wrap(text, chars, break_long_words=True)))
    if lines > 1:
        height = LINE_HEIGHT_POINTS * lines
        current = ws.row_dimensions[row].height or 0
        ws.row_dimensions[row].height = max(current, height)


def fit_row(ws: WriteOnlyWorksheet, row: int, text: str | None, width: float) -> None:
    """Give ``row`` (not yet appended) room for ``text`` wrapped in a column of ``width``.

    Excel grows rows with wrapped text when it opens a file, but LibreOffice (and so the PDFs
    boards print from it) keeps the default height and draws the lines over the next row. A
    write-only sheet writes each row as it is appended, so the height is set just before; it
    does not count its rows, so the caller says which row this is.
    """
    if not text:
        return
    lines = math.ceil(len(text) / (width * CHARS_PER_WIDTH_UNIT))
    if lines > 1:
        ws.row_dimensions[row].height = LINE_HEIGHT_POINTS * lines


def wrapped_lines(text: str | None, width: float) -> int:
    """How many lines ``text`` takes wrapped at word breaks in a column of ``width``."""
    if not text:
        return 1
    chars = max(4, int(width * CHARS_PER_WIDTH_UNIT))
    if len(text) <= chars:
        return 1
    return max(1, len(textwrap.wrap(text, chars, break_long_words=True)))


def fit_list_row(ws: WriteOnlyWorksheet, row: int, lines: int) -> None:
    """Give one row of a long list (not yet appended) the height of its tallest wrapped cell.

    Call :func:`forget_row` once it is appended: a list of 100,000 children would otherwise
    keep a row-height record for each, though the row is already written.
    """
    if lines > 1:
        ws.row_dimensions[row].height = LINE_HEIGHT_POINTS * lines


def forget_row(ws: WriteOnlyWorksheet, row: int) -> None:
    """Drop an appended row's height record (a write-only sheet wrote it with the row)."""
    ws.row_dimensions.pop(row, None)
