"""The server's audit trail records who read or changed what, in one unbroken chain, even
when many laptops sign in and submit at the same moment."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

from server_support import (
    CHILDREN,
    PASSWORD,
    TeamServer,
    fresh_child,
    screening_body,
)
from sqlalchemy import select, text

from cse_screen.server.database import database_url, open_engine
from cse_screen.server.devcluster import DevCluster
from cse_screen.storage.models import AuditRow
from cse_screen.storage.services import audit


def _entries_after(server: TeamServer, seq: int) -> list[AuditRow]:
    engine = open_engine(database_url(server.url), pool_size=1)
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    select(AuditRow).where(AuditRow.seq > seq).order_by(AuditRow.seq)
                )
            )
    finally:
        engine.dispose()


def _whole_chain(server: TeamServer) -> Any:
    return audit.walk_chain(iter(_entries_after(server, 0)))


def _last_seq(server: TeamServer) -> int:
    rows = _entries_after(server, 0)
    return rows[-1].seq if rows else 0


def test_every_read_of_records_leaves_one_entry_without_a_name(team_server: TeamServer) -> None:
    child = team_server.ids["N1"]
    with team_server.as_user("wes") as http:
        added = http.post(f"/api/v1/children/{child}/screenings", json=screening_body())
        assert added.status_code == 201, added.text
        screening = added.json()["id"]
        before = _last_seq(team_server)
        search = http.get("/api/v1/children", params={"search": "Amelia"})
        assert search.status_code == 200 and search.json()["total"] == 1
        caseload = http.get("/api/v1/children").json()["children"]
        assert http.get(f"/api/v1/children/{child}").status_code == 200
        history = http.get(f"/api/v1/children/{child}/screenings").json()["screenings"]
        assert http.get(f"/api/v1/children/{child}/events").status_code == 200
        assert http.get(f"/api/v1/screenings/{screening}").status_code == 200
    rows = _entries_after(team_server, before)
    seen = [(r.actor, r.action, r.entity, json.loads(r.detail)) for r in rows]
    assert [s[:3] for s in seen] == [
        ("wes", "view", "register"),
        ("wes", "view", "register"),
        ("wes", "view", "child"),
        ("wes", "view", "child"),
        ("wes", "view", "child"),
        ("wes", "view", "screening"),
    ]
    assert seen[0][3] == {"read": "caseload", "records": 1}
    assert seen[1][3] == {"read": "caseload", "records": len(caseload)} and len(caseload) >= 2
    assert seen[3][3] == {"read": "screenings", "records": len(history)}
    assert seen[4][3] == {"read": "events", "records": 0}
    text = " ".join(f"{r.entity_id} {r.detail}" for r in rows)
    for name, *_rest in CHILDREN.values():
        for part in name.split():
            assert part not in text
    assert _whole_chain(team_server).ok


def test_a_read_that_is_refused_leaves_no_read_entry(team_server: TeamServer) -> None:
    before = _last_seq(team_server)
    with team_server.as_user("sue") as http:  # South: N1 is North's
        assert http.get(f"/api/v1/children/{team_server.ids['N1']}/events").status_code == 404
    reads = [r for r in _entries_after(team_server, before) if r.action == "view"]
    assert reads == []


def test_concurrent_sign_ins_and_writes_keep_one_chain(
    pg_cluster: DevCluster, team_server: TeamServer
) -> None:
    """Sign-ins and submissions from many laptops at once: none is refused as a clash, and
    every entry follows the one before it (the chain is taken in turn, at commit)."""
    children = {n: fresh_child(team_server) for n in range(8)}
    before = _last_seq(team_server)
    answers: list[int] = []

    def laptop(n: int) -> None:
        signed = team_server.sign_in("wes", PASSWORD, device=f"laptop {n}")
        answers.append(signed.status_code)
        if signed.status_code != 200:
            return
        with team_server.client(signed.json()["token"]) as http:
            answers.append(http.get("/api/v1/children").status_code)
            for k in range(3):
                body = screening_body(submit=k == 0) | {"id": str(uuid.uuid4())}
                sent = http.post(f"/api/v1/children/{children[n]}/screenings", json=body)
                answers.append(sent.status_code)

    threads = [threading.Thread(target=laptop, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(answers)) == [200, 201], answers
    assert len(answers) == 8 * 5
    rows = _entries_after(team_server, before)
    assert [r.seq for r in rows] == list(range(before + 1, before + 1 + len(rows)))
    actions = [r.action for r in rows]
    assert actions.count("login") == 8 and actions.count("create") == 24
    assert actions.count("view") == 8 and actions.count("submit") == 8
    assert _whole_chain(team_server).ok
    numbers = _submission_numbers(team_server)
    assert len(numbers) == len(set(numbers)), "two submissions were given the same number"


def _submission_numbers(server: TeamServer) -> list[int]:
    engine = open_engine(database_url(server.url), pool_size=1)
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT set_config('cse.scope', 'all', true)"))
            found = connection.execute(
                text("SELECT submitted_seq FROM screenings WHERE submitted_seq IS NOT NULL")
            )
            return [int(n) for n in found.scalars()]
    finally:
        engine.dispose()
