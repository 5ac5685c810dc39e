"""Store benchmarks: what encryption costs, and whether the register stays interactive.

1. Store overhead: the same SQLAlchemy workload (insert 100,000 answers; the register query over
   10,000 children) on SQLCipher (our engine: raw key, WAL, synchronous=FULL, memory security)
   and on plain SQLite with the same pragmas. Target: at most 1.3x.
2. Register at 100,000 children and 1,000,000 screenings, one filter applied: median time through
   the services (SQLAlchemy) against the same SQL run through sqlcipher3 directly. Target: well
   under 100 ms.
3. Unlock cost (Argon2id keyslot, the production parameters), on its own.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, insert

from cse_screen.storage.models import Answer
from cse_screen.storage.records import RegisterQuery, UserRecord
from cse_screen.storage.services import register
from cse_screen.storage.services.latest import outcome_rank
from cse_screen.storage.types import new_public_id
from cse_screen.vault import migrate
from cse_screen.vault.context import local_context
from cse_screen.vault.engine import key_pragma, open_engine
from cse_screen.vault.store import CACHE_KIB, tune_engine

TEAMS = ("North", "South", "East", "West")
OUTCOMES = (
    "no_current_risk",
    "no_current_risk",
    "no_current_risk",
    "low",
    "moderate",
    "significant",
)
TODAY = dt.date.today()
ADMIN = UserRecord(1, "bench", None, "admin", None, True, dt.datetime(2026, 1, 1))


PRAGMAS = (
    "temp_store = MEMORY",
    "journal_mode = WAL",
    "synchronous = FULL",
    "foreign_keys = ON",
    f"cache_size = -{CACHE_KIB}",
)


def _engine(path: Path, module: Any, first: tuple[str, ...]) -> Engine:
    """An engine with the pragmas and transaction handling of the store's, after ``first``."""
    engine = create_engine(
        f"sqlite:///{path}", module=module, connect_args={"check_same_thread": False}
    )

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        for statement in (*first, *(f"PRAGMA {p}" for p in PRAGMAS)):
            dbapi_connection.execute(statement)

    event.listen(engine, "connect", on_connect, insert=True)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return engine


def plain_engine(path: Path) -> Engine:
    """Stock SQLite with the store's pragmas: the baseline."""
    return _engine(path, sqlite3, ())


def cipher_engine_without_memory_security(path: Path, key: bytes) -> Engine:
    """For attribution only: SQLCipher keyed like the store but with memory security off (it
    mlocks and wipes every allocation). Must run before anything in the process turns it on."""
    first = (key_pragma(key), "PRAGMA cipher_memory_security = OFF")
    return _engine(path, sqlcipher3, first)


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _children_rows(count: int, rnd: random.Random) -> Iterator[tuple[Any, ...]]:
    now = "2026-01-01 00:00:00.000000"
    for n in range(1, count + 1):
        outcome = rnd.choice(OUTCOMES) if rnd.random() > 0.05 else None
        due = TODAY + dt.timedelta(days=rnd.randint(-60, 180))
        name = f"Child {n} {rnd.choice('ABCDEFGH')}surname"
        yield (
            n,
            new_public_id(),
            f"B{n:07d}",
            name,
            f"{name.casefold()}\x1fb{n:07d}",
            dt.date(2010, 1, 1) + dt.timedelta(days=n % 3000),
            f"w{n % 200}",
            TEAMS[n % 4],
            outcome,
            outcome_rank(outcome),
            due.isoformat(),
            now,
            now,
        )


def fill_children(engine: Engine, count: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    sql = (
        "INSERT INTO children (id, public_id, case_ref, name, name_key, dob, worker, team,"
        " latest_outcome, outcome_rank, next_due, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
    )
    rows = list(_children_rows(count, rnd))
    with engine.begin() as connection:
        for start in range(0, len(rows), 20_000):
            connection.exec_driver_sql(sql, rows[start : start + 20_000])


def fill_screenings(engine: Engine, children: int, per_child: int) -> None:
    sql = (
        "INSERT INTO screenings (id, public_id, child_id, instrument_id, instrument_version, "
        "instrument_hash, status, screen_date, trigger, context, computed_outcome, "
        "final_outcome, needs_signoff, next_due, created_by, created_at, updated_at) "
        "VALUES (?,?,?,'lac-cse-screen','1.0.0','h','signed_off',?,'scheduled_review','{}',"
        "?,?,0,?,'w','2026-01-01 00:00:00','2026-01-01 00:00:00')"
    )
    sid = 0
    batch: list[tuple[Any, ...]] = []
    with engine.begin() as connection:
        for child in range(1, children + 1):
            for k in range(per_child):
                sid += 1
                day = (TODAY - dt.timedelta(days=70 * (per_child - k))).isoformat()
                outcome = OUTCOMES[(child + k) % len(OUTCOMES)]
                batch.append((sid, new_public_id(), child, day, outcome, outcome, day))
            if len(batch) >= 50_000:
                connection.exec_driver_sql(sql, batch)
                batch = []
        if batch:
            connection.exec_driver_sql(sql, batch)


def answer_rows(total: int) -> list[dict[str, Any]]:
    screenings = total // 50 + 1
    rows = [
        {"screening_id": s, "item_id": f"I{i}", "value": "none", "note": None}
        for s in range(1, screenings + 1)
        for i in range(50)
    ]
    return rows[:total]


def insert_answers(engine: Engine, rows: list[dict[str, Any]]) -> None:
    """Answers through SQLAlchemy Core, 1,000 rows per transaction."""
    for start in range(0, len(rows), 1000):
        with engine.begin() as connection:
            connection.execute(insert(Answer.__table__), rows[start : start + 1000])


def register_median(engine: Engine, path: Path, query: RegisterQuery, runs: int) -> float:
    ctx = local_context(engine, path, ADMIN)
    times = []
    for _ in range(runs):
        with ctx.reading() as session:
            times.append(timed(lambda s=session: register.run(s, ctx, query)))
    return statistics.median(times)


def captured_sql(engine: Engine, path: Path, query: RegisterQuery) -> list[tuple[str, Any]]:
    """The statements the service sends for ``query``, to replay them without SQLAlchemy."""
    seen: list[tuple[str, Any]] = []

    def grab(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", grab)
    register_median(engine, path, query, 1)
    event.remove(engine, "before_cursor_execute", grab)
    return [s for s in seen if not s[0].startswith(("BEGIN", "PRAGMA"))]


def raw_median(path: Path, key: bytes, statements: list[tuple[str, Any]], runs: int) -> float:
    connection = sqlcipher3.connect(str(path), isolation_level=None)
    connection.execute(key_pragma(key))
    connection.execute("PRAGMA cipher_memory_security = ON")
    connection.execute("PRAGMA temp_store = MEMORY")
    connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for sql, params in statements:
            connection.execute(sql, params).fetchall()
        times.append(time.perf_counter() - started)
    connection.close()
    return statistics.median(times)


def overhead(folder: Path, key: bytes) -> None:
    results: dict[str, dict[str, float]] = {}
    for label, make in (
        ("plain", plain_engine),
        ("no-memsec", lambda p: cipher_engine_without_memory_security(p, key)),
        ("sqlcipher", lambda p: tune_engine(open_engine(p, key, create=True))),
    ):
        path = folder / f"overhead-{label}.db"
        engine = make(path)
        migrate.upgrade(engine, path)
        fill_children(engine, 10_000)
        rows = answer_rows(100_000)
        fill_screenings(engine, 1, rows[-1]["screening_id"])
        inserted = timed(lambda e=engine, r=rows: insert_answers(e, r))
        query = RegisterQuery(team="North", sort="name")
        results[label] = {
            "insert": inserted,
            "register": register_median(engine, path, query, 25),
        }
        engine.dispose()
    for work, unit, scale in (("insert", "s", 1), ("register", "ms", 1000)):
        plain, cipher = results["plain"][work], results["sqlcipher"][work]
        name = "insert 100,000 answers" if work == "insert" else "register over 10,000 children"
        print(
            f"store overhead, {name}: {cipher * scale:.1f} {unit} "
            f"({cipher / plain:.2f}x vs plain SQLite {plain * scale:.1f} {unit}; target <= 1.3x)"
        )
        bare = results["no-memsec"][work]
        print(
            f"   the same with cipher_memory_security off: {bare * scale:.1f} {unit} "
            f"({bare / plain:.2f}x vs plain SQLite)"
        )


def big_register(folder: Path, key: bytes) -> None:
    path = folder / "big.db"
    engine = tune_engine(open_engine(path, key, create=True))
    migrate.upgrade(engine, path)
    built = timed(lambda: (fill_children(engine, 100_000), fill_screenings(engine, 100_000, 10)))
    print(f"built 100,000 children and 1,000,000 screenings in {built:.0f} s (bulk inserts)")
    queries = {
        "team filter": RegisterQuery(team="North"),
        "outcome filter": RegisterQuery(outcome="significant"),
        "overdue filter": RegisterQuery(due="overdue", sort="next_due"),
        "search": RegisterQuery(search="child 4242"),
        "no filter, worst outcome first": RegisterQuery(sort="outcome", descending=True),
    }
    for label, query in queries.items():
        service = register_median(engine, path, query, 15)
        raw = raw_median(path, key, captured_sql(engine, path, query), 15)
        print(
            f"register at 100k children / 1M screenings, {label}: {service * 1000:.1f} ms "
            f"({service / raw:.2f}x vs raw sqlcipher3 {raw * 1000:.1f} ms; target well under "
            "100 ms)"
        )
    engine.dispose()


def unlock_cost(folder: Path) -> None:
    from cse_screen.vault.keyslots import KeyslotFile

    saved = os.environ.pop("CSE_SCREEN_KDF", None)
    try:
        slots, _key = KeyslotFile.create(folder / "u.keys", "bench", "a password")
        cost = timed(lambda: slots.unlock("bench", "a password"))
        print(f"unlock (Argon2id keyslot, production parameters): {cost:.2f} s")
    finally:
        if saved is not None:
            os.environ["CSE_SCREEN_KDF"] = saved


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-store-"))
    key = os.urandom(32)
    try:
        overhead(folder, key)
        big_register(folder, key)
        unlock_cost(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
