"""Enrolment and its refusals: plain http, a certificate that does not match, a wrong
password, a server that does not answer; each leaves the laptop as it was (no database made,
or the database and its outbox unchanged). A database never enrolled works as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from laptops import Fleet
from server_support import PASSWORD

from cse_screen.errors import EXIT_AUTH, EXIT_UNREACHABLE, EXIT_USAGE
from cse_screen.server.devcert import make_certificates
from cse_screen.server.devcluster import free_port
from cse_screen.storage.models import SyncState
from cse_screen.vault.store import Store


def _enrol(fleet: Fleet, user: str, server: str, ca: Path, **env: str):  # type: ignore[no-untyped-def]
    return fleet.run(user, "sync", "enrol", "--server", server, "--ca-cert", str(ca), **env)


def test_refusals_at_enrolment_create_nothing(fleet: Fleet, tmp_path: Path) -> None:
    server, ca = fleet.server.base, fleet.server.certs.ca_file
    plain = _enrol(fleet, "wes", server.replace("https://", "http://"), ca)
    assert plain.code == EXIT_USAGE and "http://" in plain.err
    other_ca = make_certificates(tmp_path / "other").ca_file
    mismatch = _enrol(fleet, "wes", server, other_ca)
    assert mismatch.code == EXIT_UNREACHABLE and "certificate" in mismatch.err
    wrong = _enrol(fleet, "wes", server, ca, CSE_SCREEN_PASSWORD="not the password at all")
    assert wrong.code == EXIT_AUTH and "Traceback" not in wrong.err
    nobody = _enrol(fleet, "wes", f"https://127.0.0.1:{free_port()}", ca)
    assert nobody.code == EXIT_UNREACHABLE and "could not be reached" in nobody.err
    assert not fleet.db("wes").exists()
    assert list(fleet.db("wes").parent.iterdir()) == []


def _repoint(db: Path, user: str, **values: object) -> None:
    with Store.open(db, user, PASSWORD) as store, store.context.transaction() as session:
        row = session.get(SyncState, 1)
        for name, value in values.items():
            setattr(row, name, value)


def test_an_enrolled_laptop_that_cannot_trust_or_reach_the_server_keeps_everything(
    fleet: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    fleet.enrol("wynn")
    fleet.screen("wynn", "N3")
    before = fleet.stats("wynn")
    pinned = fleet.server.certs.ca_file.read_text(encoding="ascii")
    _repoint(fleet.db("wynn"), "wynn", ca_pem=make_certificates(tmp_path / "x").ca_file.read_text())
    refused = fleet.run("wynn", "sync", "--json")
    assert refused.code == EXIT_UNREACHABLE and "certificate" in refused.err
    _repoint(fleet.db("wynn"), "wynn", ca_pem=pinned, server_url=f"https://127.0.0.1:{free_port()}")
    away = fleet.run("wynn", "sync", "--json")
    assert away.code == EXIT_UNREACHABLE and "could not be reached" in away.err
    assert fleet.stats("wynn") == before
    assert fleet.run("wynn", "sync", "status", "--json").json()["waiting"] == 1
    _repoint(fleet.db("wynn"), "wynn", server_url=fleet.server.base)
    assert fleet.sync("wynn")["pushed"] == 1


def test_a_database_never_enrolled_works_as_before_and_says_so(fleet: Fleet) -> None:
    made = fleet.run("ada", "init")
    assert made.code == 0, made.err
    fleet.add_child("ada", "L1", "Local Only")
    assert fleet.stats("ada")["children"] == 1
    ran = fleet.run("ada", "sync", "--json")
    assert ran.code == 1 and "not enrolled" in ran.err
    with Store.open(fleet.db("ada"), "ada", PASSWORD) as store, store.reading() as session:
        from sqlalchemy import func, select

        from cse_screen.storage.models import OutboxEntry

        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 0
