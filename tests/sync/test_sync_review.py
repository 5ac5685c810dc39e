"""A lead's decisions travel to the worker: one screening signed off on the lead's own laptop
(offline, through the services, then synced), another returned with a reason on the server;
after both sync, the worker's laptop shows both."""

from __future__ import annotations

import pytest
from laptops import Fleet
from server_support import PASSWORD
from sqlalchemy import select

from cse_screen.storage.models import AuditRow, Screening, SyncState
from cse_screen.vault.store import Store


def test_sign_off_and_return_reach_the_workers_laptop(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    fleet.enrol("wes")
    fleet.enrol("lena")
    kept = fleet.screen("wes", "N1")
    sent_back = fleet.screen("wes", "N2")
    fleet.sync("wes")
    assert fleet.sync("lena")["pulled"] >= 2
    with Store.open(fleet.db("lena"), "lena", PASSWORD) as store:
        with store.reading() as session:
            ids = dict(session.execute(select(Screening.public_id, Screening.id)).all())
        store.screenings.sign_off(ids[kept["id"]])
    assert fleet.run("lena", "sync", "status", "--json").json()["waiting"] == 1
    with fleet.server.as_user("lena") as http:
        history = http.get(f"/api/v1/children/{fleet.server.ids['N2']}/screenings").json()
        target = history["screenings"][0]["id"]
        answer = http.post(f"/api/v1/screenings/{target}/return", json={"reason": "check A1"})
        assert answer.status_code == 200, answer.text
    assert fleet.sync("lena")["pushed"] == 1
    fleet.sync("wes")
    by_status = fleet.stats("wes")["screenings"]["by_status"]
    assert by_status.get("signed_off") == 1 and by_status.get("returned") == 1
    with Store.open(fleet.db("wes"), "wes", PASSWORD) as store, store.reading() as session:
        returned = session.scalar(select(Screening).where(Screening.status == "returned"))
        assert returned is not None
        assert returned.returned_reason == "check A1" and returned.returned_by == "lena"
    assert sent_back["status"] == "submitted"


def test_a_cursor_the_server_does_not_know_makes_a_full_resync_that_keeps_the_outbox(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    fleet.enrol("wynn")
    before = fleet.stats("wynn")
    fleet.screen("wynn", "N3")
    with (
        Store.open(fleet.db("wynn"), "wynn", PASSWORD) as store,
        store.context.transaction() as session,
    ):
        row = session.get(SyncState, 1)
        assert row is not None
        row.cursor = row.cursor + 1_000_000  # as after the server was restored from backup
    done = fleet.sync("wynn")
    assert done["pushed"] == 1 and done["waiting"] == 0
    after = fleet.stats("wynn")
    assert after["children"] == before["children"]
    assert after["screenings"]["total"] == before["screenings"]["total"] + 1
    with Store.open(fleet.db("wynn"), "wynn", PASSWORD) as store, store.reading() as session:
        resyncs = session.scalars(select(AuditRow.detail).where(AuditRow.action == "resync"))
        assert len(list(resyncs)) == 1
        assert session.get(SyncState, 1).cursor < 1_000_000  # type: ignore[union-attr]
    assert fleet.sync("wynn") == {"pushed": 0, "pulled": 0, "conflicts": 0, "waiting": 0}
