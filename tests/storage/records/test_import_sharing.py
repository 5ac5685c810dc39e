"""A long ``child import`` shares the database: another program's saves get through between its
batches, and the import is still added whole or not at all.

The import runs as a real second process (the command line), as on a laptop where IT imports a
council's list while a worker fills in a screening. Before, the import held the write lock from
its first row to its last (minutes for a large file), and every save waiting past the busy
timeout failed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from records_fixtures import ADMIN, PASSWORD
from sqlalchemy import text

from cse_screen.storage.importer import import_children

ROWS = 12_000


def _listing(path: Path, rows: int = ROWS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Case Ref,Name,Date of Birth,Team\n")
        for i in range(rows):
            out.write(f"IMP{i:06d},Imported Child {i},01/02/2012,North\n")
    return path


def _start_import(db: Path, listing: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CSE_SCREEN_PASSWORD=PASSWORD)
    command = "from cse_screen.cli import main; raise SystemExit(main())"
    arguments = ["child", "import", str(listing), "--db", str(db), "--user", ADMIN]
    return subprocess.Popen(
        [sys.executable, "-c", command, *arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _staged(store) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM import_staging")).scalar_one())


def _imported(store) -> int:
    with store.engine.connect() as connection:
        found = connection.execute(
            text("SELECT count(*) FROM children WHERE case_ref LIKE 'IMP%'")
        ).scalar_one()
    return int(found)


def test_saves_get_through_while_a_long_import_runs_in_another_process(file_council, q, tmp_path):
    worker = file_council.open("wes")
    draft = worker.screenings.start_draft(file_council.ids["N1"], q)
    items = [i for i in q.items if "no" in i.values]
    importer = _start_import(file_council.path, _listing(tmp_path / "list.csv"))
    during, slowest, saved = 0, 0.0, 0
    trace = []
    try:
        while importer.poll() is None:
            staging = _staged(worker)
            started = time.perf_counter()
            item = items[saved % len(items)]
            worker.screenings.save_answer(draft.id, item.id, "no")  # raises if it waited too long
            slowest = max(slowest, time.perf_counter() - started)
            saved += 1
            trace.append((staging, round(time.perf_counter() - started, 2)))
            if staging and importer.poll() is None and _imported(worker) == 0:
                during += 1  # committed between the import's batches, before it was added
            time.sleep(0.05)
        out, err = importer.communicate(timeout=60)
    finally:
        if importer.poll() is None:
            importer.kill()
    assert importer.returncode == 0, err.decode()
    assert f"imported {ROWS} children".encode() in out
    assert during >= 3, (during, saved, trace)
    assert slowest < 5.0  # never near the busy timeout
    assert _imported(worker) == ROWS and _staged(worker) == 0
    assert len(worker.screenings.get(draft.id).answers) == min(saved, len(items))


def test_an_import_killed_while_staging_adds_nothing_and_the_next_one_adds_all(
    file_council, tmp_path, monkeypatch: pytest.MonkeyPatch
):
    admin = file_council.open(ADMIN)
    listing = _listing(tmp_path / "list.csv")
    importer = _start_import(file_council.path, listing)
    try:
        deadline = time.monotonic() + 120
        while _staged(admin) == 0 and importer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert importer.poll() is None, "the import finished before it could be killed"
        os.kill(importer.pid, signal.SIGKILL)
        importer.wait(timeout=30)
    finally:
        if importer.poll() is None:
            importer.kill()
    assert _staged(admin) > 0  # what it staged is there, but seen by no screen
    assert _imported(admin) == 0
    assert admin.children.existing_refs(["IMP000000"]) == set()

    from cse_screen.storage.services import child_import

    monkeypatch.setattr(child_import, "ABANDONED", child_import.timedelta(0))
    admin.close()
    admin = file_council.open(ADMIN)  # the next sign-in clears what the killed one left
    assert _staged(admin) == 0
    plan = import_children(admin, listing)
    assert len(plan.children) == ROWS
    assert _imported(admin) == ROWS and _staged(admin) == 0
