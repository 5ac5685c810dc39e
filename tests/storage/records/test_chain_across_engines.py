"""The audit chain hashes the same bytes on both engines: the same work at the same moments
gives the same entries and the same hashes on the local file and on PostgreSQL, so a chain
can be checked wherever its entries are read (a laptop, the server, an export)."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Iterator

import pytest
from records_fixtures import ADMIN, PASSWORD, PEOPLE, AccountPasswords, complete_answers
from sqlalchemy import Engine

from cse_screen.errors import PermissionDenied
from cse_screen.storage.engines import postgresql_engine
from cse_screen.storage.records import ChildInput, UserRecord
from cse_screen.storage.services import audit
from cse_screen.storage.services.users import insert_user
from cse_screen.storage.signed_in import SignedIn, context_for, load_user, placeholder_user
from cse_screen.vault import migrate
from cse_screen.vault.engine import open_engine

START = dt.datetime(2026, 3, 1, 9, 30, 15, 123456)
DAY = dt.date(2026, 3, 1)


def _work(engine: Engine, q) -> list[tuple[object, ...]]:
    """A day's work through the services, on a clock that ticks one second per reading."""
    ticks = itertools.count()

    def now() -> dt.datetime:
        return START + dt.timedelta(seconds=next(ticks))

    def signed_in(name: str) -> SignedIn:
        ctx = context_for(engine, placeholder_user(name))
        ctx = context_for(engine, load_user(ctx, name))
        ctx.now, ctx.today = now, lambda: DAY
        return SignedIn(ctx, passwords, b"")

    passwords = AccountPasswords()
    first = context_for(engine, UserRecord(0, ADMIN, None, "admin", None, True, START))
    first.now = now
    with first.transaction() as session:
        insert_user(session, first, ADMIN, "admin", None, "Ada Admin")
        audit.append(session, first, audit.CREATE, "database", None, {"recovery_slot": "no"})
    admin = signed_in(ADMIN)
    for name, (role, team) in PEOPLE.items():
        admin.users.add(name, PASSWORD, role, team=team)
    amelia = ChildInput("N1", "Amelia Ashdown", dt.date(2012, 5, 1), worker="wes")
    child = admin.children.add(amelia)
    wes = signed_in("wes")
    draft = wes.screenings.start_draft(child.id, q, screen_date=DAY)
    wes.screenings.save_answers(draft.id, complete_answers(q, A1="current", L11="yes"))
    wes.screenings.submit(draft.id)
    signed_in("lena").screenings.sign_off(draft.id)
    wes.events.record(child.id, "missing_episode", DAY)
    wes.children.update(child.id, placement_type="foster_ifa")
    wes.children.get(child.id)
    with pytest.raises(PermissionDenied):
        signed_in("sue").children.get(child.id)
    report = admin.audit.verify()
    assert report.ok
    rows = sorted(admin.audit.entries(limit=1000), key=lambda e: e.seq)
    return [(e.seq, e.at, e.actor, e.action, e.entity, e.entity_id, e.detail, e.hash) for e in rows]


@pytest.fixture
def same_ids(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Public ids drawn from the same sequence on both runs (they are random otherwise)."""

    def restart() -> None:
        counter = itertools.count(1)
        monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter), version=4))

    restart()
    yield restart


def test_the_same_work_gives_the_same_chain_on_both_engines(tmp_path, pg_migrated_url, same_ids, q):
    db = tmp_path / "chain.db"
    local = open_engine(db, b"k" * 32, create=True)
    server = postgresql_engine(pg_migrated_url)
    try:
        migrate.upgrade(local, db)
        on_file = _work(local, q)
        same_ids()
        on_server = _work(server, q)
    finally:
        local.dispose()
        server.dispose()
    assert len(on_file) == 15
    assert [e[3] for e in on_file] == [e[3] for e in on_server]  # the same actions...
    assert on_file == on_server  # ...with the same moments, details and hashes
    assert on_file[0][1] == "2026-03-01T09:30:16.123456Z"  # naive UTC, marked Z


def test_an_aware_clock_is_written_as_the_same_utc_text(council, q):
    """A server's clock may be timezone-aware; the hashed text is UTC either way."""
    admin = council.open()
    paris = dt.timezone(dt.timedelta(hours=1))
    admin.context.now = lambda: dt.datetime(2026, 3, 1, 10, 30, 15, 123456, tzinfo=paris)
    admin.audit.record("view", "database")
    entry = admin.audit.entries(limit=1)[0]
    assert entry.at == "2026-03-01T09:30:15.123456Z"
    assert admin.audit.verify().ok
