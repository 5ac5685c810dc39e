"""The workbook shows a child's care details as the code lists' labels, never the codes: in the
Children sheet's cells and in the Summary's breakdowns."""

from __future__ import annotations

from datetime import date

from cse_screen.export import ExportOptions, export_workbook
from cse_screen.storage.records import ChildInput
from tests.export.conftest import TODAY
from tests.export.helpers import labelled, load, table


def test_care_details_are_exported_as_labels(admin_store, tmp_path):
    admin_store.children.add(
        ChildInput(
            "LABEL1",
            "Lana Bell",
            date(TODAY.year - 12, 3, 1),
            gender="M",
            ethnicity="BAFR",
            placement_type="K2",
            legal_status="C2",
            worker="worker1",
            team="North",
        )
    )
    out = tmp_path / "labels.xlsx"
    export_workbook(admin_store, out, ExportOptions())
    book = load(out)
    child = next(c for c in table(book["Children"]) if c["Case reference"] == "LABEL1")
    shown = {k: v for k, v in child.items() if v in ("Male", "Black African", "K2", "C2")}
    assert shown == {"Gender": "Male", "Ethnicity": "Black African"}
    assert "Children's home" in child.values() and "Full care order" in child.values()
    summary = labelled(book["Summary"])
    # the fixture's children were added as "foster_ifa", now the code U6, shown by its label
    assert summary["Foster placement with other foster carer"][0] == 14
    assert summary["Children's home"][0] == 1
    assert "U6" not in summary and "K2" not in summary
