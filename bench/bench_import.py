"""``child import`` throughput: 60,000 rows from a CSV file into an encrypted database.

The import reads and checks every row, stages them in batches that each commit (so the desktop
app's saves get the database between them) and moves them into ``children`` with an audit entry
each, in one last transaction. The baseline, measured in the same run on a database made the same
way, is the floor: one bare ``executemany`` of the same rows into ``children``, through the
driver, in one transaction. Target: at least 2,000 rows a second.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

ROWS = 60_000
TARGET_ROWS_PER_S = 2_000
PASSWORD = "bench-password-long-enough"
TEAMS = ("North", "South", "East", "West")


def write_listing(path: Path, rows: int) -> None:
    """A council's list of children, as their case system exports it (invented names)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Case Ref,Name,Date of Birth,Gender,Team\n")
        for i in range(rows):
            day = date(2008 + i % 10, 1 + i % 12, 1 + i % 28)
            gender = ("Female", "Male")[i % 2]
            out.write(f"B{i:06d},Child Number {i},{day:%d/%m/%Y},{gender},{TEAMS[i % 4]}\n")


def timed_import(folder: Path, listing: Path) -> float:
    from cse_screen.storage.importer import import_children
    from cse_screen.vault.store import Store

    db = folder / "import.db"
    Store.create(db, "ada", PASSWORD).close()
    with Store.open(db, "ada", PASSWORD) as store:
        started = time.perf_counter()
        plan = import_children(store, listing)
        elapsed = time.perf_counter() - started
        assert len(plan.children) == ROWS
    return elapsed


def timed_executemany(folder: Path, rows: int) -> float:
    """The same rows straight into ``children`` through the driver, one transaction."""
    from cse_screen.vault.store import Store

    db = folder / "bare.db"
    Store.create(db, "ada", PASSWORD).close()
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    values = [
        (
            str(uuid.uuid4()),
            f"B{i:06d}",
            f"Child Number {i}",
            f"b{i:06d}\x1fchild number {i}",
            date(2008 + i % 10, 1 + i % 12, 1 + i % 28).isoformat(),
            ("female", "male")[i % 2],
            TEAMS[i % 4],
            date.today().isoformat(),
            now,
            now,
        )
        for i in range(rows)
    ]
    with Store.open(db, "ada", PASSWORD) as store:
        raw = store.engine.raw_connection()
        try:
            started = time.perf_counter()
            cursor = raw.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany(
                "INSERT INTO children (public_id, case_ref, name, name_key, dob, gender, team,"
                " next_due, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            cursor.execute("COMMIT")
            elapsed = time.perf_counter() - started
        finally:
            raw.close()
    return elapsed


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")  # the anchors of throwaway databases
    os.environ["XDG_DATA_HOME"] = str(folder / "data")
    try:
        listing = folder / "children.csv"
        write_listing(listing, ROWS)
        bare = timed_executemany(folder, ROWS)
        took = timed_import(folder, listing)
        rate = ROWS / took
        verdict = "meets" if rate >= TARGET_ROWS_PER_S else "MISSES"
        print(f"child import, {ROWS:,} rows: {rate:,.0f} rows/s ({took:.1f} s)")
        print(f"bare executemany of the same rows: {ROWS / bare:,.0f} rows/s ({bare:.2f} s)")
        print(
            f"child import: {took / bare:.1f}x the bare executemany's time; "
            f"{verdict} the target of {TARGET_ROWS_PER_S:,} rows/s"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
