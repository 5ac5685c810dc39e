"""Both workbooks print: every sheet is marked and numbered, header rows repeat, and no chart is
cut by a page break.

The structural tests read the print settings back with openpyxl (they run everywhere). The
render test prints a 600-child demo through LibreOffice (``soffice --headless --convert-to
pdf``) and reads the PDF back; it runs where LibreOffice is installed and says so where not.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, range_boundaries

from cse_screen.cli import main
from cse_screen.export import ExportOptions, export_workbook

MARKING = "OFFICIAL-SENSITIVE"
EMU_PER_CM = 360_000
ROW_CM = 15 / 72 * 2.54
#: An A4 landscape page's body (less 1 inch top and bottom) and width (less 0.75 inch a side).
PAGE_CM = (29.7 - 2 * 0.75 * 2.54, 21.0 - 2 * 2.54)


@pytest.fixture
def workbooks(admin_store, tmp_path):
    """The named workbook and the board's (aggregate tables only)."""
    named, board = tmp_path / "named.xlsx", tmp_path / "board.xlsx"
    export_workbook(admin_store, named, ExportOptions())
    export_workbook(admin_store, board, ExportOptions(pseudonymise=True))
    return {"named": openpyxl.load_workbook(named), "board": openpyxl.load_workbook(board)}


def _header_footer_texts(ws) -> str:
    parts = (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter)
    return " ".join(str(p.text or "") for h in parts for p in (h.left, h.center, h.right))


def test_every_sheet_is_marked_numbered_and_repeats_its_titles(workbooks):
    for name, book in workbooks.items():
        for ws in book.worksheets:
            where = f"{name}: {ws.title}"
            text = _header_footer_texts(ws)
            assert MARKING in text, where
            assert "&P" in text and "&N" in text, where  # "Page N of M"
            assert ws.print_title_rows, where
            assert ws.page_setup.orientation == "landscape", where


def _printed_width_cm(ws) -> float:
    """The print area's visible columns, by Excel's reckoning of a column's width."""
    last = None
    if ws.print_area:
        last = range_boundaries(str(ws.print_area).split("!")[-1].replace("$", ""))[2]
    total = 0.0
    for dim in ws.column_dimensions.values():
        for col in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
            if dim.hidden or (last is not None and col > last):
                continue
            total += (int((dim.width or 8.43) * 7) + 5) / 96 * 2.54
    return total


def _title_rows_cm(ws) -> float:
    first, last = (int(x) for x in re.findall(r"\d+", str(ws.print_title_rows))[:2])
    return sum((ws.row_dimensions[r].height or 15) / 72 * 2.54 for r in range(first, last + 1))


def _charts(book):
    for ws in book.worksheets:
        for chart in ws._charts:
            yield ws, chart


def test_every_chart_starts_a_page_and_fits_on_it(workbooks):
    for name, book in workbooks.items():
        charts = list(_charts(book))
        assert {ws.title for ws, _ in charts} == {"Indicators", "Trends"}, name
        for ws, chart in charts:
            top = chart.anchor._from.row + 1  # 1-based first row under the chart
            height_cm = chart.anchor.ext.height / EMU_PER_CM
            bottom = top + math.ceil(height_cm / ROW_CM)
            breaks = sorted(b.id for b in ws.row_breaks.brk)
            where = f"{name}: {ws.title} chart at row {top}"
            assert any(top - 2 <= b < top for b in breaks), f"{where} does not start a page"
            assert not any(top <= b < bottom for b in breaks), f"{where} is cut by a break"
            scale = min(1.0, PAGE_CM[0] / _printed_width_cm(ws))
            room = PAGE_CM[1] - _title_rows_cm(ws) * scale
            assert height_cm * scale <= room, f"{where} is taller than a printed page"
            assert chart.anchor.ext.width / EMU_PER_CM <= _printed_width_cm(ws), where
            if ws.print_area:
                last_row = range_boundaries(str(ws.print_area).split("!")[-1].replace("$", ""))[3]
                assert bottom <= last_row, f"{where} runs out of the print area"


def test_a_long_list_of_indicators_is_charted_in_parts(workbooks):
    titles = [
        chart.title.tx.rich.p[0].r[0].t
        for ws, chart in _charts(workbooks["named"])
        if ws.title == "Indicators"
    ]
    risk = [t for t in titles if t.startswith("Risk indicators")]
    assert len(risk) > 1 and risk[0].startswith("Risk indicators (1 of ")
    assert any(t.startswith("Vulnerabilities") for t in titles)


# --- printed through LibreOffice ---------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
DEMO_PASSWORD = "print heron lamp 58"


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """A 600-child demo's two workbooks, and their PDFs as LibreOffice prints them."""
    if SOFFICE is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"
        )
    pypdf = pytest.importorskip("pypdf")
    folder = tmp_path_factory.mktemp("print")
    db = folder / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CSE_SCREEN_KDF", "test")
        mp.setenv("CSE_SCREEN_PASSWORD", DEMO_PASSWORD)
        for var in ("DATA", "CONFIG", "LOG"):
            mp.setenv(f"CSE_SCREEN_{var}_DIR", str(folder / var.lower()))
        assert main(["demo", "--db", str(db), "--children", "600", "--seed", "5"]) == 0
        files = {"named": folder / "named.xlsx", "board": folder / "board.xlsx"}
        for name, out in files.items():
            extra = ["--pseudonymise"] if name == "board" else []
            args = ["export", "--db", str(db), "--user", "demo", "--out", str(out), *extra]
            assert main(args) == 0
    env = {**os.environ, "HOME": str(folder / "home")}  # LibreOffice's profile, not the user's
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, files.values()),
        ],
        check=True,
        capture_output=True,
        timeout=600,
        env=env,
    )
    pages = {
        name: [p.extract_text() for p in pypdf.PdfReader(path.with_suffix(".pdf")).pages]
        for name, path in files.items()
    }
    books = {name: openpyxl.load_workbook(path) for name, path in files.items()}
    return pages, books


@pytest.mark.slow
def test_the_named_workbook_prints_in_under_60_pages_and_the_board_in_fewer(printed):
    pages, _ = printed
    assert len(pages["named"]) < 60
    assert len(pages["board"]) < len(pages["named"])


@pytest.mark.slow
def test_every_printed_page_is_marked_numbered_and_headed(printed):
    pages, books = printed
    for name, texts in pages.items():
        sheets = books[name].sheetnames
        for n, text in enumerate(texts, 1):
            lines = text.splitlines()
            assert lines[0].startswith(MARKING), (name, n)
            assert f"Page {n} of {len(texts)}" in text, (name, n)
            sheet = next(s for s in sheets if lines[0].startswith(f"{MARKING} {s} "))
            ws = books[name][sheet]
            first_title = re.findall(r"\d+", str(ws.print_title_rows))[0]
            heading = " ".join(str(ws[f"A{first_title}"].value).split())
            assert heading in " ".join(text.split()), (name, n, sheet, heading)


def _chart_labels(book, chart) -> list[str]:
    ref = chart.series[0].cat.strRef or chart.series[0].cat.numRef
    sheet, cells = ref.f.split("!")
    first, last = cells.replace("$", "").split(":")
    ws = book[sheet.strip("'")]
    col = column_index_from_string(re.sub(r"\d", "", first))
    rows = range(int(re.sub(r"\D", "", first)), int(re.sub(r"\D", "", last)) + 1)
    return [str(ws.cell(r, col).value) for r in rows if ws.cell(r, col).value is not None]


@pytest.mark.slow
def test_no_printed_chart_is_split_across_pages(printed):
    """Each chart's title, first and last labels are on one page, and on no other."""
    pages, books = printed
    for name, texts in pages.items():
        flat = [" ".join(t.split()) for t in texts]
        for _, chart in _charts(books[name]):
            title = " ".join(chart.title.tx.rich.p[0].r[0].t.split())
            found = [n for n, t in enumerate(flat) if title in t]
            assert len(found) == 1, (name, title, found)
            labels = _chart_labels(books[name], chart)
            for label in (labels[0], labels[-1]):
                assert " ".join(label.split()) in flat[found[0]], (name, title, label)


def _header_cells(ws):
    for row in ws.iter_rows():
        for cell in row:
            fill = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type else None
            if cell.value and isinstance(fill, str) and fill.endswith("1F3864"):
                yield cell


def _kind_below(ws, cell) -> str | None:
    """Whether a heading's block holds figures or words, read down to the block's end."""
    figures = words = 0
    for r in range(cell.row + 1, min(ws.max_row, cell.row + 60) + 1):
        below = ws.cell(row=r, column=cell.column)
        if below.fill and below.fill.fill_type and below.fill.fgColor.rgb == cell.fill.fgColor.rgb:
            break  # the next table's heading row
        value = below.value
        if value is None:
            if ws.cell(row=r, column=1).value is None:
                break  # a blank line ends the block
            continue
        if isinstance(value, (int, float)) or hasattr(value, "year") or value in ("<5", "[c]"):
            figures += 1
        else:
            words += 1
    if figures == words == 0:
        return None
    return "figures" if figures > words else "words"


def test_headings_sit_over_their_figures(workbooks):
    """Right-aligned figures get right-aligned headings, words left: a printed column reads as
    one piece instead of its heading looking like the next column's."""
    checked, wrong = 0, []
    for name, book in workbooks.items():
        for ws in book.worksheets:
            for cell in _header_cells(ws):
                kind = _kind_below(ws, cell)
                if kind is None:
                    continue
                right = cell.alignment.horizontal == "right"
                where = f"{name}: {ws.title}!{cell.coordinate} {cell.value!r}"
                if right != (kind == "figures"):
                    wrong.append(where)
                checked += 1
    assert not wrong, "\n".join(wrong)
    assert checked > 100
