"""Team server benchmark: a real server (uvicorn subprocess, HTTPS) on a real PostgreSQL.

Seeds a database with children and screenings across teams (COPY as the cluster's superuser,
which is only the seeding's shortcut), one worker account per client, then clients that each
sign in, read their caseload and submit screenings concurrently. Prints p50/p95 per call,
screenings per second, and the ratio of the API's write path (whole HTTPS requests: auth,
services, audit chain, row-level security) to bare psycopg inserts of the same rows (a
screening and its answers) in the same run.

Targets (issue 11): p95 of a caseload read < 150 ms; the write path within 3x bare psycopg.
The default is the issue's full size (20,000 children, 200,000 screenings, 20 teams, 50
clients x 20 screenings); ``BENCH_SERVER_SCALE=tenth`` runs a tenth of the data and of the
clients, for a quick look while working on the server.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

os.environ.setdefault("CSE_SCREEN_KDF", "test")  # sign-in cost is not what is measured here

from cse_screen.server import admin
from cse_screen.server.database import database_url, open_engine
from cse_screen.server.devcluster import running_cluster

FULL = os.environ.get("BENCH_SERVER_SCALE", "full").lower() != "tenth"
CHILDREN = 20_000 if FULL else 2_000
SCREENINGS = 200_000 if FULL else 20_000
TEAMS = 20
CLIENTS = 50 if FULL else 10
PER_CLIENT = 20 if FULL else 10
SEQUENTIAL = 100
PASSWORD = "benchmark password"


def _answers() -> dict[str, str]:
    from cse_screen.core import registry

    q = registry.get_questionnaire()
    return {i.id: ("no" if "no" in i.values else "none") for i in q.items}


def _copy(conn: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _seed(cluster: Any, url: str) -> None:
    engine = open_engine(database_url(url), pool_size=2)
    try:
        ada = admin.init(engine, "ada", PASSWORD, None)
        for n in range(CLIENTS):
            admin.add_user(engine, ada, f"w{n}", PASSWORD, "worker", f"T{n % TEAMS}", None)
    finally:
        engine.dispose()
    now = dt.datetime.now(dt.UTC)
    kids = []
    for i in range(CHILDREN):
        mine = (i // 2) % CLIENTS  # every other child is a client's, the rest others'
        worker = f"w{mine}" if i % 2 == 0 else f"x{i % 97}"
        team = f"T{mine % TEAMS}" if i % 2 == 0 else f"T{i % TEAMS}"
        ref = f"B{i:06d}"
        kids.append(
            (
                str(uuid.uuid4()),
                ref,
                f"Child {i}",
                f"child {i}\x1f{ref}".lower(),
                dt.date(2010, 1, 1) + dt.timedelta(days=i % 3000),
                worker,
                team,
                now,
                now,
            )
        )
    dbname = url.rsplit("/", 1)[1]
    with cluster.admin_connection(dbname) as conn:
        _copy(
            conn,
            "children",
            "public_id, case_ref, name, name_key, dob, worker, team, created_at, updated_at",
            kids,
        )
        ids = [r[0] for r in conn.execute("SELECT id FROM children ORDER BY id").fetchall()]
        rows = [
            (
                str(uuid.uuid4()),
                ids[i % len(ids)],
                "lac-cse-screen",
                "1.0.0",
                "h",
                "signed_off",
                dt.date(2025, 1, 1) + dt.timedelta(days=i % 300),
                "scheduled_review",
                "{}",
                False,
                "seed",
                now,
                now,
            )
            for i in range(SCREENINGS)
        ]
        _copy(
            conn,
            "screenings",
            "public_id, child_id, instrument_id, instrument_version, "
            "instrument_hash, status, screen_date, trigger, context, needs_signoff, created_by, "
            "created_at, updated_at",
            rows,
        )
        conn.execute("ANALYZE")


def _bare_inserts(cluster: Any, url: str, count: int, answers: dict[str, str]) -> float:
    """The same rows (a screening and its answers) by plain psycopg, one transaction each."""
    dbname = url.rsplit("/", 1)[1]
    with cluster.admin_connection(dbname) as conn:
        child = conn.execute("SELECT id FROM children LIMIT 1").fetchone()[0]
        conn.autocommit = False
        began = time.perf_counter()
        for _ in range(count):
            sid = conn.execute(
                "INSERT INTO screenings (public_id, child_id, instrument_id, instrument_version, "
                "instrument_hash, status, screen_date, trigger, context, needs_signoff, "
                "created_by, created_at, updated_at) VALUES (%s, %s, 'lac-cse-screen', '1.0.0', "
                "'h', 'submitted', current_date, 'initial', '{}', false, 'bare', now(), now()) "
                "RETURNING id",
                (str(uuid.uuid4()), child),
            ).fetchone()[0]
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO answers (screening_id, item_id, value) VALUES (%s, %s, %s)",
                    [(sid, k, v) for k, v in answers.items()],
                )
            conn.commit()
        return (time.perf_counter() - began) / count


def _client(server: Any, n: int, answers: dict[str, str], out: dict[str, list[float]]) -> None:
    with server.client() as http:
        began = time.perf_counter()
        signed = http.post(
            "/api/v1/sign-in", json={"user": f"w{n}", "password": PASSWORD, "device": "bench"}
        )
        out["sign-in"].append(time.perf_counter() - began)
        assert signed.status_code == 200, signed.text
        http.headers["Authorization"] = f"Bearer {signed.json()['token']}"
        began = time.perf_counter()
        caseload = http.get("/api/v1/children", params={"limit": 200}).json()["children"]
        out["caseload"].append(time.perf_counter() - began)
        for k in range(PER_CLIENT):
            child = caseload[k % len(caseload)]["id"]
            body = {"id": str(uuid.uuid4()), "answers": answers, "submit": True}
            began = time.perf_counter()
            answer = http.post(f"/api/v1/children/{child}/screenings", json=body)
            out["submit"].append(time.perf_counter() - began)
            assert answer.status_code == 201, answer.text


def _one_after_another(server: Any, count: int, answers: dict[str, str]) -> float:
    """Seconds per screening through the API with nothing else running: one laptop sending
    ``count`` screenings in turn, each a whole HTTPS request (what the bare inserts match)."""
    with server.client() as http:
        signed = http.post(
            "/api/v1/sign-in", json={"user": "w0", "password": PASSWORD, "device": "alone"}
        )
        http.headers["Authorization"] = f"Bearer {signed.json()['token']}"
        child = http.get("/api/v1/children", params={"limit": 1}).json()["children"][0]["id"]
        began = time.perf_counter()
        for _ in range(count):
            body = {"id": str(uuid.uuid4()), "answers": answers, "submit": True}
            answer = http.post(f"/api/v1/children/{child}/screenings", json=body)
            assert answer.status_code == 201, answer.text
        return (time.perf_counter() - began) / count


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "server" / "api"))
    from server_support import start_server

    answers = _answers()
    with running_cluster() as cluster:
        url = cluster.create_database()
        began = time.perf_counter()
        _seed(cluster, url)
        print(
            f"seeded {CHILDREN} children, {SCREENINGS} screenings, {TEAMS} teams "
            f"in {time.perf_counter() - began:.1f} s"
        )
        with tempfile.TemporaryDirectory() as folder:
            server = start_server(url, Path(folder), {})
            try:
                out: dict[str, list[float]] = {"sign-in": [], "caseload": [], "submit": []}
                threads = [
                    threading.Thread(target=_client, args=(server, n, answers, out))
                    for n in range(CLIENTS)
                ]
                began = time.perf_counter()
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                took = time.perf_counter() - began
                alone = _one_after_another(server, SEQUENTIAL, answers)
            finally:
                server.stop(signal.SIGTERM)
        for call, values in out.items():
            print(
                f"{call}: p50 {_pct(values, 0.5):.1f} ms, p95 {_pct(values, 0.95):.1f} ms "
                f"({len(values)} calls)"
            )
        print(
            f"screenings submitted: {len(out['submit']) / took:.1f} per second "
            f"({CLIENTS} concurrent clients, {took / len(out['submit']) * 1000:.1f} ms each)"
        )
        bare = _bare_inserts(cluster, url, SEQUENTIAL, answers)
        print(
            f"write path: {alone * 1000:.1f} ms per screening through the API (one client, "
            f"{SEQUENTIAL} in turn), {bare * 1000:.1f} ms bare psycopg inserts of its screening "
            f"and answer rows ({alone / bare:.1f}x vs baseline; target <= 3x)"
        )
        print(f"caseload read p95: {_pct(out['caseload'], 0.95):.1f} ms (target < 150 ms)")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"machine load average during the run: {load} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
