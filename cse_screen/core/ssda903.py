"""Reading the SSDA903 return (children looked after) from its CSV tables, all or nothing.

Every English council's case-management system can write its looked-after children in the
layout of the annual SSDA903 return, so this is the one import that works everywhere. A file is
recognised by its columns, never its name (as the Department's validators do: the set of
columns must equal one table's, in any order). Header, Episodes and Missing are read; the
return's other tables are recognised and reported as not used.

Nothing here touches the database: :func:`read_return` checks every row and gives a
:class:`Return903`, or raises :class:`~cse_screen.errors.ImportFailed` with one sentence naming
the file, row, column and value at fault (a date of birth is never repeated), so a return with
one bad row imports nothing. What the return means for each child is :func:`child_facts`.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cse_screen.core import codes
from cse_screen.errors import ImportFailed

#: The return's tables by their columns (lac_validator's ``column_names``).
TABLES: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": (
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
    "PlacedAdoption": (
        "CHILD",
        "DOB",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "REASON_PLACED_CEASED",
    ),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "DoLo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}
USED_TABLES: tuple[str, ...] = ("Header", "Episodes", "Missing")
#: Header.SEX: the codes before 2024/25 (1, 2) and since (M, F, U), as the record's codes.
SEX_CODES: dict[str, str] = {"1": "M", "2": "F", "M": "M", "F": "F", "U": "U"}
#: Reasons for a new episode that are a change of placement (S starts care, L is legal only).
PLACEMENT_CHANGES = frozenset({"P", "T", "B", "U"})
#: Columns that hold a date of birth: a value there is never repeated in a message.
BIRTH_DATES = frozenset({"DOB", "MC_DOB"})
#: Event kind of each Missing.MISSING code.
MISSING_EVENT_KINDS: dict[str, str] = {"M": "missing_episode", "A": "away_from_placement"}
MAX_ROWS = 1_000_000
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class HeaderRow:
    row: int
    child: str
    sex: str | None
    dob: dt.date
    ethnic: str | None


@dataclass(frozen=True)
class Episode:
    row: int
    child: str
    start: dt.date
    rne: str
    legal_status: str | None
    place: str | None
    end: dt.date | None
    reason_ended: str | None


@dataclass(frozen=True)
class MissingPeriod:
    row: int
    child: str
    kind: str
    start: dt.date
    end: dt.date | None


@dataclass
class Return903:
    """The used tables of one return, checked; ``files`` names each file's table."""

    header: dict[str, HeaderRow] = field(default_factory=dict)
    episodes: dict[str, list[Episode]] = field(default_factory=dict)
    missing: list[MissingPeriod] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)
    not_used: list[tuple[str, str]] = field(default_factory=list)

    def children(self) -> set[str]:
        """Every child the return holds, in any of its tables."""
        found = set(self.header) | set(self.episodes)
        found.update(m.child for m in self.missing)
        return found


@dataclass(frozen=True)
class ChildFacts:
    """What the return says about one child, as the register holds it."""

    child: str
    dob: dt.date | None = None
    gender: str | None = None
    ethnicity: str | None = None
    placement_type: str | None = None
    legal_status: str | None = None
    #: (start date, reason for new episode) of each episode that began with a placement change
    moves: tuple[tuple[dt.date, str], ...] = ()
    left_care_on: dt.date | None = None
    left_care_reason: str | None = None
    header_row: int | None = None


class _Refusal(Exception):
    """One bad cell, raised while reading a file and turned into the one sentence."""

    def __init__(self, row: int, column: str, problem: str) -> None:
        super().__init__(problem)
        self.row, self.column, self.problem = row, column, problem


def identify(columns: Sequence[str]) -> str | None:
    """The table whose columns these are (any order, upper-cased), or None."""
    found = set(columns)
    return next((name for name, cols in TABLES.items() if set(cols) == found), None)


def _closest(columns: Sequence[str]) -> str:
    """Why the columns match no table, against the table they come closest to."""
    found = set(columns)
    name, cols = max(TABLES.items(), key=lambda item: len(found & set(item[1])))
    extra = sorted(found - set(cols))
    missing = [c for c in cols if c not in found]
    parts = []
    if extra:
        parts.append(f"column {', '.join(extra)} is not one of its columns")
    if missing:
        parts.append(f"column {', '.join(missing)} is missing")
    if len(columns) != len(found):
        repeated = sorted({c for c in columns if columns.count(c) > 1})
        parts.append(f"column {', '.join(repeated)} appears twice")
    return f"closest is {name}: {'; '.join(parts)}"


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            f"in {path.name}, row {line}: the file is not UTF-8 text, as SSDA903 files are"
        ) from None


def _rows(path: Path) -> list[list[str]]:
    if not path.is_file():
        raise ImportFailed(f"the file {path} does not exist")
    try:
        return [r for r in csv.reader(io.StringIO(_decode(path), newline=""))]
    except csv.Error as exc:
        raise ImportFailed(f"in {path.name}: not a well-formed CSV file ({exc})") from None


def _shown(column: str, value: str) -> str:
    return "the date of birth" if column in BIRTH_DATES else f"'{value}'"


class _Cells:
    """The cells of one data row by column name, tidied and checked one at a time."""

    def __init__(self, number: int, cells: dict[str, str], today: dt.date) -> None:
        self.row, self.cells, self.today = number, cells, today

    def text(self, column: str, required: bool = False) -> str | None:
        value = self.cells[column]
        if required and not value:
            raise _Refusal(self.row, column, "is blank and must be given")
        return value or None

    def date(self, column: str, required: bool = False) -> dt.date | None:
        value = self.text(column, required)
        if value is None:
            return None
        match = _DATE.match(value)
        day = None
        if match:
            d, m, y = (int(g) for g in match.groups())
            try:
                day = dt.date(y, m, d)
            except ValueError:
                day = None
        if day is None:
            raise _Refusal(
                self.row, column, f"{_shown(column, value)} is not a date written as dd/mm/yyyy"
            )
        if day > self.today:
            raise _Refusal(self.row, column, f"{_shown(column, value)} is after today")
        return day

    def code(self, column: str, allowed: Iterable[str], required: bool = False) -> str | None:
        value = self.text(column, required)
        if value is None:
            return None
        upper = value.upper()  # the validators upper-case every code before checking it
        if upper not in allowed:
            raise _Refusal(self.row, column, f"'{value}' is not an SSDA903 code for {column}")
        return upper


@functools.cache
def _list(kind: str) -> frozenset[str]:
    """A code list's codes, built once: every row of a return checks several of them."""
    return frozenset(c.code for c in codes.codes(kind))


def _read_header(cells: _Cells, into: Return903) -> None:
    child = cells.text("CHILD", True) or ""
    if child in into.header:
        raise _Refusal(
            cells.row,
            "CHILD",
            f"child '{child}' appears twice (also on row {into.header[child].row})",
        )
    sex = cells.code("SEX", SEX_CODES)
    into.header[child] = HeaderRow(
        cells.row,
        child,
        SEX_CODES[sex] if sex else None,
        cells.date("DOB", True),  # type: ignore[arg-type]  # required: never None
        cells.code("ETHNIC", _list("ethnicity")),
    )


def _read_episode(cells: _Cells, into: Return903, seen: dict[tuple[str, dt.date], int]) -> None:
    child = cells.text("CHILD", True) or ""
    start: dt.date = cells.date("DECOM", True)  # type: ignore[assignment]  # required
    if (child, start) in seen:
        raise _Refusal(
            cells.row,
            "DECOM",
            f"child '{child}' has two episodes starting {start:%d/%m/%Y} (also on row "
            f"{seen[(child, start)]})",
        )
    seen[(child, start)] = cells.row
    end = cells.date("DEC")
    reason = cells.code("REC", _list("episode_end_reason"))
    if (end is None) != (reason is None):
        column = "REC" if end else "DEC"
        raise _Refusal(cells.row, column, "is blank, but DEC and REC are given together or not")
    if end is not None and end < start:
        raise _Refusal(cells.row, "DEC", f"'{end:%d/%m/%Y}' is before the episode's start")
    into.episodes.setdefault(child, []).append(
        Episode(
            cells.row,
            child,
            start,
            cells.code("RNE", _list("new_episode_reason"), True) or "",
            cells.code("LS", _list("legal_status")),
            cells.code("PLACE", _list("placement_type")),
            end,
            reason,
        )
    )


def _read_missing(cells: _Cells, into: Return903, seen: dict[tuple[str, dt.date], int]) -> None:
    child = cells.text("CHILD", True) or ""
    cells.date("DOB")
    kind = cells.code("MISSING", MISSING_EVENT_KINDS, True) or ""
    start: dt.date = cells.date("MIS_START", True)  # type: ignore[assignment]  # required
    if (child, start) in seen:
        raise _Refusal(
            cells.row,
            "MIS_START",
            f"child '{child}' has two periods starting {start:%d/%m/%Y} (also on row "
            f"{seen[(child, start)]})",
        )
    seen[(child, start)] = cells.row
    end = cells.date("MIS_END")
    if end is not None and end < start:
        raise _Refusal(cells.row, "MIS_END", f"'{end:%d/%m/%Y}' is before MIS_START")
    into.missing.append(MissingPeriod(cells.row, child, kind, start, end))


def _read_file(path: Path, into: Return903, today: dt.date) -> None:
    rows = _rows(path)
    if not rows or not any(c.strip() for c in rows[0]):
        raise ImportFailed(f"in {path.name}, row 1: the file has no column headings")
    columns = [c.strip().upper() for c in rows[0]]
    table = identify(columns) if len(set(columns)) == len(columns) else None
    if table is None:
        raise ImportFailed(
            f"in {path.name}, row 1: the columns are not those of an SSDA903 table "
            f"({_closest(columns)})"
        )
    if table not in USED_TABLES:
        into.not_used.append((path.name, table))
        return
    if any(table == t for _, t in into.files):
        other = next(name for name, t in into.files if t == table)
        raise ImportFailed(f"in {path.name}: the {table} table, is in {other} already")
    if len(rows) > MAX_ROWS + 1:
        raise ImportFailed(f"in {path.name}: more than {MAX_ROWS:,} rows; split the return")
    into.files.append((path.name, table))
    reader = {"Header": _read_header, "Episodes": _read_episode, "Missing": _read_missing}[table]
    seen: dict[tuple[str, dt.date], int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in raw):
            continue
        if len(raw) > len(columns):
            raise ImportFailed(
                f"in {path.name}, row {number}: {len(raw)} cells where the headings name "
                f"{len(columns)}"
            )
        raw = raw + [""] * (len(columns) - len(raw))  # trailing blanks left out, as pandas reads
        cells = _Cells(number, {c: v.strip() for c, v in zip(columns, raw, strict=True)}, today)
        try:
            if reader is _read_header:
                _read_header(cells, into)
            else:
                reader(cells, into, seen)  # type: ignore[operator]
        except _Refusal as bad:
            raise ImportFailed(
                f"in {path.name}, row {bad.row}, column {bad.column}: {bad.problem}"
            ) from None


def read_return(paths: Sequence[Path | str], today: dt.date) -> Return903:
    """Every file read and checked, or ImportFailed naming the first bad cell."""
    if not paths:
        raise ImportFailed("no SSDA903 files were given")
    found = Return903()
    for path in paths:
        _read_file(Path(path), found, today)
    if not found.files:
        tables = ", ".join(t for _, t in found.not_used)
        raise ImportFailed(
            f"none of the files is a Header, Episodes or Missing table (found {tables})"
        )
    for episodes in found.episodes.values():
        episodes.sort(key=lambda e: e.start)
    return found


def open_episode(episodes: Sequence[Episode]) -> Episode | None:
    """The episode in force: the one with no end date (the latest, if several), else the
    latest. ``episodes`` are in start order."""
    running = [e for e in episodes if e.end is None]
    return (running or list(episodes) or [None])[-1]


def child_facts(found: Return903, child: str) -> ChildFacts:
    """What the return says about one child (None where it says nothing)."""
    header = found.header.get(child)
    episodes = found.episodes.get(child, [])
    current = open_episode(episodes)
    latest = episodes[-1] if episodes else None
    left = (
        latest is not None
        and latest.end is not None
        and latest.reason_ended is not None
        and latest.reason_ended != "X1"
        and not any(e.end is None for e in episodes)
    )
    return ChildFacts(
        child=child,
        dob=header.dob if header else None,
        gender=header.sex if header else None,
        ethnicity=header.ethnic if header else None,
        placement_type=current.place if current else None,
        legal_status=current.legal_status if current else None,
        moves=tuple((e.start, e.rne) for e in episodes if e.rne in PLACEMENT_CHANGES),
        left_care_on=latest.end if left and latest else None,
        left_care_reason=latest.reason_ended if left and latest else None,
        header_row=header.row if header else None,
    )


def missing_note(period: MissingPeriod) -> str:
    """The event's note: what the period was and when it ended (or that it is still open)."""
    what = codes.label("missing", period.kind)
    if period.end is None:
        return f"{what} from {period.start:%d %b %Y}, still open in the SSDA903 return"
    return f"{what} from {period.start:%d %b %Y} to {period.end:%d %b %Y} (SSDA903 return)"


def move_note(reason: str) -> str:
    return f"New placement episode: {codes.label('new_episode_reason', reason)} (SSDA903 return)"


def episode_key(child: str, start: dt.date) -> str:
    """The source key of a placement move from one episode: the same episode, the same key."""
    return f"903:E:{child}:{start.isoformat()}"


def missing_key(child: str, start: dt.date) -> str:
    return f"903:M:{child}:{start.isoformat()}"
