"""Check that the encrypted database is whole: page authentication, b-tree structure, references.

Two different checks are needed. SQLCipher's ``cipher_integrity_check`` verifies every page's
HMAC, so it finds tampering and bit rot even where SQLite's own structure still looks plausible;
SQLite's ``integrity_check`` finds structural damage (broken b-trees, index entries without rows)
that authentic pages can still carry after a bad copy or a lying disk. ``foreign_key_check``
finds records pointing at rows that no longer exist.

Problems are returned as sentences that name pages, tables and row numbers only, never values,
because they are shown on screen and may be pasted into an IT ticket.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Engine

from cse_screen.vault.engine import driver_connection

MAX_PROBLEMS = 50
_PAGE = re.compile(r"page (\d+)", re.IGNORECASE)


def _driver_rows(engine: Engine, pragma: str) -> list[tuple[Any, ...]]:
    with driver_connection(engine) as driver:
        return [tuple(row) for row in driver.execute(pragma).fetchall()]


def _cipher_problems(rows: list[tuple[Any, ...]]) -> list[str]:
    problems = []
    for row in rows:
        match = _PAGE.search(str(row[0]))
        where = f"page {match.group(1)}" if match else "a page"
        problems.append(
            f"{where} of the database failed its authentication check "
            "(the file was damaged or altered)"
        )
    return problems


def _structure_problems(rows: list[tuple[Any, ...]]) -> list[str]:
    """One line per finding. SQLite can pack a whole report into one multi-line row, and a
    broken b-tree leaves every page after it "never used": those are counted, not listed."""
    lines = [
        line.strip()
        for row in rows
        for line in str(row[0]).splitlines()
        if line.strip() and line.strip().lower() != "ok" and not line.startswith("***")
    ]
    unused = [line for line in lines if line.endswith("never used")]
    findings = [line for line in lines if not line.endswith("never used")]
    # SQLite's own messages name pages, tables, indexes and row ids, never column values.
    problems = [f"the database structure is damaged: {line}" for line in findings]
    if unused:
        problems.append(f"the database structure is damaged: {len(unused)} page(s) are lost")
    return problems


def _reference_problems(rows: list[tuple[Any, ...]]) -> list[str]:
    return [
        f"row {rowid} of table {table} refers to a missing row in table {parent}"
        for table, rowid, parent, _fkid in rows
    ]


def check_integrity(engine: Engine, *, quick: bool = False) -> list[str]:
    """All problems found, as sentences; an empty list means the database is sound.

    ``quick=True`` uses SQLite's ``quick_check`` (linear time, skips index cross-checks) for a
    check at every start; the HMAC check of every page runs either way.
    """
    problems: list[str] = []
    checks = (
        ("PRAGMA cipher_integrity_check", _cipher_problems),
        ("PRAGMA quick_check" if quick else "PRAGMA integrity_check", _structure_problems),
        ("PRAGMA foreign_key_check", _reference_problems),
    )
    for pragma, describe in checks:
        try:
            problems.extend(describe(_driver_rows(engine, pragma)))
        except Exception as exc:  # the driver refusing to read at all is itself the finding
            if not _is_read_failure(exc):
                raise
            problems.append("the database could not be read completely: it is damaged")
        if len(problems) >= MAX_PROBLEMS:
            break
    return problems[:MAX_PROBLEMS]


def _is_read_failure(exc: Exception) -> bool:
    text = str(getattr(exc, "orig", None) or exc).lower()
    return any(word in text for word in ("malformed", "not a database", "i/o error", "corrupt"))
