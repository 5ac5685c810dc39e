"""Export speed and memory at 100,000 screenings, against bare openpyxl write-only mode.

Each measurement runs in its own process, which reports its time and peak RSS, so one run's
memory never hides another's. Three runs:

* baseline: bare openpyxl write-only, the same rows and columns as the export's two list sheets
  (plain values, no styles), saved to a file the usual way;
* writer: the full export workbook (all seven sheets, styles, charts, in-memory sheets) built from
  generated rows (``ListSource``), i.e. everything except reading the database;
* store: the whole ``export_workbook`` path from an encrypted database filled by bulk insert,
  at a smaller size (filling 7 million answer rows would dominate the run), reported per
  screening so it can be compared.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

SCREENINGS = int(os.environ.get("BENCH_EXPORT_SCREENINGS", 100_000))
CHILDREN = SCREENINGS // 10
STORE_SCREENINGS = int(os.environ.get("BENCH_EXPORT_STORE_SCREENINGS", 10_000))
STORE_CHILDREN = STORE_SCREENINGS // 10
ROOT = Path(__file__).resolve().parents[1]


def _instrument():
    from cse_screen.core import registry
    from cse_screen.storage.reporting import instrument_info

    return instrument_info(registry.get_questionnaire())


def _children(n: int):
    from cse_screen.export.rows import ChildRow

    today = date(2026, 11, 29)
    for i in range(n):
        yield ChildRow(
            i,
            f"LAC{i:06d}",
            f"Child {i}",
            date(2010, 1, 1) + timedelta(days=i % 2500),
            "female",
            "white_british",
            None,
            "foster_ifa",
            "s31_care_order",
            f"worker{i % 40}",
            f"Team {i % 5}",
            "low",
            today - timedelta(days=i % 200),
            today + timedelta(days=90 - i % 200),
            10,
            False,
        )


def _screenings(n: int, n_children: int, item_ids: list[str]):
    from cse_screen.export.rows import ScreeningRow

    rng = random.Random(5)
    outcomes = ["no_current_risk", "low", "moderate", "significant"]
    start = date(2022, 1, 1)
    for i in range(n):
        answers = {item: "none" for item in item_ids}
        for item in rng.sample(item_ids, 4):
            answers[item] = rng.choice(["current", "previous", "unknown", "both"])
        outcome = outcomes[i % 4]
        yield ScreeningRow(
            i,
            i % n_children,
            f"LAC{i % n_children:06d}",
            date(2010, 1, 1),
            f"Team {i % 5}",
            f"worker{i % 40}",
            "lac-cse-screen",
            "1.0.0",
            "h",
            "submitted",
            "scheduled_review",
            start + timedelta(days=i % 1700),
            outcome,
            outcome,
            None,
            None,
            False,
            f"worker{i % 40}",
            datetime(2026, 1, 1),
            None,
            start + timedelta(days=i % 1700 + 90),
            answers,
            frozenset({"dob", "screen_date"}),
        )


def _baseline(out: Path) -> int:
    """Bare openpyxl write-only: the same list-sheet rows as plain values."""
    import openpyxl

    info = _instrument()
    items = [i.id for i in info.items]
    wb = openpyxl.Workbook(write_only=True)
    cells = 0
    kids = wb.create_sheet("Children")
    for c in _children(CHILDREN):
        row = [
            c.case_ref,
            c.name,
            c.dob,
            15,
            c.gender,
            c.ethnicity,
            c.disability,
            c.placement_type,
            c.legal_status,
            c.team,
            c.worker,
            c.last_screened,
            c.latest_outcome,
            c.next_due,
            None,
            None,
            c.completed_screenings,
            None,
        ]
        kids.append(row)
        cells += len(row)
    ws = wb.create_sheet("Screenings")
    for s in _screenings(SCREENINGS, CHILDREN, items):
        row = [
            s.screening_id,
            s.child_ref,
            15,
            s.team,
            s.worker,
            s.created_by,
            s.screen_date,
            s.instrument_id,
            s.instrument_version,
            s.trigger,
            s.status,
            s.computed_outcome,
            s.final_outcome,
            None,
            None,
            None,
            None,
            None,
            s.next_due,
            0,
            *(s.answers.get(i) for i in items),
        ]
        ws.append(row)
        cells += len(row)
    wb.save(out)
    return cells


def _writer(out: Path) -> int:
    from cse_screen.export.listsource import ListSource
    from cse_screen.export.options import ExportOptions
    from cse_screen.export.rows import ExportMeta
    from cse_screen.export.workbook import build_workbook

    info = _instrument()
    items = [i.id for i in info.items]
    meta = ExportMeta("bench", datetime(2026, 11, 29, 12, 0), date(2026, 11, 29), info.outcomes)
    source = ListSource(
        meta,
        [info],
        lambda: _children(CHILDREN),
        lambda: _screenings(SCREENINGS, CHILDREN, items),
        CHILDREN,
        SCREENINGS,
    )
    built = build_workbook(source, ExportOptions())
    with open(out, "wb") as f:
        for chunk in built.data.chunks():
            f.write(chunk)
    return built.screenings


def _fill_store(db: Path) -> None:
    """A database of STORE_SCREENINGS screenings, bulk-inserted through the records models."""
    from sqlalchemy import insert

    from cse_screen.storage.models import Answer, Child, Screening
    from cse_screen.vault.store import Store

    info = _instrument()
    items = [i.id for i in info.items]
    now = datetime(2026, 11, 1)
    with Store.create(db, "admin", "bench-password-1") as store, store.engine.begin() as conn:
        conn.execute(
            insert(Child),
            [
                {
                    "id": c.child_id + 1,
                    "case_ref": c.case_ref,
                    "name": c.name,
                    "name_key": c.name,
                    "dob": c.dob,
                    "gender": c.gender,
                    "worker": c.worker,
                    "team": c.team,
                    "latest_outcome": c.latest_outcome,
                    "last_screened": c.last_screened,
                    "next_due": c.next_due,
                    "created_at": now,
                    "updated_at": now,
                }
                for c in _children(STORE_CHILDREN)
            ],
        )
        batch_s: list[dict[str, object]] = []
        batch_a: list[dict[str, object]] = []
        for s in _screenings(STORE_SCREENINGS, STORE_CHILDREN, items):
            batch_s.append(
                {
                    "id": s.screening_id + 1,
                    "child_id": s.child_id + 1,
                    "instrument_id": s.instrument_id,
                    "instrument_version": "1.0.0",
                    "instrument_hash": info.content_hash,
                    "status": s.status,
                    "screen_date": s.screen_date,
                    "trigger": s.trigger,
                    "context": {},
                    "computed_outcome": s.computed_outcome,
                    "final_outcome": s.final_outcome,
                    "needs_signoff": False,
                    "next_due": s.next_due,
                    "created_by": s.created_by,
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": now,
                }
            )
            batch_a += [
                {"screening_id": s.screening_id + 1, "item_id": k, "value": v}
                for k, v in s.answers.items()
            ]
            if len(batch_s) >= 2000:
                conn.execute(insert(Screening), batch_s)
                conn.execute(insert(Answer), batch_a)
                batch_s, batch_a = [], []
        if batch_s:
            conn.execute(insert(Screening), batch_s)
            conn.execute(insert(Answer), batch_a)


def _store(out: Path) -> int:
    from cse_screen.export import ExportOptions, export_workbook
    from cse_screen.vault.store import Store

    db = out.with_suffix(".db")
    with Store.open(db, "admin", "bench-password-1") as store:
        return export_workbook(store, out, ExportOptions()).screenings


def child() -> None:
    """Entry point of the measuring subprocess: ``child MODE OUT``."""
    mode, out = sys.argv[1], Path(sys.argv[2])
    if mode == "fill":
        _fill_store(out.with_suffix(".db"))
        return
    started = time.perf_counter()
    count = {"baseline": _baseline, "writer": _writer, "store": _store}[mode](out)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "count": count}))


def _measure(mode: str, out: Path) -> dict[str, float]:
    env = dict(os.environ, CSE_SCREEN_KDF="test", PYTHONPATH=str(ROOT))
    code = "from bench.bench_export import child; child()"
    done = subprocess.run(
        [sys.executable, "-c", code, mode, str(out)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench_export {mode} failed:\n{done.stderr[-2000:]}")
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        base = _measure("baseline", Path(folder) / "baseline.xlsx")
        ours = _measure("writer", Path(folder) / "writer.xlsx")
        print(
            f"export_baseline_openpyxl: {base['seconds']:.1f} s, peak {base['peak_mb']:.0f} MB "
            f"({base['count']:,} cells, bare write-only)"
        )
        print(
            f"export_writer_time_{SCREENINGS}: {ours['seconds']:.1f} s "
            f"({ours['seconds'] / base['seconds']:.2f}x vs baseline; target <= 1.5x)"
        )
        print(
            f"export_writer_peak_rss_{SCREENINGS}: {ours['peak_mb']:.0f} MB "
            f"({ours['peak_mb'] / base['peak_mb']:.2f}x vs baseline; target <= 2x and < 300 MB)"
        )
        store_out = Path(folder) / "store.xlsx"
        _measure("fill", store_out)
        full = _measure("store", store_out)
        per_base = base["seconds"] / SCREENINGS
        per_full = full["seconds"] / STORE_SCREENINGS
        print(
            f"export_store_time_{STORE_SCREENINGS}: {full['seconds']:.1f} s, peak "
            f"{full['peak_mb']:.0f} MB ({per_full / per_base:.2f}x baseline per screening, "
            "database read included)"
        )


if __name__ == "__main__":
    main()
