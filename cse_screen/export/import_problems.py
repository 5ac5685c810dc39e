"""Saving the rows an import refused as a CSV file, to correct them in the case system.

The list is a deliberate export: it holds row numbers, case references and the problems only
(never a name, a date of birth or any other value from the file), is written beside its
destination and renamed into place readable by its owner only, and is audited; a list that
cannot be audited is removed again, as an unaudited export must not stay behind.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cse_screen.storage.importer import RowProblem
from cse_screen.vault.atomic import atomic_write_bytes

HEADINGS = ("Row", "Case reference", "Problem")
#: A cell starting with one of these is a formula to a spreadsheet: kept as text instead.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def problems_csv(problems: Sequence[RowProblem]) -> bytes:
    """The CSV text (UTF-8 with a byte-order mark, so Excel reads it as such)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    for p in problems:
        writer.writerow([p.row, _cell(p.case_ref or ""), _cell(p.as_text())])
    return out.getvalue().encode("utf-8-sig")


def save_problems(store: Any, problems: Sequence[RowProblem], target: Path, source: str) -> int:
    """Write the list to ``target`` and audit it; returns the number of rows written."""
    target = Path(target)
    atomic_write_bytes(target, problems_csv(problems))
    try:
        store.audit.record(
            "export",
            "import_problems",
            None,
            {"rows": len(problems), "source": Path(source).suffix.lower().lstrip(".")},
        )
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return len(problems)
