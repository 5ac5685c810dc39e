"""Pseudonymised exports carry no identifiers; exports are for leads and admins only, audited."""

from __future__ import annotations

import json
from datetime import date

import pytest

from cse_screen.errors import PermissionDenied
from cse_screen.export import ExportOptions, export_workbook
from cse_screen.export.privacy import AGE_BANDS, SUPPRESSION_NOTE
from tests.export.conftest import PASSWORD
from tests.export.helpers import all_parts, labelled, load, rows, table

AGGREGATE_SHEETS = ("Summary", "Indicators", "Trends", "Data quality")


def _excel_serial(day: date) -> str:
    return str((day - date(1899, 12, 30)).days)


@pytest.fixture
def pseudonymised(admin_store, tmp_path):
    out = tmp_path / "board.xlsx"
    export_workbook(admin_store, out, ExportOptions(pseudonymise=True))
    return out


@pytest.fixture
def row_level(admin_store, tmp_path):
    """The analyst's board file: aggregate tables and the pseudonymised rows."""
    out = tmp_path / "analyst.xlsx"
    export_workbook(admin_store, out, ExportOptions(pseudonymise=True, row_level=True))
    return out


def test_the_board_file_holds_no_row_level_sheet(pseudonymised):
    names = load(pseudonymised).sheetnames
    assert "Children" not in names and "Screenings" not in names
    assert "Summary" in names


def test_row_level_sheets_are_refused_without_pseudonymising():
    from cse_screen.errors import UsageError

    with pytest.raises(UsageError, match="pseudonymised export only"):
        ExportOptions(row_level=True).validate()


@pytest.mark.parametrize("which", ["pseudonymised", "row_level"])
def test_no_canary_anywhere_in_the_file(which, request, canaries):
    text = all_parts(request.getfixturevalue(which))
    for value in canaries.names + canaries.refs + canaries.free_text + canaries.staff:
        assert value not in text, value
    for part in ("Zephyrine", "Canarywood", "CANREF", "Quillfeather", "Marchbanks", "Tumbledown"):
        assert part not in text
    for dob in canaries.dobs:
        for shown in (dob.isoformat(), dob.strftime("%d/%m/%Y")):
            assert shown not in text
        assert f"<v>{_excel_serial(dob)}</v>" not in text
    for user in ("admin", "lead1", "worker1", "worker2"):
        assert f">{user}<" not in text


def test_identifying_columns_are_left_out(row_level):
    wb = load(row_level)
    children = table(wb["Children"])
    heads = set(children[0])
    assert not heads & {"Case reference", "Name", "Date of birth", "Age"}
    assert {"Child ID", "Age band"} <= heads
    assert {c["Age band"] for c in children} <= {label for _, _, label in AGE_BANDS}
    screening_heads = set(table(wb["Screenings"])[0])
    assert not screening_heads & {
        "Override reason",
        "Returned reason",
        "Signed off by",
        "Screening ID",
        "Case reference",
    }
    assert all(w.startswith("W-") for w in (c["Worker"] for c in children) if w)
    assert labelled(wb["About"])["Pseudonymised"][0].startswith("Yes")


def test_pseudonyms_join_within_an_export_and_differ_between_exports(admin_store, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out in (first, second):
        export_workbook(admin_store, out, ExportOptions(pseudonymise=True, row_level=True))
    ids_a = {c["Child ID"] for c in table(load(first)["Children"])}
    ids_b = {c["Child ID"] for c in table(load(second)["Children"])}
    screened_a = {s["Child ID"] for s in table(load(first)["Screenings"])}
    assert len(ids_a) == admin_store.stats()["children"]
    assert screened_a <= ids_a
    assert not ids_a & ids_b


def test_small_counts_are_suppressed_and_marked(pseudonymised):
    wb = load(pseudonymised)
    assert SUPPRESSION_NOTE in [r[0] for r in rows(wb["Summary"])]
    shown_suppressed = False
    for name in AGGREGATE_SHEETS:
        for row in wb[name].iter_rows():
            for cell in row:
                value = cell.value
                is_count = isinstance(value, int) and "%" not in cell.number_format
                assert not (is_count and 0 < value < 5), (name, cell.coordinate)
                shown_suppressed |= value == "<5"
    assert shown_suppressed


def test_a_worker_is_refused_and_the_refusal_audited(export_db, tmp_path):
    from cse_screen.vault.store import Store

    out = tmp_path / "mine.xlsx"
    worker = Store.open(export_db, "worker1", PASSWORD)
    with worker, pytest.raises(PermissionDenied, match="may not export"):
        export_workbook(worker, out, ExportOptions())
    assert not out.exists()
    with Store.open(export_db, "admin", PASSWORD) as admin:
        denied = admin.audit.entries(action="denied")
    assert denied and denied[0].actor == "worker1"


def test_each_export_is_audited_without_the_password(admin_store, tmp_path):
    password = "Orchid-lamp-58-river"
    options = ExportOptions(team="North", pseudonymise=True, password=password)
    summary = export_workbook(admin_store, tmp_path / "x.xlsx", options)
    entry = admin_store.audit.entries(action="export")[0]
    assert entry.actor == "admin"
    assert entry.detail["pseudonymised"] is True and entry.detail["encrypted"] is True
    assert entry.detail["filters"]["team"] == "North"
    assert entry.detail["rows"] == {"children": summary.children, "screenings": summary.screenings}
    everything = json.dumps([e.detail for e in admin_store.audit.entries(limit=10_000)])
    assert password not in everything
