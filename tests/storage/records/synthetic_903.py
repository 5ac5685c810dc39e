"""Synthetic SSDA903 files for the import tests: invented children, never real data.

Each table is written from plain rows (dicts keyed by column), in the return's column order
unless told otherwise, so a test can break one cell and see it named.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from cse_screen.core.ssda903 import TABLES


def write_table(
    path: Path,
    table: str,
    rows: Iterable[Mapping[str, str]],
    columns: Sequence[str] | None = None,
) -> Path:
    """One table as a CSV file; missing cells are blank."""
    heading = list(columns or TABLES[table])
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(heading)
        for row in rows:
            writer.writerow([row.get(c, "") for c in heading])
    return path


def header(child: str, sex: str = "F", dob: str = "01/05/2012", ethnic: str = "WBRI") -> dict:
    return {"CHILD": child, "SEX": sex, "DOB": dob, "ETHNIC": ethnic, "UPN": "UN1", "MOTHER": ""}


def episode(
    child: str,
    decom: str,
    rne: str = "S",
    ls: str = "C2",
    place: str = "U4",
    dec: str = "",
    rec: str = "",
    reason_change: str = "",
) -> dict:
    return {
        "CHILD": child,
        "DECOM": decom,
        "RNE": rne,
        "LS": ls,
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": "PR1",
        "DEC": dec,
        "REC": rec,
        "REASON_PLACE_CHANGE": reason_change,
        "HOME_POST": "ZZ99 1AA",
        "PL_POST": "ZZ99 2AA",
        "URN": "XXXXXXX",
    }


def missing(child: str, kind: str, start: str, end: str = "", dob: str = "01/05/2012") -> dict:
    return {"CHILD": child, "DOB": dob, "MISSING": kind, "MIS_START": start, "MIS_END": end}


def council_return(folder: Path) -> list[Path]:
    """A return for the records tests' council (N1, N2, N3 and S1 are in its register):

    - N1: moved from U4 to K2 on 01/06/2026 (a placement change, reason CREQB); C2 throughout.
    - N2: returned home (E4A) on 01/10/2026: no longer looked after.
    - N3: missing 01/11/2026 to 02/11/2026, then away from 20/11/2026, still open.
    - S1 is not in the return; X9 is in the return but not in the register.
    """
    folder.mkdir(parents=True, exist_ok=True)
    heads = [
        header("N1", "F", "01/05/2012", "WBRI"),
        header("N2", "M", "03/02/2015", "BAFR"),
        header("N3", "2", "09/09/2010", "MWBC"),  # the pre-2024/25 SEX code for female
        header("X9", "M", "01/01/2011", "WBRI"),
    ]
    episodes = [
        episode("N1", "01/01/2024", "S", "C2", "U4", "01/06/2026", "X1", "CREQB"),
        episode("N1", "01/06/2026", "P", "C2", "K2"),
        episode("N2", "01/01/2025", "S", "V2", "U6", "01/10/2026", "E4A"),
        episode("N3", "01/03/2023", "S", "C1", "U6"),
        episode("X9", "01/03/2023", "S", "C1", "U6"),
    ]
    periods = [
        missing("N3", "M", "01/11/2026", "02/11/2026", "09/09/2010"),
        missing("N3", "A", "20/11/2026", "", "09/09/2010"),
    ]
    return [
        write_table(folder / "a.csv", "Header", heads),
        write_table(folder / "b.csv", "Episodes", episodes),
        write_table(folder / "c.csv", "Missing", periods),
    ]
