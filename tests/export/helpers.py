"""Reading exports back for the tests."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl


def load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def rows(ws: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def table(ws: Any, header_row: int = 1) -> list[dict[str, Any]]:
    """The contiguous table whose header is ``header_row``, as dicts by heading."""
    values = rows(ws)
    heads = values[header_row - 1]
    out = []
    for row in values[header_row:]:
        if all(v is None for v in row):
            break
        out.append({h: v for h, v in zip(heads, row, strict=False) if h is not None})
    return out


def labelled(ws: Any) -> dict[str, tuple[Any, ...]]:
    """Rows keyed by their first cell (the Summary and Data quality measures)."""
    found: dict[str, tuple[Any, ...]] = {}
    for row in rows(ws):
        if isinstance(row[0], str):
            found.setdefault(row[0], row[1:])
    return found


def all_parts(path: Path) -> str:
    """Every part of the xlsx zip (names and content) as one text, for searching."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        texts = [archive.read(name).decode("utf-8", "replace") for name in names]
    return "\n".join(names + texts)


def block(ws: Any, title_prefix: str) -> list[dict[str, Any]]:
    """The table under the section whose title starts with ``title_prefix`` (title, base line,
    header, rows up to the next blank row), as dicts by heading."""
    values = rows(ws)
    for index, row in enumerate(values):
        if isinstance(row[0], str) and row[0].startswith(title_prefix):
            return table(ws, header_row=index + 3)
    raise AssertionError(f"no section {title_prefix!r} in {ws.title}")
