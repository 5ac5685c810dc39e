"""Import a list of children from the council's case system (CSV or Excel), all rows or none.

Headings are matched loosely ("Case Ref", "case reference", "DOB" ...); dates are UK style
(dd/mm/yyyy) or ISO, or real dates in a spreadsheet. Every bad row is named by its row number in
the file (the heading is row 1) and, where it has one, its case reference; messages never repeat
a name, a date of birth or any other value from the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cse_screen.core import registry
from cse_screen.core.model import Questionnaire
from cse_screen.errors import ChildDetailsInvalid, ImportFailed, UserError, ValidationFailed
from cse_screen.storage.records import ChildInput
from cse_screen.storage.services.children import validate

MAX_LISTED = 20
MAX_ROWS = 200_000

#: Field of ChildInput → accepted headings, compared without case, spaces or punctuation.
HEADINGS: dict[str, tuple[str, ...]] = {
    "case_ref": ("caseref", "casereference", "ref", "reference", "lacaseid", "caseid", "id"),
    "name": ("name", "childname", "fullname", "childsname"),
    "dob": ("dateofbirth", "dob", "birthdate"),
    "gender": ("gender", "sex"),
    "ethnicity": ("ethnicity", "ethnicorigin"),
    "disability": ("disability",),
    "placement_type": ("placementtype", "placement"),
    "legal_status": ("legalstatus",),
    "worker": ("allocatedworker", "worker", "socialworker"),
    "team": ("team",),
}
REQUIRED = ("case_ref", "name", "dob")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class RowProblem:
    """One row to correct: its number in the file (the heading is row 1), its case reference
    when it has one, and what is wrong, in words that never repeat a value from the file."""

    row: int
    case_ref: str | None
    problem: str
    #: How the problem follows "row N (REF)" in a sentence: "row 3 (X) has no name", or
    #: "row 4 (X): repeats the case reference of row 2".
    joiner: str = " "

    def sentence(self) -> str:
        ref = f" ({self.case_ref})" if self.case_ref else ""
        return f"row {self.row}{ref}{self.joiner}{self.problem}"

    def as_text(self) -> str:
        """The problem alone, as a table cell shows it."""
        text = self.problem
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class ImportPlan:
    """Rows ready to add, with the file row number of each, and headings that were ignored."""

    children: tuple[ChildInput, ...]
    rows: tuple[int, ...]
    ignored_columns: tuple[str, ...]


def _squash(heading: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(heading or "").casefold())


def _columns(headings: Sequence[object], path: Path) -> tuple[dict[str, int], tuple[str, ...]]:
    lookup = {alias: field for field, aliases in HEADINGS.items() for alias in aliases}
    found: dict[str, int] = {}
    ignored: list[str] = []
    for index, heading in enumerate(headings):
        field = lookup.get(_squash(heading))
        if field is None:
            if str(heading or "").strip():
                ignored.append(str(heading).strip())
            continue
        if field in found:
            raise ImportFailed(f"{path.name}: two columns hold the {field.replace('_', ' ')}")
        found[field] = index
    missing = [f.replace("_", " ") for f in REQUIRED if f not in found]
    if missing:
        raise ImportFailed(
            f"{path.name}: the first row must name the columns; missing: {', '.join(missing)} "
            "(expected headings like Case Ref, Name, Date of Birth)"
        )
    return found, tuple(ignored)


def parse_date(value: object) -> dt.date | None:
    """A date from a cell: a real date, dd/mm/yyyy, or yyyy-mm-dd; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    uk, iso = _UK_DATE.match(text), _ISO_DATE.match(text)
    try:
        if uk:
            return dt.date(int(uk[3]), int(uk[2]), int(uk[1]))
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        return None
    return None


def _cell(row: Sequence[object], index: int | None) -> object:
    if index is None or index >= len(row):
        return None
    return row[index]


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _child(
    row: Sequence[object], columns: dict[str, int], today: dt.date, q: Questionnaire
) -> ChildInput:
    values = {f: _text(_cell(row, i)) for f, i in columns.items() if f != "dob"}
    ref = values.get("case_ref") or ""
    raw_dob = _cell(row, columns["dob"])
    dob = parse_date(raw_dob)
    if dob is None:
        what = (
            "no date of birth" if not _text(raw_dob) else "a date of birth that is not dd/mm/yyyy"
        )
        raise ValidationFailed(f"child {ref} has {what}" if ref else f"it has {what}")
    values["case_ref"] = ref
    values["name"] = values.get("name") or ""
    return validate(ChildInput(dob=dob, **values), today, q=q)  # type: ignore[arg-type]


def _data_rows(rows: Iterator[Sequence[object]]) -> Iterator[tuple[int, Sequence[object]]]:
    for number, row in enumerate(rows, start=2):
        if any(_text(v) for v in row):
            yield number, row


def plan_rows(
    rows: Iterable[Sequence[object]], path: Path, today: dt.date, existing: set[str]
) -> ImportPlan:
    """Check every row; refuse the whole file naming each bad row, or return the plan."""
    iterator = iter(rows)
    headings = next(iterator, None)
    if headings is None or not any(_text(v) for v in headings):
        raise ImportFailed(f"{path.name} is empty")
    columns, ignored = _columns(headings, path)
    children: list[ChildInput] = []
    numbers: list[int] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    q = registry.get_questionnaire()  # once: looking it up is a folder scan
    for number, row in _data_rows(iterator):
        if len(numbers) + len(problems) >= MAX_ROWS:
            raise ImportFailed(f"{path.name} has more than {MAX_ROWS} rows; split it")
        try:
            child = _child(row, columns, today, q)
        except ChildDetailsInvalid as exc:
            problems.extend(_row_problem(number, sentence) for _field, sentence in exc.problems)
            continue
        except ValidationFailed as exc:
            problems.append(_row_problem(number, exc.message))
            continue
        ref = child.case_ref
        if ref in seen:
            problems.append(
                RowProblem(number, ref, f"repeats the case reference of row {seen[ref]}", ": ")
            )
        elif ref in existing:
            problems.append(
                RowProblem(number, ref, "a child with this case reference exists", ": ")
            )
        seen.setdefault(ref, number)
        children.append(child)
        numbers.append(number)
    _refuse_if(problems, path)
    if not children:
        raise ImportFailed(f"{path.name} has no rows of children below its headings")
    return ImportPlan(tuple(children), tuple(numbers), ignored)


def _row_problem(number: int, message: str) -> RowProblem:
    """'child LAC1 has no name' → row 3, LAC1, 'has no name'."""
    match = re.match(r"^(?:child (\S+)|it|the child) (.*)$", message)
    if match:
        return RowProblem(number, match[1], match[2])
    return RowProblem(number, None, message, ": ")


def _refuse_if(problems: list[RowProblem], path: Path) -> None:
    if not problems:
        return
    listed = "; ".join(p.sentence() for p in problems[:MAX_LISTED])
    more = f"; and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
    rows = len({p.row for p in problems})
    count = f"{rows} row{'s' if rows != 1 else ''}"
    raise ImportFailed(
        f"nothing was imported from {path.name}: {count} need correcting: {listed}{more}",
        tuple(problems),
    )


def read_rows(path: Path) -> list[list[object]]:
    """All rows of a .csv or .xlsx file as cell values."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UserError(f"the file {path} does not exist")
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    raise ImportFailed(f"{path.name} is not a .csv or .xlsx file")


def _csv_rows(path: Path) -> list[list[object]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ImportFailed(f"{path.name} is not readable text")
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise ImportFailed(f"{path.name} is not a well-formed CSV file ({exc})") from None


def _xlsx_rows(path: Path) -> list[list[object]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFailed(f"{path.name} is not a readable Excel workbook") from None
    try:
        sheet = book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def import_children(store: Any, path: Path | str) -> ImportPlan:
    """Read, check and add every child in the file in one transaction; returns what was added."""
    path = Path(path)
    rows = read_rows(path)
    existing = store.children.existing_refs(_all_refs(rows))
    plan = plan_rows(rows, path, store.context.today(), existing)
    labels = [f"row {n} ({c.case_ref})" for n, c in zip(plan.rows, plan.children, strict=True)]
    store.children.add_many(plan.children, labels=labels, source=path.suffix.lower().lstrip("."))
    return plan


def _all_refs(rows: list[list[object]]) -> set[str]:
    if not rows:
        return set()
    lookup = set(HEADINGS["case_ref"])
    for index, heading in enumerate(rows[0]):
        if _squash(heading) in lookup:
            return {str(_text(_cell(r, index)) or "") for r in rows[1:]}
    return set()
