"""``import-903`` throughput: a council's SSDA903 return into an encrypted database.

20,000 children already in the register; a return of 20,000 Header rows, 60,000 Episodes (three
per child: care starts, a placement move, a legal status change; one child in twenty has left
care) and 30,000 Missing rows, all invented. Measured: the import's time, its peak Python memory
(tracemalloc, in a second import into a fresh copy of the same database, so the timing is not
slowed by tracing), and the ratio of its time to the baseline measured in the same run: a bare
``csv.reader`` pass over the same three files, which no import can beat.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from cse_screen.core.ssda903 import TABLES

CHILDREN = 20_000
EPISODES_PER_CHILD = 3
MISSING_ROWS = 30_000
PASSWORD = "bench-password-long-enough"
TEAMS = ("North", "South", "East", "West")
START = date(2024, 1, 1)


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def write_return(folder: Path) -> list[Path]:
    """The three tables of an invented return (and the register's list of the same children)."""
    header = folder / "header.csv"
    episodes = folder / "episodes.csv"
    missing = folder / "missing.csv"
    with header.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"])
        for i in range(CHILDREN):
            dob = date(2008 + i % 10, 1 + i % 12, 1 + i % 28)
            w.writerow([f"C{i:06d}", "MF"[i % 2], _d(dob), ("WBRI", "BAFR", "MWBC")[i % 3], "UN1"])
    with episodes.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(TABLES["Episodes"])
        for i in range(CHILDREN):
            ref = f"C{i:06d}"
            one = START + timedelta(days=i % 300)
            two, three = one + timedelta(days=120), one + timedelta(days=240)
            left = i % 20 == 0
            post = ["ZZ99 1AA", "ZZ99 2AA", "XXXXXXX"]
            w.writerow([ref, _d(one), "S", "V2", "N1", "U6", "PR1", _d(two), "X1", "CREQB", *post])
            w.writerow([ref, _d(two), "P", "V2", "N1", "K2", "PR4", _d(three), "X1", "", *post])
            end = [_d(three + timedelta(days=30)), "E4A"] if left else ["", ""]
            w.writerow([ref, _d(three), "L", "C2", "N1", "K2", "PR4", *end, "", *post])
    with missing.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"])
        for n in range(MISSING_ROWS):
            i = (n * 7) % CHILDREN
            start = START + timedelta(days=(n // CHILDREN) * 50 + i % 200 + 30)
            end = _d(start + timedelta(days=1)) if n % 5 else ""
            dob = date(2008 + i % 10, 1 + i % 12, 1 + i % 28)
            w.writerow([f"C{i:06d}", _d(dob), "MA"[n % 2], _d(start), end])
    return [header, episodes, missing]


def make_register(db: Path, folder: Path) -> None:
    """The register before the import: the same children, added by ``child import``."""
    from cse_screen.storage.importer import import_children
    from cse_screen.vault.store import Store

    listing = folder / "children.csv"
    with listing.open("w", encoding="utf-8", newline="") as out:
        out.write("Case Ref,Name,Date of Birth,Team\n")
        for i in range(CHILDREN):
            dob = date(2008 + i % 10, 1 + i % 12, 1 + i % 28)
            out.write(f"C{i:06d},Child Number {i},{_d(dob)},{TEAMS[i % 4]}\n")
    Store.create(db, "ada", PASSWORD).close()
    with Store.open(db, "ada", PASSWORD) as store:
        import_children(store, listing)


def bare_parse(files: list[Path]) -> float:
    started = time.perf_counter()
    rows = 0
    for path in files:
        with path.open(newline="", encoding="utf-8") as source:
            rows += sum(1 for _ in csv.reader(source))
    assert rows == CHILDREN * (1 + EPISODES_PER_CHILD) + MISSING_ROWS + 3
    return time.perf_counter() - started


def timed_import(db: Path, files: list[Path], trace: bool = False) -> tuple[float, int, object]:
    from cse_screen.storage.services.ssda903 import import_return
    from cse_screen.vault.store import Store

    with Store.open(db, "ada", PASSWORD) as store:
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        result = import_return(store.context, files)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        if trace:
            tracemalloc.stop()
    return elapsed, peak, result


def _copy(db: Path, dest: Path) -> Path:
    for suffix in ("", ".keys", "-wal", "-shm"):
        source = Path(f"{db}{suffix}")
        if source.exists():
            shutil.copy2(source, f"{dest}{suffix}")
    return dest


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-903-"))
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")  # the anchors of throwaway databases
    os.environ["XDG_DATA_HOME"] = str(folder / "data")
    try:
        files = write_return(folder)
        db = folder / "council.db"
        make_register(db, folder)
        traced_db = _copy(db, folder / "traced.db")
        bare = bare_parse(files)
        took, _peak, result = timed_import(db, files)
        _took, peak, _result = timed_import(traced_db, files, trace=True)
        again, _, repeat = timed_import(db, files)
        moves, missing = result.placement_moves, result.missing_episodes  # type: ignore[attr-defined]
        assert repeat.placement_moves == 0 and repeat.missing_episodes == 0  # type: ignore[attr-defined]
        print(
            f"import-903, {CHILDREN:,} children / {CHILDREN * EPISODES_PER_CHILD:,} episodes / "
            f"{MISSING_ROWS:,} missing rows: {took:.1f} s ({moves:,} moves, {missing:,} "
            "missing or away events)"
        )
        print(f"peak Python memory of the import: {peak / 2**20:.0f} MiB")
        print(f"bare csv parse of the same files: {bare:.2f} s")
        print(f"import-903: {took / bare:.0f}x the bare csv parse's time")
        print(f"re-import of the same return (adds nothing): {again:.1f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
