"""Text that a spreadsheet could run as a formula is always written as text."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from io import BytesIO

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cse_screen.export import ExportOptions, export_workbook
from cse_screen.export.listsource import ListSource
from cse_screen.export.workbook import build_workbook
from cse_screen.storage.records import ChildInput
from tests.export import rowfactory

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
dangerous = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(PREFIXES),
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=30),
)


def _no_formulas(data: BytesIO) -> None:
    with zipfile.ZipFile(data) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[ >]", archive.read(name)), name


def _texts(data: BytesIO) -> dict[str, openpyxl.cell.Cell]:
    wb = openpyxl.load_workbook(data)
    return {
        str(c.value): c
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=dangerous, ref=dangerous, team=dangerous, reason=dangerous)
def test_dangerous_text_stays_text(name: str, ref: str, team: str, reason: str) -> None:
    base = rowfactory.source(n_children=3)
    kids = [replace(c, name=name, case_ref=ref, team=team) for c in base.child_rows()]
    screenings = [
        replace(s, override_reason=reason, child_ref=ref, team=team) for s in base.screening_rows()
    ]
    source = ListSource.from_lists(base.export_meta, base.instrument_list, kids, screenings)
    data = build_workbook(source, ExportOptions()).data
    _no_formulas(data)
    data.seek(0)
    cells = _texts(data)
    for value in (name, ref, team, reason):
        cleaned = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
        if cleaned.strip() and cleaned in cells:
            assert cells[cleaned].data_type == "s"
            assert cells[cleaned].quotePrefix


def test_dangerous_text_from_the_database_stays_text(admin_store, tmp_path) -> None:
    from datetime import date

    child = admin_store.children.add(
        ChildInput(
            '=HYPERLINK("http://x")', "@SUM(1+1)", date(2012, 5, 5), team="-North", worker="worker1"
        )
    )
    out = tmp_path / "inj.xlsx"
    export_workbook(admin_store, out, ExportOptions())
    data = BytesIO(out.read_bytes())
    _no_formulas(data)
    data.seek(0)
    cells = _texts(data)
    for value in ('=HYPERLINK("http://x")', "@SUM(1+1)", "-North"):
        assert cells[value].data_type == "s" and cells[value].quotePrefix, value
    assert child.id
