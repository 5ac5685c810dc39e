"""Importing children from the council's case system: all rows or none, bad rows named."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from records_fixtures import Council

from cse_screen.errors import ImportFailed, PermissionDenied
from cse_screen.storage.importer import import_children, parse_date

SAMPLE = Path(__file__).with_name("children.csv")  # a copy of the shared sample list


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the shipped sample (kept beside the tests) to break in different ways."""
    copy = tmp_path / "children.csv"
    shutil.copy(SAMPLE, copy)
    return copy


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def count(council: Council) -> int:
    return council.open().stats()["children"]


def test_the_sample_imports_completely(council: Council, sample: Path):
    before = count(council)
    plan = import_children(council.open(), sample)
    assert len(plan.children) == 25 and plan.ignored_columns == ()
    assert count(council) == before + 25
    admin = council.open()
    child = admin.children.by_ref("LAC1003")
    assert (child.dob, child.disability, child.worker, child.team) == (
        dt.date(2009, 4, 8),
        "learning",  # stored as the questionnaire's option, which scoring compares exactly
        "jmorgan",
        "North",
    )
    assert any(e.action == "import" for e in admin.audit.entries(limit=5))


def test_bad_rows_are_all_named_and_nothing_is_imported(council: Council, sample: Path):
    rows = lines(sample)
    name_of_row_3 = rows[2].split(",")[1]
    rows[2] = rows[2].replace("04/03/2018", "31/02/2018")  # row 3: impossible date
    rows[4] = ",".join(["LAC1003", "", *rows[4].split(",")[2:]])  # row 5: no name
    rows[7] = rows[3]  # row 8 repeats row 4's reference
    rows[9] = rows[9].replace("11/05/2010", "11/05/2099")  # row 10: future
    before = count(council)
    with pytest.raises(ImportFailed) as refused:
        import_children(council.open(), write(sample, rows))
    message = refused.value.message
    assert message.startswith("nothing was imported from children.csv: 4 rows need correcting")
    assert "row 3 (LAC1001) has a date of birth that is not dd/mm/yyyy" in message
    assert "row 5 (LAC1003) has no name" in message
    assert "row 8 (LAC1002): repeats the case reference of row 4" in message
    assert "row 10 (LAC1008) has a date of birth in the future" in message
    assert name_of_row_3 not in message and "31/02/2018" not in message
    assert count(council) == before


def test_references_already_in_the_database_are_refused(council: Council, sample: Path):
    rows = lines(sample)
    rows[1] = rows[1].replace("LAC1000", "N1")
    with pytest.raises(ImportFailed, match=r"row 2 \(N1\): a child with this case reference"):
        import_children(council.open(), write(sample, rows))


def test_missing_columns_and_wrong_files(council: Council, tmp_path: Path):
    no_dob = write(tmp_path / "a.csv", ["Case Ref,Name", "X1,Someone"])
    with pytest.raises(ImportFailed, match="missing: dob"):
        import_children(council.open(), no_dob)
    with pytest.raises(ImportFailed, match=r"not a \.csv or \.xlsx"):
        import_children(council.open(), write(tmp_path / "a.txt", ["x"]))
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(ImportFailed, match="not a readable Excel workbook"):
        import_children(council.open(), fake)
    with pytest.raises(ImportFailed, match="is empty"):
        import_children(council.open(), write(tmp_path / "e.csv", []))


def test_xlsx_with_real_dates_and_extra_columns(council: Council, tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Case Reference", "Child Name", "DOB", "Team", "Address"])
    sheet.append(["X100", "Poppy Ingram", dt.datetime(2012, 7, 1), "North", "ignored"])
    sheet.append(["X101", "Reece Jessop", "26/08/2009", "North", "ignored"])
    sheet.append([None, None, None, None, None])
    path = tmp_path / "list.xlsx"
    book.save(path)
    plan = import_children(council.open(), path)
    assert [c.case_ref for c in plan.children] == ["X100", "X101"]
    assert plan.ignored_columns == ("Address",)
    assert council.open().children.by_ref("X100").dob == dt.date(2012, 7, 1)


def test_a_lead_cannot_import_children_of_another_team(council: Council, sample: Path):
    before = count(council)
    with pytest.raises(PermissionDenied, match=r"row 2 \(LAC1000\): user 'lena'"):
        import_children(council.open("lena"), sample)  # the first row is in South
    assert count(council) == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28/09/2016", dt.date(2016, 9, 28)),
        ("1/2/2010", dt.date(2010, 2, 1)),
        ("2010-02-01", dt.date(2010, 2, 1)),
        ("02/30/2010", None),
        ("2010/02/01", None),
        ("1/2/10", None),
        ("", None),
    ],
)
def test_uk_dates(text: str, expected: dt.date | None):
    assert parse_date(text) == expected
