"""What each SQLCipher and SQLite setting costs on the store's own workload.

The store's settings (``cse_screen.vault.engine.CONNECTION_PRAGMAS``) were chosen on these
figures. Each variant changes one setting of the store's and runs the same four pieces of work
through the same code (SQLAlchemy and the services), on a fresh database of its own:

* bulk insert: 100,000 answers through SQLAlchemy Core, 1,000 rows a transaction;
* register page: the register's first page of one team, over 10,000 children (median);
* name search: the register searched for a name (median);
* a worker's day: 8 screenings, each started and answered one item at a time, as the wizard's
  autosave commits them.

The baseline is stock SQLite with the store's other settings, measured in the same run just
before each variant. Each variant runs in a process of its own: memory security is a
process-wide switch in SQLCipher.
Target (issue: a lighter encrypted store): the store's settings at most 1.3x plain SQLite on
every piece of work.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHILDREN = 10_000
ANSWERS = 100_000
DAY_SCREENINGS = 8
TARGET = 1.3
ROUNDS = range(int(os.environ.get("BENCH_CIPHER_ROUNDS", 3)))

#: One setting changed from the store's, by the pragma it replaces (name: (pragma, new value)).
VARIANTS: dict[str, tuple[str, str] | None] = {
    "store": None,
    "memory security on": ("cipher_memory_security", "ON"),
    "synchronous = NORMAL": ("synchronous", "NORMAL"),
    "page size 16384": ("cipher_page_size", "16384"),
    "default cache (2 MiB)": ("cache_size", "-2000"),
    "autocheckpoint 10000 pages": ("wal_autocheckpoint", "10000"),
}


class _NoKeyring:
    """Users' keyslots are the vault's business; the workload needs none."""

    def users(self) -> list[str]:
        return []

    def add_user(self, user: str, password: str, key: bytes) -> None:
        return None

    def set_password(self, user: str, new_password: str, key: bytes) -> None:
        return None

    def remove_user(self, user: str) -> None:
        return None

    def save(self) -> None:
        return None


def _pragmas(change: tuple[str, str] | None, cipher: bool) -> list[str]:
    from cse_screen.vault.engine import CONNECTION_PRAGMAS
    from cse_screen.vault.store import CACHE_KIB

    settings = dict(p.split(" = ", 1) for p in CONNECTION_PRAGMAS)
    settings["journal_mode"] = "WAL"
    settings["cache_size"] = f"-{CACHE_KIB}"
    if change is not None:
        settings[change[0]] = change[1]
    if not cipher:
        settings = {k: v for k, v in settings.items() if not k.startswith("cipher_")}
    # SQLCipher's page settings must come before the first read of the file.
    first = sorted(settings, key=lambda k: not k.startswith("cipher_"))
    return [f"PRAGMA {k} = {settings[k]}" for k in first]


def _engine(path: Path, change: tuple[str, str] | None, cipher: bool) -> Any:
    import sqlcipher3
    from sqlalchemy import create_engine, event

    from cse_screen.vault.engine import key_pragma

    key = os.urandom(32)
    statements = ([key_pragma(key)] if cipher else []) + _pragmas(change, cipher)
    module = sqlcipher3 if cipher else sqlite3
    engine = create_engine(
        f"sqlite:///{path}", module=module, connect_args={"check_same_thread": False}
    )

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        for statement in statements:
            dbapi_connection.execute(statement)

    event.listen(engine, "connect", on_connect, insert=True)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return engine


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _median(work: Callable[[], object], runs: int = 15) -> float:
    return statistics.median(_timed(work) for _ in range(runs))


def _signed_in(engine: Any, path: Path, name: str) -> Any:
    from cse_screen.storage.signed_in import SignedIn, load_user, placeholder_user
    from cse_screen.vault.context import local_context

    record = load_user(local_context(engine, path, placeholder_user(name)), name)
    return SignedIn(local_context(engine, path, record), _NoKeyring(), b"")


def _add_people(engine: Any) -> None:
    from sqlalchemy import text

    now = dt.datetime(2026, 1, 1)
    with engine.begin() as connection:
        for name, role, team in (("bench", "admin", None), ("w1", "worker", "South")):
            connection.execute(
                text(
                    "INSERT INTO users (public_id, name, role, team, active, created_at) "
                    "VALUES (:id, :name, :role, :team, 1, :now)"
                ),
                {"id": os.urandom(16).hex(), "name": name, "role": role, "team": team, "now": now},
            )


def _worker_day(engine: Any, path: Path) -> float:
    """A worker's screenings, answered item by item the way autosave commits them."""
    from cse_screen.core import registry

    q = registry.get_questionnaire()
    worker = _signed_in(engine, path, "w1")
    children = [c for c in range(1, CHILDREN + 1) if c % 200 == 1][:DAY_SCREENINGS]
    items = [(i.id, "no" if "no" in i.values else i.values[0]) for i in q.items]

    def day() -> None:
        for child in children:
            draft = worker.screenings.start_draft(child, q)
            for item_id, value in items:
                worker.screenings.save_answer(draft.id, item_id, value)

    return _timed(day)


def run_variant(name: str, cipher: bool) -> dict[str, float]:
    """One variant's four figures, in seconds (run in its own process)."""

    import bench.bench_store as store_bench
    from cse_screen.storage.records import RegisterQuery
    from cse_screen.storage.services import register
    from cse_screen.vault import migrate
    from cse_screen.vault.context import local_context

    folder = Path(tempfile.mkdtemp(prefix="bench-cipher-"))
    try:
        path = folder / "work.db"
        engine = _engine(path, VARIANTS[name], cipher)
        migrate.upgrade(engine, path)
        _add_people(engine)
        store_bench.fill_children(engine, CHILDREN)
        rows = store_bench.answer_rows(ANSWERS)
        store_bench.fill_screenings(engine, 1, rows[-1]["screening_id"])
        figures = {"bulk insert": _timed(lambda: store_bench.insert_answers(engine, rows))}
        admin = store_bench.ADMIN
        ctx = local_context(engine, path, admin)
        for label, query in (
            ("register page", RegisterQuery(team="North", sort="name")),
            ("name search", RegisterQuery(search="child 4242")),
        ):

            def page(q: RegisterQuery = query) -> None:
                with ctx.reading() as session:
                    register.run(session, ctx, q)

            figures[label] = _median(page)
        figures["a worker's day"] = _worker_day(engine, path)
        engine.dispose()
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def child(name: str, cipher: str) -> None:
    print(json.dumps(run_variant(name, cipher == "cipher")))


def _measure(name: str, cipher: bool) -> dict[str, float]:
    code = f"import bench.bench_cipher as m; m.child({name!r}, {'cipher' if cipher else 'plain'!r})"
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    units = {"bulk insert": ("s", 1), "a worker's day": ("s", 1)}
    for name in VARIANTS:
        # Each variant is paired with a plain run just before it, ROUNDS times, and the median
        # ratio is reported: on a busy machine one baseline measured minutes earlier would
        # compare different machines.
        pairs = [(_measure("store", cipher=False), _measure(name, cipher=True)) for _ in ROUNDS]
        for work in pairs[0][1]:
            ratio = statistics.median(c[work] / p[work] for p, c in pairs)
            seconds = statistics.median(c[work] for _, c in pairs)
            plain = statistics.median(p[work] for p, _ in pairs)
            unit, scale = units.get(work, ("ms", 1000))
            target = f"; target <= {TARGET}x" if name == "store" else ""
            print(
                f"sqlcipher, {name}, {work}: {seconds * scale:.1f} {unit} "
                f"({ratio:.2f}x vs plain SQLite {plain * scale:.1f} {unit}, median of "
                f"{len(pairs)} paired runs{target})",
                flush=True,
            )


if __name__ == "__main__":
    main()
